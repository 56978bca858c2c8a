// The README's business example, compiled and run. The code between the business markers must equal the README's
// snippet line for line (indentation aside); BusinessExample_MatchesTheReadme checks it.
// business:begin
using MLSystemDesign.Business;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Experiments;
using MLSystemDesign.Monitoring;
using MLSystemDesign.Objectives;
// business:end

namespace MLSystemDesign.Architecture.Tests;

public sealed class BusinessExampleTests
{
    [Fact]
    public void BusinessExample_Runs()
    {
        // Scores and outcomes of a labelled reference period, and the scores of a live window without outcomes yet.
        var random = new Random(1);
        var scores = Enumerable.Range(0, 4000).Select(_ => (float)random.NextDouble()).ToArray();
        var labels = scores.Select(s => random.NextDouble() < s * 0.5 ? 1f : 0f).ToArray();
        var reference = PerformanceReference.Create(scores, labels, chunkSize: 1000);
        var liveScores = scores.AsSpan(0, 1000);

        // business:begin
        // scores, labels: a labelled period's probabilities and outcomes; reference: its PerformanceReference; liveScores: a window without outcomes.
        // What each prediction is worth, cell by cell, actual by predicted: [[TN, FP], [FN, TP]] (negative for costs).
        var costs = ConfusionValueMatrix.Binary(trueNegative: 0, falsePositive: -20, falseNegative: -300, truePositive: -100);
        var delayCost = BusinessMappers.ValueMatrix("delay-cost", costs, "EUR");

        // Realized once the outcomes are known; expected before they are, from the monitor's calibration (CBPE).
        var realized = delayCost.Realized(new BusinessBatch { Predictions = scores, Labels = labels });
        var expected = reference.EstimateValue(delayCost, liveScores); // total, 95 % interval, explanation
        var best = ThresholdOptimizer.Optimize(costs, new BusinessBatch { Predictions = scores, Labels = labels });

        // What each stakeholder needs: model selection ranks by it, a promotion gate checks it.
        var objectives = new ObjectiveSet("flight-delays",
        [
            new Stakeholder("operations", [Objective.Maximize(MetricNames.Recall, ObjectiveKind.MlMetric).AtLeast(0.6)]),
            new Stakeholder("finance", [Objective.Maximize("delay-cost", ObjectiveKind.BusinessMetric)]),
        ]);
        var check = objectives.Check(new Dictionary<string, double> { [MetricNames.Recall] = 0.64, ["delay-cost"] = realized.PerRecord });

        // A/B: compare two versions' arms, size the next test, watch one daily without inflating false positives.
        var ab = ExperimentTests.TwoProportionZTest(new ProportionCounts(65, 1000), new ProportionCounts(50, 1000));
        var perArm = PowerAnalysis.ForProportions(baseline: 0.10, mde: 0.01).NPerArmCeil; // 14,745
        var today = AlwaysValidTest.Evaluate(SampleSummary.Of(new ProportionCounts(65, 1000)), SampleSummary.Of(new ProportionCounts(50, 1000)));
        var srm = SampleRatioMismatch.Check([1000, 1000]);

        // A bandit over model versions: assign by routing key (lock-free, 0 B), log the propensity, learn from the reward.
        var bandit = ArmAllocators.ThompsonBernoulli(["v3", "v4"], new ArmAllocatorOptions { MinimumShare = 0.05 });
        var assignment = bandit.Assign("passenger-42");
        bandit.Update(assignment.Arm, reward: 1);
        // business:end

        Assert.True(realized.Total < 0);
        Assert.True(expected.Lower < expected.Total && expected.Total < expected.Upper);
        Assert.True(best.ValuePerRecord >= realized.PerRecord);
        Assert.True(check.Satisfied);
        Assert.Equal(1.440793230951582, ab.Statistic, 12);
        Assert.Equal(14745, perArm);
        Assert.False(today.Rejects);
        Assert.False(srm.Mismatch);
        Assert.InRange(assignment.Propensity, 0.05, 0.95);
    }

    [Fact]
    public void BusinessExample_MatchesTheReadme() =>
        Assert.Equal(ReadmeSnippets.FromSource(SourcePath(), "business"), ReadmeSnippets.FromReadme("business"));

    private static string SourcePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
