namespace MLSystemDesign.Monitoring.Profiles;

/// <summary>
/// The KLL quantile sketch (Karnin, Lang and Liberty 2016): a stack of compactors, level h holding items of weight 2^h,
/// level capacities shrinking by c = 2/3 towards the bottom. Mergeable; the total weight equals the count exactly; the
/// rank error is at most ε·n with high probability, ε ≈ 1.65 % for k = 200 (99 % confidence, Apache DataSketches'
/// published figure for this k). The coin flips come from a seeded generator, so a sketch is reproducible.
/// </summary>
internal sealed class KllSketch
{
    private const double C = 2.0 / 3.0;
    private readonly List<double[]> _levels = [];
    private readonly List<int> _lengths = [];
    private SplitMix64 _random;
    private int _size;
    private int _maxSize;

    public KllSketch(int k, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 8);
        K = k;
        _random = new SplitMix64(seed);
        Grow();
    }

    public int K { get; }

    public long Count { get; private set; }

    public int LevelCount => _levels.Count;

    public ulong RandomState => _random.State;

    public void Update(double value)
    {
        Append(0, value);
        Count++;
        if (++_size >= _maxSize)
        {
            Compress();
        }
    }

    public void Merge(KllSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        while (_levels.Count < other._levels.Count)
        {
            Grow();
        }

        for (var h = 0; h < other._levels.Count; h++)
        {
            var source = other._levels[h];
            for (var i = 0; i < other._lengths[h]; i++)
            {
                Append(h, source[i]);
            }
        }

        Count += other.Count;
        _size = _lengths.Sum();
        while (_size >= _maxSize)
        {
            Compress();
        }
    }

    /// <summary>The estimated number of values at or below <paramref name="value"/>.</summary>
    public double Rank(double value)
    {
        double rank = 0;
        for (var h = 0; h < _levels.Count; h++)
        {
            var level = _levels[h];
            var weight = Math.ScaleB(1.0, h);
            for (var i = 0; i < _lengths[h]; i++)
            {
                if (level[i] <= value)
                {
                    rank += weight;
                }
            }
        }

        return rank;
    }

    /// <summary>The smallest retained value whose estimated rank reaches q·n.</summary>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var items = new List<(double Value, double Weight)>(_size);
        for (var h = 0; h < _levels.Count; h++)
        {
            var weight = Math.ScaleB(1.0, h);
            for (var i = 0; i < _lengths[h]; i++)
            {
                items.Add((_levels[h][i], weight));
            }
        }

        items.Sort((a, b) => a.Value.CompareTo(b.Value));
        var target = Math.Clamp(q, 0, 1) * Count;
        double cumulative = 0;
        foreach (var (value, weight) in items)
        {
            cumulative += weight;
            if (cumulative >= target)
            {
                return value;
            }
        }

        return items[^1].Value;
    }

    public IReadOnlyList<double[]> Levels()
    {
        var result = new double[_levels.Count][];
        for (var h = 0; h < _levels.Count; h++)
        {
            result[h] = _levels[h].AsSpan(0, _lengths[h]).ToArray();
        }

        return result;
    }

    public static KllSketch Restore(int k, long count, ulong randomState, IReadOnlyList<double[]> levels)
    {
        var sketch = new KllSketch(k, 0) { Count = count };
        sketch._random = new SplitMix64(randomState);
        while (sketch._levels.Count < levels.Count)
        {
            sketch.Grow();
        }

        long weight = 0;
        for (var h = 0; h < levels.Count; h++)
        {
            foreach (var v in levels[h])
            {
                if (double.IsNaN(v))
                {
                    throw new FormatException("A quantile sketch holds NaN.");
                }

                sketch.Append(h, v);
            }

            weight += (long)levels[h].Length << h;
        }

        if (weight != count)
        {
            throw new FormatException($"The quantile sketch's weights add up to {weight}, but its count is {count}.");
        }

        sketch._size = sketch._lengths.Sum();
        while (sketch._size >= sketch._maxSize)
        {
            sketch.Compress();
        }

        return sketch;
    }

    public KllSketch Clone() => Restore(K, Count, _random.State, Levels());

    private int Capacity(int height)
    {
        var depth = _levels.Count - height - 1;
        return (int)Math.Ceiling(Math.Pow(C, depth) * K) + 1;
    }

    private void Grow()
    {
        _levels.Add(new double[16]);
        _lengths.Add(0);
        _maxSize = 0;
        for (var h = 0; h < _levels.Count; h++)
        {
            _maxSize += Capacity(h);
        }
    }

    private void Append(int level, double value)
    {
        var buffer = _levels[level];
        var length = _lengths[level];
        if (length == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
            _levels[level] = buffer;
        }

        buffer[length] = value;
        _lengths[level] = length + 1;
    }

    private void Compress()
    {
        for (var h = 0; h < _levels.Count; h++)
        {
            if (_lengths[h] >= Capacity(h))
            {
                if (h + 1 >= _levels.Count)
                {
                    Grow();
                }

                CompactInto(h);
                _size = _lengths.Sum();
                if (_size < _maxSize)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Sorts level h, promotes every other item (random offset) to level h + 1, keeps an odd leftover.</summary>
    private void CompactInto(int h)
    {
        var buffer = _levels[h];
        var length = _lengths[h];
        Array.Sort(buffer, 0, length);
        var pairs = length / 2;
        var offset = _random.NextBool() ? 1 : 0;
        // Items are paired from the top, as in the reference implementation: the smallest stays behind when odd.
        var start = length - 2 * pairs;
        for (var p = 0; p < pairs; p++)
        {
            Append(h + 1, buffer[start + 2 * p + offset]);
        }

        _lengths[h] = start;
    }
}
