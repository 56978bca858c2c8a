using System.Text.Json;
using MLSystemDesign.Testing.Oracles;

namespace MLSystemDesign.Tests.Experiments;

/// <summary>Reads experiments.fixture.json (made by make_experiment_fixtures.py with statsmodels 0.13.5 and SciPy 1.10.1).</summary>
internal static class ExperimentFixtures
{
    private static readonly OracleFixture Fixture = new(Path.Combine("Experiments", "experiments.fixture.json"));

    public static IEnumerable<JsonElement> Cases(string kind) => Fixture.Cases(kind);

    public static TheoryData<string> Names(string kind) => new(Fixture.Names(kind));

    public static TheoryData<int> Indices(string kind)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Cases(kind).Count(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static JsonElement Case(string kind, string name) => Fixture.Case(kind, name);

    public static double[] Sample(JsonElement c, string property) => OracleSamples.Sample(c.GetProperty(property));

    public static double Number(JsonElement value) => OracleSamples.Number(value);

    public static double Number(JsonElement c, string property, int index) => OracleSamples.Number(c.GetProperty(property)[index]);

    public static void AssertClose(double expected, double actual, string what, double relative = 1e-9)
    {
        var failure = OracleSamples.Compare(expected, actual, what, relative);
        Assert.True(failure is null, failure);
    }

    public static void AssertPair(JsonElement c, string property, double statistic, double pValue, string name)
    {
        AssertClose(Number(c, property, 0), statistic, $"{name} {property} statistic");
        AssertClose(Number(c, property, 1), pValue, $"{name} {property} p-value");
    }
}
