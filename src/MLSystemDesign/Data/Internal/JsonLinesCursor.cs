using System.Globalization;
using System.Text.Json;

namespace MLSystemDesign.Data.Internal;

/// <summary>
/// A cursor over a JSON Lines file: one JSON object per line, blank lines ignored. A property absent from a line is a
/// missing value; properties that are not columns are skipped. Values convert strictly: a number is read where a number
/// is expected, a string where text or a timestamp is expected (numbers are also accepted as text).
/// </summary>
internal sealed class JsonLinesCursor : RecordCursor
{
    private readonly Utf8LineReader _lines;
    private readonly string[] _columns;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ordinals;
    private readonly FieldValue[] _row;
    private FieldKind[]? _kinds;
    private string? _malformed;
    private long _record;

    private JsonLinesCursor(Utf8LineReader lines, string[] columns)
    {
        _lines = lines;
        _columns = columns;
        var ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Length; i++)
        {
            ordinals.TryAdd(columns[i], i);
        }

        _ordinals = ordinals.GetAlternateLookup<ReadOnlySpan<char>>();
        _row = new FieldValue[columns.Length];
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
            var tabular = Open(path, columns);
            tabular._kinds = kinds;
            return tabular;
        }

        var cursor = Open(path, members.Select(m => m.Column).ToArray());
        cursor._kinds = members.Select(m => m.Kind).ToArray();
        return cursor;
    };

    private static JsonLinesCursor Open(string path, IReadOnlyList<string> columns) =>
        new(new Utf8LineReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous)), columns.ToArray());

    /// <summary>Discovers the columns (in order of first appearance) and their kinds from the first <paramref name="rows"/> lines.</summary>
    private static async ValueTask<(string[] Columns, FieldKind[] Kinds)> DiscoverAsync(string path, int rows, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var kinds = new List<FieldKind?>();
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var lines = new Utf8LineReader(File.OpenRead(path));
        await using var linesScope = lines.ConfigureAwait(false);
        var n = 0;
        while (n < rows && await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (IsBlank(line.Span))
            {
                continue;
            }

            n++;
            try
            {
                var reader = new Utf8JsonReader(line.Span);
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

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (await _lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (IsBlank(line.Span))
            {
                continue;
            }

            _record++;
            Parse(line.Span);
            return true;
        }

        return false;
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
                    JsonTokenType.String => FieldValue.FromText(reader.GetString()),
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
