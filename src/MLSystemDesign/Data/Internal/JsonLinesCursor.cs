using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace MLSystemDesign.Data.Internal;

/// <summary>
/// A cursor over a JSON Lines file: one JSON object per line, blank lines ignored. A property absent from a line is a
/// missing value; properties that are not columns are skipped. Values convert strictly: a number is read where a number
/// is expected, a string where text or a timestamp is expected (numbers are also accepted as text). A line that is not
/// valid UTF-8 is refused, or read with each invalid sequence as U+FFFD and counted (<see cref="DataSourceOptions.InvalidUtf8"/>).
/// </summary>
internal sealed class JsonLinesCursor : RecordCursor
{
    private readonly Utf8LineReader _lines;
    private readonly string _path;
    private readonly InvalidUtf8Handling _invalidUtf8;
    private readonly string[] _columns;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ordinals;
    private readonly FieldValue[] _row;
    private readonly StringPool[] _pools;
    private FieldKind[]? _kinds;
    private string? _malformed;
    private byte[] _repaired = [];
    private long _record;

    private JsonLinesCursor(Utf8LineReader lines, string path, InvalidUtf8Handling invalidUtf8, string[] columns)
    {
        _lines = lines;
        _path = path;
        _invalidUtf8 = invalidUtf8;
        _columns = columns;
        var ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Length; i++)
        {
            ordinals.TryAdd(columns[i], i);
        }

