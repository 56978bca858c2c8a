using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MLSystemDesign.MLNet.Models;

namespace MLSystemDesign.Benchmarks.Inference;

/// <summary>
/// ONNX Runtime through its fastest C# path: a session with fixed thread options, input and output OrtValues
/// pre-allocated over pinned arrays and bound once with IOBinding, and one reused RunOptions.
/// </summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _run = new();
    private readonly OrtValue _input;
    private readonly OrtValue _output;

    public OrtRunner(byte[] model, int threads, int rows, int width, string inputName, string outputName, int outputColumns)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (threads == 1)
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        _session = new InferenceSession(model, options);
        Input = new float[rows * width];
        Output = new float[rows * outputColumns];
        _input = OrtValue.CreateTensorValueFromMemory(Input, [rows, width]);
        _output = OrtValue.CreateTensorValueFromMemory(Output, [rows, outputColumns]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput(inputName, _input);
        _binding.BindOutput(outputName, _output);
    }

    /// <summary>Gets the pinned input buffer: write rows here, then <see cref="Run"/>.</summary>
    public float[] Input { get; }

    public float[] Output { get; }

    public void Run() => _session.RunWithBinding(_run, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _input.Dispose();
        _output.Dispose();
        _run.Dispose();
        _session.Dispose();
    }
}

/// <summary>ML.NET's own paths: PredictionEngine.Predict(src, ref dst) for one row, Transform and a cursor for a batch.</summary>
internal sealed class MLNetRunner : IDisposable
{
    private readonly MLContext _ml = new(1);
    private readonly ITransformer _transformer;
    private readonly PredictionEngine<MLNetData.FeatureRow, BinaryScore> _engine;
    private readonly MLNetData.FeatureRow _row;
    private readonly IDataView _batch;
    private BinaryScore _score = new();

    public MLNetRunner(MLNetModel model, float[] batch)
    {
        var width = model.Signature.InputWidth;
        _transformer = model.Transformer;
        _engine = _ml.Model.CreatePredictionEngine<MLNetData.FeatureRow, BinaryScore>(_transformer, inputSchemaDefinition: MLNetData.InputSchema(width));
        _row = new MLNetData.FeatureRow { Features = new float[width] };
        var rows = Enumerable.Range(0, batch.Length / width).Select(r => new MLNetData.FeatureRow { Features = batch.AsSpan(r * width, width).ToArray() }).ToArray();
        _batch = _ml.Data.LoadFromEnumerable(rows, MLNetData.InputSchema(width));
    }

    public float Predict(ReadOnlySpan<float> features)
    {
        features.CopyTo(_row.Features);
        _engine.Predict(_row, ref _score);
        return _score.Probability;
    }

    /// <summary>Scores the whole batch and reads every score and probability.</summary>
    public float Transform()
    {
        var scored = _transformer.Transform(_batch);
        using var cursor = scored.GetRowCursor(scored.Schema.Where(c => c.Name is "Score" or "Probability"));
        var score = cursor.GetGetter<float>(scored.Schema["Score"]);
        var probability = cursor.GetGetter<float>(scored.Schema["Probability"]);
        float s = 0, p = 0, sum = 0;
        while (cursor.MoveNext())
        {
            score(ref s);
            probability(ref p);
            sum += p;
        }

        return sum;
    }

    public void Dispose() => _engine.Dispose();

    private sealed class BinaryScore
    {
        public float Score { get; set; }

        public float Probability { get; set; }
    }
}

/// <summary>The four ONNX Runtime baselines of a model: one row and a 10k batch, each on 1 and on 2 intra-op threads.</summary>
internal sealed class OrtBaselines : IDisposable
{
    private readonly OrtRunner[] _all;

    public OrtBaselines(byte[] graph, int width, string input, string output, int columns, float[] batch)
    {
        var rows = batch.Length / width;
        Single1 = new OrtRunner(graph, 1, 1, width, input, output, columns);
        Single2 = new OrtRunner(graph, 2, 1, width, input, output, columns);
        Batch1 = new OrtRunner(graph, 1, rows, width, input, output, columns);
        Batch2 = new OrtRunner(graph, 2, rows, width, input, output, columns);
        batch.CopyTo(Batch1.Input, 0);
        batch.CopyTo(Batch2.Input, 0);
        _all = [Single1, Single2, Batch1, Batch2];
    }

    public OrtRunner Single1 { get; }

    public OrtRunner Single2 { get; }

    public OrtRunner Batch1 { get; }

    public OrtRunner Batch2 { get; }

    /// <summary>Copies one row in, runs, and returns the last output value of that row.</summary>
    public static float Row(OrtRunner runner, ReadOnlySpan<float> row)
    {
        row.CopyTo(runner.Input);
        runner.Run();
        return runner.Output[^1];
    }

    /// <summary>Runs a pre-filled batch and returns one output value.</summary>
    public static float Batch(OrtRunner runner)
    {
        runner.Run();
        return runner.Output[^1];
    }

    public void Dispose()
    {
        foreach (var runner in _all)
        {
            runner.Dispose();
        }
    }
}
