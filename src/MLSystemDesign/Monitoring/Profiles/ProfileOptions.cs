using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// How big a profile's summaries are. Every option bounds the profile's size, whatever the row count. Validated by
/// <see cref="ProfileOptionsValidator"/> when a profile is built or read with them.
/// </summary>
public sealed class ProfileOptions
{
    /// <summary>Gets or sets the KLL sketch's k: rank error about 1.65 % of n at k = 200 (99 % confidence). Default 200; 8 to 65,536.</summary>
    [Range(8, 65_536)]
    public int SketchK { get; set; } = 200;

    /// <summary>Gets or sets how many values of each numeric feature are kept as a uniform sample for exact tests. Default 4,096; 16 to 1,000,000.</summary>
    [Range(16, 1_000_000)]
    public int ReservoirSize { get; set; } = 4096;

    /// <summary>Gets or sets how many categories of each categorical feature are counted; beyond it counts are approximate and go to "other". Default 1,000; 1 to 1,000,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxCategories { get; set; } = 1000;

    /// <summary>Gets or sets the seed of the sketches' and samples' random choices. Default 42.</summary>
    public int Seed { get; set; } = 42;
}

/// <summary>Validates <see cref="ProfileOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class ProfileOptionsValidator : IValidateOptions<ProfileOptions>;
