namespace MLSystemDesign.Monitoring;

/// <summary>How big a profile's summaries are. Every option bounds the profile's size, whatever the row count.</summary>
public sealed class ProfileOptions
{
    /// <summary>Gets or sets the KLL sketch's k: rank error about 1.65 % of n at k = 200 (99 % confidence). Default 200; 8 to 65,536.</summary>
    public int SketchK { get; set; } = 200;

    /// <summary>Gets or sets how many values of each numeric feature are kept as a uniform sample for exact tests. Default 4,096; 16 to 1,000,000.</summary>
    public int ReservoirSize { get; set; } = 4096;

    /// <summary>Gets or sets how many categories of each categorical feature are counted; beyond it counts are approximate and go to "other". Default 1,000; 1 to 1,000,000.</summary>
    public int MaxCategories { get; set; } = 1000;

    /// <summary>Gets or sets the seed of the sketches' and samples' random choices. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its documented range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SketchK, 8, nameof(SketchK));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SketchK, 65_536, nameof(SketchK));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReservoirSize, 16, nameof(ReservoirSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ReservoirSize, 1_000_000, nameof(ReservoirSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCategories, 1, nameof(MaxCategories));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxCategories, 1_000_000, nameof(MaxCategories));
    }
}
