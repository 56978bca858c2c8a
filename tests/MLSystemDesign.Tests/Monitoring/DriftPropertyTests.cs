using FsCheck;
using FsCheck.Fluent;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>Properties every batch test keeps, whatever the samples.</summary>
public sealed class DriftPropertyTests
{
    private static readonly Gen<double[]> Numbers =
        Gen.Choose(2, 60).SelectMany(n => Gen.OneOf(Gen.Choose(-50, 50).Select(i => i / 4.0), Gen.Choose(-100000, 100000).Select(i => i / 7.0)).ArrayOf(n));

    private static readonly Gen<Dictionary<string, long>> Categories =
        Gen.Choose(1, 50).ArrayOf(4).Select(counts => counts.Select((c, i) => (Key: $"c{i}", Count: (long)c)).ToDictionary(x => x.Key, x => x.Count));

    private static readonly string[] NumericTests = ["ks", "wasserstein", "cvm", "psi", "js", "hellinger", "chi2"];

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property IdenticalNumericSamples_NoDrift() =>
        Prop.ForAll(Numbers.ToArbitrary(), values => NumericTests.All(t =>
        {
            var r = DriftTests.Create(t).Test(FeatureSample.Numeric("x", values), FeatureSample.Numeric("x", values));
            return !r.Drift && (r.PValue is null ? r.Statistic <= 1e-12 : r.PValue > 0.05);
        }));

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property PValues_LieInZeroOne_AndStatisticsIgnoreOrder() =>
        Prop.ForAll(Numbers.ToArbitrary(), Numbers.ToArbitrary(), (a, b) => NumericTests.All(t =>
        {
            var test = DriftTests.Create(t);
            var r1 = test.Test(FeatureSample.Numeric("x", a), FeatureSample.Numeric("x", b));
            var r2 = test.Test(FeatureSample.Numeric("x", a.Reverse().ToArray()), FeatureSample.Numeric("x", b.OrderBy(v => v.GetHashCode()).ToArray()));
            return (r1.PValue is null || r1.PValue is >= 0 and <= 1) && r1.Statistic.Equals(r2.Statistic) && Nullable.Equals(r1.PValue, r2.PValue);
        }));

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property IdenticalCategorySamples_NoDrift_PValuesInRange() =>
        Prop.ForAll(Categories.ToArbitrary(), Categories.ToArbitrary(), (a, b) =>
        {
            var same = new[] { "chi2", "js", "psi", "hellinger" }.All(t => !DriftTests.Create(t).Test(FeatureSample.Categorical("c", a), FeatureSample.Categorical("c", a)).Drift);
            var chi = DriftTests.ChiSquared().Test(FeatureSample.Categorical("c", a), FeatureSample.Categorical("c", b));
            return same && chi.PValue is >= 0 and <= 1;
        });

    [Fact]
    public void Test_EmptySample_ThrowsNamingTheFeatureAndSide()
    {
        var ex = Assert.Throws<ArgumentException>(() => DriftTests.KolmogorovSmirnov().Test(FeatureSample.Numeric("delay", new double[] { 1, 2 }), FeatureSample.Numeric("delay", Array.Empty<double>(), missing: 5)));
        Assert.Contains("'delay'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("current sample has no values (5 missing)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numeric_NaNValue_Throws() =>
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => FeatureSample.Numeric("x", new[] { 1.0, double.NaN })).Message, StringComparison.Ordinal);

