using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Experiments;

/// <summary>Options of an <see cref="ExperimentAnalysis"/>.</summary>
public sealed class ExperimentAnalysisOptions
{
    /// <summary>Gets or sets the test (see <see cref="ExperimentTestNames"/>). Default <c>welch</c>, which suits any metric.</summary>
    public string Test { get; set; } = ExperimentTestNames.Welch;

    /// <summary>Gets or sets the control arm's name. Default: an arm named <c>control</c> when there is one, otherwise the first arm.</summary>
    public string? Control { get; set; }

    /// <summary>Gets or sets the intended share of each arm by name, for the sample-ratio check. Default: an equal split.</summary>
    public IReadOnlyDictionary<string, double>? Weights { get; set; }

    /// <summary>Gets or sets the confidence level of the intervals. Default 0.95; between 0 and 1, exclusive.</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double Confidence { get; set; } = 0.95;

    /// <summary>Gets or sets the alternative. Default two-sided.</summary>
    [EnumDataType(typeof(Alternative))]
    public Alternative Alternative { get; set; } = Alternative.TwoSided;

    /// <summary>Gets or sets the p-value below which the split is a sample-ratio mismatch. Default 0.001; between 0 and 1, exclusive.</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double SampleRatioThreshold { get; set; } = SampleRatioMismatch.DefaultThreshold;

    /// <summary>Gets or sets the resamples of the bootstrap test. Default 2,000; 1 to 1,000,000.</summary>
    [Range(1, 1_000_000)]
    public int BootstrapResamples { get; set; } = 2000;

    /// <summary>Gets or sets the bootstrap's seed. Default 0.</summary>
    public ulong Seed { get; set; }
}

/// <summary>Validates <see cref="ExperimentAnalysisOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class ExperimentAnalysisOptionsValidator : IValidateOptions<ExperimentAnalysisOptions>;

/// <summary>One arm's size, mean and standard deviation.</summary>
/// <param name="Arm">The arm's name.</param>
/// <param name="Count">Its number of units.</param>
/// <param name="Mean">The metric's mean.</param>
/// <param name="StandardDeviation">The metric's sample standard deviation.</param>
public sealed record ArmSummary(string Arm, long Count, double Mean, double StandardDeviation);

/// <summary>One treatment arm against the control.</summary>
/// <param name="Treatment">The treatment arm's name.</param>
/// <param name="Result">The test's result.</param>
/// <param name="AdjustedPValue">The Benjamini–Hochberg adjusted p-value over every treatment arm (equal to the p-value with one treatment).</param>
public sealed record ArmComparison(string Treatment, StatisticalTestResult Result, double AdjustedPValue);

/// <summary>The analysis of an experiment: per-arm summaries, each treatment against the control, and the sample-ratio check.</summary>
/// <param name="Test">The test used.</param>
/// <param name="Control">The control arm.</param>
/// <param name="Arms">Every arm, the control first.</param>
/// <param name="Comparisons">Each treatment arm against the control.</param>
/// <param name="SampleRatio">The sample-ratio check over every arm.</param>
public sealed record ExperimentReport(string Test, string Control, IReadOnlyList<ArmSummary> Arms, IReadOnlyList<ArmComparison> Comparisons, SampleRatioResult SampleRatio);

