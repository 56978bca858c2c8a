using System.Globalization;
using System.Text.Json;
using MLSystemDesign.Models;

namespace MLSystemDesign.Registry.Internal;

/// <summary>
/// The one set of checks every new version passes, whether it is registered or imported from a bundle: names and
/// limits, the metadata document, the tags, and (before the commit) that its models load.
/// </summary>
internal sealed partial class SqliteModelRegistry
{
    private static readonly System.Buffers.SearchValues<char> LowerIdChars = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");
    private static readonly System.Buffers.SearchValues<char> HashChars = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Checks a new version: its model name, artifacts, metadata, tags and the model's description and owner.</summary>
    /// <returns>The tags, checked.</returns>
    /// <exception cref="ArgumentException">Something breaks a rule; the message says what.</exception>
    private Dictionary<string, string> ValidateNewVersion(string name, IReadOnlyList<ArtifactSpec> artifacts, VersionDocument document, IReadOnlyDictionary<string, string>? tags, string? modelDescription, string? modelOwner)
    {
        RegistryNames.ValidateModelName(name, nameof(name));
        ValidateArtifacts(artifacts);
        ValidateDocument(document);
        RegistryNames.ValidateText("Model description", modelDescription, RegistryNames.MaxTextLength, nameof(modelDescription));
        RegistryNames.ValidateText("Owner", modelOwner, 256, nameof(modelOwner));
        return ValidateTags(tags);
    }

    private void ValidateArtifacts(IReadOnlyList<ArtifactSpec>? artifacts)
    {
        if (artifacts is null || artifacts.Count == 0)
        {
            throw new ArgumentException("A model version needs at least one artifact (usually the model file).", nameof(artifacts));
        }

        RegistryNames.ValidateCount("artifacts", artifacts.Count, nameof(artifacts));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var artifact in artifacts)
        {
            ArgumentNullException.ThrowIfNull(artifact, nameof(artifacts));
            ValidateArtifact(artifact.Name, artifact.Kind, artifact.MediaType, artifact.FormatId);
            if (!names.Add(artifact.Name))
            {
                throw new ArgumentException($"Two artifacts are named '{artifact.Name}'; artifact names are unique within a version.", nameof(artifacts));
            }

            if (_options.CheckModelsLoad && artifact.Kind == ArtifactKinds.Model && !_formats.FormatIds.Contains(artifact.FormatId!, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Model artifact '{artifact.Name}' names the model format '{artifact.FormatId}', which is not registered (registered: {(_formats.FormatIds.Count == 0 ? "none" : string.Join(", ", _formats.FormatIds.Order(StringComparer.Ordinal)))}).", nameof(artifacts));
            }
        }
    }

    private static void ValidateArtifact(NewArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(artifact.Write);
        ValidateArtifact(artifact.Name, artifact.Kind, artifact.MediaType, artifact.FormatId);
    }

    private static void ValidateArtifact(string name, string kind, string mediaType, string? formatId)
    {
        RegistryNames.ValidateKey("Artifact name", name, nameof(name));
        if (string.IsNullOrEmpty(kind) || kind.Length > 64 || kind.AsSpan().ContainsAnyExcept(LowerIdChars))
        {
            throw new ArgumentException($"Artifact kind '{kind}' of '{name}' is not allowed: use lower-case letters, digits and '-', at most 64 characters.", nameof(kind));
        }

        if (string.IsNullOrEmpty(mediaType) || mediaType.Length > 128 || !mediaType.Contains('/', StringComparison.Ordinal) || mediaType.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || mediaType.Contains('\u007f', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Media type '{mediaType}' of artifact '{name}' is not a media type such as 'application/json'.", nameof(mediaType));
        }

        if (formatId is { } format && (format.Length is 0 or > 64 || format.AsSpan().ContainsAnyExcept(LowerIdChars)))
        {
            throw new ArgumentException($"Format id '{format}' of artifact '{name}' is not allowed: use lower-case letters, digits and '-'.", nameof(formatId));
        }

        if (kind == ArtifactKinds.Model && formatId is null)
        {
            throw new ArgumentException($"Model artifact '{name}' has no format id: the registry needs it to load the model.", nameof(formatId));
        }
    }

    private static Dictionary<string, string> ValidateTags(IReadOnlyDictionary<string, string>? tags)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        RegistryNames.ValidateCount("tags", tags?.Count ?? 0, nameof(tags));
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            RegistryNames.ValidateKey("Tag key", key, nameof(tags));
            ArgumentNullException.ThrowIfNull(value, nameof(tags));
            RegistryNames.ValidateValue($"Tag '{key}'", value, nameof(tags));
            result[key] = value;
        }

