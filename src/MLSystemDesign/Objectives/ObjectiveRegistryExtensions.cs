using MLSystemDesign.Registry;

namespace MLSystemDesign.Objectives;

/// <summary>
/// Stores an <see cref="ObjectiveSet"/> with a model version (artifact kind <see cref="ArtifactKinds.Objectives"/>, JSON),
/// loads it back verified, and checks a version against it: the seam promotion gates use. The model card shows the
/// objectives and how the version's metrics meet them.
/// </summary>
public static class ObjectiveRegistryExtensions
{
    /// <summary>The artifact name an objective set is stored under.</summary>
    public const string ArtifactName = "objectives";

    /// <summary>Turns a set into an artifact to register with a new version.</summary>
    /// <param name="objectives">The set.</param>
    /// <returns>The artifact.</returns>
    public static NewArtifact ToArtifact(this ObjectiveSet objectives)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        using var buffer = new MemoryStream();
        ObjectiveSetJson.Save(objectives, buffer);
        return NewArtifact.FromBytes(ArtifactName, ArtifactKinds.Objectives, buffer.ToArray(), "application/json");
    }

    /// <summary>Attaches (or replaces) the objective set of a registered version; audited.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="model">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="objectives">The set.</param>
    /// <param name="change">Who and why, for the audit log.</param>
    /// <param name="cancellationToken">Stops the operation.</param>
    /// <returns>The stored artifact.</returns>
    public static Task<ArtifactDescriptor> AttachObjectivesAsync(this IModelRegistry registry, string model, int version, ObjectiveSet objectives, RegistryChange change = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.AttachArtifactAsync(model, version, objectives.ToArtifact(), change, cancellationToken);
    }

    /// <summary>Loads a version's objective set, hash-verified.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="reference">The version.</param>
    /// <param name="cancellationToken">Stops the operation.</param>
    /// <returns>The set, or <see langword="null"/> when the version has none.</returns>
    /// <exception cref="ArtifactIntegrityException">The stored set is damaged.</exception>
    public static async Task<ObjectiveSet?> LoadObjectivesAsync(this IModelRegistry registry, ModelReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var version = await registry.GetAsync(reference, cancellationToken).ConfigureAwait(false);
        var artifact = version.Artifacts.LastOrDefault(a => a.Kind == ArtifactKinds.Objectives);
        if (artifact is null)
        {
            return null;
        }

        var stream = await registry.OpenArtifactAsync(version.Name, version.Version, artifact.Name, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            return ObjectiveSetJson.Load(copy);
        }
    }

    /// <summary>
    /// Checks a version against its stored objective set: its registered metrics, overridden and extended by
    /// <paramref name="measurements"/> (a latency measured in staging, a business value from live outcomes). What a
    /// promotion gate asks before it moves an alias.
    /// </summary>
    /// <param name="registry">The registry.</param>
    /// <param name="reference">The version.</param>
    /// <param name="measurements">Measurements that add to or replace the version's metrics; none by default.</param>
    /// <param name="cancellationToken">Stops the operation.</param>
    /// <returns>Each hard constraint's result.</returns>
    /// <exception cref="KeyNotFoundException">The version has no objective set.</exception>
    public static async Task<ObjectiveCheck> CheckObjectivesAsync(this IModelRegistry registry, ModelReference reference, IReadOnlyDictionary<string, double>? measurements = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var version = await registry.GetAsync(reference, cancellationToken).ConfigureAwait(false);
        var objectives = await registry.LoadObjectivesAsync(version.Reference, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"{version} has no objective set; attach one with AttachObjectivesAsync or register it with the version.");
        var values = new Dictionary<string, double>(version.Metrics, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in measurements ?? new Dictionary<string, double>())
        {
            values[name] = value;
        }

        return objectives.Check(values);
    }
}
