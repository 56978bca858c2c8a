using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MLSystemDesign.Data;
using MLSystemDesign.Models;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary>
/// The one way the CLI opens a registry and registers a model in it, shared by <c>registry register</c>,
/// <c>registry import</c> and <c>train --register</c>: the same folder check, the same artifacts (model with its
/// format, fitted features), the same parsing of metrics and pairs, and the same report. What a version may hold is
/// checked by the registry itself, on one path for registration and import.
/// </summary>
internal static class ModelRegistration
{
    /// <summary>
    /// Opens the registry at <paramref name="root"/> and runs <paramref name="action"/> on it. A folder without a
    /// registry is an error unless the caller <paramref name="creates"/> one (it then says so on the error writer), so
    /// a mistyped <c>--registry</c> never reads or changes a new, empty registry.
    /// </summary>
    public static async Task<T> OpenAsync<T>(CliContext context, string root, bool creates, Action<SqliteRegistryOptions>? configure, Func<IModelRegistry, Task<T>> action)
    {
        var existed = File.Exists(Path.Combine(root, "registry.db"));
        if (!existed && !creates)
        {
            throw new DirectoryNotFoundException($"There is no registry at '{root}' (no registry.db there); check --registry. Only 'registry register' and 'registry import' create a registry.");
        }

        var services = new ServiceCollection()
            .AddMLSystem(ml => ml.AddMLNet().AddOnnx().UseSqliteRegistry(o =>
            {
                o.RootPath = root;
                configure?.Invoke(o);
            }))
            .BuildServiceProvider();
        await using (services.ConfigureAwait(false))
        {
            IModelRegistry opened;
            try
            {
                opened = services.GetRequiredService<IModelRegistry>();
            }
            catch (OptionsValidationException ex)
            {
                throw new ArgumentException($"The registry options are not valid: {string.Join(" ", ex.Failures)}", ex);
            }

            try
            {
                return await action(opened).ConfigureAwait(false);
            }
            finally
            {
                if (!existed && File.Exists(Path.Combine(root, "registry.db")))
                {
                    await context.Error.WriteLineAsync($"note: created a new registry at '{root}'.").ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The artifacts of a model file: the model with its format (which must be registered) and, when there is one, its fitted features.</summary>
    public static List<NewArtifact> Artifacts(CliContext context, string modelPath, string formatId, string? featuresPath)
    {
        _ = context.Services.GetRequiredService<IModelFormatResolver>().Get(formatId);
        var artifacts = new List<NewArtifact> { NewArtifact.FromFile(NewArtifact.ModelName, ArtifactKinds.Model, modelPath, formatId == "mlnet-zip" ? "application/zip" : "application/octet-stream", formatId) };
        if (featuresPath is not null)
        {
            artifacts.Add(NewArtifact.FromFile(NewArtifact.FeaturesName, ArtifactKinds.FeaturePipeline, featuresPath, "application/json"));
        }

        return artifacts;
    }

    /// <summary>The training data's lineage: its name, location and fingerprint.</summary>
    public static async Task<DatasetLineage> TrainingDataAsync(CliContext context, FileInfo data, CancellationToken cancellationToken)
    {
        var source = context.Services.GetRequiredService<IDataSourceFactory>().Open<TabularRecord>(data.FullName);
        return new DatasetLineage("training", data.Name, await source.ComputeFingerprintAsync(cancellationToken).ConfigureAwait(false), data.FullName);
    }

    /// <summary>Metrics from <c>--metric name=value</c> items.</summary>
    public static Dictionary<string, double> Metrics(string[]? items) =>
        Pairs(items, "--metric").ToDictionary(p => p.Key, p => Metric(p.Key, p.Value), StringComparer.Ordinal);

    /// <summary>A metric value from the command line: a finite number (NaN and ±Infinity could never be ordered or compared).</summary>
    public static double Metric(string name, string text) =>
        !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? throw new ArgumentException($"--metric {name}={text}: '{text}' is not a number.")
            : double.IsFinite(value) ? value : throw new ArgumentException($"--metric {name}={text}: a metric must be a finite number; NaN and Infinity are refused.");

    /// <summary>key=value items of a repeatable option; a later key replaces an earlier one.</summary>
    public static Dictionary<string, string> Pairs(string[]? items, string option)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            var i = item.IndexOf('=', StringComparison.Ordinal);
            if (i <= 0)
            {
                throw new ArgumentException($"{option} '{item}' is not key=value.");
            }

            result[item[..i]] = item[(i + 1)..];
        }

        return result;
    }

    /// <summary>
    /// Registers a version and, when it was registered, points <paramref name="alias"/> at it. Model bytes identical to
    /// an existing version's are not registered again unless the version allows it: the outcome names that version,
    /// and the alias is not moved, so re-running a reproducible script changes nothing.
    /// </summary>
    public static async Task<RegistrationOutcome> RegisterAsync(IModelRegistry registry, NewModelVersion version, string? alias, CancellationToken cancellationToken)
    {
        ModelVersion registered;
        try
        {
            registered = await registry.RegisterAsync(version, cancellationToken).ConfigureAwait(false);
        }
        catch (DuplicateModelVersionException ex)
        {
            return new RegistrationOutcome(null, null, ex);
        }

        var change = alias is null
            ? null
            : await registry.SetAliasAsync(registered.Name, alias, registered.Version, new RegistryChange("set when registered", version.RegisteredBy), cancellationToken).ConfigureAwait(false);
        return new RegistrationOutcome(change is null ? registered : await registry.GetAsync(registered.Reference, cancellationToken).ConfigureAwait(false), change, null);
    }

    /// <summary>Writes an outcome: the version (JSON or one line), the alias move, or the version that already holds the model.</summary>
    public static void Write(CliContext context, RegistrationOutcome outcome, bool json)
    {
        if (json)
        {
            context.WriteJson(outcome.Json());
            return;
        }

        if (outcome.Duplicate is { } duplicate)
        {
            context.Output.WriteLine($"not registered: {duplicate.Existing} already holds this model (sha256 {duplicate.Sha256[..12]}); pass --allow-duplicate to register it again.");
            return;
        }

        var v = outcome.Version!;
        context.Output.WriteLine($"registered {v.Name}:{v.Version} ({string.Join(", ", v.Artifacts.Select(a => $"{a.Name} {a.Sha256[..12]}"))})");
        if (outcome.Alias is { } change)
        {
            RegistryOutput.WriteChange(context, change, json: false);
        }
    }
}

/// <summary>What a registration did: the version it registered (and the alias it moved), or the duplicate it refused.</summary>
internal sealed record RegistrationOutcome(ModelVersion? Version, AliasChange? Alias, DuplicateModelVersionException? Duplicate)
{
    /// <summary>The outcome as JSON: the registered version as <c>registry show --json</c> writes it, or <c>registered: false</c> with the version that already holds the model.</summary>
    public object Json() => Duplicate is { } d
        ? new { Registered = false, DuplicateOf = d.Existing.ToString(), d.Sha256, Message = d.Message }
        : RegistryOutput.VersionJson(Version!);
}
