using System.Globalization;

namespace MLSystemDesign.Experiments;

/// <summary>
/// The outcome of comparing a treatment arm with a control arm: the statistic, its p-value, the effect
/// (treatment − control unless the test says otherwise) and a two-sided confidence interval for it.
/// </summary>
public sealed record StatisticalTestResult
{
    /// <summary>Gets the test's name (see <see cref="ExperimentTestNames"/>).</summary>
    public required string Test { get; init; }

    /// <summary>Gets the test statistic (z, t, U, …); NaN when the data cannot give one (both arms constant and equal).</summary>
    public required double Statistic { get; init; }

    /// <summary>Gets the p-value for <see cref="Alternative"/>.</summary>
    public required double PValue { get; init; }

    /// <summary>Gets the effect: treatment − control for means and proportions, the relative lift for a lift, P(treatment &gt; control) + ½P(tie) for Mann–Whitney.</summary>
    public required double Effect { get; init; }

    /// <summary>Gets the lower bound of the effect's two-sided confidence interval (NaN when the test gives none).</summary>
    public double CiLow { get; init; } = double.NaN;

    /// <summary>Gets the upper bound of the effect's two-sided confidence interval (NaN when the test gives none).</summary>
    public double CiHigh { get; init; } = double.NaN;

    /// <summary>Gets the confidence level of the interval.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Gets the degrees of freedom of a t statistic (NaN otherwise).</summary>
    public double DegreesOfFreedom { get; init; } = double.NaN;

    /// <summary>Gets the alternative the p-value is for.</summary>
    public Alternative Alternative { get; init; }

    /// <summary>Gets what was computed, in words: the method, its reference, and any fall-back taken.</summary>
    public string Explanation { get; init; } = string.Empty;

    /// <summary>Gets whether the p-value is below a significance level.</summary>
    /// <param name="alpha">The level. Default 0.05.</param>
    /// <returns>Whether the difference is significant.</returns>
    public bool IsSignificant(double alpha = 0.05) => PValue < alpha;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Test}: statistic {Statistic:G6}, p = {PValue:G4}, effect {Effect:G6} [{CiLow:G6}, {CiHigh:G6}]");
}

/// <summary>The names of the two-arm tests, as the CLI's <c>--test</c> takes them.</summary>
public static class ExperimentTestNames
{
    /// <summary>Two-proportion z-test with the pooled variance under the null (statsmodels' <c>proportions_ztest</c>).</summary>
    public const string ZTest = "ztest";

    /// <summary>Two-proportion z-test with the unpooled (Wald) variance (statsmodels' <c>test_proportions_2indep(method="wald")</c>).</summary>
    public const string ZTestUnpooled = "ztest-unpooled";

    /// <summary>Welch's t-test (SciPy's <c>ttest_ind(equal_var=False)</c>).</summary>
    public const string Welch = "welch";

    /// <summary>Student's t-test with the pooled variance (SciPy's <c>ttest_ind</c>).</summary>
    public const string Student = "student";

    /// <summary>The Mann–Whitney U test (SciPy's <c>mannwhitneyu</c> defaults).</summary>
    public const string MannWhitney = "mannwhitney";

    /// <summary>The bootstrap interval of the difference in means (BCa, falling back to percentile).</summary>
    public const string Bootstrap = "bootstrap";

    /// <summary>Every name, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [ZTest, ZTestUnpooled, Welch, Student, MannWhitney, Bootstrap];
}
