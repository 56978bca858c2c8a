using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// Options of a <see cref="ModelMonitor{T}"/>; validated by <see cref="ModelMonitorOptionsValidator"/> (the drift options
/// too) when the host starts and when a monitor is created with them. A registered monitor's options are named by the
/// monitor's name (<c>IOptionsMonitor&lt;ModelMonitorOptions&gt;.Get(name)</c>), so each monitor has its own and they
/// bind from configuration as named options do (<c>services.Configure&lt;ModelMonitorOptions&gt;(name, section)</c>).
/// </summary>
public sealed class ModelMonitorOptions : IValidatableObject
{
    /// <summary>Gets or sets the share of observed predictions that are sampled (every 1/rate-th one). Default 1; in (0, 1].</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double SampleRate { get; set; } = 1.0;

    /// <summary>Gets or sets how many sampled predictions may wait for the monitor; beyond that they are dropped and counted. Default 16,384; 16 to 16,777,216 (rounded up to a power of two).</summary>
    [Range(16, 1 << 24)]
    public int QueueCapacity { get; set; } = 16_384;

    /// <summary>Gets or sets the records per tumbling window; 0 to close windows by time only. Default 10,000; at least 0.</summary>
    [Range(0, int.MaxValue)]
    public int WindowSize { get; set; } = 10_000;

    /// <summary>Gets or sets the length of a tumbling window in time (by <see cref="TimeProvider"/>); none to close windows by count only. Default none; above 0, at most 366 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "366.00:00:00", MinimumIsExclusive = true, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan? WindowDuration { get; set; }

    /// <summary>Gets or sets the fewest records a window needs to be compared; smaller windows are reported as skipped. Default 30; at least 2.</summary>
    [Range(2, int.MaxValue)]
    public int MinWindowRecords { get; set; } = 30;

    /// <summary>Gets or sets how often the hosted service processes sampled records and closes due windows. Default 1 second; above 0, at most 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", MinimumIsExclusive = true, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many predictions wait for a delayed outcome; the oldest are forgotten (and counted) beyond it. Default 1,000,000; at least 0.</summary>
    [Range(0, int.MaxValue)]
    public int MaxPendingOutcomes { get; set; } = 1_000_000;

    /// <summary>Gets or sets how many reports the event stream holds for a slow reader before the oldest are dropped. Default 256; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int ReportBufferSize { get; set; } = 256;

    /// <summary>Gets the drift options: test choice, thresholds, drift share, correction. Validated with the monitor's options.</summary>
    [Required]
    [ValidateObjectMembers]
    public DriftOptions Drift { get; set; } = new();

    /// <summary>A window needs a size, a duration, or both.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (WindowSize == 0 && WindowDuration is null)
        {
            yield return new ValidationResult("Give a window size, a window duration, or both: WindowSize is 0 and WindowDuration is not set.", [nameof(WindowSize), nameof(WindowDuration)]);
        }
    }
}

/// <summary>Validates <see cref="ModelMonitorOptions"/> and its <see cref="ModelMonitorOptions.Drift"/> (generated from their data annotations).</summary>
[OptionsValidator]
internal sealed partial class ModelMonitorOptionsValidator : IValidateOptions<ModelMonitorOptions>;
