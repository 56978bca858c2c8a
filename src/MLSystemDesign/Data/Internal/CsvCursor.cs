using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;

namespace MLSystemDesign.Data.Internal;

/// <summary>A cursor over a CSV file, parsed by Sylvan.Data.Csv; values are parsed from the field text with the configured culture.</summary>
internal sealed class CsvCursor : RecordCursor
{
    private readonly CsvDataReader _reader;
    private readonly CsvSourceOptions _options;
    private readonly HashSet<string> _missing;
    private readonly bool _emptyIsMissing;
    private readonly string[] _columns;
    private readonly int _lineOffset;
    private readonly string _path;
    private FieldKind[]? _kinds;
    private long _record;

    private CsvCursor(string path, CsvDataReader reader, CsvSourceOptions options, string[] columns, int lineOffset)
    {
        _path = path;
        _reader = reader;
        _options = options;
        _columns = columns;
        _lineOffset = lineOffset;
        _missing = new HashSet<string>(options.MissingValues, StringComparer.Ordinal);
        _emptyIsMissing = _missing.Contains(string.Empty);
    }

    public override IReadOnlyList<string> Columns => _columns;

    public override long RecordNumber => _record;

    /// <summary>The physical line of the record's start, assuming no quoted field spans lines before it.</summary>
    public override long? LineNumber => _record + _lineOffset;

    public override string? MalformedReason =>
        _reader.RowFieldCount == _columns.Length
            ? null
            : $"expected {_columns.Length} fields, found {_reader.RowFieldCount}";

    /// <summary>Opens a cursor; for tabular reads (no members) the column kinds are first inferred from a sample of the file.</summary>
    public static CursorOpener Opener(CsvSourceOptions options) => async (path, members, cancellationToken) =>
    {
        var cursor = await OpenAsync(path, options, cancellationToken).ConfigureAwait(false);
        if (members is null)
        {
            var sample = await OpenAsync(path, options, cancellationToken).ConfigureAwait(false);
            await using (sample.ConfigureAwait(false))
            {
                cursor._kinds = await sample.InferKindsAsync(options.SchemaInferenceRows, cancellationToken).ConfigureAwait(false);
            }
        }

        return cursor;
    };

    private static async ValueTask<CsvCursor> OpenAsync(string path, CsvSourceOptions options, CancellationToken cancellationToken)
    {
        var text = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { Options = FileOptions.SequentialScan, BufferSize = 1 << 16 });
        try
        {
            for (var i = 0; i < options.SkipLines; i++)
            {
                await text.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }

            var reader = await CsvDataReader.CreateAsync(
                text,
                new CsvDataReaderOptions
                {
                    HasHeaders = options.HasHeader,
                    Delimiter = options.Delimiter,
                    Culture = options.Culture,
                    OwnsReader = true,
                },
                cancellationToken).ConfigureAwait(false);

            var columns = new string[reader.FieldCount];
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i] = options.HasHeader ? reader.GetName(i)
                    : i < options.ColumnNames.Count ? options.ColumnNames[i]
                    : string.Create(CultureInfo.InvariantCulture, $"f{i}");
            }

            return new CsvCursor(path, reader, options, columns, options.SkipLines + (options.HasHeader ? 1 : 0));
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        bool more;
        try
        {
            more = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CsvFormatException ex)
        {
            throw new DataRecordException(new BadRecord(_path, _record + 1, _record + 1 + _lineOffset, null, null, $"malformed CSV: {ex.Message}"), ex);
        }

        if (more)
        {
            _record++;
        }

        return more;
    }

    public override bool IsMissing(int ordinal)
    {
        var span = _reader.GetFieldSpan(ordinal);
        return span.IsEmpty ? _emptyIsMissing : _missing.Count > (_emptyIsMissing ? 1 : 0) && _missing.Contains(span.ToString());
    }

    public override string GetString(int ordinal) => _reader.GetString(ordinal);

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
