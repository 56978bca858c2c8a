using System.Text.Json;
using MLSystemDesign.Objectives;

namespace MLSystemDesign.Tests.Objectives;

public sealed class ObjectiveSetTests
{
    internal static ObjectiveSet FlightDelays() => new("flight-delays",
    [
        new Stakeholder("operations", [Objective.Maximize("recall", ObjectiveKind.MlMetric, weight: 2).AtLeast(0.6), Objective.Maximize("auc", ObjectiveKind.MlMetric)], "Dispatch: catch delays early"),
        new Stakeholder("platform", [Objective.Minimize("latency_p99_ms", ObjectiveKind.Latency, weight: 0.5).AtMost(5) with { Unit = "ms" }]),
        new Stakeholder("finance", [Objective.Maximize("delay-cost", ObjectiveKind.BusinessMetric) with { Unit = "EUR", Description = "value per flight" }]),
    ]);

    [Fact]
    public void Check_ReportsEveryConstraintInWords()
    {
        var check = FlightDelays().Check(new Dictionary<string, double> { ["recall"] = 0.55, ["latency_p99_ms"] = 1.2 });
        Assert.False(check.Satisfied);
        Assert.Equal(["recall ≥ 0.6: 0.55 breaks it", "latency_p99_ms ≤ 5: 1.2 ms meets it"], check.Constraints.Select(c => c.Reason));
        Assert.Contains("operations' recall ≥ 0.6: 0.55 breaks it", check.ToString(), StringComparison.Ordinal);
        var missing = FlightDelays().Check(new Dictionary<string, double> { ["recall"] = 0.7 });
        Assert.Equal("latency_p99_ms ≤ 5: not measured", Assert.Single(missing.Violations).Reason);
    }

    [Fact]
    public void Constructor_BadObjectives_Throw()
    {
        Assert.Contains("no objective", Assert.Throws<ArgumentException>(() => new ObjectiveSet("x", [new Stakeholder("a", [])])).Message, StringComparison.Ordinal);
        Assert.Contains("declared twice", Assert.Throws<ArgumentException>(() => new ObjectiveSet("x", [new Stakeholder("a", [Objective.Maximize("auc", ObjectiveKind.MlMetric)]), new Stakeholder("a", [])])).Message, StringComparison.Ordinal);
        Assert.Contains("weight -1", Assert.Throws<ArgumentException>(() => new ObjectiveSet("x", [new Stakeholder("a", [Objective.Maximize("auc", ObjectiveKind.MlMetric, -1)])])).Message, StringComparison.Ordinal);
        Assert.Contains("no value can meet it", Assert.Throws<ArgumentException>(() => new ObjectiveSet("x", [new Stakeholder("a", [Objective.Maximize("auc", ObjectiveKind.MlMetric).AtLeast(0.9).AtMost(0.8)])])).Message, StringComparison.Ordinal);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => new ObjectiveSet("x", [new Stakeholder("a", [Objective.Maximize("auc", ObjectiveKind.MlMetric), Objective.Minimize("AUC", ObjectiveKind.MlMetric)])])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RoundTrips_AsSnakeCaseWithAFormatVersion()
    {
        var json = ObjectiveSetJson.Serialize(FlightDelays());
        Assert.Contains("\"format\": \"mlsd.objective-set\"", json, StringComparison.Ordinal);
        Assert.Contains("\"format_version\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"ml_metric\"", json, StringComparison.Ordinal);
        Assert.Contains("\"at_least\": 0.6", json, StringComparison.Ordinal);
        var back = ObjectiveSetJson.Deserialize(json);
        Assert.Equal(ObjectiveSetJson.Serialize(back), json);
        Assert.Equal(FlightDelays().Objectives.Select(o => o.Objective), back.Objectives.Select(o => o.Objective));
    }

    [Fact]
    public void Json_Declared_ReadsWithDefaults()
    {
        var set = ObjectiveSetJson.Deserialize("""
            {"format": "mlsd.objective-set", "format_version": 1, "name": "m",
             "stakeholders": [{"name": "ops", "objectives": [{"name": "p99", "kind": "latency", "direction": "minimize", "at_most": 5}]}]}
            """);
        var objective = Assert.Single(set.Objectives).Objective;
        Assert.Equal(1, objective.Weight);
        Assert.Equal(5, objective.Constraint!.AtMost);
    }

    [Theory]
    [InlineData("""{"format": "other", "format_version": 1, "name": "m", "stakeholders": []}""", "not an objective set")]
    [InlineData("""{"format": "mlsd.objective-set", "format_version": 2, "name": "m", "stakeholders": []}""", "format version 2 is not supported")]
    [InlineData("""{"format": "mlsd.objective-set", "format_version": 1, "name": "m", "stakeholders": [{"name": "a", "objectives": [{"name": "x", "kind": "vibes", "direction": "maximize"}]}]}""", "kind")]
    [InlineData("""{"format": "mlsd.objective-set", "format_version": 1, "name": "m", "stakeholders": [{"name": "a", "objectives": [{"name": "x", "kind": "latency", "direction": "maximize", "atleast": 1}]}]}""", "atleast")]
    [InlineData("""{"format": "mlsd.objective-set", "format_version": 1, "name": "m", "stakeholders": [{"name": "a", "objectives": [{"name": "x", "kind": "latency"}]}]}""", "$.stakeholders[0].objectives[0] ('x') has no direction")]
    [InlineData("""{"format": "mlsd.objective-set", "format_version": 1, "name": "m", "stakeholders": []}""", "has no objective")]
    public void Json_BadDocument_SaysWhatIsWrong(string json, string expected) =>
        Assert.Contains(expected, Assert.ThrowsAny<JsonException>(() => ObjectiveSetJson.Deserialize(json)).Message, StringComparison.Ordinal);
}
