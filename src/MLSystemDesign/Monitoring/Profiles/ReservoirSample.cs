namespace MLSystemDesign.Monitoring.Profiles;

/// <summary>
/// A uniform random sample of at most <see cref="Capacity"/> values of a stream (Li's Algorithm L: one random draw per
/// kept value, not per value seen). Merging two reservoirs draws a weighted sample of their union (each kept value
/// standing for n/|sample| values of its side; Efraimidis–Spirakis keys), so the merged sample stays uniform.
/// </summary>
internal sealed class ReservoirSample
{
    private readonly double[] _values;
    private SplitMix64 _random;
    private double _w;
    private long _nextIndex;

    public ReservoirSample(int capacity, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _values = new double[capacity];
        _random = new SplitMix64(seed);
        _w = Math.Exp(Math.Log(NextOpen()) / capacity);
        _nextIndex = capacity + (long)Math.Floor(Math.Log(NextOpen()) / Math.Log(1 - _w));
    }

    public int Capacity { get; }

    public long Seen { get; private set; }

    public int Length => (int)Math.Min(Seen, Capacity);

    public ReadOnlySpan<double> Values => _values.AsSpan(0, Length);

    public ulong RandomState => _random.State;

    /// <summary>Gets Algorithm L's running weight (saved so a reloaded sample continues exactly).</summary>
    public double SkipWeight => _w;

    /// <summary>Gets the position of the next replacement (saved so a reloaded sample continues exactly).</summary>
    public long NextIndex => _nextIndex;

    public void Add(double value)
    {
        if (Seen < Capacity)
        {
            _values[Seen++] = value;
            return;
        }

        if (Seen == _nextIndex)
        {
            _values[(int)(_random.NextULong() % (ulong)Capacity)] = value;
            _w *= Math.Exp(Math.Log(NextOpen()) / Capacity);
            _nextIndex += 1 + (long)Math.Floor(Math.Log(NextOpen()) / Math.Log(1 - _w));
        }

        Seen++;
    }

    public ReservoirSample Merge(ReservoirSample other, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(other);
        var merged = new ReservoirSample(Math.Max(Capacity, other.Capacity), seed);
        var total = Seen + other.Seen;
        if (Length + other.Length <= merged.Capacity)
        {
            Values.CopyTo(merged._values);
            other.Values.CopyTo(merged._values.AsSpan(Length));
        }
        else
        {
            // Keys u^(1/w): the largest 'capacity' keys win; w is how many stream values a kept value stands for.
            var keyed = new List<(double Key, double Value)>(Length + other.Length);
            AddKeys(keyed, this, ref merged._random);
            AddKeys(keyed, other, ref merged._random);
            keyed.Sort((a, b) => b.Key.CompareTo(a.Key));
            for (var i = 0; i < merged.Capacity; i++)
            {
                merged._values[i] = keyed[i].Value;
            }
        }

        merged.Seen = total;
        merged.ResetSkip();
        return merged;
    }

    public static ReservoirSample Restore(int capacity, long seen, ulong randomState, double[] values, double? skipWeight = null, long? nextIndex = null)
    {
        if (values.Length != Math.Min(seen, capacity))
        {
            throw new FormatException($"A reservoir of capacity {capacity} that saw {seen} values must hold {Math.Min(seen, capacity)}, not {values.Length}.");
        }

        var sample = new ReservoirSample(capacity, randomState);
        values.CopyTo(sample._values, 0);
        sample.Seen = seen;
        if (skipWeight is { } w && nextIndex is { } next && w is > 0 and < 1 && next >= Math.Max(seen, capacity))
        {
            sample._w = w;
            sample._nextIndex = next;
        }
        else
        {
            sample.ResetSkip();
        }

        sample._random = new SplitMix64(randomState);
        return sample;
    }

    public ReservoirSample Clone() => Restore(Capacity, Seen, _random.State, Values.ToArray(), _w, _nextIndex);

    private static void AddKeys(List<(double Key, double Value)> keyed, ReservoirSample sample, ref SplitMix64 random)
    {
        var weight = (double)sample.Seen / sample.Length;
        foreach (var v in sample.Values)
        {
            keyed.Add((Math.Log(1 - random.NextDouble()) / weight, v));
        }
    }

    private void ResetSkip()
    {
        // Resume Algorithm L from the current position: the next replacement comes after a fresh geometric skip.
        _w = Math.Exp(Math.Log(NextOpen()) / Capacity);
        if (Seen >= Capacity)
        {
            _w = Math.Pow(NextOpen(), 1.0 / Capacity) * ((double)Capacity / Seen);
            _w = Math.Clamp(_w, double.Epsilon, 1 - 1e-16);
        }

        _nextIndex = Math.Max(Seen, Capacity) + (long)Math.Floor(Math.Log(NextOpen()) / Math.Log(1 - _w));
    }

    private double NextOpen()
    {
        double u;
        do
        {
            u = _random.NextDouble();
        }
        while (u == 0);
        return u;
    }
}
