using MLSystemDesign.Objectives;

namespace MLSystemDesign.Tests.Objectives;

public sealed class ObjectiveComparisonTests
{
    private static (string, IReadOnlyDictionary<string, double>) C(string name, double recall, double auc, double latency, double value) =>
        (name, new Dictionary<string, double> { ["recall"] = recall, ["auc"] = auc, ["latency_p99_ms"] = latency, ["delay-cost"] = value });

    [Fact]
    public void Choose_SetsAsideBrokenConstraints_FindsTheFront_AndPicksTheBestWeighted()
    {
        var choice = ObjectiveComparison.Choose(ObjectiveSetTests.FlightDelays(),
        [
            C("linear", recall: 0.55, auc: 0.64, latency: 0.1, value: -60),   // breaks recall ≥ 0.6
            C("lightgbm", recall: 0.70, auc: 0.70, latency: 0.5, value: -52),
            C("fasttree", recall: 0.68, auc: 0.69, latency: 0.6, value: -53), // dominated by lightgbm
            C("fastforest", recall: 0.61, auc: 0.66, latency: 0.2, value: -55),
            C("huge", recall: 0.90, auc: 0.80, latency: 9, value: -40),       // breaks latency ≤ 5
        ]);
        Assert.True(choice.Feasible);
        Assert.Equal("lightgbm", choice.Chosen.Candidate);
        Assert.Equal(["lightgbm", "fastforest"], choice.ParetoFront.Select(c => c.Candidate));
        Assert.Equal(["lightgbm", "fastforest", "fasttree", "huge", "linear"], choice.Candidates.Select(c => c.Candidate)); // unacceptable last, by weighted score
        Assert.Equal(["lightgbm"], choice.Candidates.Single(c => c.Candidate == "fasttree").DominatedBy);
        Assert.Contains("of the 2 on the Pareto front it has the highest weighted score", choice.Reason, StringComparison.Ordinal);
        Assert.Contains("recall 0.7 (best)", choice.Reason, StringComparison.Ordinal);
        Assert.Contains("latency_p99_ms 0.5 ms (2nd)", choice.Reason, StringComparison.Ordinal);
        Assert.Contains("fasttree is dominated by lightgbm", choice.Reason, StringComparison.Ordinal);
        Assert.Contains("linear breaks operations' recall ≥ 0.6: 0.55 breaks it", choice.Reason, StringComparison.Ordinal);
        Assert.Contains("huge breaks platform's latency_p99_ms ≤ 5: 9 ms breaks it", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_WeightedScore_IsTheNormalisedWeightedMean()
    {
        var set = new ObjectiveSet("s", [new Stakeholder("a", [Objective.Maximize("x", ObjectiveKind.MlMetric, 3), Objective.Minimize("y", ObjectiveKind.CostPerPrediction, 1)])]);
        var choice = ObjectiveComparison.Choose(set,
        [
            ("a", new Dictionary<string, double> { ["x"] = 1, ["y"] = 10 }),
            ("b", new Dictionary<string, double> { ["x"] = 0.5, ["y"] = 0 }),
            ("c", new Dictionary<string, double> { ["x"] = 0, ["y"] = 5 }),
        ]);
        var scores = choice.Candidates.ToDictionary(c => c.Candidate, c => c.WeightedScore);
        Assert.Equal(3.0 / 4, scores["a"], 12);          // x best (1), y worst (0)
        Assert.Equal((3 * 0.5 + 1) / 4, scores["b"], 12); // x halfway, y best
        Assert.Equal((0 + 0.5) / 4, scores["c"], 12);
        Assert.Equal("a", choice.Chosen.Candidate); // x weighs three times y
        Assert.False(choice.Candidates.Single(c => c.Candidate == "c").OnParetoFront); // b is better on both
    }

    [Fact]
    public void Choose_NothingAcceptable_SaysSo()
    {
        var choice = ObjectiveComparison.Choose(ObjectiveSetTests.FlightDelays(), [C("a", 0.5, 0.7, 1, -50), C("b", 0.4, 0.6, 1, -60)]);
        Assert.False(choice.Feasible);
        Assert.Equal("a", choice.Chosen.Candidate);
        Assert.Contains("no candidate meets every hard constraint", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_MissingMeasurement_NamesIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => ObjectiveComparison.Choose(ObjectiveSetTests.FlightDelays(), [("a", new Dictionary<string, double> { ["recall"] = 0.7 })]));
        Assert.Contains("Candidate 'a' has no measurement 'auc', which an objective of operations needs. Measured: recall", ex.Message, StringComparison.Ordinal);
    }
}
