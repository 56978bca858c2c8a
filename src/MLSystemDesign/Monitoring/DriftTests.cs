using System.Globalization;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring.Statistics;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// The batch drift tests. Each matches SciPy's definition (see each factory), takes a threshold, and returns a stateless
/// <see cref="IDriftDetector"/>. Category-based tests (chi-squared, Z, Jensen–Shannon, PSI, Hellinger) accept numeric
/// samples too: when the two samples together hold at most <c>bins</c> distinct values each value is a category,
/// otherwise values are binned at the reference's quantiles (numpy's linear quantiles at 1/bins, 2/bins, …; repeated
/// edges merged; a value equal to an edge falls in the bin above it).
/// </summary>
public static class DriftTests
{
    /// <summary>The short names of every test, as <see cref="Create"/> and <c>mlsd drift --test</c> accept them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["ks", "chi2", "z", "wasserstein", "js", "psi", "hellinger", "cvm"];

    /// <summary>Two-sample Kolmogorov–Smirnov, <c>scipy.stats.ks_2samp(ref, cur, method="auto")</c>; drift when p &lt; <paramref name="alpha"/>.</summary>
    /// <param name="alpha">The significance level. Default 0.05.</param>
    /// <returns>The detector.</returns>
    public static IDriftDetector KolmogorovSmirnov(double alpha = 0.05) => new KsDetector(CheckProbability(alpha));

    /// <summary>Chi-squared test of homogeneity on the 2 × k table, <c>scipy.stats.chi2_contingency(table, correction=False)</c>; drift when p &lt; <paramref name="alpha"/>.</summary>
    /// <param name="alpha">The significance level. Default 0.05.</param>
    /// <param name="bins">Bins for numeric samples with many distinct values. Default 10.</param>
    /// <returns>The detector.</returns>
    public static IDriftDetector ChiSquared(double alpha = 0.05, int bins = 10) => new ChiSquaredDetector(CheckProbability(alpha), CheckBins(bins));

    /// <summary>Two-proportion Z-test for a binary feature (at most two values in the two samples together); drift when p &lt; <paramref name="alpha"/>.</summary>
    /// <param name="alpha">The significance level. Default 0.05.</param>
    /// <returns>The detector.</returns>
    public static IDriftDetector ZTest(double alpha = 0.05) => new ZDetector(CheckProbability(alpha));

    /// <summary>
    /// Wasserstein-1 distance, <c>scipy.stats.wasserstein_distance(ref, cur)</c>, normed by the reference's population
    /// standard deviation floored at 0.001 (Evidently's rule); drift when the normed distance ≥ <paramref name="threshold"/>.
    /// The raw distance is in <see cref="DriftTestResult.Details"/> as <c>raw_distance</c>.
    /// </summary>
    /// <param name="threshold">The normed-distance threshold. Default 0.1.</param>
    /// <returns>The detector.</returns>
    public static IDriftDetector Wasserstein(double threshold = 0.1) => new WassersteinDetector(CheckPositive(threshold));

    /// <summary>Jensen–Shannon distance over category (or bin) frequencies, <c>scipy.spatial.distance.jensenshannon(p, q, base)</c>; drift when ≥ <paramref name="threshold"/>.</summary>
    /// <param name="threshold">The distance threshold. Default 0.1.</param>
    /// <param name="logBase">The logarithm's base; natural logarithm when omitted.</param>
    /// <param name="bins">Bins for numeric samples with many distinct values. Default 10.</param>
    /// <returns>The detector.</returns>
    public static IDriftDetector JensenShannon(double threshold = 0.1, double? logBase = null, int bins = 10)
    {
        if (logBase is { } b && !(b > 0 && b != 1))
        {
            throw new ArgumentOutOfRangeException(nameof(logBase), b, "The logarithm's base must be positive and not 1.");
        }

        return new BinnedDetector("js", CheckPositive(threshold), CheckBins(bins), (r, c) => TwoSampleTests.JensenShannon(r, c, logBase), "Jensen–Shannon distance");
    }

