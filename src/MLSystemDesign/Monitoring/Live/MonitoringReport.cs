using MLSystemDesign.Expectations;

namespace MLSystemDesign.Monitoring;

/// <summary>What one closed window showed: drift per feature and of the model's output, live data validation, and estimated performance.</summary>
public sealed record MonitoringReport
{
    /// <summary>Gets the model's name.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the window's number, from 0.</summary>
    public required long Window { get; init; }

    /// <summary>Gets when the window's first record was sampled.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Gets when the window closed.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Gets the number of sampled records in the window.</summary>
    public required long RecordCount { get; init; }

    /// <summary>Gets how many sampled records were dropped (queue full) while the window was open.</summary>
    public required long DroppedCount { get; init; }

    /// <summary>Gets whether the window was too small to compare (then drift, output drift and performance are empty).</summary>
    public bool Skipped { get; init; }

    /// <summary>Gets the drift of the raw features against the reference.</summary>
    public required DatasetDriftReport Drift { get; init; }

    /// <summary>Gets the drift of the model's output (the probability, or the score) against the reference, when the reference profiled outputs.</summary>
    public DriftTestResult? OutputDrift { get; init; }

    /// <summary>Gets the live validation of each raw feature against the reference: missing, out of range, unseen categories.</summary>
    public required IReadOnlyList<FeatureValidation> Validation { get; init; }

    /// <summary>Gets the expectation suite's report on the window's records, when the monitor was given a suite.</summary>
    public ValidationReport? Expectations { get; init; }

    /// <summary>Gets the CBPE-estimated metrics, when the reference has a performance reference and the outputs hold a probability.</summary>
    public IReadOnlyDictionary<string, double>? EstimatedPerformance { get; init; }

    /// <summary>Gets the estimated metrics that left their reference band (decay alerts).</summary>
    public IReadOnlyList<string> DecayAlerts { get; init; } = [];

    /// <summary>Gets whether anything needs attention: data-set drift, output drift, or a decay alert.</summary>
    public bool NeedsAttention => !Skipped && (Drift.DatasetDrift || OutputDrift?.Drift == true || DecayAlerts.Count > 0);
}

/// <summary>Counts and rates of one raw feature's live values that break what the reference showed.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Count">Values seen in the window.</param>
/// <param name="Missing">Missing values.</param>
/// <param name="BelowRange">Numbers below the reference's minimum.</param>
/// <param name="AboveRange">Numbers above the reference's maximum.</param>
/// <param name="UnseenCategories">Categories the reference never held (only when its category counts are exact).</param>
public sealed record FeatureValidation(string Feature, long Count, long Missing, long BelowRange, long AboveRange, long UnseenCategories)
{
    /// <summary>Gets the missing share.</summary>
    public double MissingRate => Count == 0 ? 0 : (double)Missing / Count;

    /// <summary>Gets the share of values outside the reference's range.</summary>
    public double OutOfRangeRate => Count == 0 ? 0 : (double)(BelowRange + AboveRange) / Count;

    /// <summary>Gets the share of values in categories the reference never held.</summary>
    public double UnseenRate => Count == 0 ? 0 : (double)UnseenCategories / Count;
}

/// <summary>Realized metrics of one window and model version, from delayed outcomes joined by prediction id.</summary>
/// <param name="Window">The window.</param>
/// <param name="ModelVersion">The model version that made the predictions ("" when none was given).</param>
/// <param name="Joined">How many predictions have their outcome.</param>
/// <param name="Metrics">The metrics over the joined predictions (empty while none are joined).</param>
/// <param name="DecayAlerts">The metrics outside their reference band.</param>
public sealed record RealizedPerformance(long Window, string ModelVersion, long Joined, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<string> DecayAlerts);
