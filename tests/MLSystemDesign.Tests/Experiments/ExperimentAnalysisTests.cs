using MLSystemDesign.Experiments;

namespace MLSystemDesign.Tests.Experiments;

public sealed class ExperimentAnalysisTests
{
    [Fact]
    public void Analyze_TwoArms_SplitsByArm_AndMatchesTheTestOnEachArm()
    {
        var (arms, values) = Conversions(20_000, seed: 1, rateA: 0.10, rateB: 0.12);
        var report = ExperimentAnalysis.Analyze(arms, values, ["control", "treatment"], new ExperimentAnalysisOptions { Test = ExperimentTestNames.ZTest });
        Assert.Equal("control", report.Control);
        Assert.Equal(["control", "treatment"], report.Arms.Select(a => a.Arm));
        var t = values.Where((_, i) => arms[i] == 1).ToArray();
        var c = values.Where((_, i) => arms[i] == 0).ToArray();
        var expected = ExperimentTests.TwoProportionZTest(new((long)t.Sum(), t.Length), new((long)c.Sum(), c.Length));
        var comparison = Assert.Single(report.Comparisons);
        Assert.Equal(expected.Statistic, comparison.Result.Statistic);
        Assert.Equal(expected.PValue, comparison.AdjustedPValue);
        Assert.False(report.SampleRatio.Mismatch);
        Assert.True(comparison.Result.IsSignificant());
    }

    [Fact]
    public void Analyze_ControlIsNotFirst_IsListedFirst_AndEffectIsTreatmentMinusControl()
    {
        int[] arms = [0, 1, 0, 1, 0, 1, 0, 1];
        double[] values = [5, 1, 6, 2, 7, 3, 6, 2];
        var report = ExperimentAnalysis.Analyze(arms, values, ["new", "old"], new ExperimentAnalysisOptions { Control = "old" });
        Assert.Equal("old", report.Arms[0].Arm);
        Assert.Equal(6 - 2, report.Comparisons[0].Result.Effect, 12);
        Assert.Equal(ExperimentTestNames.Welch, report.Test);
    }

    [Fact]
    public void Analyze_SkewedSplit_FlagsSampleRatioMismatch_UnlessTheWeightsSaySo()
    {
        var arms = Enumerable.Range(0, 10_000).Select(i => i % 10 < 7 ? 0 : 1).ToArray();
        var values = arms.Select(a => (double)a).ToArray();
        Assert.True(ExperimentAnalysis.Analyze(arms, values, ["a", "b"]).SampleRatio.Mismatch);
        var weighted = ExperimentAnalysis.Analyze(arms, values, ["a", "b"], new ExperimentAnalysisOptions { Weights = new Dictionary<string, double> { ["a"] = 0.7, ["b"] = 0.3 } });
        Assert.False(weighted.SampleRatio.Mismatch);
    }

    [Fact]
    public void Analyze_ThreeArms_AdjustsPValuesAcrossTreatments()
    {
        var random = new Random(2);
        var arms = Enumerable.Range(0, 3000).Select(i => i % 3).ToArray();
        var values = arms.Select(a => random.NextDouble() + (a == 2 ? 0.1 : 0)).ToArray();
        var report = ExperimentAnalysis.Analyze(arms, values, ["control", "b", "c"]);
        Assert.Equal(2, report.Comparisons.Count);
        var adjusted = MultipleTesting.BenjaminiHochberg(report.Comparisons.Select(c => c.Result.PValue).ToArray());
        Assert.Equal(adjusted, report.Comparisons.Select(c => c.AdjustedPValue));
    }

    [Fact]
    public void Analyze_EveryTest_Runs()
    {
        var (arms, values) = Conversions(400, seed: 3, rateA: 0.3, rateB: 0.4);
        foreach (var test in ExperimentTestNames.All)
        {
            var report = ExperimentAnalysis.Analyze(arms, values, ["control", "treatment"], new ExperimentAnalysisOptions { Test = test, BootstrapResamples = 200 });
            Assert.Equal(test, report.Comparisons[0].Result.Test);
            Assert.True(double.IsFinite(report.Comparisons[0].Result.Effect));
        }
    }

    [Fact]
    public void Analyze_BadInput_SaysWhatAndWhere()
    {
        Assert.Contains("one (a)", Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([0], [1.0], ["a"])).Message, StringComparison.Ordinal);
        Assert.Contains("Row 1: the metric value 2 is not 0 or 1", Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([0, 1], [1.0, 2.0], ["a", "b"], new ExperimentAnalysisOptions { Test = "ztest" })).Message, StringComparison.Ordinal);
        Assert.Contains("Arm 'b' has no units", Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([0, 0], [1.0, 2.0], ["a", "b"])).Message, StringComparison.Ordinal);
        Assert.Contains("Row 0 is assigned to arm 5", Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([5, 0], [1.0, 2.0], ["a", "b"])).Message, StringComparison.Ordinal);
        Assert.Contains("no arm 'x'", Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([0, 1], [1.0, 2.0], ["a", "b"], new ExperimentAnalysisOptions { Control = "x" })).Message, StringComparison.Ordinal);
        Assert.Contains("Unknown test 'chi'", Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([0, 1], [1.0, 2.0], ["a", "b"], new ExperimentAnalysisOptions { Test = "chi" })).Message, StringComparison.Ordinal);
        Assert.Contains("no share for arm 'b'", Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([0, 1, 0, 1], [1.0, 2.0, 1, 3], ["a", "b"], new ExperimentAnalysisOptions { Weights = new Dictionary<string, double> { ["a"] = 1 } })).Message, StringComparison.Ordinal);
    }

    internal static (int[] Arms, double[] Values) Conversions(int n, int seed, double rateA, double rateB)
    {
        var random = new Random(seed);
        var arms = new int[n];
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            arms[i] = random.Next(2);
            values[i] = random.NextDouble() < (arms[i] == 0 ? rateA : rateB) ? 1 : 0;
        }

        return (arms, values);
    }
}
