using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;

namespace MLSystemDesign.Data.Internal;

/// <summary>
/// A cursor over a CSV file, parsed by Sylvan.Data.Csv; values are parsed from the field text with the configured
/// culture. The parser's own failures (an empty file, a record longer than <see cref="CsvSourceOptions.MaxRecordLength"/>,
/// malformed quoting) become <see cref="DataSchemaException"/> or <see cref="DataRecordException"/> naming the file and
/// line, and the bytes pass through a <see cref="Utf8CheckingStream"/> so that invalid UTF-8 is counted or refused
/// (<see cref="DataSourceOptions.InvalidUtf8"/>) instead of silently becoming U+FFFD.
/// </summary>
internal sealed class CsvCursor : RecordCursor
{
    private readonly CsvDataReader _reader;
    private readonly Utf8CheckingStream _utf8;
    private readonly CsvSourceOptions _options;
    private readonly HashSet<string> _missing;
    private readonly bool _emptyIsMissing;
    private readonly string[] _columns;
    private readonly int _lineOffset;
    private readonly string _path;
    private readonly StringPool[] _pools;
    private FieldKind[]? _kinds;
    private string? _encodingProblem;
    private bool _headerChecked;
    private long _record;

    private CsvCursor(string path, CsvDataReader reader, Utf8CheckingStream utf8, CsvSourceOptions options, string[] columns, int lineOffset)
    {
        _path = path;
        _reader = reader;
        _utf8 = utf8;
        _options = options;
        _columns = columns;
        _lineOffset = lineOffset;
        _missing = new HashSet<string>(options.MissingValues, StringComparer.Ordinal);
        _pools = columns.Select(_ => new StringPool()).ToArray();
        _emptyIsMissing = _missing.Contains(string.Empty);
    }

    public override IReadOnlyList<string> Columns => _columns;

    public override long RecordNumber => _record;

    /// <summary>The physical line of the record's start, assuming no quoted field spans lines before it.</summary>
    public override long? LineNumber => _record + _lineOffset;

    public override string? MalformedReason =>
        _encodingProblem
        ?? (_reader.RowFieldCount == _columns.Length
            ? null
            : $"expected {_columns.Length} fields, found {_reader.RowFieldCount}");

