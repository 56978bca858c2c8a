using MLSystemDesign.Models;

namespace MLSystemDesign.Training;

/// <summary>Creates trainers by name from the registered <see cref="ITrainerFactory"/>s.</summary>
public interface ITrainerCatalog
{
    /// <summary>Gets the registered trainer names.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>Gets the names of the trainers that fit a task.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The names.</returns>
    IReadOnlyList<string> NamesFor(ModelTask task);

    /// <summary>Creates a trainer.</summary>
    /// <param name="name">The trainer name (case-insensitive).</param>
    /// <param name="task">The task.</param>
    /// <param name="parameters">Hyper-parameters by name, if any.</param>
    /// <returns>The trainer.</returns>
    /// <exception cref="KeyNotFoundException">No trainer has that name; the message lists those registered.</exception>
    ITrainer Create(string name, ModelTask task, IReadOnlyDictionary<string, string>? parameters = null);
}
