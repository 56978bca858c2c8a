using Microsoft.Extensions.Time.Testing;
using MLSystemDesign.Business;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Models;
using MLSystemDesign.Objectives;
using MLSystemDesign.Registry;
using MLSystemDesign.Tests.Registry;
using MLSystemDesign.Tests.Training;
using MLSystemDesign.Training;

namespace MLSystemDesign.Tests.Objectives;

public sealed class ObjectiveSelectionTests
{
    private static TrainingSet Data(int seed)
    {
        var random = new Random(seed);
        var features = new float[800];
        var labels = new float[400];
        for (var i = 0; i < 400; i++)
        {
            features[i * 2] = (float)((random.NextDouble() * 2) - 1);
            features[(i * 2) + 1] = (float)random.NextDouble();
            labels[i] = features[i * 2] + ((random.NextDouble() - 0.5) * 0.5) > 0 ? 1 : 0;
        }

        return new TrainingSet(ModelTask.BinaryClassification, features, 2, labels);
    }

    [Fact]
    public async Task SelectAsync_ByObjectives_MeasuresBusinessValueAndExtras_AndExplains()
    {
        var objectives = new ObjectiveSet("m",
        [
            new Stakeholder("finance", [Objective.Maximize("delay-cost", ObjectiveKind.BusinessMetric)]),
            new Stakeholder("platform", [Objective.Minimize("cost_per_prediction", ObjectiveKind.CostPerPrediction, 0.1).AtMost(0.002)]),
            new Stakeholder("data science", [Objective.Maximize(MetricNames.Auc, ObjectiveKind.MlMetric, 0.5)]),
        ]);
        ITrainer[] candidates = [new SigmoidTrainer("weak", 0.5), new SigmoidTrainer("strong", 6), new SigmoidTrainer("strong", 8), new SigmoidTrainer("inverted", -3)];
        var options = new ObjectiveSelectionOptions
        {
            BusinessMappers = [BusinessMappers.ValueMatrix("delay-cost", ConfusionValueMatrix.Binary(0, -20, -300, -80), "EUR")],
            Threshold = 0.9, // a confident alert only: the sharper model raises more of them, and they pay
            Measure = c => new Dictionary<string, double> { ["cost_per_prediction"] = c.Parameters["weight"] == "8" ? 0.004 : 0.001 },
        };
        var result = await new ModelSelector(new FakeTimeProvider()).SelectAsync(candidates, Data(1), Data(2), objectives, options);
        var choice = result.Objectives!;
        Assert.Equal("strong", result.Best.Trainer);
        Assert.Equal("6", result.Best.Parameters["weight"]);
        Assert.Equal("strong", choice.Chosen.Candidate);
        Assert.False(choice.Candidates.Single(c => c.Candidate == "strong#2").Acceptable); // too expensive per prediction
        Assert.Equal("delay-cost", result.PrimaryMetric);
        Assert.Equal(result.Candidates.Select(c => c.Parameters["weight"]), choice.Candidates.Select(c => candidates.Single(t => Name(t, candidates) == c.Candidate).Parameters["weight"]));
        Assert.True(choice.Chosen.Measurements["delay-cost"] > choice.Candidates.Single(c => c.Candidate == "weak").Measurements["delay-cost"]);
        Assert.Contains("strong#2 breaks platform's cost_per_prediction ≤ 0.002: 0.004 breaks it", choice.Reason, StringComparison.Ordinal);
        Assert.Equal(0, choice.Chosen.Measurements[ObjectiveMeasurements.TrainingTimeSeconds]);
    }

    [Fact]
    public async Task SelectAsync_LatencyObjective_IsMeasured_AndAMissingMeasurementIsAnError()
    {
        var latency = new ObjectiveSet("m", [new Stakeholder("platform", [Objective.Minimize(ObjectiveMeasurements.LatencyP99Milliseconds, ObjectiveKind.Latency)])]);
        var result = await new ModelSelector().SelectAsync([new SigmoidTrainer("a", 1)], Data(1), Data(2), latency);
        Assert.InRange(result.Objectives!.Chosen.Measurements[ObjectiveMeasurements.LatencyP99Milliseconds], 0, 100);
        Assert.True(result.Objectives.Chosen.Measurements.ContainsKey(ObjectiveMeasurements.LatencyP50Milliseconds));

        var unmeasured = new ObjectiveSet("m", [new Stakeholder("finance", [Objective.Maximize("profit", ObjectiveKind.BusinessMetric)])]);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => new ModelSelector().SelectAsync([new SigmoidTrainer("a", 1)], Data(1), Data(2), unmeasured));
        Assert.Contains("has no measurement 'profit'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_StoresTheObjectives_ChecksAVersion_AndShowsThemInTheModelCard()
    {
        using var test = new TestRegistry();
        var registry = test.Registry;
        var objectives = ObjectiveSetTests.FlightDelays();
        var version = await registry.RegisterAsync(new NewModelVersion
        {
            Name = "flights",
            Artifacts = [.. TestRegistry.Linear("flights", 1, 2).Artifacts, objectives.ToArtifact()],
            Metrics = new Dictionary<string, double> { ["recall"] = 0.64, ["auc"] = 0.7 },
        });
        var loaded = await registry.LoadObjectivesAsync(version.Reference);
        Assert.Equal(ObjectiveSetJson.Serialize(objectives), ObjectiveSetJson.Serialize(loaded!));

        var check = await registry.CheckObjectivesAsync(version.Reference, new Dictionary<string, double> { ["latency_p99_ms"] = 7 });
        Assert.False(check.Satisfied);
        Assert.Equal("latency_p99_ms ≤ 5: 7 ms breaks it", Assert.Single(check.Violations).Reason);

        var card = await registry.WriteModelCardAsync(version.Reference);
        Assert.Contains("## Objectives", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("| operations | recall | ML metric | maximize | 2 | recall ≥ 0.6 | 0.64 (met) |", card.Markdown, StringComparison.Ordinal);
        Assert.Contains("| platform | latency\\_p99\\_ms | latency | minimize | 0.5 | latency\\_p99\\_ms ≤ 5 | not registered (**not met**) |", card.Markdown, StringComparison.Ordinal);

        var plain = await registry.RegisterAsync(TestRegistry.Linear("flights", 3));
        Assert.Null(await registry.LoadObjectivesAsync(plain.Reference));
        Assert.DoesNotContain("## Objectives", (await registry.WriteModelCardAsync(plain.Reference)).Markdown, StringComparison.Ordinal);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => registry.CheckObjectivesAsync(plain.Reference));
    }

    private static string Name(ITrainer trainer, ITrainer[] all)
    {
        var index = Array.IndexOf(all, trainer);
        var count = all.Take(index + 1).Count(t => t.Name == trainer.Name);
        return count == 1 ? trainer.Name : $"{trainer.Name}#{count}";
    }
}
