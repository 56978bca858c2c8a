using MLSystemDesign.Experiments;
using static MLSystemDesign.Tests.Experiments.ExperimentFixtures;

namespace MLSystemDesign.Tests.Experiments;

/// <summary>Every experiment statistic against statsmodels 0.13.5 / SciPy 1.10.1 (experiments.fixture.json), to 1e-9 relative.</summary>
public sealed class ExperimentStatisticsFixtureTests
{
    private static readonly (string Key, Alternative Alternative)[] Alternatives =
        [("two_sided", Alternative.TwoSided), ("larger", Alternative.Larger), ("smaller", Alternative.Smaller)];

    public static TheoryData<string> ProportionCases => Names("proportions");

    public static TheoryData<string> TCases => Names("ttests");

    public static TheoryData<string> MannWhitneyCases => Names("mannwhitney");

    public static TheoryData<string> BootstrapCases => Names("bootstrap");

    public static TheoryData<int> SizeCases => Indices("sample_size");

    public static TheoryData<string> SrmCases => Names("srm");

    public static TheoryData<string> CupedCases => Names("cuped");

    public static TheoryData<string> LiftCases => Names("lift");

    public static TheoryData<string> BhCases => Names("benjamini_hochberg");

    public static TheoryData<string> SequentialCases => Names("sequential");

    [Theory]
    [MemberData(nameof(ProportionCases))]
    public void TwoProportionZTest_PooledAndUnpooled_MatchStatsmodels(string name)
    {
        var c = Case("proportions", name);
        var t = new ProportionCounts(c.GetProperty("treatment")[0].GetInt64(), c.GetProperty("treatment")[1].GetInt64());
        var k = new ProportionCounts(c.GetProperty("control")[0].GetInt64(), c.GetProperty("control")[1].GetInt64());
        foreach (var (key, alternative) in Alternatives)
        {
            var pooled = ExperimentTests.TwoProportionZTest(t, k, pooled: true, alternative);
            AssertPair(c, $"pooled_{key}", pooled.Statistic, pooled.PValue, name);
            var unpooled = ExperimentTests.TwoProportionZTest(t, k, pooled: false, alternative);
            AssertPair(c, $"unpooled_{key}", unpooled.Statistic, unpooled.PValue, name);
            Assert.Equal(t.Rate - k.Rate, pooled.Effect);
        }

        foreach (var alpha in new[] { 0.05, 0.1 })
        {
            var r = ExperimentTests.TwoProportionZTest(t, k, confidence: 1 - alpha);
            AssertClose(Number(c, $"wald_ci_{alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)}", 0), r.CiLow, $"{name} ci low", 1e-9);
            AssertClose(Number(c, $"wald_ci_{alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)}", 1), r.CiHigh, $"{name} ci high", 1e-9);
        }
    }

    [Theory]
    [MemberData(nameof(TCases))]
    public void TTests_WelchAndStudent_MatchScipyAndStatsmodelsIntervals(string name)
    {
        var c = Case("ttests", name);
        var x = SampleSummary.Of(Sample(c, "treatment"));
        var y = SampleSummary.Of(Sample(c, "control"));
        foreach (var (test, run) in new (string, Func<Alternative, StatisticalTestResult>)[]
                 {
                     ("student", a => ExperimentTests.StudentTTest(x, y, a)),
                     ("welch", a => ExperimentTests.WelchTTest(x, y, a)),
                 })
        {
            foreach (var (key, alternative) in Alternatives)
            {
                var r = run(alternative);
                AssertPair(c, $"{test}_{key}", r.Statistic, r.PValue, name);
            }

            var two = run(Alternative.TwoSided);
            AssertClose(Number(c, $"{test}_ci", 0), two.CiLow, $"{name} {test} ci low");
            AssertClose(Number(c, $"{test}_ci", 1), two.CiHigh, $"{name} {test} ci high");
            AssertClose(Number(c.GetProperty($"{test}_df")), two.DegreesOfFreedom, $"{name} {test} df");

            // statsmodels' own interval takes SciPy's t.ppf, CDFLIB's search stopped at 1e-8: it agrees to that.
            AssertClose(Number(c, $"{test}_ci_statsmodels", 0), two.CiLow, $"{name} {test} statsmodels ci low", 1e-7);
            AssertClose(Number(c, $"{test}_ci_statsmodels", 1), two.CiHigh, $"{name} {test} statsmodels ci high", 1e-7);
        }
    }

