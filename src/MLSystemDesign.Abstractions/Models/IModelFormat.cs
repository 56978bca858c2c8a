namespace MLSystemDesign.Models;

/// <summary>Saves and loads models of one on-disk format, identified by a short format id such as <c>mlnet-zip</c>.</summary>
public interface IModelFormat
{
    /// <summary>Gets the format id: lower-case letters, digits and dashes.</summary>
    string FormatId { get; }

    /// <summary>Gets whether this format can save the given model.</summary>
    /// <param name="model">The model.</param>
    /// <returns><see langword="true"/> when <see cref="SaveAsync"/> accepts it.</returns>
    bool CanSave(IModel model);

    /// <summary>Writes a model to a stream.</summary>
    /// <param name="model">The model; <see cref="CanSave"/> must be true.</param>
    /// <param name="destination">The stream to write to; left open.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>A task that completes when the model is written.</returns>
    /// <exception cref="NotSupportedException">This format cannot save the model.</exception>
    ValueTask SaveAsync(IModel model, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Reads a model from a stream.</summary>
    /// <param name="source">The stream to read; left open.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The stream does not hold a valid model of this format.</exception>
    ValueTask<IModel> LoadAsync(Stream source, CancellationToken cancellationToken = default);
}

/// <summary>Resolves model formats by id.</summary>
public interface IModelFormatResolver
{
    /// <summary>Gets the ids of every registered format.</summary>
    IReadOnlyCollection<string> FormatIds { get; }

    /// <summary>Gets the format with an id.</summary>
    /// <param name="formatId">The format id.</param>
    /// <returns>The format.</returns>
    /// <exception cref="KeyNotFoundException">No format with that id is registered; the message lists those that are.</exception>
    IModelFormat Get(string formatId);
}