/// <summary>
/// Analyses an experiment from one row per unit (its arm and its metric value): the arms' summaries, the chosen test of
/// every treatment arm against the control (Benjamini–Hochberg across treatment arms), and the sample-ratio check.
/// One pass splits the rows by arm; the mean-based tests then need two pairwise sums per arm.
/// </summary>
public static class ExperimentAnalysis
{
    /// <summary>Analyses an experiment.</summary>
    /// <param name="arms">Each unit's arm, an index into <paramref name="armNames"/>.</param>
    /// <param name="values">Each unit's metric value (0/1 for the z-tests).</param>
    /// <param name="armNames">The arms' names; at least two.</param>
    /// <param name="options">The test, control and split; defaults when omitted.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">Lengths differ, fewer than two arms, an arm index out of range, an arm without units, an unknown control or test, a value that is not finite, or a non-0/1 value for a z-test (the message names the row).</exception>
    public static ExperimentReport Analyze(ReadOnlySpan<int> arms, ReadOnlySpan<double> values, IReadOnlyList<string> armNames, ExperimentAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(armNames);
        options = OptionsValidation.ThrowIfInvalid<ExperimentAnalysisOptions, ExperimentAnalysisOptionsValidator>(options ?? new ExperimentAnalysisOptions());
        if (arms.Length != values.Length)
        {
            throw new ArgumentException($"{arms.Length} arm assignments but {values.Length} metric values.", nameof(values));
        }

        var k = armNames.Count;
        if (k < 2)
        {
            throw new ArgumentException($"An experiment compares at least two arms; there {(k == 1 ? $"is one ({armNames[0]})" : "are none")}.", nameof(armNames));
        }

        var test = ExperimentTestNames.All.FirstOrDefault(t => string.Equals(t, options.Test, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown test '{options.Test}'. Tests: {string.Join(", ", ExperimentTestNames.All)}.", nameof(options));
        var control = ControlIndex(armNames, options.Control);

        // Split the rows by arm: count, then place.
        var counts = new long[k];
        for (var i = 0; i < arms.Length; i++)
        {
            var a = arms[i];
            if ((uint)a >= (uint)k)
            {
                throw new ArgumentException($"Row {i} is assigned to arm {a}; there are {k} arms.", nameof(arms));
            }

            counts[a]++;
        }

        var split = new double[k][];
        for (var a = 0; a < k; a++)
        {
            if (counts[a] == 0)
            {
                throw new ArgumentException($"Arm '{armNames[a]}' has no units.", nameof(arms));
            }

            split[a] = new double[counts[a]];
        }

        var fill = new int[k];
        var proportions = test is ExperimentTestNames.ZTest or ExperimentTestNames.ZTestUnpooled;
        for (var i = 0; i < arms.Length; i++)
        {
            var v = values[i];
            if (proportions ? v is not (0.0 or 1.0) : !double.IsFinite(v))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: the metric value {v} is {(proportions ? "not 0 or 1, as the z-tests need" : "not finite")}."), nameof(values));
            }

            split[arms[i]][fill[arms[i]]++] = v;
        }

        var summaries = split.Select(s => SampleSummary.Of(s)).ToArray();
        var order = new[] { control }.Concat(Enumerable.Range(0, k).Where(a => a != control)).ToArray();
        var comparisons = order.Skip(1).Select(a => Compare(test, split[a], split[control], summaries[a], summaries[control], options)).ToArray();
        var adjusted = MultipleTesting.BenjaminiHochberg(comparisons.Select(c => double.IsNaN(c.PValue) ? 1 : c.PValue).ToArray());
        double[]? weights = null;
        if (options.Weights is { } w)
        {
            weights = armNames.Select(name => w.TryGetValue(name, out var share)
                ? share
                : throw new ArgumentException($"The weights name no share for arm '{name}'. Arms: {string.Join(", ", armNames)}.", nameof(options))).ToArray();
            var unknown = w.Keys.Where(name => !armNames.Contains(name, StringComparer.Ordinal)).ToArray();
            if (unknown.Length > 0)
            {
                throw new ArgumentException($"The weights name arms the data does not have: {string.Join(", ", unknown)}. Arms: {string.Join(", ", armNames)}.", nameof(options));
            }
        }

        return new ExperimentReport(
            test,
            armNames[control],
            order.Select(a => new ArmSummary(armNames[a], summaries[a].Count, summaries[a].Mean, summaries[a].StandardDeviation)).ToArray(),
            order.Skip(1).Select((a, i) => new ArmComparison(armNames[a], comparisons[i], adjusted[i])).ToArray(),
            SampleRatioMismatch.Check(counts, weights, options.SampleRatioThreshold));
    }

    private static StatisticalTestResult Compare(string test, double[] treatment, double[] control, SampleSummary t, SampleSummary c, ExperimentAnalysisOptions options) => test switch
    {
        ExperimentTestNames.ZTest or ExperimentTestNames.ZTestUnpooled => ExperimentTests.TwoProportionZTest(Counts(t), Counts(c), test == ExperimentTestNames.ZTest, options.Alternative, options.Confidence),
        ExperimentTestNames.Student => ExperimentTests.StudentTTest(t, c, options.Alternative, options.Confidence),
        ExperimentTestNames.MannWhitney => ExperimentTests.MannWhitneyU(treatment, control, options.Alternative),
        ExperimentTestNames.Bootstrap => BootstrapResult(treatment, control, options),
        _ => ExperimentTests.WelchTTest(t, c, options.Alternative, options.Confidence),
    };

    private static StatisticalTestResult BootstrapResult(double[] treatment, double[] control, ExperimentAnalysisOptions options)
    {
        var interval = Bootstrap.MeanDifference(treatment, control, options.BootstrapResamples, options.Confidence, BootstrapMethod.BCa, options.Seed);
        return new StatisticalTestResult
        {
            Test = ExperimentTestNames.Bootstrap,
            Statistic = interval.Estimate / interval.StandardError,
            PValue = double.NaN,
            Effect = interval.Estimate,
            CiLow = interval.Low,
            CiHigh = interval.High,
            Confidence = interval.Confidence,
            Alternative = options.Alternative,
            Explanation = string.Create(CultureInfo.InvariantCulture, $"{interval.Method} bootstrap interval of the difference in means over {interval.Resamples} resamples (seed {options.Seed}); the statistic is the estimate over the bootstrap standard error, and no p-value is given{(interval.FallbackReason is null ? string.Empty : $"; {interval.FallbackReason}")}"),
        };
    }

    /// <summary>The successes of 0/1 values, from their summary (the mean times the count, rounded: the values were checked to be 0 or 1).</summary>
    private static ProportionCounts Counts(SampleSummary s) => new((long)Math.Round(s.Mean * s.Count), s.Count);

    private static int ControlIndex(IReadOnlyList<string> arms, string? control)
    {
        if (control is not null)
        {
            for (var a = 0; a < arms.Count; a++)
            {
                if (string.Equals(arms[a], control, StringComparison.Ordinal))
                {
                    return a;
                }
            }

            throw new ArgumentException($"There is no arm '{control}' to use as the control. Arms: {string.Join(", ", arms)}.", nameof(control));
        }

        for (var a = 0; a < arms.Count; a++)
        {
            if (string.Equals(arms[a], "control", StringComparison.OrdinalIgnoreCase))
            {
                return a;
            }
        }

        return 0;
    }
}
