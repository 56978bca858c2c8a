using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MLSystemDesign.Inference;
using MLSystemDesign.MLNet;
using MLSystemDesign.Models;
using MLSystemDesign.Onnx;

namespace MLSystemDesign.Benchmarks.Inference;

/// <summary>
/// Logistic regression on the 30 breast-cancer features (ML.NET L-BFGS): the core against ML.NET and ONNX Runtime
/// (a lean graph holding only LinearClassifier with a logistic post transform, 1 and 2 threads). Single rows cycle
/// through the 569 rows; batches score 10,000 (the rows repeated). Ratios are against ONNX Runtime on one thread.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LogisticInferenceBenchmarks
{
    private const int Width = 30;
    private readonly float[] _one = new float[2];
    private float[] _batch = [];
    private float[] _batchOut = [];
    private IModel _core = null!;
    private MLNetRunner _mlnet = null!;
    private OrtBaselines _ort = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var (model, rows) = InferenceData.Logistic();
        _batch = rows;
        _batchOut = new float[InferenceData.BatchRows * 2];
        var definition = (LinearModelDefinition)MLNetInference.ToDefinition(model);
        _core = InferenceModel.Compile(definition);
        _mlnet = new MLNetRunner(model, _batch);
        var lean = OnnxGraphs.LinearClassifier(definition, "LOGISTIC");
        _ort = new OrtBaselines(lean, Width, "input", "probabilities", 2, _batch);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ort.Dispose();
        _mlnet.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime, lean graph, 1 thread")]
    [BenchmarkCategory("single row")]
    public float OrtLean1() => OrtBaselines.Row(_ort.Single1, NextRow());

    [Benchmark(Description = "ONNX Runtime, lean graph, 2 threads")]
    [BenchmarkCategory("single row")]
    public float OrtLean2() => OrtBaselines.Row(_ort.Single2, NextRow());

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

    private ReadOnlySpan<float> NextRow()
    {
        _next = (_next + 1) % 569;
        return _batch.AsSpan(_next * Width, Width);
    }
}

/// <summary>
/// An MLP 784-128-64-10 (ReLU, softmax) on Fashion-MNIST: the core against ONNX Runtime (MLAS) on the same ONNX graph
/// with 1 and 2 threads. Single rows cycle through the 10,000 test images; batches score all of them.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class MlpInferenceBenchmarks
{
    private const int Width = 784;
    private readonly float[] _one = new float[10];
    private float[] _images = [];
    private float[] _batchOut = [];
    private IModel _core = null!;
    private OrtBaselines _ort = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var (graph, images) = InferenceData.Fashion();
        _images = images;
        _batchOut = new float[InferenceData.BatchRows * 10];
        _core = OnnxInference.Compile(graph);
        _ort = new OrtBaselines(graph, Width, "input", "probabilities", 10, _images);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ort.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime, 1 thread")]
    [BenchmarkCategory("single row")]
    public float Ort1() => OrtBaselines.Row(_ort.Single1, NextRow());

    [Benchmark(Description = "ONNX Runtime, 2 threads")]
    [BenchmarkCategory("single row")]
    public float Ort2() => OrtBaselines.Row(_ort.Single2, NextRow());

    [Benchmark(Description = "Core")]
    [BenchmarkCategory("single row")]
    public float Core()
    {
        _core.Predict(NextRow(), _one);
        return _one[0];
    }

    [Benchmark(Baseline = true, Description = "ONNX Runtime, 1 thread")]
    [BenchmarkCategory("batch 10k")]
    public float Ort1Batch() => OrtBaselines.Batch(_ort.Batch1);

    [Benchmark(Description = "ONNX Runtime, 2 threads")]
    [BenchmarkCategory("batch 10k")]
    public float Ort2Batch() => OrtBaselines.Batch(_ort.Batch2);

    [Benchmark(Description = "Core")]
    [BenchmarkCategory("batch 10k")]
    public float CoreBatch()
    {
        _core.PredictBatch(_images, _batchOut);
        return _batchOut[0];
    }

    private ReadOnlySpan<float> NextRow()
    {
        _next = (_next + 1) % InferenceData.BatchRows;
        return _images.AsSpan(_next * Width, Width);
    }
}
