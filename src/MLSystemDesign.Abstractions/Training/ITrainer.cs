using MLSystemDesign.Models;

namespace MLSystemDesign.Training;

/// <summary>Fits a model from a feature matrix and labels.</summary>
public interface ITrainer
{
    /// <summary>Gets the trainer's name, e.g. <c>fasttree</c>.</summary>
    string Name { get; }

    /// <summary>Gets the task the trainer fits.</summary>
    ModelTask Task { get; }

    /// <summary>Gets the hyper-parameters the trainer will use, with defaults filled in, for lineage and comparison tables.</summary>
    IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Fits a model.</summary>
    /// <param name="data">The training data; its task must equal <see cref="Task"/>.</param>
    /// <param name="progress">Receives progress reports, if given.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The trained model.</returns>
    Task<IModel> TrainAsync(TrainingSet data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>Creates trainers of one kind (e.g. <c>lightgbm</c>) for the tasks it supports.</summary>
public interface ITrainerFactory
{
    /// <summary>Gets the trainer kind's name.</summary>
    string Name { get; }

    /// <summary>Gets the tasks this kind can fit.</summary>
    IReadOnlyCollection<ModelTask> Tasks { get; }

    /// <summary>Creates a trainer.</summary>
    /// <param name="task">The task; one of <see cref="Tasks"/>.</param>
    /// <param name="parameters">Hyper-parameters by name (invariant culture text); unknown names are an error.</param>
    /// <returns>The trainer.</returns>
    /// <exception cref="ArgumentException">The task is not supported, or a parameter is unknown or malformed.</exception>
    ITrainer Create(ModelTask task, IReadOnlyDictionary<string, string>? parameters = null);
}

/// <summary>Progress of a training run.</summary>
/// <param name="Trainer">The trainer's name.</param>
/// <param name="Stage">The current stage, e.g. <c>preparing</c>, <c>training</c>, <c>done</c>.</param>
/// <param name="Fraction">Completion in [0, 1], when known.</param>
/// <param name="Message">A message from the trainer, when there is one.</param>
public readonly record struct TrainingProgress(string Trainer, string Stage, double? Fraction, string? Message = null);