        return result;
    }

    /// <summary>Checks the immutable metadata of a version: description, metrics, parameters, feature schema and lineage.</summary>
    private static void ValidateDocument(VersionDocument document)
    {
        ArgumentNullException.ThrowIfNull(document, "version");
        RegistryNames.ValidateText("Description", document.Description, RegistryNames.MaxTextLength, "version");
        RegistryNames.ValidateCount("metrics", document.Metrics.Count);
        foreach (var (name, value) in document.Metrics)
        {
            RegistryNames.ValidateKey("Metric name", name, "version");
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"Metric '{name}' is {value.ToString(CultureInfo.InvariantCulture)}, which is not a finite number; metrics are compared and ordered, so NaN and ±Infinity are refused.", nameof(document));
            }
        }

        RegistryNames.ValidateCount("parameters", document.Parameters.Count);
        foreach (var (name, value) in document.Parameters)
        {
            RegistryNames.ValidateKey("Parameter name", name, "version");
            if (value is null)
            {
                throw new ArgumentException($"Parameter '{name}' has no value.", nameof(document));
            }

            RegistryNames.ValidateValue($"Parameter '{name}'", value, "version");
        }

        if (document.FeatureSchema is { } schema)
        {
            foreach (var raw in schema.RawFeatures)
            {
                ArgumentNullException.ThrowIfNull(raw, "version");
                RegistryNames.ValidateText("Feature name", raw.Name, RegistryNames.MaxValueLength, "version");
            }

            foreach (var slot in schema.Slots)
            {
                ArgumentNullException.ThrowIfNull(slot, "version");
                RegistryNames.ValidateText("Feature slot name", slot.Name, RegistryNames.MaxValueLength, "version");
                RegistryNames.ValidateText("Feature slot source", slot.RawFeature, RegistryNames.MaxValueLength, "version");
            }
        }

        var lineage = document.Lineage ?? throw new ArgumentException("The version has no lineage.", nameof(document));
        RegistryNames.ValidateCount("lineage data sets", lineage.Datasets.Count);
        foreach (var dataset in lineage.Datasets)
        {
            ArgumentNullException.ThrowIfNull(dataset, "version");
            RegistryNames.ValidateKey("Dataset role", dataset.Role, "version");
            RegistryNames.ValidateText("Dataset description", dataset.Description, RegistryNames.MaxValueLength, "version");
            RegistryNames.ValidateText("Dataset location", dataset.Location, RegistryNames.MaxValueLength, "version");
            if (dataset.Fingerprint is { } f && (!IsHashText(f.SchemaHash) || !IsHashText(f.ContentHash) || f.RowCount < 0 || string.IsNullOrEmpty(f.Algorithm) || f.Algorithm.Length > RegistryNames.MaxKeyLength || f.Algorithm.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0))
            {
                throw new ArgumentException($"Dataset fingerprint of '{dataset.Role}' is not one the registry writes: hashes of 12 to 128 hexadecimal digits, a row count of at least 0 and an algorithm name.", nameof(document));
            }
        }

        if (lineage.ParentVersion is < 1)
        {
            throw new ArgumentException($"Parent version {lineage.ParentVersion} is not a version number.", nameof(document));
        }

        RegistryNames.ValidateText("Trainer", lineage.Trainer, RegistryNames.MaxKeyLength, "version");
        if (lineage.Code is { } code)
        {
            RegistryNames.ValidateText("Code assembly", code.Assembly, 256, "version");
            RegistryNames.ValidateText("Code version", code.Version, 256, "version");
            RegistryNames.ValidateText("Code revision", code.SourceRevision, 256, "version");
        }
    }

    private static bool IsHashText(string? text) => text is { Length: >= 12 and <= 128 } && !text.AsSpan().ContainsAnyExcept(HashChars);

    /// <summary>
    /// Loads each published model artifact with its format, and parses each feature-pipeline artifact as JSON, so that
    /// a version whose content the registry could not serve is refused before it commits.
    /// </summary>
    /// <exception cref="ArgumentException">An artifact does not load; the message names it and says why.</exception>
    private async Task CheckContentAsync(IReadOnlyList<ArtifactSpec> specs, IReadOnlyList<StagedArtifact> staged, CancellationToken cancellationToken)
    {
        if (!_options.CheckModelsLoad)
        {
            return;
        }

        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            if (spec.Kind is not (ArtifactKinds.Model or ArtifactKinds.FeaturePipeline))
            {
                continue;
            }

            var stream = await _store.OpenReadAsync(staged[i].Sha256, staged[i].Length, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                try
                {
                    if (spec.Kind == ArtifactKinds.Model)
                    {
                        var model = await _formats.Get(spec.FormatId!).LoadAsync(stream, cancellationToken).ConfigureAwait(false);
                        (model as IDisposable)?.Dispose();
                    }
                    else
                    {
                        using var _ = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or ArtifactIntegrityException or OutOfMemoryException))
                {
                    throw new ArgumentException(spec.Kind == ArtifactKinds.Model
                        ? $"Model artifact '{spec.Name}' does not load as '{spec.FormatId}': {ex.Message}"
                        : $"Feature-pipeline artifact '{spec.Name}' is not JSON: {ex.Message}", nameof(specs), ex);
                }
            }
        }
    }
}
