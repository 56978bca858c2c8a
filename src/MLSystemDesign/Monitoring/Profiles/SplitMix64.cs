namespace MLSystemDesign.Monitoring.Profiles;

/// <summary>A tiny seeded generator whose whole state is one <see cref="ulong"/>, so sketches can save and resume it.</summary>
internal struct SplitMix64(ulong state)
{
    public ulong State = state;

    public ulong NextULong()
    {
        var z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public bool NextBool() => (NextULong() >> 63) != 0;
}