    [Theory]
    [MemberData(nameof(MannWhitneyCases))]
    public void MannWhitneyU_ScipyDefaults_MatchScipy(string name)
    {
        var c = Case("mannwhitney", name);
        var x = Sample(c, "treatment");
        var y = Sample(c, "control");
        foreach (var (key, alternative) in Alternatives)
        {
            var r = ExperimentTests.MannWhitneyU(x, y, alternative);
            AssertPair(c, key, r.Statistic, r.PValue, name);
            Assert.Equal(c.GetProperty("exact").GetBoolean(), r.Explanation.Contains("exact", StringComparison.Ordinal));
        }

        var plain = ExperimentTests.MannWhitneyU(x, y, method: MannWhitneyMethod.Asymptotic, continuity: false);
        AssertPair(c, "asymptotic_no_continuity", plain.Statistic, plain.PValue, name);
    }

    [Theory]
    [MemberData(nameof(BootstrapCases))]
    public void Bootstrap_PercentileAndBca_MatchScipyOnTheSameResamples(string name)
    {
        var c = Case("bootstrap", name);
        var x = Sample(c, "treatment");
        var resamples = c.GetProperty("resamples").GetInt32();
        var seed = c.GetProperty("seed").GetUInt64();
        var level = c.GetProperty("confidence").GetDouble();
        BootstrapInterval Run(BootstrapMethod method) => c.GetProperty("control").ValueKind == System.Text.Json.JsonValueKind.Null
            ? Bootstrap.Mean(x, resamples, level, method, seed)
            : Bootstrap.MeanDifference(x, Sample(c, "control"), resamples, level, method, seed);

        var percentile = Run(BootstrapMethod.Percentile);
        AssertClose(Number(c.GetProperty("estimate")), percentile.Estimate, $"{name} estimate");
        AssertClose(Number(c, "percentile", 0), percentile.Low, $"{name} percentile low");
        AssertClose(Number(c, "percentile", 1), percentile.High, $"{name} percentile high");
        AssertClose(Number(c.GetProperty("standard_error")), percentile.StandardError, $"{name} standard error");
        Assert.Null(percentile.FallbackReason);

        var bca = Run(BootstrapMethod.BCa);
        var low = Number(c, "bca", 0);
        if (double.IsNaN(low))
        {
            // SciPy gives NaN (a degenerate distribution); the interval falls back to percentiles and says why.
            Assert.Equal(BootstrapMethod.Percentile, bca.Method);
            Assert.Contains("BCa is undefined", bca.FallbackReason, StringComparison.Ordinal);
            Assert.Equal(percentile.Low, bca.Low);
            Assert.Equal(percentile.High, bca.High);
        }
        else
        {
            Assert.Equal(BootstrapMethod.BCa, bca.Method);
            AssertClose(low, bca.Low, $"{name} BCa low");
            AssertClose(Number(c, "bca", 1), bca.High, $"{name} BCa high");
        }
    }

    [Theory]
    [MemberData(nameof(SizeCases))]
    public void SampleSize_NormalIndPower_MatchesStatsmodels(int index)
    {
        var c = ExperimentFixtures.Cases("sample_size").ElementAt(index);
        var alternative = c.GetProperty("alternative").GetString() switch
        {
            "larger" => Alternative.Larger,
            "smaller" => Alternative.Smaller,
            _ => Alternative.TwoSided,
        };
        double a = c.GetProperty("baseline_or_sd").GetDouble(), mde = c.GetProperty("mde").GetDouble();
        double alpha = c.GetProperty("alpha").GetDouble(), power = c.GetProperty("power").GetDouble(), ratio = c.GetProperty("ratio").GetDouble();
        var size = c.GetProperty("kind").GetString() == "proportion"
            ? PowerAnalysis.ForProportions(a, mde, alpha, power, ratio, alternative)
            : PowerAnalysis.ForMeans(a, mde, alpha, power, ratio, alternative);
        var what = $"case {index} ({c.GetProperty("kind").GetString()} {a} + {mde})";
        Assert.True(c.GetProperty("converged").GetBoolean());
        AssertClose(Number(c.GetProperty("effect_size")), size.EffectSize, $"{what} effect size");
        AssertClose(Number(c.GetProperty("n_per_arm")), size.NPerArm, $"{what} n per arm");
        Assert.Equal((long)Math.Ceiling(Number(c.GetProperty("n_per_arm"))), size.NPerArmCeil);
        AssertClose(Number(c.GetProperty("power_at_ceil")), size.Power, $"{what} power at the rounded size");
        AssertClose(Number(c.GetProperty("power_at_100")), PowerAnalysis.Power(size.EffectSize, 100, alpha, ratio, alternative), $"{what} power at 100");
    }

    [Theory]
    [MemberData(nameof(SrmCases))]
    public void SampleRatioMismatch_MatchesScipyChisquare(string name)
    {
        var c = Case("srm", name);
        var counts = c.GetProperty("counts").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var weights = c.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var r = SampleRatioMismatch.Check(counts, weights);
        AssertClose(Number(c.GetProperty("statistic")), r.Statistic, $"{name} chi2");
        AssertClose(Number(c.GetProperty("p_value")), r.PValue, $"{name} p");
        Assert.Equal(r.PValue < 0.001, r.Mismatch);
    }

