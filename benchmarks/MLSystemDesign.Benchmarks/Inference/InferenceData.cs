using System.IO.Compression;
using MLSystemDesign.Data;
using MLSystemDesign.Inference;
using MLSystemDesign.MLNet;
using MLSystemDesign.MLNet.Models;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.Benchmarks.Inference;

/// <summary>
/// The benchmark models and their data. Trained ML.NET models are cached under the temp folder (keyed by their
/// settings), since BenchmarkDotNet runs every benchmark in its own process.
/// </summary>
internal static class InferenceData
{
    public const int FlightWidth = 8;
    public const int BatchRows = 10_000;
    public const int SingleRows = 1024;

    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "mlsd-bench-inference-v1");

    /// <summary>The flight features: hour, minute, weekday, month, day of month, distance, origin and destination (airports numbered by frequency).</summary>
    public static (float[] Train, float[] Labels, float[] Test) Flights()
    {
        Directory.CreateDirectory(Cache);
        var path = Path.Combine(Cache, "flights.bin");
        if (!File.Exists(path))
        {
            var flights = DataSource.Parquet<Flight>(BenchmarkData.Path("flights-3m.parquet")).ToListAsync().GetAwaiter().GetResult();
            var rng = new Random(2001);
            var sample = flights.OrderBy(_ => rng.Next()).Take(300_000 + BatchRows).ToList();
            var codes = flights.SelectMany(f => new[] { f.Origin, f.Destination }).GroupBy(a => a).OrderByDescending(g => g.Count()).Select((g, i) => (g.Key, i)).ToDictionary(x => x.Key, x => (float)x.i);
            using var w = new BinaryWriter(File.Create(path));
            w.Write(sample.Count);
            foreach (var f in sample)
            {
                w.Write((float)f.Date.Hour);
                w.Write((float)f.Date.Minute);
                w.Write((float)f.Date.DayOfWeek);
                w.Write((float)f.Date.Month);
                w.Write((float)f.Date.Day);
                w.Write((float)f.Distance);
                w.Write(codes[f.Origin]);
                w.Write(codes[f.Destination]);
                w.Write(f.Delay > 15 ? 1f : 0f);
            }
        }

        using var r = new BinaryReader(File.OpenRead(path));
        var n = r.ReadInt32();
        var x = new float[n * FlightWidth];
        var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < FlightWidth; j++)
            {
                x[(i * FlightWidth) + j] = r.ReadSingle();
            }

            y[i] = r.ReadSingle();
        }

        var trainRows = n - BatchRows;
        return (x[..(trainRows * FlightWidth)], y[..trainRows], x[(trainRows * FlightWidth)..]);
    }

    /// <summary>A FastTree binary GBDT on the flight features (trained once, then loaded from the cache).</summary>
    public static MLNetModel Gbdt(int trees, int leaves)
    {
        var path = Path.Combine(Cache, $"gbdt-{trees}x{leaves}.zip");
        if (!File.Exists(path))
        {
            var (train, labels, _) = Flights();
            var set = new TrainingSet(ModelTask.BinaryClassification, train, FlightWidth, labels);
            var model = MLNetTrainers.FastTree(ModelTask.BinaryClassification, new TreeTrainerSettings { Trees = trees, Leaves = leaves, MinExamplesPerLeaf = 20, Seed = 1 }).TrainAsync(set).GetAwaiter().GetResult();
            using var file = File.Create(path);
            new MLNetZipFormat().SaveAsync(model, file).AsTask().GetAwaiter().GetResult();
        }

        using var stream = File.OpenRead(path);
        return (MLNetModel)new MLNetZipFormat().LoadAsync(stream).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Breast-cancer features, z-scored, and an ML.NET logistic regression trained on them.</summary>
    public static (MLNetModel Model, float[] Rows) Logistic()
    {
        var lines = File.ReadAllLines(BenchmarkData.Path("breast_cancer.csv")).Skip(1).Select(l => l.Split(',').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var x = new float[lines.Length * 30];
        for (var j = 0; j < 30; j++)
        {
            var mean = lines.Average(l => l[j]);
            var sd = (float)Math.Sqrt(lines.Average(l => (l[j] - mean) * (l[j] - mean)));
            for (var i = 0; i < lines.Length; i++)
            {
                x[(i * 30) + j] = (lines[i][j] - mean) / sd;
            }
        }

        var y = lines.Select(l => l[30]).ToArray();
        var model = (MLNetModel)MLNetTrainers.Linear(ModelTask.BinaryClassification, new LinearTrainerSettings { Seed = 1, Threads = 1 }).TrainAsync(new TrainingSet(ModelTask.BinaryClassification, x, 30, y)).GetAwaiter().GetResult();
        return (model, Repeat(x, 30, BatchRows));
    }

    /// <summary>Fashion-MNIST's 10k test images scaled to [0, 1], and the MLP trained on them (ONNX).</summary>
    public static (byte[] Model, float[] Images) Fashion()
    {
        using var gz = new GZipStream(File.OpenRead(BenchmarkData.Path("t10k-images-idx3-ubyte.gz")), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gz.CopyTo(memory);
        var bytes = memory.GetBuffer().AsSpan(16, 10_000 * 784);
        var images = new float[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            images[i] = bytes[i] / 255f;
        }

        return (File.ReadAllBytes(BenchmarkData.Path("fashion-mnist-mlp-784-128-64-10.onnx")), images);
    }

    /// <summary>The first <paramref name="rows"/> rows of a matrix, cycling through it.</summary>
    public static float[] Repeat(float[] x, int width, int rows)
    {
        var result = new float[rows * width];
        var have = x.Length / width;
        for (var r = 0; r < rows; r++)
        {
            x.AsSpan((r % have) * width, width).CopyTo(result.AsSpan(r * width));
        }

        return result;
    }

    /// <summary>The core model compiled from an ML.NET model, with a forced kernel when asked.</summary>
    public static IModel Core(MLNetModel model, TreeKernel kernel = TreeKernel.Auto) =>
        InferenceModel.Compile(MLNetInference.ToDefinition(model), new InferenceOptions { TreeKernel = kernel });
}
