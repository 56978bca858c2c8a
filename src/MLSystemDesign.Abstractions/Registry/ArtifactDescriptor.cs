using MLSystemDesign.Features;
using MLSystemDesign.Models;

namespace MLSystemDesign.Registry;

/// <summary>Well-known artifact kinds. A kind is free text (lower-case letters, digits, '-'), so new kinds need no schema change.</summary>
public static class ArtifactKinds
{
    /// <summary>A model file; its <see cref="ArtifactDescriptor.FormatId"/> names the <see cref="IModelFormat"/> that loads it.</summary>
    public const string Model = "model";

    /// <summary>A fitted feature pipeline saved by <see cref="IFittedFeaturePipeline{T}.Save"/>.</summary>
    public const string FeaturePipeline = "feature-pipeline";

    /// <summary>A reference profile of the training data for monitoring.</summary>
    public const string ReferenceProfile = "reference-profile";

    /// <summary>A Markdown model card generated from what the registry knows.</summary>
    public const string ModelCard = "model-card";

    /// <summary>The stakeholder objectives (an objective set as JSON) the version was selected by and is promoted against.</summary>
    public const string Objectives = "objectives";

    /// <summary>The audit trail a version carried when it was imported from another registry.</summary>
    public const string AuditTrail = "audit-trail";

    /// <summary>Any other file.</summary>
    public const string File = "file";
}

/// <summary>An artifact stored with a model version: a named blob identified by its SHA-256.</summary>
/// <param name="Name">The artifact's name within the version, e.g. <c>model</c>, <c>features</c>.</param>
/// <param name="Kind">What it is; see <see cref="ArtifactKinds"/>.</param>
/// <param name="MediaType">Its media type, e.g. <c>application/zip</c>, <c>application/json</c>, <c>text/markdown</c>.</param>
/// <param name="Sha256">The lower-case hexadecimal SHA-256 of the content.</param>
/// <param name="Length">The content length in bytes.</param>
/// <param name="FormatId">For a model, the id of the model format that loads it.</param>
/// <param name="Sealed"><see langword="true"/> for artifacts stored when the version was registered (they never change); <see langword="false"/> for artifacts attached later (a model card, a profile), which may be replaced.</param>
/// <param name="AddedAt">When the artifact was stored with the version.</param>
public sealed record ArtifactDescriptor(
    string Name,
    string Kind,
    string MediaType,
    string Sha256,
    long Length,
    string? FormatId,
    bool Sealed,
    DateTimeOffset AddedAt);

/// <summary>An artifact to store: its name, kind and media type, and a function that writes its content.</summary>
/// <param name="Name">The artifact's name within the version (letters, digits, '.', '_', '-', '/', ':').</param>
/// <param name="Kind">What it is; see <see cref="ArtifactKinds"/>.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="Write">Writes the content to the stream it is given (the stream is left open; do not dispose it).</param>
/// <param name="FormatId">For a model, the id of the model format that loads it.</param>
public sealed record NewArtifact(
    string Name,
    string Kind,
    string MediaType,
    Func<Stream, CancellationToken, ValueTask> Write,
    string? FormatId = null)
{
    /// <summary>The default name of the model artifact.</summary>
    public const string ModelName = "model";

    /// <summary>The default name of the fitted features artifact.</summary>
    public const string FeaturesName = "features";

    /// <summary>The name of the model card artifact.</summary>
    public const string ModelCardName = "model-card";

    /// <summary>A model saved by a model format.</summary>
    /// <param name="model">The model.</param>
    /// <param name="format">The format that saves and later loads it.</param>
    /// <param name="name">The artifact name; <c>model</c> by default.</param>
    /// <returns>The artifact.</returns>
    /// <exception cref="NotSupportedException">The format cannot save this model.</exception>
    public static NewArtifact ForModel(IModel model, IModelFormat format, string name = ModelName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(format);
        if (!format.CanSave(model))
        {
            throw new NotSupportedException($"Model format '{format.FormatId}' cannot save a {model.GetType().Name}.");
        }

        return new NewArtifact(name, ArtifactKinds.Model, "application/octet-stream", (stream, ct) => format.SaveAsync(model, stream, ct), format.FormatId);
    }

    /// <summary>A fitted feature pipeline, saved as JSON.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="features">The fitted pipeline.</param>
    /// <param name="name">The artifact name; <c>features</c> by default.</param>
    /// <returns>The artifact.</returns>
    public static NewArtifact ForFeatures<T>(IFittedFeaturePipeline<T> features, string name = FeaturesName)
    {
        ArgumentNullException.ThrowIfNull(features);
        return new NewArtifact(name, ArtifactKinds.FeaturePipeline, "application/json", (stream, _) =>
        {
            features.Save(stream);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>An artifact copied from a file.</summary>
    /// <param name="name">The artifact name.</param>
    /// <param name="kind">What it is.</param>
    /// <param name="path">The file.</param>
    /// <param name="mediaType">Its media type.</param>
    /// <param name="formatId">For a model, the format id.</param>
    /// <returns>The artifact.</returns>
    public static NewArtifact FromFile(string name, string kind, string path, string mediaType = "application/octet-stream", string? formatId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new NewArtifact(name, kind, mediaType, async (stream, ct) =>
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
            {
                await file.CopyToAsync(stream, ct).ConfigureAwait(false);
            }
        }, formatId);
    }

    /// <summary>An artifact from bytes in memory.</summary>
    /// <param name="name">The artifact name.</param>
    /// <param name="kind">What it is.</param>
    /// <param name="content">The content.</param>
    /// <param name="mediaType">Its media type.</param>
    /// <param name="formatId">For a model, the format id.</param>
    /// <returns>The artifact.</returns>
    public static NewArtifact FromBytes(string name, string kind, ReadOnlyMemory<byte> content, string mediaType = "application/octet-stream", string? formatId = null) =>
        new(name, kind, mediaType, (stream, ct) => stream.WriteAsync(content, ct), formatId);
}
