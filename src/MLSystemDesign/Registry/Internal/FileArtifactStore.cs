using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace MLSystemDesign.Registry.Internal;

/// <summary>
/// Artifacts in a folder, named by the SHA-256 of their content: <c>blobs/sha256/ab/abcd…</c>. Content is written to
/// this process's staging area (<c>staging/&lt;lease&gt;/</c>, owned through an exclusive lock on
/// <c>staging/&lt;lease&gt;.lock</c>), hashed while it is written, and renamed into place only when complete.
/// A lock held by a live process is what tells garbage collection to keep its staged content.
/// </summary>
internal sealed class FileArtifactStore : IArtifactStore, IDisposable
{
    private const int BufferSize = 1 << 16;
    private readonly string _blobs;
    private readonly string _staging;
    private readonly bool _flushToDisk;
    private readonly long _maxBuffered;
    private readonly Lock _gate = new();
    private FileStream? _leaseLock;
    private string? _lease;
    private bool _disposed;

    public FileArtifactStore(string root, bool flushToDisk = true, long maxBufferedBytes = 256L << 20)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        _blobs = Path.Combine(Root, "blobs", "sha256");
        _staging = Path.Combine(Root, "staging");
        _flushToDisk = flushToDisk;
        _maxBuffered = maxBufferedBytes;
    }

    public string Root { get; }

    /// <summary>Gets where a blob lives (whether or not it exists).</summary>
    public string PathOf(string sha256)
    {
        CheckHash(sha256);
        return Path.Combine(_blobs, sha256[..2], sha256);
    }

    public async ValueTask<StagedArtifact> StageAsync(Func<Stream, CancellationToken, ValueTask> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var lease = EnsureLease();
        var temp = Path.Combine(_staging, lease, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length;
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var hashing = new HashingWriteStream(file, hash);
                await write(hashing, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (_flushToDisk)
                {
                    file.Flush(flushToDisk: true);
                }

                length = hashing.BytesWritten;
            }

            return new FileStagedArtifact(this, temp, Convert.ToHexStringLower(hash.GetHashAndReset()), length, lease);
        }
        catch
        {
            TryDeleteFile(temp);
            throw;
        }
    }

    public async ValueTask PublishAsync(StagedArtifact staged, CancellationToken cancellationToken = default)
    {
        if (staged is not FileStagedArtifact file || !ReferenceEquals(file.Store, this))
        {
            throw new ArgumentException("The staged artifact was not staged by this store.", nameof(staged));
        }

        if (file.Published)
        {
            return;
        }

        var target = PathOf(file.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            File.Move(file.TempPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Identical content is already stored: keep it when it is sound, repair it when it is not.
            if (await CheckAsync(file.Sha256, file.Length, cancellationToken).ConfigureAwait(false) is null)
            {
                TryDeleteFile(file.TempPath);
            }
            else
            {
                File.Move(file.TempPath, target, overwrite: true);
            }
        }

        file.MarkPublished();
    }

    public async ValueTask<Stream> OpenReadAsync(string sha256, long length, CancellationToken cancellationToken = default)
    {
        var file = OpenBlob(sha256, length);
        try
        {
            if (length <= _maxBuffered)
            {
                var buffer = new byte[length];
                await file.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
                await file.DisposeAsync().ConfigureAwait(false);
                var actual = Convert.ToHexStringLower(SHA256.HashData(buffer));
                return actual == sha256
                    ? new MemoryStream(buffer, writable: false)
                    : throw new ArtifactIntegrityException(ArtifactProblem.Altered, sha256, actual, length, length);
            }

            var first = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
            if (first != sha256)
            {
                throw new ArtifactIntegrityException(ArtifactProblem.Altered, sha256, first, length, length);
            }

            file.Position = 0;
            return new VerifyingReadStream(file, sha256, length);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<ArtifactIntegrityException?> CheckAsync(string sha256, long length, CancellationToken cancellationToken = default)
    {
        FileStream file;
        try
        {
            file = OpenBlob(sha256, length);
        }
        catch (ArtifactIntegrityException ex)
        {
            return ex;
        }

        await using (file.ConfigureAwait(false))
        {
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
            return actual == sha256 ? null : new ArtifactIntegrityException(ArtifactProblem.Altered, sha256, actual, length, length);
        }
    }

    public async IAsyncEnumerable<GarbageItem> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_blobs))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(_blobs, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path);
            if (IsHash(name))
            {
                long length;
                try
                {
                    length = new FileInfo(path).Length;
                }
                catch (FileNotFoundException)
                {
                    continue;
                }

                yield return new GarbageItem("blob", name, length);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<bool> DeleteAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            return ValueTask.FromResult(false);
        }

        File.Delete(path);
        return ValueTask.FromResult(true);
    }

    public bool IsStagingOwnerAlive(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (owner == _lease)
        {
            return true;
        }

        if (!IsLeaseId(owner))
        {
            return false;
        }

        var probe = TryTakeAbandonedLock(Path.Combine(_staging, owner + ".lock"), out var alive);
        probe?.Dispose();
        return alive;
    }

    public ValueTask<IReadOnlyList<GarbageItem>> RemoveAbandonedStagingAsync(bool dryRun, CancellationToken cancellationToken = default)
    {
        var items = new List<GarbageItem>();
        if (!Directory.Exists(_staging))
        {
            return ValueTask.FromResult<IReadOnlyList<GarbageItem>>(items);
        }

        foreach (var lockPath in Directory.EnumerateFiles(_staging, "*.lock"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = Path.GetFileNameWithoutExtension(lockPath);
            if (id == _lease || !IsLeaseId(id))
            {
                continue;
            }

            var taken = TryTakeAbandonedLock(lockPath, out var alive);
            if (alive || taken is null)
            {
                continue;
            }

            var folder = Path.Combine(_staging, id);
            items.Add(new GarbageItem("staging", id, FolderBytes(folder)));
            if (!dryRun)
            {
                TryDeleteFolder(folder);
            }

            taken.Dispose();
            if (!dryRun)
            {
                TryDeleteFile(lockPath);
            }
        }

        // A staging folder whose lock file is gone belongs to nobody (the owner creates the lock first and removes it last).
        foreach (var folder in Directory.EnumerateDirectories(_staging))
        {
            var id = Path.GetFileName(folder);
            if (id != _lease && IsLeaseId(id) && !File.Exists(folder + ".lock") && !items.Exists(i => i.Id == id))
            {
                items.Add(new GarbageItem("staging", id, FolderBytes(folder)));
                if (!dryRun)
                {
                    TryDeleteFolder(folder);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<GarbageItem>>(items);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_lease is not null)
            {
                TryDeleteFolder(Path.Combine(_staging, _lease));
                _leaseLock?.Dispose();
                TryDeleteFile(Path.Combine(_staging, _lease + ".lock"));
            }
        }
    }

    internal static void CheckHash(string sha256)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (!IsHash(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a SHA-256: 64 lower-case hexadecimal digits are expected.", nameof(sha256));
        }
    }

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    private static bool IsHash(string text) => text.Length == 64 && !text.AsSpan().ContainsAnyExcept(LowerHex);

    private static bool IsLeaseId(string text) => text.Length == 32 && !text.AsSpan().ContainsAnyExcept(LowerHex);

    private FileStream OpenBlob(string sha256, long length)
    {
        var path = PathOf(sha256);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArtifactIntegrityException(ArtifactProblem.Missing, sha256, null, length, null, innerException: ex);
        }

        if (file.Length != length)
        {
            var actual = file.Length;
            file.Dispose();
            throw new ArtifactIntegrityException(ArtifactProblem.WrongLength, sha256, null, length, actual);
        }

        return file;
    }

    private string EnsureLease()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_lease is null)
            {
                Directory.CreateDirectory(_staging);
                var id = Guid.NewGuid().ToString("N");

                // The lock comes first and goes last: a folder without a lock belongs to nobody.
                _leaseLock = new FileStream(Path.Combine(_staging, id + ".lock"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                Directory.CreateDirectory(Path.Combine(_staging, id));
                _lease = id;
            }

            return _lease;
        }
    }

    /// <summary>Takes the lock of a staging area when its owner has ended; <paramref name="alive"/> tells whether it still runs.</summary>
    private static FileStream? TryTakeAbandonedLock(string lockPath, out bool alive)
    {
        try
        {
            alive = false;
            return new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            alive = false;
            return null;
        }
        catch (IOException)
        {
            alive = true;
            return null;
        }
    }

    private static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class FileStagedArtifact(FileArtifactStore store, string tempPath, string sha256, long length, string owner) : StagedArtifact
    {
        public FileArtifactStore Store { get; } = store;

        public string TempPath { get; } = tempPath;

        public bool Published { get; private set; }

        public override string Sha256 { get; } = sha256;

        public override long Length { get; } = length;

        public override string Owner { get; } = owner;

        public void MarkPublished() => Published = true;

        protected override ValueTask DisposeAsyncCore()
        {
            if (!Published)
            {
                TryDeleteFile(TempPath);
            }

            return ValueTask.CompletedTask;
        }
    }
}
