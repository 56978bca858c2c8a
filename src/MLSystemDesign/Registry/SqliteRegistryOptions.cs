using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Registry;

/// <summary>Options of the embedded registry (SQLite metadata, content-addressed artifact folder); validated when the host starts.</summary>
public sealed class SqliteRegistryOptions : IValidatableObject
{
    /// <summary>The default root folder name, under the working directory.</summary>
    public const string DefaultFolderName = ".mlsd-registry";

    /// <summary>
    /// Gets or sets the registry's root folder: it holds <c>registry.db</c> (metadata), <c>blobs/</c> (artifacts by
    /// SHA-256) and <c>staging/</c>. Default <c>.mlsd-registry</c> under the working directory at the time the options
    /// are created. Created when missing.
    /// </summary>
    [Required(ErrorMessage = "RootPath is empty: give the registry's folder.")]
    public string RootPath { get; set; } = Path.Combine(Environment.CurrentDirectory, DefaultFolderName);

    /// <summary>
    /// Gets or sets how long a write waits for another writer (thread or process) before failing. Default 30 seconds;
    /// from 1 millisecond to 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how often <see cref="IModelRegistry.WatchAliasesAsync"/> polls for alias moves made by other
    /// processes: the upper bound of their notification latency. Moves made through the same registry instance are
    /// seen at once. Default 1 second; from 10 milliseconds to 1 hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan WatchPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets whether artifacts are flushed to the disk before their metadata commits, and SQLite runs with
    /// <c>synchronous=FULL</c>, so that a power cut loses no committed version. Default <see langword="true"/>;
    /// <see langword="false"/> keeps consistency after a process crash but not after a power cut.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>Gets or sets who is recorded as the actor when a change names none. Default the operating-system user name; at most 256 characters, no control characters.</summary>
    [Required]
    public string DefaultActor { get; set; } = string.IsNullOrEmpty(Environment.UserName) ? "unknown" : Environment.UserName;

    /// <summary>
    /// Gets or sets the largest artifact read into memory (verified, then served from memory). Larger artifacts are
    /// verified, then streamed from the file and verified again at the end. Default 256 MiB; from 0 to 2,147,483,591 (the largest array).
    /// </summary>
    [Range(typeof(long), "0", "2147483591", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public long MaxBufferedArtifactBytes { get; set; } = 256L << 20;

    /// <summary>
    /// Gets or sets the most bytes one import may bring in: the bundle's manifest and every artifact, counted as they
    /// inflate. A bundle that declares more is refused before an artifact is read, and an entry that inflates past the
    /// length its manifest declares is stopped there. Default 1 GiB (1,073,741,824 bytes); from 1 KiB to 1 TiB.
    /// </summary>
    [Range(typeof(long), "1024", "1099511627776", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
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

    /// <summary>The root folder is a valid path and the default actor is plain text.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(RootPath) && RootPath.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            yield return new ValidationResult($"RootPath '{RootPath}' holds characters that are not allowed in a path.", [nameof(RootPath)]);
        }

        string? actor = null;
        try
        {
            RegistryNames.ValidateText(nameof(DefaultActor), DefaultActor, 256, nameof(DefaultActor));
        }
        catch (ArgumentException ex)
        {
            actor = ex.Message;
        }

        if (actor is not null)
        {
            yield return new ValidationResult(actor, [nameof(DefaultActor)]);
        }
    }
}

/// <summary>Validates <see cref="SqliteRegistryOptions"/> (generated from its data annotations and its path and actor rules).</summary>
[OptionsValidator]
internal sealed partial class SqliteRegistryOptionsValidator : IValidateOptions<SqliteRegistryOptions>;
