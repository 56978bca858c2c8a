using Microsoft.Extensions.Options;

namespace MLSystemDesign.Registry;

/// <summary>Options of the embedded registry (SQLite metadata, content-addressed artifact folder); validated when the host starts.</summary>
public sealed class SqliteRegistryOptions
{
    /// <summary>The default root folder name, under the working directory.</summary>
    public const string DefaultFolderName = ".mlsd-registry";

    /// <summary>
    /// Gets or sets the registry's root folder: it holds <c>registry.db</c> (metadata), <c>blobs/</c> (artifacts by
    /// SHA-256) and <c>staging/</c>. Default <c>.mlsd-registry</c> under the working directory at the time the options
    /// are created. Created when missing.
    /// </summary>
    public string RootPath { get; set; } = Path.Combine(Environment.CurrentDirectory, DefaultFolderName);

    /// <summary>
    /// Gets or sets how long a write waits for another writer (thread or process) before failing. Default 30 seconds;
    /// from 1 millisecond to 10 minutes.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how often <see cref="IModelRegistry.WatchAliasesAsync"/> polls for alias moves made by other
    /// processes: the upper bound of their notification latency. Moves made through the same registry instance are
    /// seen at once. Default 1 second; from 10 milliseconds to 1 hour.
    /// </summary>
    public TimeSpan WatchPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets whether artifacts are flushed to the disk before their metadata commits, and SQLite runs with
    /// <c>synchronous=FULL</c>, so that a power cut loses no committed version. Default <see langword="true"/>;
    /// <see langword="false"/> keeps consistency after a process crash but not after a power cut.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>Gets or sets who is recorded as the actor when a change names none. Default the operating-system user name.</summary>
    public string DefaultActor { get; set; } = string.IsNullOrEmpty(Environment.UserName) ? "unknown" : Environment.UserName;

    /// <summary>
    /// Gets or sets the largest artifact read into memory (verified, then served from memory). Larger artifacts are
    /// verified, then streamed from the file and verified again at the end. Default 256 MiB; from 0 to 2 GiB.
    /// </summary>
    public long MaxBufferedArtifactBytes { get; set; } = 256L << 20;

    /// <summary>
    /// Gets or sets the most bytes one import may bring in: the bundle's manifest and every artifact, counted as they
    /// inflate. A bundle that declares more is refused before an artifact is read, and an entry that inflates past the
    /// length its manifest declares is stopped there. Default 1 GiB (1,073,741,824 bytes); from 1 KiB to 1 TiB.
    /// </summary>
    public long MaxImportBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Gets or sets whether every model artifact a registration or an import brings in is loaded once with the
    /// registered <see cref="MLSystemDesign.Models.IModelFormat"/> its format id names (and every feature-pipeline
    /// artifact parsed as JSON) before the version commits, so that an unknown format, a damaged or a cyclic model
    /// is refused instead of stored. Default <see langword="true"/>; <see langword="false"/> stores models in formats
    /// this process does not know (another process that does must have checked them).
    /// </summary>
    public bool CheckModelsLoad { get; set; } = true;

    /// <summary>Runs after a registration's artifacts are published and before its metadata commits (fault-injection tests).</summary>
    internal Func<CancellationToken, ValueTask>? BeforeCommit { get; set; }
}

/// <summary>Validates <see cref="SqliteRegistryOptions"/>.</summary>
internal sealed class SqliteRegistryOptionsValidator : IValidateOptions<SqliteRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteRegistryOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.RootPath))
        {
            failures.Add("RootPath is empty: give the registry's folder.");
        }
        else if (options.RootPath.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"RootPath '{options.RootPath}' holds characters that are not allowed in a path.");
        }

        if (options.BusyTimeout < TimeSpan.FromMilliseconds(1) || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"BusyTimeout must lie between 1 ms and 10 minutes; got {options.BusyTimeout}.");
        }

        if (options.WatchPollInterval < TimeSpan.FromMilliseconds(10) || options.WatchPollInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"WatchPollInterval must lie between 10 ms and 1 hour; got {options.WatchPollInterval}.");
        }

        if (options.MaxBufferedArtifactBytes < 0 || options.MaxBufferedArtifactBytes > Array.MaxLength)
        {
            failures.Add($"MaxBufferedArtifactBytes must lie between 0 and {Array.MaxLength}; got {options.MaxBufferedArtifactBytes}.");
        }

        if (options.MaxImportBytes < 1024 || options.MaxImportBytes > 1L << 40)
        {
            failures.Add($"MaxImportBytes must lie between 1,024 and 1,099,511,627,776 (1 TiB); got {options.MaxImportBytes}.");
        }

        try
        {
            RegistryNames.ValidateText("DefaultActor", options.DefaultActor, 256, nameof(options.DefaultActor));
            if (string.IsNullOrWhiteSpace(options.DefaultActor))
            {
                failures.Add("DefaultActor is empty.");
            }
        }
        catch (ArgumentException ex)
        {
            failures.Add(ex.Message);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
