namespace MLSystemDesign.Monitoring.Profiles;

/// <summary>
/// Category counts with a bounded number of counters (Misra–Gries, merged as in Agarwal et al., "Mergeable Summaries").
/// While no more than <see cref="Capacity"/> distinct categories have been seen the counts are exact; beyond that each
/// count is under-estimated by at most n/(capacity + 1), and what is not attributed to a counter is the "other" count.
/// </summary>
internal sealed class FrequentItems
{
    private readonly Dictionary<string, long> _counts;

    public FrequentItems(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _counts = new Dictionary<string, long>(Math.Min(capacity, 256), StringComparer.Ordinal);
    }

    public int Capacity { get; }

    public long Count { get; private set; }

    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Gets the values not attributed to any counter: n minus the counted values.</summary>
    public long OtherCount => Count - _counts.Values.Sum();

    /// <summary>Gets whether every count is exact (no counter was ever evicted).</summary>
    public bool IsExact { get; private set; } = true;

    public void Add(string category)
    {
        Count++;
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_counts, category);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot))
        {
            slot++;
            return;
        }

        if (_counts.Count < Capacity)
        {
            _counts[category] = 1;
            return;
        }

        // Decrement every counter (the new item's unit is discarded with them).
        IsExact = false;
        foreach (var key in _counts.Keys.ToArray())
        {
            if (--_counts[key] == 0)
            {
                _counts.Remove(key);
            }
        }
    }

    public void Merge(FrequentItems other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, count) in other._counts)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + count;
        }

        Count += other.Count;
        IsExact &= other.IsExact;
        Prune();
    }

    public static FrequentItems Restore(int capacity, long count, bool exact, IReadOnlyDictionary<string, long> counts)
    {
        var items = new FrequentItems(capacity) { Count = count, IsExact = exact };
        foreach (var (key, value) in counts)
        {
            if (value <= 0)
            {
                throw new FormatException($"Category '{key}' has a non-positive count ({value}).");
            }

            items._counts[key] = value;
        }

        if (items._counts.Values.Sum() > count)
        {
            throw new FormatException($"The category counts add up to more than the count ({count}).");
        }

        items.Prune();
        return items;
    }

    public FrequentItems Clone() => Restore(Capacity, Count, IsExact, _counts);

    private void Prune()
    {
        if (_counts.Count <= Capacity)
        {
            return;
        }

        // Subtract the (capacity + 1)-th largest count from every counter; drop those left at zero or below.
        IsExact = false;
        var threshold = _counts.Values.OrderByDescending(c => c).ElementAt(Capacity);
        foreach (var key in _counts.Keys.ToArray())
        {
            var reduced = _counts[key] - threshold;
            if (reduced <= 0)
            {
                _counts.Remove(key);
            }
            else
            {
                _counts[key] = reduced;
            }
        }
    }
}
