using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.Tests.Training;

/// <summary>A binary model whose probability is the sigmoid of weight × first feature: quality set by the weight.</summary>
internal sealed class SigmoidModel(int width, double weight) : IModel
{
    public ModelSignature Signature { get; } = ModelSignature.Binary(width);

    public void Predict(ReadOnlySpan<float> features, Span<float> output)
    {
        Signature.ValidateRow(features, output);
        var z = weight * features[0];
        output[0] = (float)z;
        output[1] = (float)(1 / (1 + Math.Exp(-z)));
    }

    public void PredictBatch(ReadOnlySpan<float> features, Span<float> output)
    {
        var rows = Signature.ValidateBatch(features, output);
        for (var i = 0; i < rows; i++)
        {
            Predict(features.Slice(i * width, width), output.Slice(i * 2, 2));
        }
    }
}

internal sealed class SigmoidTrainer(string name, double weight) : ITrainer
{
    public int Calls { get; private set; }

    public string Name => name;

    public ModelTask Task => ModelTask.BinaryClassification;

    public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string> { ["weight"] = weight.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public Task<IModel> TrainAsync(TrainingSet data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        progress?.Report(new TrainingProgress(name, "done", 1));
        return System.Threading.Tasks.Task.FromResult<IModel>(new SigmoidModel(data.FeatureCount, weight));
    }
}