    /// <summary>
    /// Population Stability Index: categories as bins for categorical features, <paramref name="bins"/> bins at the
    /// reference's quantiles (deciles by default) for numeric ones; an empty bin's share replaced by 0.0001. Drift when
    /// PSI ≥ <paramref name="threshold"/>; the explanation names the band (below 0.1 none, 0.1–0.25 moderate, from 0.25 major).
    /// </summary>
    /// <param name="threshold">The PSI threshold. Default 0.1.</param>
    /// <param name="bins">Bins for numeric samples. Default 10.</param>
    /// <returns>The detector.</returns>
    public static IDriftDetector PopulationStabilityIndex(double threshold = 0.1, int bins = 10) =>
        new BinnedDetector("psi", CheckPositive(threshold), CheckBins(bins), (r, c) => TwoSampleTests.PopulationStabilityIndex(r, c), "PSI");

    /// <summary>Hellinger distance √(Σ(√r − √c)²)/√2 over category (or bin) frequencies; drift when ≥ <paramref name="threshold"/>.</summary>
    /// <param name="threshold">The distance threshold. Default 0.1.</param>
    /// <param name="bins">Bins for numeric samples with many distinct values. Default 10.</param>
    /// <returns>The detector.</returns>
    public static IDriftDetector Hellinger(double threshold = 0.1, int bins = 10) =>
        new BinnedDetector("hellinger", CheckPositive(threshold), CheckBins(bins), (r, c) => TwoSampleTests.Hellinger(r, c), "Hellinger distance");

    /// <summary>Two-sample Cramér–von Mises, <c>scipy.stats.cramervonmises_2samp(ref, cur)</c>; drift when p &lt; <paramref name="alpha"/>. Less sensitive than KS to a few outliers on large samples.</summary>
    /// <param name="alpha">The significance level. Default 0.05.</param>
    /// <returns>The detector.</returns>
    public static IDriftDetector CramerVonMises(double alpha = 0.05) => new CvmDetector(CheckProbability(alpha));

    /// <summary>Creates a test by its short name (see <see cref="Names"/>) with its default or a given threshold.</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <param name="threshold">The threshold (significance level or distance); the test's default when omitted.</param>
    /// <param name="bins">Bins for binned tests on numeric samples. Default 10.</param>
    /// <returns>The detector.</returns>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static IDriftDetector Create(string name, double? threshold = null, int bins = 10)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name.ToLowerInvariant() switch
        {
            "ks" => KolmogorovSmirnov(threshold ?? 0.05),
            "chi2" => ChiSquared(threshold ?? 0.05, bins),
            "z" => ZTest(threshold ?? 0.05),
            "wasserstein" => Wasserstein(threshold ?? 0.1),
            "js" => JensenShannon(threshold ?? 0.1, bins: bins),
            "psi" => PopulationStabilityIndex(threshold ?? 0.1, bins),
            "hellinger" => Hellinger(threshold ?? 0.1, bins),
            "cvm" => CramerVonMises(threshold ?? 0.05),
            _ => throw new ArgumentException($"Unknown drift test '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    private static double CheckProbability(double alpha) =>
        alpha is > 0 and < 1 ? alpha : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "A significance level lies strictly between 0 and 1.");

    private static double CheckPositive(double threshold) =>
        threshold > 0 && double.IsFinite(threshold) ? threshold : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "A distance threshold must be positive and finite.");

    private static int CheckBins(int bins) =>
        bins is >= 2 and <= 10_000 ? bins : throw new ArgumentOutOfRangeException(nameof(bins), bins, "Bins must be between 2 and 10,000.");

