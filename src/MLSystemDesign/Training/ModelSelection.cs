using System.Globalization;
using System.Text;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Models;
using MLSystemDesign.Objectives;

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

    /// <summary>
    /// Gets, for a selection by an <see cref="ObjectiveSet"/>, every candidate's assessment (constraints, Pareto front,
    /// weighted score) and the reason for the choice in words; <see langword="null"/> for a selection by one metric.
    /// <see cref="Candidates"/> is then in the assessment's order.
    /// </summary>
    public ObjectiveChoice? Objectives { get; init; }

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
    private readonly IMetricCatalog _metrics;

    /// <summary>Creates a selector.</summary>
    /// <param name="timeProvider">Times each training; the system clock when omitted.</param>
    /// <param name="metrics">Which way each metric is better; the built-ins (<see cref="MetricNames.CreateCatalog"/>) when omitted.</param>
    public ModelSelector(TimeProvider? timeProvider = null, IMetricCatalog? metrics = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _metrics = metrics ?? MetricNames.CreateCatalog();
    }

    /// <summary>Trains every candidate on <paramref name="train"/>, evaluates it on <paramref name="validation"/>, and ranks them.</summary>
    /// <param name="candidates">The trainers; at least one, all for the data's task.</param>
    /// <param name="train">The training data.</param>
    /// <param name="validation">The validation data (never used for training).</param>
    /// <param name="primaryMetric">The metric to rank by (see <see cref="MetricNames"/>); its direction comes from the metric catalog.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Stops the selection.</param>
    /// <returns>The ranked candidates.</returns>
    /// <exception cref="ArgumentException">No candidates, a task mismatch, or a metric the task does not compute.</exception>
    /// <exception cref="KeyNotFoundException">The metric has no declared direction.</exception>
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
        var higher = _metrics.Get(primaryMetric).HigherIsBetter;
        CheckCandidates(candidates, train);
        var results = await TrainAllAsync(candidates, train, validation, primaryMetric, progress, cancellationToken).ConfigureAwait(false);
        var ranked = results
            .Select((r, i) => (r, i))
            .OrderBy(x => double.IsNaN(x.r.Validation[primaryMetric]) ? 1 : 0)
            .ThenBy(x => higher ? -x.r.Validation[primaryMetric] : x.r.Validation[primaryMetric])
            .ThenBy(x => x.i)
            .Select(x => x.r)
            .ToArray();
        return new ModelSelectionResult(primaryMetric, higher, ranked);
    }

    /// <summary>
    /// Trains every candidate, evaluates it on <paramref name="validation"/>, measures it, and chooses by an objective set:
    /// candidates that break a hard constraint are set aside, the Pareto front of the rest is found, and the front's
    /// candidate with the highest weighted score is chosen, with the reason in words (<see cref="ModelSelectionResult.Objectives"/>).
    /// Each candidate's measurements are its validation metrics, its training time (<see cref="ObjectiveMeasurements.TrainingTimeSeconds"/>),
    /// its single-row latency when an objective asks for one, the realized value per record of each given business mapper
    /// (named by the mapper), and whatever <see cref="ObjectiveSelectionOptions.Measure"/> adds.
    /// </summary>
    /// <param name="candidates">The trainers; at least one, all for the data's task.</param>
    /// <param name="train">The training data.</param>
    /// <param name="validation">The validation data (never used for training).</param>
    /// <param name="objectives">The stakeholders' objectives.</param>
    /// <param name="options">Business mappers, extra measurements and the latency sample; defaults when omitted.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Stops the selection.</param>
    /// <returns>The candidates in the order of the objective assessment, with the choice and its reason.</returns>
    /// <exception cref="ArgumentException">No candidates, a task mismatch, or an objective no measurement covers (the message lists what was measured).</exception>
    public async Task<ModelSelectionResult> SelectAsync(
        IReadOnlyList<ITrainer> candidates,
        TrainingSet train,
        TrainingSet validation,
        ObjectiveSet objectives,
        ObjectiveSelectionOptions? options = null,
        IProgress<ModelSelectionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(objectives);
        options = OptionsValidation.ThrowIfInvalid<ObjectiveSelectionOptions, ObjectiveSelectionOptionsValidator>(options ?? new ObjectiveSelectionOptions());
        CheckCandidates(candidates, train);
        var results = await TrainAllAsync(candidates, train, validation, null, progress, cancellationToken).ConfigureAwait(false);
        var names = UniqueNames(results);
        var measureLatency = objectives.Objectives.Any(o => o.Objective.Kind == ObjectiveKind.Latency);
        var measured = results.Select((r, i) => (names[i], (IReadOnlyDictionary<string, double>)Measure(r, validation, options, measureLatency))).ToArray();
        var choice = ObjectiveComparison.Choose(objectives, measured);
        var byName = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => results[x.i], StringComparer.Ordinal);
        var primary = objectives.Objectives.Select(o => o.Objective).OrderByDescending(o => o.Weight).First();
        return new ModelSelectionResult(primary.Name, primary.Direction == ObjectiveDirection.Maximize, choice.Candidates.Select(c => byName[c.Candidate]).ToArray())
        {
            Objectives = choice,
        };
    }

    private static void CheckCandidates(IReadOnlyList<ITrainer> candidates, TrainingSet train)
    {
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
    }

    private async Task<List<CandidateResult>> TrainAllAsync(IReadOnlyList<ITrainer> candidates, TrainingSet train, TrainingSet validation, string? primaryMetric, IProgress<ModelSelectionProgress>? progress, CancellationToken cancellationToken)
    {
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
            if (primaryMetric is not null)
            {
                _ = evaluation[primaryMetric]; // fails clearly when the task does not compute this metric
            }

            results.Add(new CandidateResult(trainer.Name, trainer.Parameters, model, evaluation, elapsed));
        }

        return results;
    }

    /// <summary>Trainer names, made unique by a "#2", "#3" … suffix when a trainer appears more than once.</summary>
    private static string[] UniqueNames(List<CandidateResult> results)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return results.Select(r =>
        {
            var count = seen[r.Trainer] = seen.GetValueOrDefault(r.Trainer) + 1;
            return count == 1 ? r.Trainer : string.Create(CultureInfo.InvariantCulture, $"{r.Trainer}#{count}");
        }).ToArray();
    }

    private Dictionary<string, double> Measure(CandidateResult candidate, TrainingSet validation, ObjectiveSelectionOptions options, bool latency)
    {
        var m = new Dictionary<string, double>(candidate.Validation.Metrics, StringComparer.OrdinalIgnoreCase)
        {
            [ObjectiveMeasurements.TrainingTimeSeconds] = candidate.TrainingTime.TotalSeconds,
        };
        if (latency && options.LatencyRows > 0)
        {
            foreach (var (name, value) in ObjectiveMeasurements.Latency(candidate.Model, validation, options.LatencyRows, _time))
            {
                m[name] = value;
            }
        }

        if (options.BusinessMappers.Count > 0)
        {
            var outputs = new float[(long)validation.RowCount * candidate.Model.Signature.OutputWidth];
            candidate.Model.PredictBatch(validation.Features.Span, outputs);
            foreach (var mapper in options.BusinessMappers)
            {
                m[mapper.Name] = ObjectiveMeasurements.RealizedValuePerRecord(mapper, candidate.Model.Signature, outputs, validation, options.Threshold);
            }
        }

        if (options.Measure is { } extra)
        {
            foreach (var (name, value) in extra(candidate))
            {
                m[name] = value;
            }
        }

        return m;
    }

    /// <summary>Reports synchronously on the caller's thread (unlike <see cref="Progress{T}"/>, which posts to a context).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
