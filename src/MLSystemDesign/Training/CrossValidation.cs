using MLSystemDesign.Evaluation;
using MLSystemDesign.Features;

namespace MLSystemDesign.Training;

/// <summary>The metrics of a k-fold cross-validation.</summary>
/// <param name="Folds">The metrics of each fold.</param>
/// <param name="Mean">The mean of each metric over the folds.</param>
/// <param name="StandardDeviation">The sample standard deviation of each metric over the folds.</param>
public sealed record CrossValidationResult(
    IReadOnlyList<EvaluationResult> Folds,
    IReadOnlyDictionary<string, double> Mean,
    IReadOnlyDictionary<string, double> StandardDeviation);

/// <summary>
/// K-fold cross-validation that refits the feature pipeline inside every fold, so statistics such as means and
/// vocabularies never leak from the validation rows into training.
/// </summary>
public static class CrossValidation
{
    /// <summary>Runs the folds in order.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="folds">The folds (see <see cref="DataSplits.KFold"/> and <see cref="DataSplits.StratifiedKFold{T,TKey}"/>).</param>
    /// <param name="pipeline">The feature pipeline definition; fitted on each fold's training rows.</param>
    /// <param name="makeSet">Builds a labelled set from records and a fitted pipeline, e.g. <c>(rs, f) =&gt; TrainingSets.Binary(rs, f, r =&gt; r.Late)</c>.</param>
    /// <param name="trainer">The trainer.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The per-fold metrics, their means and standard deviations.</returns>
    public static async Task<CrossValidationResult> RunAsync<T>(
        IReadOnlyList<T> records,
        IReadOnlyList<Fold> folds,
        IFeaturePipeline<T> pipeline,
        Func<IReadOnlyList<T>, IFittedFeaturePipeline<T>, TrainingSet> makeSet,
        ITrainer trainer,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(makeSet);
        ArgumentNullException.ThrowIfNull(trainer);
        if (folds.Count == 0)
        {
            throw new ArgumentException("Cross-validation needs at least one fold.", nameof(folds));
        }

        var results = new List<EvaluationResult>(folds.Count);
        foreach (var fold in folds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var trainRecords = fold.Train.Select(i => records[i]).ToArray();
            var validationRecords = fold.Validation.Select(i => records[i]).ToArray();
            var fitted = pipeline.Fit(trainRecords);
            var model = await trainer.TrainAsync(makeSet(trainRecords, fitted), null, cancellationToken).ConfigureAwait(false);
            results.Add(ModelEvaluator.Evaluate(model, makeSet(validationRecords, fitted)));
        }

        var names = results[0].Metrics.Keys.ToArray();
        var mean = names.ToDictionary(n => n, n => results.Average(r => r.Metrics[n]), StringComparer.OrdinalIgnoreCase);
        var std = names.ToDictionary(
            n => n,
            n => results.Count < 2 ? 0 : Math.Sqrt(results.Sum(r => Math.Pow(r.Metrics[n] - mean[n], 2)) / (results.Count - 1)),
            StringComparer.OrdinalIgnoreCase);
        return new CrossValidationResult(results, mean, std);
    }
}