    internal static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    internal static void CheckPair(FeatureSample reference, FeatureSample current, string test)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Kind != current.Kind)
        {
            throw new ArgumentException($"Feature '{current.Feature}': the reference is {reference.Kind.ToString().ToLowerInvariant()} but the current sample is {current.Kind.ToString().ToLowerInvariant()}.");
        }

        if (reference.Count == 0 || current.Count == 0)
        {
            var which = reference.Count == 0 ? "reference" : "current";
            throw new ArgumentException($"Feature '{current.Feature}': the {which} sample has no values ({(reference.Count == 0 ? reference : current).MissingCount} missing); the {test} test needs at least one on each side.");
        }
    }

    internal static double[] Sorted(FeatureSample sample, string test)
    {
        if (sample.Kind != RawFeatureKind.Numeric)
        {
            throw new ArgumentException($"Feature '{sample.Feature}' is categorical; the {test} test compares numbers. Use chi2, z, js, psi or hellinger.");
        }

        var values = sample.Values.ToArray();
        DoubleSort.Sort(values);
        return values;
    }

    /// <summary>Aligns two samples as count vectors over shared categories or bins (see the type's remarks).</summary>
    internal static (double[] Reference, double[] Current, string[] Labels) Counts(FeatureSample reference, FeatureSample current, int bins)
    {
        if (reference.Kind == RawFeatureKind.Categorical)
        {
            var labels = reference.Counts.Where(kv => kv.Value > 0).Select(kv => kv.Key)
                .Union(current.Counts.Where(kv => kv.Value > 0).Select(kv => kv.Key), StringComparer.Ordinal)
                .Order(StringComparer.Ordinal).ToArray();
            return (labels.Select(l => (double)reference.Counts.GetValueOrDefault(l)).ToArray(), labels.Select(l => (double)current.Counts.GetValueOrDefault(l)).ToArray(), labels);
        }

        var r = Sorted(reference, "binned");
        var c = Sorted(current, "binned");
        var distinct = new SortedSet<double>(r);
        distinct.UnionWith(c);
        double[] edges;
        string[] names;
        if (distinct.Count <= bins)
        {
            // Each distinct value is its own bin: edges at every distinct value but the smallest.
            edges = distinct.Skip(1).ToArray();
            names = distinct.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        }
        else
        {
            edges = Enumerable.Range(1, bins - 1).Select(i => TwoSampleTests.Quantile(r, (double)i / bins)).Distinct().ToArray();
            names = Enumerable.Range(0, edges.Length + 1).Select(i => i == 0 ? $"< {Format(edges[0])}" : $">= {Format(edges[i - 1])}").ToArray();
        }

        return (Histogram(r, edges), Histogram(c, edges), names);
    }

    private static double[] Histogram(double[] sorted, double[] edges)
    {
        var counts = new double[edges.Length + 1];
        var bin = 0;
        foreach (var v in sorted)
        {
            while (bin < edges.Length && v >= edges[bin])
            {
                bin++;
            }

            counts[bin]++;
        }

        return counts;
    }

    private sealed class KsDetector(double alpha) : IDriftDetector
    {
        public DriftTestResult Test(FeatureSample reference, FeatureSample current)
        {
            CheckPair(reference, current, "ks");
            var (d, p, exact) = TwoSampleTests.KolmogorovSmirnov(Sorted(reference, "ks"), Sorted(current, "ks"));
            return PValueResult(reference, current, "ks", "Kolmogorov–Smirnov D", d, p, exact, alpha);
        }
    }

    private sealed class CvmDetector(double alpha) : IDriftDetector
    {
        public DriftTestResult Test(FeatureSample reference, FeatureSample current)
        {
            CheckPair(reference, current, "cvm");
            if (reference.Count < 2 || current.Count < 2)
            {
                throw new ArgumentException($"Feature '{current.Feature}': the Cramér–von Mises test needs at least two values on each side.");
            }

            var (t, p, exact) = TwoSampleTests.CramerVonMises(Sorted(reference, "cvm"), Sorted(current, "cvm"));
            return PValueResult(reference, current, "cvm", "Cramér–von Mises T", t, p, exact, alpha);
        }
    }

    private static DriftTestResult PValueResult(FeatureSample reference, FeatureSample current, string test, string title, double statistic, double p, bool exact, double alpha)
    {
        var drift = p < alpha;
        return new DriftTestResult(current.Feature, test, statistic, p, alpha, DriftThresholdKind.PValue, drift,
            $"{title} = {Format(statistic)}, p = {Format(p)} ({(exact ? "exact" : "asymptotic")}): {(drift ? "distributions differ" : "no significant difference")} at α = {Format(alpha)}.")
        {
            ReferenceCount = reference.Count,
            CurrentCount = current.Count,
        };
    }

    private sealed class WassersteinDetector(double threshold) : IDriftDetector
    {
        public DriftTestResult Test(FeatureSample reference, FeatureSample current)
        {
            CheckPair(reference, current, "wasserstein");
            var r = Sorted(reference, "wasserstein");
            var raw = TwoSampleTests.Wasserstein(r, Sorted(current, "wasserstein"));
            var sd = TwoSampleTests.PopulationStandardDeviation(r);
            var norm = Math.Max(sd, 0.001);
            var normed = raw / norm;
            var drift = normed >= threshold;
            return new DriftTestResult(current.Feature, "wasserstein", normed, null, threshold, DriftThresholdKind.Distance, drift,
                $"Wasserstein distance {Format(raw)} = {Format(normed)} reference standard deviations ({Format(sd)}): {(drift ? "drift" : "no drift")} at {Format(threshold)}.")
            {
                ReferenceCount = reference.Count,
                CurrentCount = current.Count,
                Details = new Dictionary<string, double> { ["raw_distance"] = raw, ["reference_std"] = sd },
            };
        }
    }

    private sealed class ChiSquaredDetector(double alpha, int bins) : IDriftDetector
    {
        public DriftTestResult Test(FeatureSample reference, FeatureSample current)
        {
            CheckPair(reference, current, "chi2");
            var (allR, allC, allLabels) = Counts(reference, current, bins);
            var keep = Enumerable.Range(0, allR.Length).Where(i => allR[i] + allC[i] > 0).ToArray();
            var (r, c, labels) = (keep.Select(i => allR[i]).ToArray(), keep.Select(i => allC[i]).ToArray(), keep.Select(i => allLabels[i]).ToArray());
            var (statistic, p, dof) = TwoSampleTests.ChiSquared(r, c);
            var drift = p < alpha;
            var unseen = labels.Where((_, i) => r[i] == 0).ToArray();
            return new DriftTestResult(current.Feature, "chi2", statistic, p, alpha, DriftThresholdKind.PValue, drift,
                $"Chi-squared = {Format(statistic)} on {dof} degrees of freedom, p = {Format(p)}: {(drift ? "category shares differ" : "no significant difference")} at α = {Format(alpha)}{Unseen(unseen)}.")
            {
                ReferenceCount = reference.Count,
                CurrentCount = current.Count,
                Details = new Dictionary<string, double> { ["degrees_of_freedom"] = dof, ["unseen_categories"] = unseen.Length },
            };
        }
    }

    private sealed class ZDetector(double alpha) : IDriftDetector
    {
        public DriftTestResult Test(FeatureSample reference, FeatureSample current)
        {
            CheckPair(reference, current, "z");
            var (r, c, labels) = Counts(reference, current, 2);
            if (labels.Length > 2)
            {
                throw new ArgumentException($"Feature '{current.Feature}' has {labels.Length} distinct values; the Z-test compares the share of one of two values. Use chi2.");
            }

            var (z, p) = TwoSampleTests.ZTest((long)r[0], (long)r.Sum(), (long)c[0], (long)c.Sum());
            var drift = p < alpha;
            return new DriftTestResult(current.Feature, "z", z, p, alpha, DriftThresholdKind.PValue, drift,
                $"Share of '{labels[0]}': {Format(r[0] / r.Sum())} in the reference, {Format(c[0] / c.Sum())} now; z = {Format(z)}, p = {Format(p)}: {(drift ? "shares differ" : "no significant difference")} at α = {Format(alpha)}.")
            {
                ReferenceCount = reference.Count,
                CurrentCount = current.Count,
            };
        }
    }

    private sealed class BinnedDetector(string name, double threshold, int bins, Func<double[], double[], double> measure, string title) : IDriftDetector
    {
        public DriftTestResult Test(FeatureSample reference, FeatureSample current)
        {
            CheckPair(reference, current, name);
            var (r, c, labels) = Counts(reference, current, bins);
            var value = measure(r, c);
            var drift = value >= threshold;
            var band = name == "psi" ? value < 0.1 ? " (below 0.1: no significant shift)" : value < 0.25 ? " (0.1–0.25: moderate shift)" : " (0.25 or more: major shift)" : string.Empty;
            var unseen = labels.Where((_, i) => r[i] == 0).ToArray();
            return new DriftTestResult(current.Feature, name, value, null, threshold, DriftThresholdKind.Distance, drift,
                $"{title} {Format(value)} over {labels.Length} {(reference.Kind == RawFeatureKind.Categorical ? "categories" : "bins")}{band}: {(drift ? "drift" : "no drift")} at {Format(threshold)}{Unseen(unseen)}.")
            {
                ReferenceCount = reference.Count,
                CurrentCount = current.Count,
                Details = new Dictionary<string, double> { ["bins"] = labels.Length, ["unseen_categories"] = unseen.Length },
            };
        }
    }

    private static string Unseen(string[] unseen) =>
        unseen.Length == 0 ? string.Empty : $"; {unseen.Length} value(s) never seen in the reference: {string.Join(", ", unseen.Take(5).Select(u => $"'{u}'"))}";
}
