using MLSystemDesign.Registry;

namespace MLSystemDesign.Monitoring;

/// <summary>Stores a <see cref="ReferenceProfile"/> as an artifact of a model version, and loads it back verified.</summary>
public static class ReferenceProfileRegistryExtensions
{
    /// <summary>The artifact name a reference profile is stored under by default.</summary>
    public const string ArtifactName = "reference-profile";

    /// <summary>Turns a profile into an artifact to register with a new version (kind <see cref="ArtifactKinds.ReferenceProfile"/>, JSON).</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="name">The artifact's name. Default <c>reference-profile</c>.</param>
    /// <returns>The artifact.</returns>
    public static NewArtifact ToArtifact(this ReferenceProfile profile, string name = ArtifactName)
    {
        ArgumentNullException.ThrowIfNull(profile);
        using var buffer = new MemoryStream();
        profile.Save(buffer);
        return NewArtifact.FromBytes(name, ArtifactKinds.ReferenceProfile, buffer.ToArray(), "application/json");
    }

    /// <summary>Attaches a profile to an existing version (audited; an attached profile cannot be replaced).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="model">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="profile">The profile.</param>
    /// <param name="change">Who and why, for the audit log.</param>
    /// <param name="cancellationToken">Stops the operation.</param>
    /// <returns>The stored artifact.</returns>
    public static Task<ArtifactDescriptor> AttachReferenceProfileAsync(this IModelRegistry registry, string model, int version, ReferenceProfile profile, RegistryChange change = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.AttachArtifactAsync(model, version, profile.ToArtifact(), change, cancellationToken);
    }

    /// <summary>Loads a version's reference profile; the registry verifies its hash while it is read.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="model">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="artifact">The artifact's name. Default <c>reference-profile</c>.</param>
    /// <param name="cancellationToken">Stops the operation.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArtifactIntegrityException">The stored profile is damaged.</exception>
    public static async Task<ReferenceProfile> LoadReferenceProfileAsync(this IModelRegistry registry, string model, int version, string artifact = ArtifactName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var stream = await registry.OpenArtifactAsync(model, version, artifact, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            return ReferenceProfile.Load(copy);
        }
    }
}