    [Theory]
    [MemberData(nameof(CupedCases))]
    public void Cuped_ThetaPooledAcrossArms_MatchesNumpyAndScipy(string name)
    {
        var c = Case("cuped", name);
        var seed = c.GetProperty("seed").GetInt32();
        int nt = c.GetProperty("n_t").GetInt32(), nc = c.GetProperty("n_c").GetInt32();
        double slope = c.GetProperty("slope").GetDouble(), lift = c.GetProperty("lift").GetDouble();
        var xt = Spec(seed, nt, 2.0, 5.0);
        var et = Spec(seed + 1, nt, 1.0, 0.0);
        var xc = Spec(seed + 2, nc, 2.0, 5.0);
        var ec = Spec(seed + 3, nc, 1.0, 0.0);
        var yt = xt.Select((x, i) => slope * x + et[i] + lift).ToArray();
        var yc = xc.Select((x, i) => slope * x + ec[i]).ToArray();
        var r = Cuped.Compare(yt, xt, yc, xc);
        AssertClose(Number(c.GetProperty("theta")), r.Theta, $"{name} theta");
        AssertClose(Number(c.GetProperty("effect")), r.Test.Effect, $"{name} effect");
        AssertClose(Number(c.GetProperty("statistic")), r.Test.Statistic, $"{name} t");
        AssertClose(Number(c.GetProperty("p_value")), r.Test.PValue, $"{name} p");
        AssertClose(Number(c, "ci", 0), r.Test.CiLow, $"{name} ci low");
        AssertClose(Number(c, "ci", 1), r.Test.CiHigh, $"{name} ci high");
        AssertClose(Number(c.GetProperty("variance_reduction")), r.VarianceReduction, $"{name} variance reduction", 1e-6);
    }

    [Theory]
    [MemberData(nameof(LiftCases))]
    public void RelativeLift_DeltaMethod_MatchesTheFormula(string name)
    {
        var c = Case("lift", name);
        var r = ExperimentTests.RelativeLift(SampleSummary.Of(Sample(c, "treatment")), SampleSummary.Of(Sample(c, "control")));
        AssertClose(Number(c.GetProperty("lift")), r.Effect, $"{name} lift");
        AssertClose(Number(c.GetProperty("statistic")), r.Statistic, $"{name} z");
        AssertClose(Number(c.GetProperty("p_value")), r.PValue, $"{name} p");
        AssertClose(Number(c, "ci", 0), r.CiLow, $"{name} ci low");
        AssertClose(Number(c, "ci", 1), r.CiHigh, $"{name} ci high");
    }

    [Theory]
    [MemberData(nameof(BhCases))]
    public void BenjaminiHochberg_MatchesStatsmodelsMultipletests(string name)
    {
        var c = Case("benjamini_hochberg", name);
        var p = c.GetProperty("p_values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var adjusted = MultipleTesting.BenjaminiHochberg(p);
        var expected = c.GetProperty("adjusted").EnumerateArray().Select(Number).ToArray();
        for (var i = 0; i < p.Length; i++)
        {
            AssertClose(expected[i], adjusted[i], $"{name} adjusted {i}");
        }

        Assert.Equal(c.GetProperty("reject").EnumerateArray().Select(e => e.GetBoolean()), MultipleTesting.BenjaminiHochbergRejections(p));
    }

    [Theory]
    [MemberData(nameof(SequentialCases))]
    public void AlwaysValidTest_MatchesGrowthBooksConfidenceSequence(string name)
    {
        var c = Case("sequential", name);
        var look = AlwaysValidTest.Evaluate(SampleSummary.Of(Sample(c, "treatment")), SampleSummary.Of(Sample(c, "control")), c.GetProperty("alpha").GetDouble(), c.GetProperty("tuning").GetDouble());
        AssertClose(Number(c.GetProperty("rho")), look.Rho, $"{name} rho");
        AssertClose(Number(c.GetProperty("estimate")), look.Estimate, $"{name} estimate");
        AssertClose(Number(c, "ci", 0), look.CiLow, $"{name} ci low");
        AssertClose(Number(c, "ci", 1), look.CiHigh, $"{name} ci high");
        AssertClose(Number(c.GetProperty("p_value")), look.PValue, $"{name} p");
        Assert.Equal(look.PValue <= look.Alpha, look.CiLow > 0 || look.CiHigh < 0);
    }

    private static double[] Spec(int seed, int n, double scale, double shift)
    {
        var json = System.Text.Json.JsonDocument.Parse($$"""{"seed": {{seed}}, "n": {{n}}, "kind": "bell", "scale": {{scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}, "shift": {{shift.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}, "levels": 10}""");
        return MLSystemDesign.Testing.Oracles.OracleSamples.Sample(json.RootElement);
    }
}
