using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML;
using MLSystemDesign.Inference;
using MLSystemDesign.MLNet;
using MLSystemDesign.MLNet.Models;
using MLSystemDesign.Models;

namespace MLSystemDesign.Benchmarks.Inference;

/// <summary>
/// A FastTree binary GBDT on 8 flight features (100 trees × 31 leaves, and 500 × 63): the core against ML.NET
/// (PredictionEngine, Transform) and ONNX Runtime (a lean graph holding only TreeEnsembleRegressor with 1 and 2
/// intra-op threads, and the graph ML.NET's ONNX converter exports). Single rows cycle through 1,024 held-out flights;
/// batches score 10,000. Ratios are against ONNX Runtime's lean graph on one thread.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class GbdtInferenceBenchmarks
{
    private readonly float[] _one = new float[2];
    private float[] _rows = [];
    private float[] _batch = [];
    private float[] _batchOut = [];
    private IModel _core = null!;
    private IModel _core2 = null!;
    private MLNetRunner _mlnet = null!;
    private OrtBaselines _ort = null!;
    private OrtRunner _ortExported = null!;
    private OrtRunner _ortExportedBatch = null!;
    private int _next;

    [Params("100x31", "500x63")]
    public string Model { get; set; } = "100x31";

    [GlobalSetup]
    public void Setup()
    {
        var size = Model.Split('x').Select(int.Parse).ToArray();
        var model = InferenceData.Gbdt(size[0], size[1]);
        var (_, _, test) = InferenceData.Flights();
        const int w = InferenceData.FlightWidth;
        _rows = test[..(InferenceData.SingleRows * w)];
        _batch = test[..(InferenceData.BatchRows * w)];
        _batchOut = new float[InferenceData.BatchRows * 2];
        var definition = (TreeEnsembleDefinition)MLNetInference.ToDefinition(model);
        _core = InferenceModel.Compile(definition);
        _core2 = InferenceModel.Compile(definition, new InferenceOptions { DegreeOfParallelism = 2, MinRowsPerThread = 1024 });
        _mlnet = new MLNetRunner(model, _batch);
        var lean = OnnxGraphs.TreeRegressor(definition);
        var exported = Exported(model, _batch);
        _ort = new OrtBaselines(lean, w, "input", "score", 1, _batch);
        _ortExported = new OrtRunner(exported, 1, 1, w, "Features", "Probability.output", 1);
        _ortExportedBatch = new OrtRunner(exported, 1, InferenceData.BatchRows, w, "Features", "Probability.output", 1);
        _batch.CopyTo(_ortExportedBatch.Input, 0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ort.Dispose();
        _ortExported.Dispose();
        _ortExportedBatch.Dispose();
        _mlnet.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime, lean graph, 1 thread")]
    [BenchmarkCategory("single row")]
    public float OrtLean1() => OrtBaselines.Row(_ort.Single1, NextRow());

    [Benchmark(Description = "ONNX Runtime, lean graph, 2 threads")]
    [BenchmarkCategory("single row")]
    public float OrtLean2() => OrtBaselines.Row(_ort.Single2, NextRow());

    [Benchmark(Description = "ONNX Runtime, ML.NET-exported graph, 1 thread")]
    [BenchmarkCategory("single row")]
    public float OrtExported() => OrtBaselines.Row(_ortExported, NextRow());

    [Benchmark(Description = "ML.NET PredictionEngine")]
    [BenchmarkCategory("single row")]
    public float MLNetEngine() => _mlnet.Predict(NextRow());

    [Benchmark(Description = "Core")]
    [BenchmarkCategory("single row")]
    public float Core()
    {
        _core.Predict(NextRow(), _one);
        return _one[1];
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime, lean graph, 1 thread")]
    [BenchmarkCategory("batch 10k")]
    public float OrtLean1Batch() => OrtBaselines.Batch(_ort.Batch1);

    [Benchmark(Description = "ONNX Runtime, lean graph, 2 threads")]
    [BenchmarkCategory("batch 10k")]
    public float OrtLean2Batch() => OrtBaselines.Batch(_ort.Batch2);

    [Benchmark(Description = "ONNX Runtime, ML.NET-exported graph, 1 thread")]
    [BenchmarkCategory("batch 10k")]
    public float OrtExportedBatch() => OrtBaselines.Batch(_ortExportedBatch);

    [Benchmark(Description = "ML.NET Transform")]
    [BenchmarkCategory("batch 10k")]
    public float MLNetTransform() => _mlnet.Transform();

    [Benchmark(Description = "Core")]
    [BenchmarkCategory("batch 10k")]
    public float CoreBatch()
    {
        _core.PredictBatch(_batch, _batchOut);
        return _batchOut[1];
    }

    [Benchmark(Description = "Core, 2 threads")]
    [BenchmarkCategory("batch 10k")]
    public float CoreBatch2()
    {
        _core2.PredictBatch(_batch, _batchOut);
        return _batchOut[1];
    }

    internal static byte[] Exported(MLNetModel model, float[] rows)
    {
        var ml = new MLContext(1);
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model.Transformer, MLNetData.FromMatrix(ml, rows.AsMemory(0, 100 * model.Signature.InputWidth), model.Signature.InputWidth), stream);
        return stream.ToArray();
    }

    private ReadOnlySpan<float> NextRow()
    {
        _next = (_next + 1) & (InferenceData.SingleRows - 1);
        return _rows.AsSpan(_next * InferenceData.FlightWidth, InferenceData.FlightWidth);
    }
}

/// <summary>The single-row tree kernels on the same GBDTs, to choose the default by measurement (ratios against the scalar walk).</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class TreeKernelRowBenchmarks
{
    private readonly float[] _one = new float[2];
    private float[] _rows = [];
    private IModel _model = null!;
    private int _next;

    [Params("100x31", "500x63")]
    public string Model { get; set; } = "100x31";

    [Params("Scalar", "Vector128", "Avx2Permute", "Avx512", "Avx512Refill2", "Avx512Refill", "Avx512Refill8")]
    public string Kernel { get; set; } = "Scalar";

    [GlobalSetup]
    public void Setup()
    {
        var size = Model.Split('x').Select(int.Parse).ToArray();
        _model = InferenceData.Core(InferenceData.Gbdt(size[0], size[1]), Enum.Parse<TreeKernel>(Kernel));
        _rows = InferenceData.Flights().Test[..(InferenceData.SingleRows * InferenceData.FlightWidth)];
    }

    [Benchmark]
    public float SingleRow()
    {
        _next = (_next + 1) & (InferenceData.SingleRows - 1);
        _model.Predict(_rows.AsSpan(_next * InferenceData.FlightWidth, InferenceData.FlightWidth), _one);
        return _one[1];
    }
}

/// <summary>The batch tree kernels (10k rows) on the same GBDTs, to choose the default by measurement.</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class TreeKernelBatchBenchmarks
{
    private float[] _batch = [];
    private float[] _out = [];
    private IModel _model = null!;

    [Params("100x31", "500x63")]
    public string Model { get; set; } = "100x31";

    [Params("Scalar", "Vector128", "Avx2Gather", "Avx512Refill", "Avx512Refill8")]
    public string Kernel { get; set; } = "Scalar";

    [GlobalSetup]
    public void Setup()
    {
        var size = Model.Split('x').Select(int.Parse).ToArray();
        _model = InferenceData.Core(InferenceData.Gbdt(size[0], size[1]), Enum.Parse<TreeKernel>(Kernel));
        _batch = InferenceData.Flights().Test[..(InferenceData.BatchRows * InferenceData.FlightWidth)];
        _out = new float[InferenceData.BatchRows * 2];
    }

    [Benchmark]
    public float Batch()
    {
        _model.PredictBatch(_batch, _out);
        return _out[1];
    }
}
