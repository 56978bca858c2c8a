namespace MLSystemDesign.Data.Internal;

/// <summary>
/// Shares one string instance per distinct short value of a column. Categorical columns repeat a few values millions
/// of times; pooling them means records hold a handful of strings instead of one per row, which cuts memory and keeps
/// category lookups in cache. Bounded: values longer than <see cref="MaxLength"/> characters, and new values once the
/// pool holds <see cref="MaxEntries"/>, are returned as fresh strings. One pool per column per read; not thread-safe.
/// </summary>
internal sealed class StringPool
{
    public const int MaxLength = 64;
    public const int MaxEntries = 100_000;

    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public StringPool() => _bySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Gets the pooled string equal to <paramref name="value"/>, creating it only when it is new.</summary>
    public string Get(ReadOnlySpan<char> value)
    {
        if (value.Length > MaxLength)
        {
            return value.ToString();
        }

        if (_bySpan.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        var created = value.ToString();
        if (_strings.Count < MaxEntries)
        {
            _strings.Add(created);
        }

        return created;
    }

    /// <summary>Gets the pooled string equal to <paramref name="value"/>, pooling this instance when the value is new.</summary>
    public string Get(string value)
    {
        if (value.Length > MaxLength)
        {
            return value;
        }

        if (_strings.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        if (_strings.Count < MaxEntries)
        {
            _strings.Add(value);
        }

        return value;
    }
}
