using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Monitoring;

/// <summary>Options of ADWIN. Defaults are River's (<c>drift.ADWIN</c>). Validated when a detector is created with them.</summary>
public sealed class AdwinOptions
{
    /// <summary>Gets or sets the confidence δ of a cut. Default 0.002; in (0, 1).</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double Delta { get; set; } = 0.002;

    /// <summary>Gets or sets how often (in values) cuts are checked. Default 32; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int Clock { get; set; } = 32;

    /// <summary>Gets or sets how many buckets of each size are kept before two merge. Default 5; at least 2.</summary>
    [Range(2, int.MaxValue)]
    public int MaxBuckets { get; set; } = 5;

    /// <summary>Gets or sets the smallest size of either sub-window at a cut. Default 5; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int MinWindowLength { get; set; } = 5;

    /// <summary>Gets or sets how many values are read before the first check. Default 10; at least 0.</summary>
    [Range(0, int.MaxValue)]
    public int GracePeriod { get; set; } = 10;
}

/// <summary>Whether Page-Hinkley looks for the mean going up, down or both.</summary>
public enum PageHinkleyMode
{
    /// <summary>Increases and decreases.</summary>
    Both,

    /// <summary>Increases only (e.g. an error rate).</summary>
    Up,

    /// <summary>Decreases only.</summary>
    Down,
}

/// <summary>Options of Page-Hinkley. Defaults are River's (<c>drift.PageHinkley</c>). Validated when a detector is created with them.</summary>
public sealed class PageHinkleyOptions
{
    /// <summary>Gets or sets how many values are read before a drift can be signalled. Default 30; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int MinInstances { get; set; } = 30;

    /// <summary>Gets or sets the tolerated change δ per value. Default 0.005; at least 0.</summary>
    [Range(typeof(double), "0", "Infinity", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public double Delta { get; set; } = 0.005;

    /// <summary>Gets or sets the alarm threshold λ. Default 50; above 0.</summary>
    [Range(typeof(double), "0", "Infinity", MinimumIsExclusive = true, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public double Threshold { get; set; } = 50;

    /// <summary>Gets or sets the forgetting factor α of the cumulative sums. Default 0.9999; in (0, 1].</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double Alpha { get; set; } = 1 - 0.0001;

    /// <summary>Gets or sets the direction watched. Default both.</summary>
    [EnumDataType(typeof(PageHinkleyMode))]
    public PageHinkleyMode Mode { get; set; } = PageHinkleyMode.Both;
}

/// <summary>Options of DDM. Defaults are River's (<c>drift.binary.DDM</c>). Validated when a detector is created with them.</summary>
public sealed class DdmOptions : IValidatableObject
{
    /// <summary>Gets or sets how many values are read before warnings and drifts. Default 30; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int WarmStart { get; set; } = 30;

    /// <summary>Gets or sets the warning level in standard deviations. Default 2; above 0.</summary>
    [Range(typeof(double), "0", "Infinity", MinimumIsExclusive = true, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public double WarningThreshold { get; set; } = 2.0;

    /// <summary>Gets or sets the drift level in standard deviations. Default 3; not below the warning level.</summary>
    public double DriftThreshold { get; set; } = 3.0;

    /// <summary>The drift level is not below the warning level.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!(DriftThreshold >= WarningThreshold))
        {
            yield return new ValidationResult($"DriftThreshold ({DriftThreshold}) must not be below WarningThreshold ({WarningThreshold}).", [nameof(DriftThreshold)]);
        }
    }
}

/// <summary>Options of KSWIN. Defaults are River's (<c>drift.KSWIN</c>). Validated when a detector is created with them.</summary>
public sealed class KswinOptions : IValidatableObject
{
    /// <summary>Gets or sets the significance level of the KS test. Default 0.005; in (0, 1).</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double Alpha { get; set; } = 0.005;

    /// <summary>Gets or sets the sliding window's size. Default 100; at least twice <see cref="StatSize"/>.</summary>
    public int WindowSize { get; set; } = 100;

    /// <summary>Gets or sets how many of the newest values are tested against as many drawn from the rest. Default 30; at least 2, at most half the window.</summary>
    [Range(2, int.MaxValue / 2)]
    public int StatSize { get; set; } = 30;

    /// <summary>Gets or sets the seed of the draws. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The window holds the two samples without overlap.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (WindowSize < 2 * (long)StatSize)
        {
            yield return new ValidationResult($"WindowSize ({WindowSize}) must be at least twice StatSize ({2L * StatSize}) so the two samples do not overlap.", [nameof(WindowSize)]);
        }
    }
}

/// <summary>Validates <see cref="AdwinOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class AdwinOptionsValidator : IValidateOptions<AdwinOptions>;

/// <summary>Validates <see cref="PageHinkleyOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class PageHinkleyOptionsValidator : IValidateOptions<PageHinkleyOptions>;

/// <summary>Validates <see cref="DdmOptions"/> (generated from its data annotations and its cross-field rule).</summary>
[OptionsValidator]
internal sealed partial class DdmOptionsValidator : IValidateOptions<DdmOptions>;

/// <summary>Validates <see cref="KswinOptions"/> (generated from its data annotations and its cross-field rule).</summary>
[OptionsValidator]
internal sealed partial class KswinOptionsValidator : IValidateOptions<KswinOptions>;