        _ordinals = ordinals.GetAlternateLookup<ReadOnlySpan<char>>();
        _row = new FieldValue[columns.Length];
        _pools = columns.Select(_ => new StringPool()).ToArray();
    }

    public override IReadOnlyList<string> Columns => _columns;

    public override long RecordNumber => _record;

    public override long? LineNumber => _lines.LineNumber;

    public override string? MalformedReason => _malformed;

    /// <summary>Opens a cursor over the mapped members' columns, or over every column discovered in the first lines.</summary>
    public static CursorOpener Opener(JsonLinesSourceOptions options) => async (path, members, cancellationToken) =>
    {
        if (members is null)
        {
            var (columns, kinds) = await DiscoverAsync(path, options.SchemaInferenceRows, cancellationToken).ConfigureAwait(false);
            var tabular = Open(path, options, columns);
            tabular._kinds = kinds;
            return tabular;
        }

        var cursor = Open(path, options, members.Select(m => m.Column).ToArray());
        cursor._kinds = members.Select(m => m.Kind).ToArray();
        return cursor;
    };

    private static JsonLinesCursor Open(string path, JsonLinesSourceOptions options, IReadOnlyList<string> columns) =>
        new(new Utf8LineReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous)), path, options.InvalidUtf8, columns.ToArray());

    /// <summary>Discovers the columns (in order of first appearance) and their kinds from the first <paramref name="rows"/> lines.</summary>
    private static async ValueTask<(string[] Columns, FieldKind[] Kinds)> DiscoverAsync(string path, int rows, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var kinds = new List<FieldKind?>();
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var lines = new Utf8LineReader(File.OpenRead(path));
        await using var linesScope = lines.ConfigureAwait(false);
        var n = 0;
        byte[] repaired = [];
        while (n < rows && await ReadDiscoveryLineAsync(lines, cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (IsBlank(line.Span))
            {
                continue;
            }

            n++;
            try
            {
                // Columns are discovered from lines with invalid UTF-8 too; the read reports those lines.
                var reader = new Utf8JsonReader(Utf8.IsValid(line.Span) ? line.Span : Repair(line.Span, ref repaired, null));
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    if (!index.TryGetValue(name, out var i))
                    {
                        i = names.Count;
                        index[name] = i;
                        names.Add(name);
                        kinds.Add(null);
                    }

                    var kind = reader.TokenType switch
                    {
                        JsonTokenType.Number => FieldKind.Numeric,
                        JsonTokenType.True or JsonTokenType.False => FieldKind.Boolean,
                        JsonTokenType.String => LooksLikeTimestamp(reader.GetString()!) ? FieldKind.Timestamp : FieldKind.Text,
                        JsonTokenType.Null => (FieldKind?)null,
                        _ => FieldKind.Text,
                    };
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        reader.Skip();
                    }

                    if (kind is { } k)
                    {
                        kinds[i] = kinds[i] is null || kinds[i] == k ? k : FieldKind.Text;
                    }
                }
            }
            catch (JsonException)
            {
                // Malformed lines are reported when the data is read, with their line numbers.
            }
        }

        return (names.ToArray(), kinds.Select(k => k ?? FieldKind.Text).ToArray());
    }

    /// <summary>The next line for discovery; a line too long to read ends discovery (the read reports it with its line number).</summary>
    private static async ValueTask<ReadOnlyMemory<byte>?> ReadDiscoveryLineAsync(Utf8LineReader lines, CancellationToken cancellationToken)
    {
        try
        {
            return await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Copies a line with each invalid UTF-8 sequence replaced by U+FFFD's bytes, noting each one found.</summary>
    private static ReadOnlySpan<byte> Repair(ReadOnlySpan<byte> line, ref byte[] buffer, List<(int Offset, InvalidUtf8 Sequence)>? found)
    {
        ReadOnlySpan<byte> replacement = [0xEF, 0xBF, 0xBD];
        if (buffer.Length < line.Length * 3)
        {
            buffer = new byte[line.Length * 3];
        }

        var written = 0;
        var offset = 0;
        while (offset < line.Length)
        {
            var status = Rune.DecodeFromUtf8(line[offset..], out _, out var consumed);
            consumed = Math.Max(1, consumed);
            if (status == OperationStatus.Done)
            {
                line.Slice(offset, consumed).CopyTo(buffer.AsSpan(written));
                written += consumed;
            }
            else
            {
                found?.Add((offset, InvalidUtf8.At(offset, 0, line.Slice(offset, consumed))));
                replacement.CopyTo(buffer.AsSpan(written));
                written += replacement.Length;
            }

            offset += consumed;
        }

        return buffer.AsSpan(0, written);
    }

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (IsBlank(line.Span))
            {
                continue;
            }

            _record++;
            if (Utf8.IsValid(line.Span))
            {
                Parse(line.Span);
            }
            else
            {
                ParseInvalidUtf8(line.Span);
            }

            return true;
        }

        return false;
    }

    private async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _lines.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new DataRecordException(new BadRecord(_path, _record + 1, _lines.LineNumber + 1, null, null, ex.Message), ex);
        }
    }

    /// <summary>A line that is not valid UTF-8: refused as malformed, or read with U+FFFD for each invalid sequence and counted.</summary>
    private void ParseInvalidUtf8(ReadOnlySpan<byte> line)
    {
        var found = new List<(int Offset, InvalidUtf8 Sequence)>();
        var repaired = Repair(line, ref _repaired, found);
        var first = found[0];
        var offset = _lines.LineOffset + first.Offset;
        var described = (first.Sequence with { ByteOffset = offset }).Describe();
        if (_invalidUtf8 == InvalidUtf8Handling.Replace && Report is { } report)
        {
            foreach (var (at, sequence) in found)
            {
                report.AddInvalidUtf8Replaced(new BadRecord(_path, _record, _lines.LineNumber, null, null, $"{(sequence with { ByteOffset = _lines.LineOffset + at }).Describe()}, read as U+FFFD"));
            }

            Parse(repaired);
            return;
        }

        Array.Clear(_row);
        _malformed = _invalidUtf8 == InvalidUtf8Handling.Replace
            ? $"{described}; pass a DataReadReport to read it as U+FFFD and count it"
            : described;
    }

    private void Parse(ReadOnlySpan<byte> line)
    {
        Array.Clear(_row);
        _malformed = null;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                _malformed = "the line is not a JSON object";
                return;
            }

            Span<char> nameBuffer = stackalloc char[256];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var ordinal = -1;
                var length = reader.HasValueSequence || reader.ValueSpan.Length > nameBuffer.Length ? -1 : reader.CopyString(nameBuffer);
                if (length >= 0 ? _ordinals.TryGetValue(nameBuffer[..length], out var o) : _ordinals.TryGetValue(reader.GetString()!, out o))
                {
                    ordinal = o;
                }

                reader.Read();
                if (ordinal < 0)
                {
                    reader.Skip();
                    continue;
                }

                _row[ordinal] = reader.TokenType switch
                {
                    JsonTokenType.Number => FieldValue.FromNumber(reader.GetDouble()),
                    JsonTokenType.String => FieldValue.FromText(ReadString(ref reader, _pools[ordinal])),
                    JsonTokenType.True => FieldValue.FromBoolean(true),
                    JsonTokenType.False => FieldValue.FromBoolean(false),
                    JsonTokenType.Null => FieldValue.Missing,
                    _ => throw new JsonException($"column '{_columns[ordinal]}' holds a nested {(reader.TokenType == JsonTokenType.StartArray ? "array" : "object")}; only scalar values can be read."),
                };
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                _malformed = "unexpected content after the JSON object";
            }
        }
        catch (JsonException ex)
        {
            _malformed = $"invalid JSON: {ex.Message}";
        }
    }

    private static string ReadString(ref Utf8JsonReader reader, StringPool pool)
    {
        Span<char> buffer = stackalloc char[StringPool.MaxLength];
        return !reader.HasValueSequence && reader.ValueSpan.Length <= StringPool.MaxLength
            ? pool.Get(buffer[..reader.CopyString(buffer)])
            : reader.GetString()!;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private static bool LooksLikeTimestamp(string s) =>
        s.Length >= 10 && char.IsAsciiDigit(s[0]) && s[4] == '-' && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    public override bool IsMissing(int ordinal) => _row[ordinal].IsMissing;

    public override string GetString(int ordinal) => _row[ordinal] switch
    {
        { Kind: FieldValueKind.Text } v => v.Text!,
        { Kind: FieldValueKind.Number } v => v.ToString(),
        var v => throw new FormatException($"expected text, found {Describe(v)}."),
    };

    public override double GetDouble(int ordinal) => _row[ordinal] switch
    {
        { Kind: FieldValueKind.Number } v => v.Number,
        var v => throw new FormatException($"expected a number, found {Describe(v)}."),
    };

    public override long GetInt64(int ordinal)
    {
        var d = GetDouble(ordinal);
        return d == Math.Floor(d) && Math.Abs(d) < 9.2e18 ? (long)d : throw new FormatException($"expected an integer, found {d.ToString("R", CultureInfo.InvariantCulture)}.");
    }

    public override bool GetBoolean(int ordinal) => _row[ordinal] switch
    {
        { Kind: FieldValueKind.Boolean } v => v.Boolean,
        var v => throw new FormatException($"expected true or false, found {Describe(v)}."),
    };

    public override DateTime GetDateTime(int ordinal) => _row[ordinal] switch
    {
        { Kind: FieldValueKind.Text } v => Text.ParseDateTime(v.Text, CultureInfo.InvariantCulture),
        var v => throw new FormatException($"expected a date/time string, found {Describe(v)}."),
    };

    public override DateTimeOffset GetDateTimeOffset(int ordinal) => _row[ordinal] switch
    {
        { Kind: FieldValueKind.Text } v => Text.ParseDateTimeOffset(v.Text, CultureInfo.InvariantCulture),
        var v => throw new FormatException($"expected a date/time string, found {Describe(v)}."),
    };

    public override string? GetRawText(int ordinal) => _row[ordinal].ToString();

    public override FieldKind GetColumnKind(int ordinal) => _kinds?[ordinal] ?? FieldKind.Text;

    public override FieldValue GetFieldValue(int ordinal)
    {
        var v = _row[ordinal];
        return GetColumnKind(ordinal) == FieldKind.Timestamp && v.Kind == FieldValueKind.Text
            && DateTime.TryParse(v.Text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t)
            ? FieldValue.FromTimestamp(t)
            : v;
    }

    private static string Describe(FieldValue v) => v.Kind switch
    {
        FieldValueKind.Text => "a string",
        FieldValueKind.Number => "a number",
        FieldValueKind.Boolean => "a Boolean",
        _ => "nothing",
    };

    public override ValueTask DisposeAsync() => _lines.DisposeAsync();
}
