using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Tests.Monitoring.Live;

/// <summary>A reference profile with CBPE bands, its fitted pipeline, and records drawn from it (or shifted away from it).</summary>
internal static class MonitorFixture
{
    private static readonly FeaturePipeline<Obs> Definition = FeaturePipeline.For<Obs>().Numeric("x", o => o.X).Categorical("c", o => o.C).Build();

    private static readonly Lazy<ModelMonitorSetup<Obs>> Shared = new(() =>
    {
        var (reference, features) = Reference();
        return new ModelMonitorSetup<Obs>(reference, features);
    });

    /// <summary>Gets one setup shared by the tests that only need some reference (built once: 20,000 records).</summary>
    public static ModelMonitorSetup<Obs> Setup => Shared.Value;

    public static (ReferenceProfile Reference, IFittedFeaturePipeline<Obs> Features) Reference()
    {
        var records = Records(20_000, seed: 42, shift: 0);
        var features = Definition.Fit(records);
        var builder = new ProfileBuilder(features.Schema.RawFeatures, ["score", "probability"]);
        var raw = new FieldValue[2];
        var probabilities = new float[records.Length];
        var labels = new float[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            features.ExtractRaw(records[i], raw);
            var outputs = Outputs(records[i]);
            builder.Add(raw, outputs);
            probabilities[i] = outputs[1];
            labels[i] = records[i].Label;
        }

        return (builder.Build(PerformanceReference.Create(probabilities, labels, chunkSize: 2000)), features);
    }

    public static Obs[] Records(int n, int seed, double shift)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var x = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) + shift;
            var c = random.NextDouble() < (shift > 0 ? 0.7 : 0.3) ? "a" : random.NextDouble() < 0.5 ? "b" : "c";
            var p = 1 / (1 + Math.Exp(-2 * x));
            return new Obs(x, c, random.NextDouble() < p ? 1 : 0);
        }).ToArray();
    }

    public static float[] Outputs(Obs o)
    {
        var p = (float)(1 / (1 + Math.Exp(-2 * o.X)));
        return [p, p];
    }

    public static void Feed(ModelMonitor<Obs> monitor, IEnumerable<Obs> records)
    {
        foreach (var r in records)
        {
            Assert.True(monitor.Observe(r, Outputs(r)));
        }
    }
}

/// <summary>A tiny record: a number, a category and a label.</summary>
public sealed record Obs(double X, string? C, float Label);