    [Fact]
    public void Test_KindsDiffer_OrCategoricalToKs_Throws()
    {
        var numbers = FeatureSample.Numeric("x", new[] { 1.0, 2 });
        var labels = FeatureSample.Categorical("x", ["a", "b"]);
        Assert.Throws<ArgumentException>(() => DriftTests.ChiSquared().Test(numbers, labels));
        Assert.Contains("categorical", Assert.Throws<ArgumentException>(() => DriftTests.KolmogorovSmirnov().Test(labels, labels)).Message, StringComparison.Ordinal);
        Assert.Contains("Use chi2", Assert.Throws<ArgumentException>(() => DriftTests.ZTest().Test(FeatureSample.Categorical("x", ["a", "b", "c"]), labels)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DriftTests.Create("nope"));
    }

    [Fact]
    public void ChiSquared_CategoryNeverSeen_IsNamedInTheExplanation()
    {
        var reference = FeatureSample.Categorical("origin", new Dictionary<string, long> { ["SEA"] = 50, ["LAX"] = 50 });
        var current = FeatureSample.Categorical("origin", new Dictionary<string, long> { ["SEA"] = 40, ["LAX"] = 40, ["PDX"] = 20 });
        var result = DriftTests.ChiSquared().Test(reference, current);
        Assert.True(result.Drift);
        Assert.Equal(1, result.Details["unseen_categories"]);
        Assert.Contains("'PDX'", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyzer_ChoosesEvidentlyTests()
    {
        var analyzer = new DriftAnalyzer();
        var small = Enumerable.Range(0, 500).Select(i => (double)i).ToArray();
        var large = Enumerable.Range(0, 5000).Select(i => (double)i).ToArray();
        var binary = Enumerable.Range(0, 500).Select(i => (double)(i % 2)).ToArray();
        var three = Enumerable.Range(0, 500).Select(i => (double)(i % 3)).ToArray();
        string Name(double[] values) => analyzer.TestFeature(FeatureSample.Numeric("x", values), FeatureSample.Numeric("x", values)).Test;
        Assert.Equal("ks", Name(small));
        Assert.Equal("wasserstein", Name(large));
        Assert.Equal("z", Name(binary));
        Assert.Equal("chi2", Name(three));
        Assert.Equal("js", Name(Enumerable.Range(0, 5000).Select(i => (double)(i % 3)).ToArray()));
        var labels = FeatureSample.Categorical("c", Enumerable.Range(0, 2000).Select(i => $"v{i % 7}"));
        Assert.Equal("js", analyzer.TestFeature(labels, labels).Test);
    }

    [Fact]
    public void Analyzer_DriftShareAndOverrides()
    {
        var options = new DriftOptions { DriftShare = 0.5 };
        options.FeatureTests["b"] = DriftTests.PopulationStabilityIndex();
        var analyzer = new DriftAnalyzer(options);
        var same = Enumerable.Range(0, 300).Select(i => (double)(i % 50)).ToArray();
        var shifted = same.Select(v => v + 25).ToArray();
        var report = analyzer.Analyze(
        [
            (FeatureSample.Numeric("a", same), FeatureSample.Numeric("a", shifted)),
            (FeatureSample.Numeric("b", same), FeatureSample.Numeric("b", same)),
            (FeatureSample.Numeric("c", same), FeatureSample.Numeric("c", Array.Empty<double>(), missing: 300)),
            (FeatureSample.Numeric("d", Array.Empty<double>(), missing: 10), FeatureSample.Numeric("d", same)),
        ]);
        Assert.Equal(["ks", "psi", "missing", "none"], report.Columns.Select(c => c.Test));
        Assert.Equal(["a", "c"], report.DriftedFeatures);
        Assert.Equal(2.0 / 3, report.DriftShare, 12);
        Assert.True(report.DatasetDrift);
    }

    [Fact]
    public void Analyzer_Corrections_AdjustPValues()
    {
        var values = Enumerable.Range(0, 200).Select(i => (double)(i % 40)).ToArray();
        var slightly = values.Select(v => v + 3).ToArray();
        var pairs = Enumerable.Range(0, 10).Select(i => (FeatureSample.Numeric($"f{i}", values), FeatureSample.Numeric($"f{i}", i == 0 ? slightly : values))).ToArray();
        var plain = new DriftAnalyzer().Analyze(pairs).Columns[0];
        var bonferroni = new DriftAnalyzer(new DriftOptions { Correction = MultipleTestingCorrection.Bonferroni }).Analyze(pairs).Columns[0];
        var bh = new DriftAnalyzer(new DriftOptions { Correction = MultipleTestingCorrection.BenjaminiHochberg }).Analyze(pairs).Columns[0];
        Assert.Equal(Math.Min(1, plain.PValue!.Value * 10), bonferroni.Details["p_adjusted"], 12);
        Assert.Equal(Math.Min(1, plain.PValue!.Value * 10), bh.Details["p_adjusted"], 12); // the smallest of ten, rank 1: p·m/1
        Assert.Equal(plain.PValue, bonferroni.PValue);
        Assert.Equal(bonferroni.Details["p_adjusted"] < 0.05, bonferroni.Drift);
    }
}
