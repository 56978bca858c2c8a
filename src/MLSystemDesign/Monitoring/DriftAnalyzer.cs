using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MLSystemDesign.Features;

namespace MLSystemDesign.Monitoring;

/// <summary>How p-values are corrected when many features are tested at once.</summary>
public enum MultipleTestingCorrection
{
    /// <summary>No correction: each p-value against the significance level.</summary>
    None,

    /// <summary>Bonferroni: p · m (capped at 1), m the number of p-value tests.</summary>
    Bonferroni,

    /// <summary>Benjamini–Hochberg step-up adjusted p-values (controls the false discovery rate).</summary>
    BenjaminiHochberg,
}

/// <summary>Options of <see cref="DriftAnalyzer"/>. Defaults follow Evidently's automatic test choice. Validated by <see cref="DriftOptionsValidator"/> when an analyzer or monitor is created with them.</summary>
public sealed class DriftOptions
{
    /// <summary>Gets or sets the largest reference size (rows) for which statistical tests are chosen; above it, distances. Default 1,000; at least 0.</summary>
    [Range(0, int.MaxValue)]
    public int SmallSampleLimit { get; set; } = 1000;

    /// <summary>Gets or sets the most distinct values a numeric feature may have and still be treated as categorical. Default 5; at least 2.</summary>
    [Range(2, int.MaxValue)]
    public int CategoricalDistinctLimit { get; set; } = 5;

    /// <summary>Gets or sets the significance level of the automatically chosen p-value tests. Default 0.05; in (0, 1).</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double PValueThreshold { get; set; } = 0.05;

