using System.Text.Json;
using MLSystemDesign.Monitoring;
using MLSystemDesign.Monitoring.Statistics;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>Every batch test against SciPy 1.10.1 (drift.fixture.json), to 1e-9 relative.</summary>
public sealed class BatchDriftTests
{
    public static TheoryData<string> KsCases => DriftFixtures.Names("ks");

    public static TheoryData<string> CvmCases => DriftFixtures.Names("cvm");

    public static TheoryData<string> CategoricalCases => DriftFixtures.Names("categorical");

    [Theory]
    [MemberData(nameof(KsCases))]
    public void KolmogorovSmirnov_MatchesScipyKs2samp(string name)
    {
        var c = DriftFixtures.Case("ks", name);
        var (reference, current) = Samples(c);
        var result = DriftTests.KolmogorovSmirnov().Test(reference, current);
        DriftFixtures.AssertClose(c.GetProperty("statistic").GetDouble(), result.Statistic, $"{name} D");
        DriftFixtures.AssertClose(c.GetProperty("p_value").GetDouble(), result.PValue!.Value, $"{name} p");
        Assert.Equal(result.PValue < 0.05, result.Drift);
    }

    [Theory]
    [MemberData(nameof(KsCases))]
    public void Wasserstein_MatchesScipyAndEvidentlyNorm(string name)
    {
        var c = DriftFixtures.Case("wasserstein", name);
        var (reference, current) = Samples(c);
        var result = DriftTests.Wasserstein().Test(reference, current);
        DriftFixtures.AssertClose(c.GetProperty("distance").GetDouble(), result.Details["raw_distance"], $"{name} W");
        DriftFixtures.AssertClose(c.GetProperty("normed").GetDouble(), result.Statistic, $"{name} normed W");
        Assert.Null(result.PValue);
        Assert.Equal(result.Statistic >= 0.1, result.Drift);
    }

    [Theory]
    [MemberData(nameof(CvmCases))]
    public void CramerVonMises_MatchesScipy(string name)
    {
        var c = DriftFixtures.Case("cvm", name);
        var (reference, current) = Samples(c);
        var result = DriftTests.CramerVonMises().Test(reference, current);
        DriftFixtures.AssertClose(c.GetProperty("statistic").GetDouble(), result.Statistic, $"{name} T");
        var expected = c.GetProperty("p_value").GetDouble();
        var actual = result.PValue!.Value;
        // The asymptotic p-value is 1 − F(tn) with F a series summed to ~1: SciPy's value and ours each carry an absolute
        // rounding error near 1e-16, so tiny p-values agree to 1e-9 relative or 1e-14 absolute, whichever is looser.
        Assert.True(Math.Abs(actual - expected) <= Math.Max(1e-9 * Math.Abs(expected), 1e-14), $"{name} p: expected {expected:R}, got {actual:R}.");
    }

    [Theory]
    [MemberData(nameof(KsCases))]
    public void BinnedTests_OnNumericSamples_MatchNumpyAndScipy(string name)
    {
        foreach (var bins in new[] { 10, 5 })
        {
            var c = DriftFixtures.Case("binned", name, bins);
            var (reference, current) = Samples(c);
            DriftFixtures.AssertClose(c.GetProperty("psi").GetDouble(), DriftTests.PopulationStabilityIndex(bins: bins).Test(reference, current).Statistic, $"{name}/{bins} psi");
            DriftFixtures.AssertClose(c.GetProperty("hellinger").GetDouble(), DriftTests.Hellinger(bins: bins).Test(reference, current).Statistic, $"{name}/{bins} hellinger");
            DriftFixtures.AssertClose(c.GetProperty("js").GetDouble(), DriftTests.JensenShannon(bins: bins).Test(reference, current).Statistic, $"{name}/{bins} js");
            DriftFixtures.AssertClose(c.GetProperty("js_base2").GetDouble(), DriftTests.JensenShannon(logBase: 2, bins: bins).Test(reference, current).Statistic, $"{name}/{bins} js base 2");
            var chi = DriftTests.ChiSquared(bins: bins).Test(reference, current);
            DriftFixtures.AssertClose(c.GetProperty("chi2").GetDouble(), chi.Statistic, $"{name}/{bins} chi2");
            DriftFixtures.AssertClose(c.GetProperty("chi2_p").GetDouble(), chi.PValue!.Value, $"{name}/{bins} chi2 p");
        }
    }

