using System.Text.Json;

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
    public static double[] Sample(JsonElement spec)
    {
        var state = spec.GetProperty("seed").GetUInt64();
        var n = spec.GetProperty("n").GetInt32();
        var kind = spec.GetProperty("kind").GetString();
        var scale = spec.GetProperty("scale").GetDouble();
        var shift = spec.GetProperty("shift").GetDouble();
        var levels = spec.GetProperty("levels").GetInt32();
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (kind == "bell")
            {
                var s = 0.0;
                for (var k = 0; k < 4; k++)
                {
                    s += (Next(ref state) >> 11) * (1.0 / (1UL << 53));
                }

                result[i] = (s - 2.0) * scale + shift;
            }
            else
            {
                var u = (Next(ref state) >> 11) * (1.0 / (1UL << 53));
                result[i] = kind == "uniform" ? u * scale + shift : Math.Floor(u * levels) + shift;
            }
        }

        return result;
    }

    public static void AssertClose(double expected, double actual, string what, double relative = 1e-9)
    {
        if (expected == actual || (Math.Abs(expected) < 1e-300 && Math.Abs(actual) < 1e-300))
        {
            return;
        }

        var error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= relative, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2}).");
    }

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
