namespace MLSystemDesign.Monitoring;

/// <summary>
/// A two-sample test on one raw feature: is the current sample drawn from the same distribution as the reference?
/// One method and a rich result, like <c>IHealthCheck</c>. Implementations are stateless and thread-safe.
/// </summary>
public interface IDriftDetector
{
    /// <summary>Compares the current sample of a feature with its reference sample.</summary>
    /// <param name="reference">The reference sample (training time).</param>
    /// <param name="current">The current sample (serving time). Must be of the same feature kind.</param>
    /// <returns>The test name, statistic, p-value where the test has one, threshold, drift flag and an explanation.</returns>
    /// <exception cref="ArgumentException">A sample is empty, or the samples are of different kinds, or the test does not apply to them.</exception>
    DriftTestResult Test(FeatureSample reference, FeatureSample current);
}

/// <summary>What a drift test decides by: a p-value below the threshold, or a distance at or above it.</summary>
public enum DriftThresholdKind
{
    /// <summary>Drift when the p-value is below the threshold (a significance level).</summary>
    PValue,

    /// <summary>Drift when the statistic (a distance) is at or above the threshold.</summary>
    Distance,
}

/// <summary>The outcome of one drift test on one feature.</summary>
/// <param name="Feature">The feature tested.</param>
/// <param name="Test">The test's short name: <c>ks</c>, <c>chi2</c>, <c>z</c>, <c>wasserstein</c>, <c>js</c>, <c>psi</c>, <c>hellinger</c>, <c>cvm</c>.</param>
/// <param name="Statistic">The test statistic or distance.</param>
/// <param name="PValue">The p-value, for tests that have one; otherwise <see langword="null"/>.</param>
/// <param name="Threshold">The significance level (p-value tests) or the distance threshold.</param>
/// <param name="ThresholdKind">How <paramref name="Threshold"/> is applied.</param>
/// <param name="Drift">Whether the test found drift.</param>
/// <param name="Explanation">One sentence a person can read: what was compared and what was found.</param>
public sealed record DriftTestResult(
    string Feature,
    string Test,
    double Statistic,
    double? PValue,
    double Threshold,
    DriftThresholdKind ThresholdKind,
    bool Drift,
    string Explanation)
{
    /// <summary>Gets the number of reference values the test used.</summary>
    public long ReferenceCount { get; init; }

    /// <summary>Gets the number of current values the test used.</summary>
    public long CurrentCount { get; init; }

    /// <summary>Gets further numbers a test reports, e.g. <c>raw_distance</c> (Wasserstein), <c>degrees_of_freedom</c> (chi-squared), <c>p_adjusted</c> (after a multiple-testing correction).</summary>
    public IReadOnlyDictionary<string, double> Details { get; init; } = new Dictionary<string, double>();
}
