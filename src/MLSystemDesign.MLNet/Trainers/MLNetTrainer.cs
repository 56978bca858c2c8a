using System.Collections.ObjectModel;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLSystemDesign.MLNet.Models;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.MLNet.Trainers;

/// <summary>
/// Trains an ML.NET estimator on a <see cref="TrainingSet"/>. ML.NET cannot be interrupted mid-fit, so cancellation is
/// honoured before the fit starts and when it ends.
/// </summary>
internal sealed class MLNetTrainer(
    string name,
    ModelTask task,
    int seed,
    IReadOnlyDictionary<string, string> parameters,
    Func<MLContext, string?, IEstimator<ITransformer>> estimator) : ITrainer
{
    public string Name => name;

    public ModelTask Task => task;

    public IReadOnlyDictionary<string, string> Parameters { get; } = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(parameters));

    public Task<IModel> TrainAsync(TrainingSet data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Task != task)
        {
            throw new ArgumentException($"Trainer '{name}' fits {task}; the data is labelled for {data.Task}.", nameof(data));
        }

        if (data.RowCount == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(data));
        }

        return System.Threading.Tasks.Task.Run(() => Train(data, progress, cancellationToken), cancellationToken);
    }

    private IModel Train(TrainingSet data, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ml = new MLContext(seed);
        progress?.Report(new TrainingProgress(name, "preparing", 0));
        var view = MLNetData.Labelled(ml, data);
        var pipeline = estimator(ml, data.Weights is null ? null : MLNetData.Weight);

        void OnLog(object? sender, LoggingEventArgs e)
        {
            if (e.Kind is ChannelMessageKind.Info or ChannelMessageKind.Warning && !string.IsNullOrWhiteSpace(e.RawMessage))
            {
                progress!.Report(new TrainingProgress(name, "training", null, e.RawMessage.Trim()));
            }
        }

        progress?.Report(new TrainingProgress(name, "training", 0.05));
        if (progress is not null)
        {
            ml.Log += OnLog;
        }

        ITransformer transformer;
        try
        {
            transformer = pipeline.Fit(view);
        }
        finally
        {
            if (progress is not null)
            {
                ml.Log -= OnLog;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var featureNames = data.Schema?.SlotNames;
        var signature = task switch
        {
            ModelTask.BinaryClassification => ModelSignature.Binary(data.FeatureCount, featureNames),
            ModelTask.Regression => ModelSignature.Regression(data.FeatureCount, featureNames),
            _ => ModelSignature.Multiclass(data.FeatureCount, data.ClassCount, featureNames, data.ClassLabels),
        };
        var inputSchema = MLNetData.FromMatrix(ml, ReadOnlyMemory<float>.Empty, data.FeatureCount).Schema;
        progress?.Report(new TrainingProgress(name, "done", 1));
        return new MLNetModel(ml, transformer, inputSchema, signature);
    }
}
