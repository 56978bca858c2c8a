namespace MLSystemDesign.Registry;

/// <summary>
/// A content-addressed store of artifacts: each blob is named by the SHA-256 of its content, written in two phases
/// (stage, then publish) so that a crash never leaves a half-written blob under a real name, and verified against its
/// hash on every read.
/// </summary>
public interface IArtifactStore
{
    /// <summary>
    /// Writes content to a staging area while hashing it. The staged content is invisible until
    /// <see cref="PublishAsync"/>; disposing the result without publishing discards it.
    /// </summary>
    /// <param name="write">Writes the content to the stream it is given (left open).</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>The staged content, its hash and length.</returns>
    ValueTask<StagedArtifact> StageAsync(Func<Stream, CancellationToken, ValueTask> write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves staged content to its content-addressed name. When identical content is already stored the staged copy
    /// is dropped; when the stored copy is damaged it is replaced.
    /// </summary>
    /// <param name="staged">Content from <see cref="StageAsync"/> of this store.</param>
    /// <param name="cancellationToken">Stops the move.</param>
    /// <returns>A task that completes when the content is stored under its hash.</returns>
    ValueTask PublishAsync(StagedArtifact staged, CancellationToken cancellationToken = default);

    /// <summary>Opens stored content for reading after checking its length and hash.</summary>
    /// <param name="sha256">The content hash (lower-case hex).</param>
    /// <param name="length">The recorded length in bytes.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>A readable stream over content that matches the hash.</returns>
    /// <exception cref="ArtifactIntegrityException">The content is missing, has another length, or hashes to another value.</exception>
    ValueTask<Stream> OpenReadAsync(string sha256, long length, CancellationToken cancellationToken = default);

    /// <summary>Re-hashes stored content.</summary>
    /// <param name="sha256">The content hash (lower-case hex).</param>
    /// <param name="length">The recorded length in bytes.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <returns><see langword="null"/> when the content is sound, else what is wrong.</returns>
    ValueTask<ArtifactIntegrityException?> CheckAsync(string sha256, long length, CancellationToken cancellationToken = default);

    /// <summary>Lists the stored blobs.</summary>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <returns>Each blob's hash and length.</returns>
    IAsyncEnumerable<GarbageItem> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes stored content.</summary>
    /// <param name="sha256">The content hash.</param>
    /// <param name="cancellationToken">Stops the deletion.</param>
    /// <returns><see langword="true"/> when a blob was deleted.</returns>
    ValueTask<bool> DeleteAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>Gets whether the process that owns a staging area is still running.</summary>
    /// <param name="owner">The <see cref="StagedArtifact.Owner"/> of staged content.</param>
    /// <returns><see langword="true"/> while the owner runs.</returns>
    bool IsStagingOwnerAlive(string owner);

    /// <summary>Finds (and unless <paramref name="dryRun"/>, removes) the staging areas of processes that ended without cleaning up.</summary>
    /// <param name="dryRun">When <see langword="true"/>, only lists them.</param>
    /// <param name="cancellationToken">Stops the clean-up.</param>
    /// <returns>The abandoned staging areas.</returns>
    ValueTask<IReadOnlyList<GarbageItem>> RemoveAbandonedStagingAsync(bool dryRun, CancellationToken cancellationToken = default);
}

/// <summary>Content written to a store's staging area and not yet published. Dispose to discard it when it is not published.</summary>
public abstract class StagedArtifact : IAsyncDisposable
{
    /// <summary>Gets the content's SHA-256 (lower-case hex).</summary>
    public abstract string Sha256 { get; }

    /// <summary>Gets the content length in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>Gets the id of the staging area (one per process) the content was written to.</summary>
    public abstract string Owner { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Discards the staged content if it was not published.</summary>
    /// <returns>A task that completes when the content is discarded.</returns>
    protected abstract ValueTask DisposeAsyncCore();
}
