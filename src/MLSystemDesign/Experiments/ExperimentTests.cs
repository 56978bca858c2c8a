using System.Globalization;
using MLSystemDesign.Experiments.Internal;

namespace MLSystemDesign.Experiments;

/// <summary>
/// Two-arm tests for comparing a treatment with a control on any metric. Each matches its reference (named on the
/// method) to 1e-9 relative, including its behaviour on degenerate data: constant arms give NaN or infinite
/// statistics exactly where statsmodels and SciPy do, so nothing is silently papered over.
/// </summary>
public static class ExperimentTests
{
    /// <summary>
    /// The two-proportion z-test. With <paramref name="pooled"/> the variance under the null uses the pooled rate,
    /// P(1 − P)(1/n₁ + 1/n₂) (statsmodels' <c>proportions_ztest</c>); without, each arm's own rate,
    /// p₁(1 − p₁)/n₁ + p₂(1 − p₂)/n₂ (<c>test_proportions_2indep(method="wald")</c>). Both are offered because they
    /// differ with unequal arms (statsmodels #8626). The interval is the Wald interval of p₁ − p₂
    /// (<c>confint_proportions_2indep(method="wald")</c>).
    /// </summary>
    /// <param name="treatment">The treatment's successes and trials.</param>
    /// <param name="control">The control's successes and trials.</param>
    /// <param name="pooled">Whether to pool the variance under the null. Default <see langword="true"/>.</param>
    /// <param name="alternative">The alternative. Default two-sided.</param>
    /// <param name="confidence">The interval's confidence level. Default 0.95.</param>
    /// <returns>z, its p-value, p₁ − p₂ and its interval. Both arms all-success or all-failure give NaN (0/0), as statsmodels does.</returns>
    /// <exception cref="ArgumentException">An arm has no trials, or the confidence level is not in (0, 1).</exception>
    public static StatisticalTestResult TwoProportionZTest(ProportionCounts treatment, ProportionCounts control, bool pooled = true, Alternative alternative = Alternative.TwoSided, double confidence = 0.95)
    {
        RequireTrials(treatment, nameof(treatment));
        RequireTrials(control, nameof(control));
        CheckConfidence(confidence);
        double n1 = treatment.Count, n2 = control.Count;
        var p1 = treatment.Successes / n1;
        var p2 = control.Successes / n2;
        var diff = p1 - p2;
        var unpooledVariance = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
        double variance;
        if (pooled)
        {
            var rate = (double)(treatment.Successes + control.Successes) / (treatment.Count + control.Count);
            variance = rate * (1 - rate) * (1 / n1 + 1 / n2);
        }
        else
        {
            variance = unpooledVariance;
        }

        var z = diff / Math.Sqrt(variance);
        var half = -Distributions.NormalQuantile((1 - confidence) / 2) * Math.Sqrt(unpooledVariance);
        return new StatisticalTestResult
        {
            Test = pooled ? ExperimentTestNames.ZTest : ExperimentTestNames.ZTestUnpooled,
            Statistic = z,
            PValue = Distributions.NormalPValue(z, alternative),
            Effect = diff,
            CiLow = diff - half,
            CiHigh = diff + half,
            Confidence = confidence,
            Alternative = alternative,
            Explanation = string.Create(CultureInfo.InvariantCulture, $"two-proportion z-test with the {(pooled ? "pooled" : "unpooled (Wald)")} variance: {treatment.Successes}/{treatment.Count} vs {control.Successes}/{control.Count}; Wald interval of the difference (statsmodels {(pooled ? "proportions_ztest" : "test_proportions_2indep(method=\"wald\")")})"),
        };
    }

    /// <summary>
    /// Welch's t-test (SciPy's <c>ttest_ind(equal_var=False)</c>): t = (m₁ − m₂)/√(v₁/n₁ + v₂/n₂) with the
    /// Welch–Satterthwaite degrees of freedom; the interval is statsmodels' <c>tconfint_diff(usevar="unequal")</c>.
    /// </summary>
    /// <param name="treatment">The treatment's summary; at least two values.</param>
    /// <param name="control">The control's summary; at least two values.</param>
    /// <param name="alternative">The alternative. Default two-sided.</param>
    /// <param name="confidence">The interval's confidence level. Default 0.95.</param>
    /// <returns>t, its p-value, m₁ − m₂ and its interval. Constant arms give ±∞ or NaN as SciPy does.</returns>
    /// <exception cref="ArgumentException">An arm has fewer than two values.</exception>
    public static StatisticalTestResult WelchTTest(SampleSummary treatment, SampleSummary control, Alternative alternative = Alternative.TwoSided, double confidence = 0.95) =>
        TTest(treatment, control, equalVariance: false, alternative, confidence);

    /// <summary>
    /// Student's t-test with the pooled variance (SciPy's <c>ttest_ind</c>), n₁ + n₂ − 2 degrees of freedom; the interval
    /// is statsmodels' <c>tconfint_diff(usevar="pooled")</c>.
    /// </summary>
    /// <param name="treatment">The treatment's summary; at least two values.</param>
    /// <param name="control">The control's summary; at least two values.</param>
    /// <param name="alternative">The alternative. Default two-sided.</param>
    /// <param name="confidence">The interval's confidence level. Default 0.95.</param>
    /// <returns>t, its p-value, m₁ − m₂ and its interval.</returns>
    /// <exception cref="ArgumentException">An arm has fewer than two values.</exception>
    public static StatisticalTestResult StudentTTest(SampleSummary treatment, SampleSummary control, Alternative alternative = Alternative.TwoSided, double confidence = 0.95) =>
        TTest(treatment, control, equalVariance: true, alternative, confidence);

    /// <summary>
    /// The Mann–Whitney U test with SciPy's defaults (<c>mannwhitneyu</c>: continuity correction, and the exact null
    /// distribution when one arm has at most 8 values and there are no ties; the normal approximation with the tie
    /// correction otherwise). The statistic is U of the treatment; the effect is U/(n₁n₂), the probability that a
    /// treatment value exceeds a control value (ties counting one half). No interval.
    /// </summary>
    /// <param name="treatment">The treatment's values.</param>
    /// <param name="control">The control's values.</param>
    /// <param name="alternative">The alternative. Default two-sided.</param>
    /// <param name="method">Exact, asymptotic, or chosen as SciPy chooses. Default automatic.</param>
    /// <param name="continuity">Whether the asymptotic p-value uses the continuity correction. Default <see langword="true"/>.</param>
    /// <returns>U, its p-value and the probability of superiority.</returns>
    /// <exception cref="ArgumentException">An arm is empty or holds NaN.</exception>
    public static StatisticalTestResult MannWhitneyU(ReadOnlySpan<double> treatment, ReadOnlySpan<double> control, Alternative alternative = Alternative.TwoSided, MannWhitneyMethod method = MannWhitneyMethod.Automatic, bool continuity = true) =>
        MannWhitney.Test(treatment, control, alternative, method, continuity);

    /// <summary>
    /// The relative lift m₁/m₂ − 1 with its delta-method standard error, √(v₁/(n₁m₂²) + m₁²v₂/(n₂m₂⁴)) for independent
    /// arms (Deng et al.; GrowthBook's <c>variance_of_ratios</c>), a z statistic and a normal interval.
    /// </summary>
    /// <param name="treatment">The treatment's summary; at least two values.</param>
    /// <param name="control">The control's summary; at least two values, with a non-zero mean.</param>
    /// <param name="confidence">The interval's confidence level. Default 0.95.</param>
    /// <returns>z = lift / se, its two-sided p-value, the lift and its interval.</returns>
    /// <exception cref="ArgumentException">An arm has fewer than two values, or the control's mean is 0 (the lift is undefined).</exception>
    public static StatisticalTestResult RelativeLift(SampleSummary treatment, SampleSummary control, double confidence = 0.95)
    {
        RequireValues(treatment, 2, nameof(treatment));
        RequireValues(control, 2, nameof(control));
        CheckConfidence(confidence);
        if (control.Mean == 0)
        {
            throw new ArgumentException("The control's mean is 0: a relative lift is undefined. Compare the difference instead.", nameof(control));
        }

        double mt = treatment.Mean, mc = control.Mean;
        var vt = treatment.Variance / treatment.Count;
        var vc = control.Variance / control.Count;
        var lift = mt / mc - 1;
        var se = Math.Sqrt(vt / (mc * mc) + mt * mt * vc / (mc * mc * mc * mc));
        var z = lift / se;
        var half = -Distributions.NormalQuantile((1 - confidence) / 2) * se;
        return new StatisticalTestResult
        {
            Test = "lift",
            Statistic = z,
            PValue = Distributions.NormalPValue(z, Alternative.TwoSided),
            Effect = lift,
            CiLow = lift - half,
            CiHigh = lift + half,
            Confidence = confidence,
            Explanation = string.Create(CultureInfo.InvariantCulture, $"relative lift {mt:G6}/{mc:G6} − 1 with the delta-method standard error {se:G6}"),
        };
    }

    internal static void CheckConfidence(double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence level lies in (0, 1).");
        }
    }

    internal static void RequireValues(SampleSummary summary, int minimum, string arm)
    {
        if (summary.Count < minimum)
        {
            throw new ArgumentException($"The {arm} arm has {summary.Count} value{(summary.Count == 1 ? string.Empty : "s")}; the test needs at least {minimum}.", arm);
        }
    }

    private static void RequireTrials(ProportionCounts counts, string arm)
    {
        if (counts.Count == 0)
        {
            throw new ArgumentException($"The {arm} arm has no trials.", arm);
        }
    }

    private static StatisticalTestResult TTest(SampleSummary treatment, SampleSummary control, bool equalVariance, Alternative alternative, double confidence)
    {
        RequireValues(treatment, 2, nameof(treatment));
        RequireValues(control, 2, nameof(control));
        CheckConfidence(confidence);
        double n1 = treatment.Count, n2 = control.Count;
        double v1 = treatment.Variance, v2 = control.Variance;
        double df, denominator, intervalDf;
        if (equalVariance)
        {
            df = n1 + n2 - 2.0;
            var pooledVariance = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
            denominator = Math.Sqrt(pooledVariance * (1.0 / n1 + 1.0 / n2));
            intervalDf = df;
        }
        else
        {
            var vn1 = v1 / n1;
            var vn2 = v2 / n2;
            df = (vn1 + vn2) * (vn1 + vn2) / (vn1 * vn1 / (n1 - 1) + vn2 * vn2 / (n2 - 1));
            intervalDf = df;
            if (double.IsNaN(df))
            {
                df = 1; // SciPy: both variances are 0, the statistic is ±∞ or NaN whatever df is
            }

            denominator = Math.Sqrt(vn1 + vn2);
        }

        var d = treatment.Mean - control.Mean;
        var t = d / denominator;
        var tcrit = Distributions.StudentQuantile(intervalDf, 1 - (1 - confidence) / 2);
        return new StatisticalTestResult
        {
            Test = equalVariance ? ExperimentTestNames.Student : ExperimentTestNames.Welch,
            Statistic = t,
            PValue = Distributions.StudentPValue(t, df, alternative),
            Effect = d,
            CiLow = d - tcrit * denominator,
            CiHigh = d + tcrit * denominator,
            Confidence = confidence,
            DegreesOfFreedom = intervalDf,
            Alternative = alternative,
            Explanation = string.Create(CultureInfo.InvariantCulture, $"{(equalVariance ? "Student's t-test (pooled variance)" : "Welch's t-test")} on {treatment} vs {control}, {intervalDf:G6} degrees of freedom"),
        };
    }
}
