using System.Reflection;
using MLSystemDesign.Data;

namespace MLSystemDesign.Registry;

/// <summary>Where a model version came from: its data, its parent, its trainer, its code.</summary>
public sealed record ModelLineage
{
    /// <summary>Gets the data sets used (training, validation, test), with fingerprints. Empty by default.</summary>
    public IReadOnlyList<DatasetLineage> Datasets { get; init; } = [];

    /// <summary>Gets the version this one was derived from (retrained or fine-tuned), if any.</summary>
    public int? ParentVersion { get; init; }

    /// <summary>Gets the trainer's name, e.g. <c>lightgbm</c>.</summary>
    public string? Trainer { get; init; }

    /// <summary>Gets the code that trained the model, when known.</summary>
    public CodeVersion? Code { get; init; }
}

/// <summary>A data set a model version was trained or evaluated on.</summary>
/// <param name="Role">What the data was used for, e.g. <c>training</c>, <c>validation</c>, <c>test</c>.</param>
/// <param name="Description">A readable description: source, period, filters.</param>
/// <param name="Fingerprint">The data set's fingerprint, when computed.</param>
/// <param name="Location">Where it was read from (a path or URI), when known.</param>
public sealed record DatasetLineage(string Role, string? Description = null, DatasetFingerprint? Fingerprint = null, string? Location = null);

/// <summary>The version of the code that trained a model.</summary>
/// <param name="Assembly">The assembly name.</param>
/// <param name="Version">Its informational version without the source revision.</param>
/// <param name="SourceRevision">The source control revision the assembly was built from, when the build recorded one.</param>
public sealed record CodeVersion(string Assembly, string Version, string? SourceRevision = null)
{
    /// <summary>Reads the version of an assembly: its informational version, split at '+' into version and source revision.</summary>
    /// <param name="assembly">The assembly; usually the application's entry assembly.</param>
    /// <returns>The code version.</returns>
    public static CodeVersion FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var name = assembly.GetName();
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? name.Version?.ToString() ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0
            ? new CodeVersion(name.Name ?? "unknown", informational)
            : new CodeVersion(name.Name ?? "unknown", informational[..plus], informational[(plus + 1)..]);
    }
}
