namespace MLSystemDesign.Registry;

/// <summary>
/// A registration was refused because its model's bytes are identical to the model of a version the model already
/// has (active or archived): registering it would add a version with no change. Set
/// <see cref="NewModelVersion.AllowDuplicateModel"/> to register it anyway.
/// </summary>
public sealed class DuplicateModelVersionException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="existing">The version that already holds the model.</param>
    /// <param name="sha256">The model's SHA-256 (lower-case hex).</param>
    public DuplicateModelVersionException(ModelReference existing, string sha256)
        : base($"{existing} already holds this model (sha256 {sha256}); nothing was registered. Register it anyway with {nameof(NewModelVersion.AllowDuplicateModel)} (mlsd: --allow-duplicate).")
    {
        Existing = existing;
        Sha256 = sha256;
    }

    /// <summary>Gets the version that already holds the model.</summary>
    public ModelReference Existing { get; }

    /// <summary>Gets the model's SHA-256 (lower-case hex).</summary>
    public string Sha256 { get; }
}
