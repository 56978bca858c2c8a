using System.Text.Json;
using MLSystemDesign.Testing.Oracles;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>Reads drift.fixture.json (made by make_drift_fixtures.py with SciPy) and rebuilds its samples bit for bit.</summary>
internal static class DriftFixtures
{
    private static readonly OracleFixture Fixture = new(Path.Combine("Monitoring", "drift.fixture.json"));

    public static JsonElement Root => Fixture.Root;

    public static IEnumerable<JsonElement> Cases(string kind) => Fixture.Cases(kind);

    public static TheoryData<string> Names(string kind) => new(Fixture.Names(kind));

    public static JsonElement Case(string kind, string name, int? bins = null) =>
        Cases(kind).First(c => c.GetProperty("name").GetString() == name && (bins is null || c.GetProperty("bins").GetInt32() == bins));

    /// <summary>SplitMix64 and exactly-rounded arithmetic, as the script's sample().</summary>
    public static double[] Sample(JsonElement spec) => OracleSamples.Sample(spec);

    public static void AssertClose(double expected, double actual, string what, double relative = 1e-9)
    {
        var failure = OracleSamples.Compare(expected, actual, what, relative);
        Assert.True(failure is null, failure);
    }
}
