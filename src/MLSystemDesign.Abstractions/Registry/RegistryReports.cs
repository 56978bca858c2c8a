namespace MLSystemDesign.Registry;

/// <summary>The result of re-hashing stored artifacts.</summary>
/// <param name="ArtifactsChecked">How many artifacts were checked.</param>
/// <param name="BytesChecked">How many bytes were hashed.</param>
/// <param name="Damaged">Each missing, truncated or altered artifact, naming the model, version and artifact.</param>
public sealed record VerificationReport(int ArtifactsChecked, long BytesChecked, IReadOnlyList<ArtifactIntegrityException> Damaged)
{
    /// <summary>Gets whether every artifact is sound.</summary>
    public bool IsSound => Damaged.Count == 0;
}

/// <summary>What garbage collection removes (or, in a dry run, would remove).</summary>
/// <param name="Kind">
/// <c>blob</c> (content no version references), <c>staging</c> (the staging area of a process that ended
/// during a registration) or <c>pending</c> (a staging record of such a process).
/// </param>
/// <param name="Id">The blob's SHA-256, or the staging area's id.</param>
/// <param name="Bytes">The bytes it takes.</param>
public sealed record GarbageItem(string Kind, string Id, long Bytes);

/// <summary>The result of a garbage collection.</summary>
/// <param name="DryRun">Whether nothing was removed (the items are what would go).</param>
/// <param name="Items">What was (or would be) removed.</param>
public sealed record GarbageCollectionReport(bool DryRun, IReadOnlyList<GarbageItem> Items)
{
    /// <summary>Gets the bytes freed (or that would be).</summary>
    public long Bytes => Items.Sum(i => i.Bytes);
}