    /// <summary>Opens a cursor; for tabular reads (no members) the column kinds are first inferred from a sample of the file.</summary>
    public static CursorOpener Opener(CsvSourceOptions options) => async (path, members, cancellationToken) =>
    {
        var cursor = await OpenAsync(path, options, cancellationToken).ConfigureAwait(false);
        if (members is null)
        {
            try
            {
                var sample = await OpenAsync(path, options, cancellationToken).ConfigureAwait(false);
                await using (sample.ConfigureAwait(false))
                {
                    // The sample's replacements are counted when the records are read, not twice.
                    sample.Report = new DataReadReport(maxExamples: 0);
                    cursor._kinds = await sample.InferKindsAsync(options.SchemaInferenceRows, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                await cursor.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return cursor;
    };

    private static async ValueTask<CsvCursor> OpenAsync(string path, CsvSourceOptions options, CancellationToken cancellationToken)
    {
        var utf8 = new Utf8CheckingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous));
        var text = new StreamReader(utf8, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var headerLine = options.SkipLines + 1;
        try
        {
            for (var i = 0; i < options.SkipLines; i++)
            {
                await text.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }

            CsvDataReader reader;
            try
            {
                reader = await CsvDataReader.CreateAsync(
                    text,
                    new CsvDataReaderOptions
                    {
                        HasHeaders = options.HasHeader,
                        Delimiter = options.Delimiter,
                        Culture = options.Culture,
                        OwnsReader = true,
                        BufferSize = Math.Min(1 << 14, options.MaxRecordLength),
                        MaxBufferSize = options.MaxRecordLength,
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (CsvMissingHeadersException ex)
            {
                throw new DataSchemaException(path, options.SkipLines == 0
                    ? "the file is empty: a header line naming the columns is expected."
                    : string.Create(CultureInfo.InvariantCulture, $"the file ends within the {options.SkipLines} lines skipped before the header: a header line naming the columns is expected at line {headerLine}."), ex);
            }
            catch (CsvRecordTooLargeException ex)
            {
                throw new DataSchemaException(path, string.Create(CultureInfo.InvariantCulture, $"line {headerLine} (the {(options.HasHeader ? "header" : "first record")}) is longer than {options.MaxRecordLength:N0} characters, the longest record allowed (CsvSourceOptions.MaxRecordLength)."), ex);
            }
            catch (CsvFormatException ex)
            {
                throw new DataSchemaException(path, string.Create(CultureInfo.InvariantCulture, $"line {headerLine} (the {(options.HasHeader ? "header" : "first record")}) is not valid CSV: {ex.Message}"), ex);
            }

            var columns = new string[reader.FieldCount];
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i] = options.HasHeader ? reader.GetName(i)
                    : i < options.ColumnNames.Count ? options.ColumnNames[i]
                    : string.Create(CultureInfo.InvariantCulture, $"f{i}");
                if (options.HasHeader && string.IsNullOrWhiteSpace(columns[i]))
                {
                    await reader.DisposeAsync().ConfigureAwait(false);
                    throw new DataSchemaException(path, string.Create(CultureInfo.InvariantCulture, $"column {i + 1} of the header (line {headerLine}) has no name; every column needs one."));
                }

                if (!seen.TryAdd(columns[i], i))
                {
                    await reader.DisposeAsync().ConfigureAwait(false);
                    throw new DataSchemaException(path, string.Create(CultureInfo.InvariantCulture, $"the header (line {headerLine}) names column '{columns[i]}' twice (columns {seen[columns[i]] + 1} and {i + 1}); column names are unique (case-insensitive)."));
                }
            }

            return new CsvCursor(path, reader, utf8, options, columns, options.SkipLines + (options.HasHeader ? 1 : 0));
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        CheckHeaderEncoding();
        bool more;
        try
        {
            more = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CsvRecordTooLargeException ex)
        {
            throw new DataRecordException(new BadRecord(_path, _record + 1, _record + 1 + _lineOffset, null, null, string.Create(CultureInfo.InvariantCulture, $"the record is longer than {_options.MaxRecordLength:N0} characters, the longest allowed (CsvSourceOptions.MaxRecordLength).")), ex);
        }
        catch (CsvFormatException ex)
        {
            throw new DataRecordException(new BadRecord(_path, _record + 1, _record + 1 + _lineOffset, null, null, $"malformed CSV: {ex.Message}"), ex);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DataRecordException or DataSchemaException or IOException or OutOfMemoryException))
        {
            throw new DataRecordException(new BadRecord(_path, _record + 1, _record + 1 + _lineOffset, null, null, $"the CSV parser failed: {ex.Message}"), ex);
        }

        if (more)
        {
            _record++;
            _encodingProblem = null;
            while (_utf8.TryTake(_record + _lineOffset, out var invalid))
            {
                Account(invalid, _record);
            }
        }
        else
        {
            // Whatever is left lies past the last record (an unterminated sequence at the end of the file).
            while (_utf8.TryTake(out var invalid))
            {
                Account(invalid, Math.Max(_record, 1));
                if (_encodingProblem is { } reason)
                {
                    throw new DataRecordException(new BadRecord(_path, Math.Max(_record, 1), invalid.Line, null, null, reason));
                }
            }
        }

        return more;
    }

    /// <summary>Invalid UTF-8 in the lines before the first record: skipped lines are the caller's to ignore; the header must be sound.</summary>
    private void CheckHeaderEncoding()
    {
        if (_headerChecked)
        {
            return;
        }

        _headerChecked = true;
        while (_utf8.TryTake(_lineOffset, out var invalid))
        {
            if (invalid.Line <= _options.SkipLines)
            {
                continue;
            }

            if (_options.InvalidUtf8 == InvalidUtf8Handling.Refuse || Report is null)
            {
                throw new DataSchemaException(_path, string.Create(CultureInfo.InvariantCulture, $"line {invalid.Line} (the header) holds {invalid.Describe()}."));
            }

            Report.AddInvalidUtf8Replaced(new BadRecord(_path, 0, invalid.Line, null, null, $"{invalid.Describe()} in the header, read as U+FFFD"));
        }
    }

    /// <summary>Counts a replaced sequence in the report, or makes the record bad when it is refused (or there is no report to count it in).</summary>
    private void Account(InvalidUtf8 invalid, long record)
    {
        if (_options.InvalidUtf8 == InvalidUtf8Handling.Replace && Report is { } report)
        {
            report.AddInvalidUtf8Replaced(new BadRecord(_path, record, invalid.Line, null, null, $"{invalid.Describe()}, read as U+FFFD"));
        }
        else
        {
            _encodingProblem ??= string.Create(CultureInfo.InvariantCulture, $"{invalid.Describe()} (line {invalid.Line}){(_options.InvalidUtf8 == InvalidUtf8Handling.Replace ? "; pass a DataReadReport to read it as U+FFFD and count it" : string.Empty)}");
        }
    }

    public override bool IsMissing(int ordinal)
    {
        var span = _reader.GetFieldSpan(ordinal);
        return span.IsEmpty ? _emptyIsMissing : _missing.Count > (_emptyIsMissing ? 1 : 0) && _missing.Contains(span.ToString());
    }

    public override string GetString(int ordinal) => _pools[ordinal].Get(_reader.GetFieldSpan(ordinal));

    public override double GetDouble(int ordinal) => Text.ParseDouble(_reader.GetFieldSpan(ordinal), _options.Culture);

    public override long GetInt64(int ordinal) => Text.ParseInt64(_reader.GetFieldSpan(ordinal), _options.Culture);

    public override bool GetBoolean(int ordinal) => Text.ParseBoolean(_reader.GetFieldSpan(ordinal));

    public override DateTime GetDateTime(int ordinal) => Text.ParseDateTime(_reader.GetFieldSpan(ordinal), _options.Culture);

    public override DateTimeOffset GetDateTimeOffset(int ordinal) => Text.ParseDateTimeOffset(_reader.GetFieldSpan(ordinal), _options.Culture);

    public override decimal GetDecimal(int ordinal) => Text.ParseDecimal(_reader.GetFieldSpan(ordinal), _options.Culture);

    public override string? GetRawText(int ordinal) => Text.Truncate(_reader.GetFieldSpan(ordinal));

    public override FieldKind GetColumnKind(int ordinal) => _kinds is null ? FieldKind.Text : _kinds[ordinal];

    /// <summary>Reads up to <paramref name="rows"/> records and infers each column's kind from its non-missing values.</summary>
    private async ValueTask<FieldKind[]> InferKindsAsync(int rows, CancellationToken cancellationToken)
    {
        var samples = new List<string>[_columns.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = [];
        }

        var n = 0;
        while (n < rows && await ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            n++;
            if (MalformedReason is not null)
            {
                continue;
            }

            for (var i = 0; i < _columns.Length; i++)
            {
                if (!IsMissing(i))
                {
                    samples[i].Add(_reader.GetString(i));
                }
            }
        }

        return samples.Select(s => Text.Infer(s, _options.Culture)).ToArray();
    }

    public override ValueTask DisposeAsync() => _reader.DisposeAsync();
}
