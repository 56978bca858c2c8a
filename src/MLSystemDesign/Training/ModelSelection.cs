using System.Globalization;
using System.Text;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Models;

namespace MLSystemDesign.Training;

/// <summary>One trained candidate and how it scored.</summary>
/// <param name="Trainer">The trainer's name.</param>
/// <param name="Parameters">The trainer's hyper-parameters.</param>
/// <param name="Model">The trained model.</param>
/// <param name="Validation">Its metrics on the validation data.</param>
/// <param name="TrainingTime">How long training took.</param>
public sealed record CandidateResult(
    string Trainer,
    IReadOnlyDictionary<string, string> Parameters,
    IModel Model,
    EvaluationResult Validation,
    TimeSpan TrainingTime);

/// <summary>The outcome of a model selection: every candidate ranked by the primary metric, best first.</summary>
/// <param name="PrimaryMetric">The metric candidates were ranked by.</param>
/// <param name="HigherIsBetter">Whether a larger value of it is better.</param>
/// <param name="Candidates">Every candidate, best first; ties keep declaration order; NaN ranks last.</param>
public sealed record ModelSelectionResult(string PrimaryMetric, bool HigherIsBetter, IReadOnlyList<CandidateResult> Candidates)
{
    /// <summary>Gets the best candidate.</summary>
    public CandidateResult Best => Candidates[0];

    /// <summary>Formats the comparison table as aligned text: one row per candidate, one column per metric.</summary>
    /// <returns>The table.</returns>
    public string ToTable()
    {
        var metrics = Candidates.SelectMany(c => c.Validation.Metrics.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var rows = Candidates.Select(c => new[] { c.Trainer }
            .Concat(metrics.Select(m => c.Validation.Metrics.TryGetValue(m, out var v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-"))
            .Append(c.TrainingTime.TotalSeconds.ToString("0.0s", CultureInfo.InvariantCulture))
            .ToArray()).ToList();
        var header = metrics.Prepend("trainer").Append("time").ToArray();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
        foreach (var row in rows)
        {
            sb.AppendLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))));
        }

        return sb.ToString();
    }
}

/// <summary>Progress of a model selection.</summary>
/// <param name="Candidate">The candidate being trained, from 0.</param>
/// <param name="CandidateCount">The number of candidates.</param>
/// <param name="Training">The candidate trainer's own progress.</param>
public readonly record struct ModelSelectionProgress(int Candidate, int CandidateCount, TrainingProgress Training);

/// <summary>Trains several candidates on the same data and picks the best by a declared primary metric.</summary>
public sealed class ModelSelector
{
    private readonly TimeProvider _time;

    /// <summary>Creates a selector.</summary>
    /// <param name="timeProvider">Times each training; the system clock when omitted.</param>
    public ModelSelector(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>Trains every candidate on <paramref name="train"/>, evaluates it on <paramref name="validation"/>, and ranks them.</summary>
    /// <param name="candidates">The trainers; at least one, all for the data's task.</param>
    /// <param name="train">The training data.</param>
    /// <param name="validation">The validation data (never used for training).</param>
    /// <param name="primaryMetric">The metric to rank by (see <see cref="MetricNames"/>); its direction is known.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Stops the selection.</param>
    /// <returns>The ranked candidates.</returns>
    /// <exception cref="ArgumentException">No candidates, a task mismatch, or a metric the task does not compute.</exception>
    public async Task<ModelSelectionResult> SelectAsync(
        IReadOnlyList<ITrainer> candidates,
        TrainingSet train,
        TrainingSet validation,
        string primaryMetric,
        IProgress<ModelSelectionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentException.ThrowIfNullOrEmpty(primaryMetric);
        if (candidates.Count == 0)
        {
            throw new ArgumentException("Model selection needs at least one candidate.", nameof(candidates));
        }

        foreach (var c in candidates)
        {
            if (c.Task != train.Task)
            {
                throw new ArgumentException($"Candidate '{c.Name}' fits {c.Task}; the data is labelled for {train.Task}.", nameof(candidates));
            }
        }

        var results = new List<CandidateResult>(candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            var index = i;
            var trainer = candidates[i];
            var inner = progress is null ? null : new InlineProgress<TrainingProgress>(p => progress.Report(new ModelSelectionProgress(index, candidates.Count, p)));
            var started = _time.GetTimestamp();
            var model = await trainer.TrainAsync(train, inner, cancellationToken).ConfigureAwait(false);
            var elapsed = _time.GetElapsedTime(started);
            var evaluation = ModelEvaluator.Evaluate(model, validation);
            _ = evaluation[primaryMetric]; // fails clearly when the task does not compute this metric
            results.Add(new CandidateResult(trainer.Name, trainer.Parameters, model, evaluation, elapsed));
        }

        var higher = MetricNames.HigherIsBetter(primaryMetric);
        var ranked = results
            .Select((r, i) => (r, i))
            .OrderBy(x => double.IsNaN(x.r.Validation[primaryMetric]) ? 1 : 0)
            .ThenBy(x => higher ? -x.r.Validation[primaryMetric] : x.r.Validation[primaryMetric])
            .ThenBy(x => x.i)
            .Select(x => x.r)
            .ToArray();
        return new ModelSelectionResult(primaryMetric, higher, ranked);
    }

    /// <summary>Reports synchronously on the caller's thread (unlike <see cref="Progress{T}"/>, which posts to a context).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