    /// <summary>Gets or sets the threshold of the automatically chosen distances. Default 0.1; above 0.</summary>
    [Range(typeof(double), "0", "Infinity", MinimumIsExclusive = true, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public double DistanceThreshold { get; set; } = 0.1;

    /// <summary>Gets or sets the share of drifted features from which the data set counts as drifted. Default 0.5; in (0, 1].</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double DriftShare { get; set; } = 0.5;

    /// <summary>Gets or sets the multiple-testing correction for p-value tests. Default none (as Evidently).</summary>
    [EnumDataType(typeof(MultipleTestingCorrection))]
    public MultipleTestingCorrection Correction { get; set; } = MultipleTestingCorrection.None;

    /// <summary>Gets or sets one test for every feature instead of the automatic choice (e.g. from <c>mlsd drift --test</c>).</summary>
    public IDriftDetector? Test { get; set; }

    /// <summary>Gets the tests chosen per feature, overriding both <see cref="Test"/> and the automatic choice.</summary>
    public IDictionary<string, IDriftDetector> FeatureTests { get; } = new Dictionary<string, IDriftDetector>(StringComparer.Ordinal);
}

/// <summary>Validates <see cref="DriftOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class DriftOptionsValidator : IValidateOptions<DriftOptions>;

/// <summary>The drift of a whole data set: one result per feature, the share that drifted and the verdict.</summary>
/// <param name="Columns">One result per feature, in order.</param>
/// <param name="DriftShare">The share of tested features that drifted.</param>
/// <param name="DatasetDrift">Whether the share reached <see cref="DriftOptions.DriftShare"/>.</param>
public sealed record DatasetDriftReport(IReadOnlyList<DriftTestResult> Columns, double DriftShare, bool DatasetDrift)
{
    /// <summary>Gets the features that drifted.</summary>
    public IEnumerable<string> DriftedFeatures => Columns.Where(c => c.Drift).Select(c => c.Feature);
}

/// <summary>
/// Compares many features at once: chooses a test per feature by Evidently's rule (unless overridden), corrects
/// p-values across features when asked, and decides data-set drift by the share of drifted features. Thread-safe.
/// </summary>
public sealed class DriftAnalyzer
{
    private readonly DriftOptions _options;

    /// <summary>Creates an analyzer.</summary>
    /// <param name="options">The options; defaults when omitted.</param>
    public DriftAnalyzer(DriftOptions? options = null)
    {
        _options = OptionsValidation.ThrowIfInvalid<DriftOptions, DriftOptionsValidator>(options ?? new DriftOptions());
    }

    /// <summary>
    /// Chooses the test for a feature by Evidently's rule. With at most <see cref="DriftOptions.SmallSampleLimit"/>
    /// reference rows: Z-test when the samples together hold at most two values; chi-squared for categorical features or
    /// numeric ones with at most <see cref="DriftOptions.CategoricalDistinctLimit"/> values; otherwise Kolmogorov–Smirnov
    /// (p &lt; 0.05). With more rows: normed Wasserstein for numeric features with more distinct values, Jensen–Shannon
    /// otherwise (threshold 0.1).
    /// </summary>
    /// <param name="reference">The reference sample.</param>
    /// <param name="current">The current sample.</param>
    /// <returns>The test.</returns>
    public IDriftDetector Choose(FeatureSample reference, FeatureSample current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (_options.FeatureTests.TryGetValue(current.Feature, out var chosen) || (chosen = _options.Test) is not null)
        {
            return chosen;
        }

        var distinct = DistinctCount(reference, current, _options.CategoricalDistinctLimit + 1);
        var numericLike = reference.Kind == RawFeatureKind.Numeric && distinct > _options.CategoricalDistinctLimit;
        if (reference.PopulationCount <= _options.SmallSampleLimit)
        {
            return numericLike ? DriftTests.KolmogorovSmirnov(_options.PValueThreshold)
                : distinct <= 2 ? DriftTests.ZTest(_options.PValueThreshold)
                : DriftTests.ChiSquared(_options.PValueThreshold, _options.CategoricalDistinctLimit);
        }

        return numericLike ? DriftTests.Wasserstein(_options.DistanceThreshold) : DriftTests.JensenShannon(_options.DistanceThreshold, bins: _options.CategoricalDistinctLimit);
    }

    /// <summary>Tests one feature with the chosen test, or reports a feature that cannot be tested (see <see cref="Analyze(IEnumerable{ValueTuple{FeatureSample, FeatureSample}})"/>).</summary>
    /// <param name="reference">The reference sample.</param>
    /// <param name="current">The current sample.</param>
    /// <returns>The result.</returns>
    public DriftTestResult TestFeature(FeatureSample reference, FeatureSample current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Count == 0)
        {
            return new DriftTestResult(current.Feature, "none", 0, null, 0, DriftThresholdKind.Distance, false,
                $"Not tested: the reference has no values of '{reference.Feature}' ({reference.MissingCount} missing).")
            { CurrentCount = current.Count };
        }

        if (current.Count == 0)
        {
            return new DriftTestResult(current.Feature, "missing", 1, null, 0, DriftThresholdKind.Distance, true,
                $"Every current value of '{current.Feature}' is missing ({current.MissingCount}), while the reference has {reference.Count} values.")
            { ReferenceCount = reference.Count };
        }

        return Choose(reference, current).Test(reference, current);
    }

    /// <summary>
    /// Tests every feature and decides data-set drift. A feature whose reference has no values is reported as test
    /// <c>none</c> (no drift); one whose current values are all missing as test <c>missing</c> (drift).
    /// </summary>
    /// <param name="features">Reference and current sample per feature.</param>
    /// <returns>The report.</returns>
    public DatasetDriftReport Analyze(IEnumerable<(FeatureSample Reference, FeatureSample Current)> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var results = features.Select(f => TestFeature(f.Reference, f.Current)).ToList();
        if (_options.Correction != MultipleTestingCorrection.None)
        {
            Correct(results);
        }

        var tested = results.Count(r => r.Test != "none");
        var drifted = results.Count(r => r.Drift);
        var share = tested == 0 ? 0 : (double)drifted / tested;
        return new DatasetDriftReport(results, share, tested > 0 && share >= _options.DriftShare);
    }

    /// <summary>Compares a current profile with a reference profile, feature by feature (samples and category counts).</summary>
    /// <param name="reference">The reference profile.</param>
    /// <param name="current">The current profile of the same features.</param>
    /// <returns>The report.</returns>
    /// <exception cref="KeyNotFoundException">The current profile lacks a feature of the reference.</exception>
    public DatasetDriftReport Analyze(ReferenceProfile reference, ReferenceProfile current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        return Analyze(reference.Features.Select(f => (f.ToSample(), current.Feature(f.Name).ToSample())));
    }

    private void Correct(List<DriftTestResult> results)
    {
        var pIndices = Enumerable.Range(0, results.Count).Where(i => results[i].PValue is not null).ToArray();
        var m = pIndices.Length;
        if (m == 0)
        {
            return;
        }

        var adjusted = new double[m];
        if (_options.Correction == MultipleTestingCorrection.Bonferroni)
        {
            for (var k = 0; k < m; k++)
            {
                adjusted[k] = Math.Min(1, results[pIndices[k]].PValue!.Value * m);
            }
        }
        else
        {
            adjusted = Experiments.MultipleTesting.BenjaminiHochberg(pIndices.Select(i => results[i].PValue!.Value).ToArray());
        }

        var method = _options.Correction == MultipleTestingCorrection.Bonferroni ? "Bonferroni" : "Benjamini–Hochberg";
        for (var k = 0; k < m; k++)
        {
            var r = results[pIndices[k]];
            var drift = adjusted[k] < r.Threshold;
            results[pIndices[k]] = r with
            {
                Drift = drift,
                Explanation = $"{r.Explanation} {method}-adjusted p = {DriftTests.Format(adjusted[k])} over {m} tests: {(drift ? "drift" : "no drift")}.",
                Details = new Dictionary<string, double>(r.Details) { ["p_adjusted"] = adjusted[k] },
            };
        }
    }

    private static int DistinctCount(FeatureSample reference, FeatureSample current, int stopAt)
    {
        if (reference.Kind == RawFeatureKind.Categorical)
        {
            return reference.Counts.Where(kv => kv.Value > 0).Select(kv => kv.Key).Union(current.Counts.Where(kv => kv.Value > 0).Select(kv => kv.Key)).Count();
        }

        var seen = new HashSet<double>();
        foreach (var v in reference.Values.Span)
        {
            if (seen.Add(v) && seen.Count >= stopAt)
            {
                return seen.Count;
            }
        }

        foreach (var v in current.Values.Span)
        {
            if (seen.Add(v) && seen.Count >= stopAt)
            {
                return seen.Count;
            }
        }

        return seen.Count;
    }
}
