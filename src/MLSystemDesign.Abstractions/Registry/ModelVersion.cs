using MLSystemDesign.Features;

namespace MLSystemDesign.Registry;

/// <summary>The state of a model version.</summary>
public enum ModelVersionState
{
    /// <summary>Usable: found by search and by a plain model reference (the newest active version).</summary>
    Active,

    /// <summary>Retired: still loadable by number, left out of search unless asked for.</summary>
    Archived,

    /// <summary>Deleted: its artifacts are released for garbage collection; the number is never reused.</summary>
    Deleted,
}

/// <summary>
/// A registered model version. Its artifacts stored at registration, metrics, parameters, description, feature
/// schema and lineage never change; its tags, state, aliases and attached artifacts (model card, profile) may.
/// </summary>
public sealed record ModelVersion
{
    /// <summary>Gets the model name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the version number: 1, 2, 3 … per model name, without gaps.</summary>
    public required int Version { get; init; }

    /// <summary>Gets the state.</summary>
    public required ModelVersionState State { get; init; }

    /// <summary>Gets when the version was registered.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>Gets who registered it.</summary>
    public required string RegisteredBy { get; init; }

    /// <summary>Gets the version's description.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the stored artifacts, in the order they were added.</summary>
    public IReadOnlyList<ArtifactDescriptor> Artifacts { get; init; } = [];

    /// <summary>Gets the evaluation metrics (e.g. <c>auc</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets the hyper-parameters and other settings the model was trained with.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the tags (mutable, audited).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the feature schema the model reads, when registered.</summary>
    public FeatureSchema? FeatureSchema { get; init; }

    /// <summary>Gets where the version came from.</summary>
    public ModelLineage Lineage { get; init; } = new();

    /// <summary>Gets the aliases that point at this version now.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Gets a reference to exactly this version.</summary>
    public ModelReference Reference => ModelReference.ForVersion(Name, Version);

    /// <summary>Gets the first artifact of kind <see cref="ArtifactKinds.Model"/>, if any.</summary>
    public ArtifactDescriptor? ModelArtifact => Artifacts.FirstOrDefault(a => a.Kind == ArtifactKinds.Model);

    /// <summary>Finds an artifact by name.</summary>
    /// <param name="name">The artifact name.</param>
    /// <returns>The artifact, or <see langword="null"/>.</returns>
    public ArtifactDescriptor? FindArtifact(string name) => Artifacts.FirstOrDefault(a => a.Name == name);

    /// <inheritdoc />
    public override string ToString() => $"{Name}:{Version}";
}

/// <summary>A registered model: a name under which versions are numbered.</summary>
/// <param name="Name">The model name.</param>
/// <param name="Description">What the model is for.</param>
/// <param name="Owner">Who is responsible for it.</param>
/// <param name="CreatedAt">When the first version (or the description) was registered.</param>
/// <param name="UpdatedAt">When anything about the model last changed.</param>
/// <param name="LatestVersion">The highest version number ever given (deleted versions included), or 0.</param>
/// <param name="ActiveVersions">How many versions are active.</param>
/// <param name="Aliases">Each alias and the version it points at.</param>
public sealed record RegisteredModel(
    string Name,
    string? Description,
    string? Owner,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int LatestVersion,
    int ActiveVersions,
    IReadOnlyDictionary<string, int> Aliases);

/// <summary>What to register as a new model version.</summary>
public sealed class NewModelVersion
{
    /// <summary>Gets the model name; the model is created with its first version.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the artifacts: usually a model (<see cref="NewArtifact.ForModel"/>) and its fitted features (<see cref="NewArtifact.ForFeatures{T}"/>).</summary>
    public required IReadOnlyList<NewArtifact> Artifacts { get; init; }

    /// <summary>Gets the description of this version.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the evaluation metrics.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    /// <summary>Gets the hyper-parameters and settings.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Gets the initial tags.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Gets the feature schema the model reads.</summary>
    public FeatureSchema? FeatureSchema { get; init; }

    /// <summary>Gets the lineage. When <see cref="ModelLineage.Code"/> is not set, the registry records the entry assembly's version.</summary>
    public ModelLineage? Lineage { get; init; }

    /// <summary>Gets who registers the version; the registry's default actor when not set.</summary>
    public string? RegisteredBy { get; init; }

    /// <summary>
    /// Gets whether the version is registered even when its model artifact's bytes equal the model of an active or
    /// archived version of the same model. Default <see langword="false"/>: such a registration is refused with a
    /// <see cref="DuplicateModelVersionException"/> naming that version, so re-running a reproducible training adds no
    /// version and moves no alias.
    /// </summary>
    public bool AllowDuplicateModel { get; init; }
}

/// <summary>Who makes a change and why; recorded in the audit log.</summary>
/// <param name="Reason">Why the change is made, e.g. "AUC 0.74 beats 0.71 on March".</param>
/// <param name="Actor">Who makes it; the registry's default actor when not set.</param>
public readonly record struct RegistryChange(string? Reason = null, string? Actor = null);

/// <summary>Generated model card.</summary>
/// <param name="Markdown">The card's Markdown text.</param>
/// <param name="Artifact">Where the card is stored with the version.</param>
public sealed record ModelCard(string Markdown, ArtifactDescriptor Artifact);
