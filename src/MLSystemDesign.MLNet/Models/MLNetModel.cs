using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLSystemDesign.Models;

namespace MLSystemDesign.MLNet.Models;

/// <summary>
/// An ML.NET transformer behind the model contract. Single rows go through pooled <see cref="PredictionEngine{TSrc,TDst}"/>s
/// (one per concurrent caller, since an engine is not thread-safe); batches go through <see cref="ITransformer.Transform"/>.
/// </summary>
internal sealed class MLNetModel : IModel, IDisposable
{
    private readonly MLContext _ml;
    private readonly ConcurrentBag<Engine> _engines = [];
    private readonly SchemaDefinition _inputSchema;

    public MLNetModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, ModelSignature signature)
    {
        _ml = ml;
        Transformer = transformer;
        InputSchema = inputSchema;
        Signature = signature;
        _inputSchema = MLNetData.InputSchema(signature.InputWidth);
    }

    public ModelSignature Signature { get; }

    public ITransformer Transformer { get; }

    public DataViewSchema InputSchema { get; }

    public void Predict(ReadOnlySpan<float> features, Span<float> output)
    {
        Signature.ValidateRow(features, output);
        if (!_engines.TryTake(out var engine))
        {
            engine = new Engine(this);
        }

        try
        {
            engine.Predict(features, output);
        }
        finally
        {
            _engines.Add(engine);
        }
    }

    public void PredictBatch(ReadOnlySpan<float> features, Span<float> output)
    {
        var rows = Signature.ValidateBatch(features, output);
        if (rows == 0)
        {
            return;
        }

        var data = MLNetData.FromMatrix(_ml, features.ToArray(), Signature.InputWidth);
        var scored = Transformer.Transform(data);
        var width = Signature.OutputWidth;
        switch (Signature.Task)
        {
            case ModelTask.MulticlassClassification:
                var row = 0;
                foreach (var scores in scored.GetColumn<float[]>("Score"))
                {
                    scores.AsSpan(0, width).CopyTo(output.Slice(row++ * width, width));
                }

                break;
            case ModelTask.BinaryClassification:
                var i = 0;
                using (var cursor = scored.GetRowCursor(scored.Schema.Where(c => c.Name is "Score" or "Probability")))
                {
                    var score = cursor.GetGetter<float>(scored.Schema["Score"]);
                    var probability = cursor.GetGetter<float>(scored.Schema["Probability"]);
                    float s = 0, p = 0;
                    while (cursor.MoveNext())
                    {
                        score(ref s);
                        probability(ref p);
                        output[i * 2] = s;
                        output[(i * 2) + 1] = p;
                        i++;
                    }
                }

                break;
            default:
                var r = 0;
                foreach (var s in scored.GetColumn<float>("Score"))
                {
                    output[r++] = s;
                }

                break;
        }
    }

    public void Dispose()
    {
        while (_engines.TryTake(out var engine))
        {
            engine.Dispose();
        }

        (Transformer as IDisposable)?.Dispose();
    }

    /// <summary>A prediction engine with its reusable input and output objects.</summary>
    private sealed class Engine : IDisposable
    {
        private readonly ModelTask _task;
        private readonly MLNetData.FeatureRow _input;
        private readonly PredictionEngine<MLNetData.FeatureRow, BinaryOutput>? _binary;
        private readonly PredictionEngine<MLNetData.FeatureRow, ScoreOutput>? _regression;
        private readonly PredictionEngine<MLNetData.FeatureRow, VectorOutput>? _multiclass;
        private BinaryOutput _binaryOutput = new();
        private ScoreOutput _scoreOutput = new();
        private VectorOutput _vectorOutput = new();

        public Engine(MLNetModel model)
        {
            _task = model.Signature.Task;
            _input = new MLNetData.FeatureRow { Features = new float[model.Signature.InputWidth] };
            var models = model._ml.Model;
            switch (_task)
            {
                case ModelTask.BinaryClassification:
                    _binary = models.CreatePredictionEngine<MLNetData.FeatureRow, BinaryOutput>(model.Transformer, inputSchemaDefinition: model._inputSchema);
                    break;
                case ModelTask.MulticlassClassification:
                    _multiclass = models.CreatePredictionEngine<MLNetData.FeatureRow, VectorOutput>(model.Transformer, inputSchemaDefinition: model._inputSchema);
                    break;
                default:
                    _regression = models.CreatePredictionEngine<MLNetData.FeatureRow, ScoreOutput>(model.Transformer, inputSchemaDefinition: model._inputSchema);
                    break;
            }
        }

        public void Predict(ReadOnlySpan<float> features, Span<float> output)
        {
            features.CopyTo(_input.Features);
            switch (_task)
            {
                case ModelTask.BinaryClassification:
                    _binary!.Predict(_input, ref _binaryOutput);
                    output[0] = _binaryOutput.Score;
                    output[1] = _binaryOutput.Probability;
                    break;
                case ModelTask.MulticlassClassification:
                    _multiclass!.Predict(_input, ref _vectorOutput);
                    _vectorOutput.Score.AsSpan(0, output.Length < _vectorOutput.Score.Length ? output.Length : _vectorOutput.Score.Length).CopyTo(output);
                    break;
                default:
                    _regression!.Predict(_input, ref _scoreOutput);
                    output[0] = _scoreOutput.Score;
                    break;
            }
        }

        public void Dispose()
        {
            _binary?.Dispose();
            _regression?.Dispose();
            _multiclass?.Dispose();
        }
    }

    private sealed class BinaryOutput
    {
        public float Score { get; set; }

        public float Probability { get; set; }
    }

    private sealed class ScoreOutput
    {
        public float Score { get; set; }
    }

    private sealed class VectorOutput
    {
        public float[] Score { get; set; } = [];
    }
}