    [Theory]
    [MemberData(nameof(CategoricalCases))]
    public void CategoryTests_MatchScipy(string name)
    {
        var c = DriftFixtures.Case("categorical", name);
        var reference = FeatureSample.Categorical("f", Counts(c.GetProperty("reference")));
        var current = FeatureSample.Categorical("f", Counts(c.GetProperty("current")));
        var chi = DriftTests.ChiSquared().Test(reference, current);
        DriftFixtures.AssertClose(c.GetProperty("chi2").GetDouble(), chi.Statistic, $"{name} chi2");
        DriftFixtures.AssertClose(c.GetProperty("chi2_p").GetDouble(), chi.PValue!.Value, $"{name} chi2 p");
        DriftFixtures.AssertClose(c.GetProperty("js").GetDouble(), DriftTests.JensenShannon().Test(reference, current).Statistic, $"{name} js");
        DriftFixtures.AssertClose(c.GetProperty("js_base2").GetDouble(), DriftTests.JensenShannon(logBase: 2).Test(reference, current).Statistic, $"{name} js2");
        DriftFixtures.AssertClose(c.GetProperty("psi").GetDouble(), DriftTests.PopulationStabilityIndex().Test(reference, current).Statistic, $"{name} psi");
        DriftFixtures.AssertClose(c.GetProperty("hellinger").GetDouble(), DriftTests.Hellinger().Test(reference, current).Statistic, $"{name} hellinger");
        if (c.TryGetProperty("z", out var z))
        {
            var result = DriftTests.ZTest().Test(reference, current);
            DriftFixtures.AssertClose(z.GetDouble(), result.Statistic, $"{name} z");
            DriftFixtures.AssertClose(c.GetProperty("z_p").GetDouble(), result.PValue!.Value, $"{name} z p");
            if (chi.Details["degrees_of_freedom"] == 1)
            {
                // For a 2 × 2 table the Z-test and the chi-squared test are the same test: z² = χ².
                DriftFixtures.AssertClose(chi.Statistic, z.GetDouble() * z.GetDouble(), $"{name} z² = chi2", 1e-9);
            }
        }
    }

    [Fact]
    public void KolmogorovDistribution_MatchesScipyKstwoOnEveryBranch()
    {
        var failures = new List<string>();
        foreach (var c in DriftFixtures.Cases("kstwo"))
        {
            var n = c.GetProperty("n").GetInt64();
            var x = c.GetProperty("x").GetDouble();
            foreach (var (what, expected, actual) in new[]
            {
                ("sf", c.GetProperty("sf").GetDouble(), Kolmogorov.TwoSidedSf(n, x)),
                ("cdf", c.GetProperty("cdf").GetDouble(), Kolmogorov.TwoSidedCdf(n, x)),
            })
            {
                var ok = expected == actual || (Math.Abs(expected) < 1e-300 && Math.Abs(actual) < 1e-300) || Math.Abs(actual - expected) <= 1e-9 * Math.Abs(expected);
                if (!ok)
                {
                    failures.Add($"n={n} x={x:R} {what}: expected {expected:R}, got {actual:R}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static (FeatureSample Reference, FeatureSample Current) Samples(JsonElement c) =>
        (FeatureSample.Numeric("f", DriftFixtures.Sample(c.GetProperty("reference"))), FeatureSample.Numeric("f", DriftFixtures.Sample(c.GetProperty("current"))));

    private static Dictionary<string, long> Counts(JsonElement e) => e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
}
