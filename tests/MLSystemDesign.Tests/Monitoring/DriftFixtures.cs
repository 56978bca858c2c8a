using System.Text.Json;
using MLSystemDesign.Testing.Oracles;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>Reads drift.fixture.json (made by make_drift_fixtures.py with SciPy) and rebuilds its samples bit for bit.</summary>
internal static class DriftFixtures
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Monitoring", "drift.fixture.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> Cases(string kind) => Root.GetProperty(kind).EnumerateArray();

    public static TheoryData<string> Names(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases(kind))
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

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
