using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MLSystemDesign.Cli.Output;
using MLSystemDesign.Data;
using MLSystemDesign.Models;
using MLSystemDesign.Registry;
using Spectre.Console;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary>
/// <c>mlsd registry</c>: register, list, show, alias, history, card, verify, gc, export, import, archive and delete
/// against a registry folder. Every subcommand takes <c>--registry &lt;folder&gt;</c> and <c>--json</c>; several
/// processes may run against one registry at the same time.
/// </summary>
internal static class RegistryCommand
{
    public static Command Create(CliContext context) => new("registry", "Register, version, alias, verify and export models in an embedded registry (SQLite + content-addressed folder).")
    {
        RegisterCommand(context),
        ListCommand(context),
        ShowCommand(context),
        AliasCommand(context),
        HistoryCommand(context),
        CardCommand(context),
        VerifyCommand(context),
        GcCommand(context),
        ExportCommand(context),
        ImportCommand(context),
        StateCommand(context, "archive", "Archive a version (it leaves search and 'latest'; refused while an alias points at it)."),
        StateCommand(context, "delete", "Delete a version (its artifacts go at the next gc; its number is never reused; refused while an alias points at it)."),
    };

    private static Option<DirectoryInfo> RegistryOption() => new("--registry")
    {
        Description = $"The registry folder. Only register and import create one where there is none (and say so); every other command needs it to exist. Default: ./{SqliteRegistryOptions.DefaultFolderName}",
        DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Environment.CurrentDirectory, SqliteRegistryOptions.DefaultFolderName)),
    };

    private static Option<string?> ReasonOption() => new("--reason") { Description = "Why the change is made (recorded in the audit log)." };

    private static Option<string?> ActorOption() => new("--actor") { Description = "Who makes the change (default: the user name)." };

    private static Argument<string> ReferenceArgument(string description = "The version: <model>, <model>:<version> or <model>@<alias>.") => new("reference") { Description = description };

    /// <summary>
    /// A command with the shared options, whose action gets an open registry. A folder without a registry is an error
    /// unless the command <paramref name="creates"/> one (it then says so on the error writer), so a mistyped
    /// <c>--registry</c> never reads or changes a new, empty registry.
    /// </summary>
    private static Command Define(CliContext context, string name, string description, bool creates, Action<ParseResult, SqliteRegistryOptions>? configure, Func<ParseResult, IModelRegistry, bool, CancellationToken, Task<int>> action, params Symbol[] symbols)
    {
        var registry = RegistryOption();
        var json = CommonOptions.Json();
        var command = new Command(name, description) { registry, json };
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Command sub:
                    command.Subcommands.Add(sub);
                    break;
            }
        }

        command.SetAction(async (parse, ct) =>
        {
            var root = parse.GetRequiredValue(registry).FullName;
            var existed = File.Exists(Path.Combine(root, "registry.db"));
            if (!existed && !creates)
            {
                throw new DirectoryNotFoundException($"There is no registry at '{root}' (no registry.db there); check --registry. Only 'registry register' and 'registry import' create a registry.");
            }

            var services = new ServiceCollection()
                .AddMLSystem(ml => ml.AddMLNet().AddOnnx().UseSqliteRegistry(o =>
                {
                    o.RootPath = root;
                    configure?.Invoke(parse, o);
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
                    return await action(parse, opened, parse.GetValue(json), ct).ConfigureAwait(false);
                }
                finally
                {
                    if (!existed && File.Exists(Path.Combine(root, "registry.db")))
                    {
                        await context.Error.WriteLineAsync($"note: created a new registry at '{root}'.").ConfigureAwait(false);
                    }
                }
            }
        });
        return command;
    }

    private static Command RegisterCommand(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "The model name.", Required = true };
        var model = CommonOptions.ExistingFile("--model", "The model file.");
        var format = new Option<string>("--format") { Description = "The model format id.", DefaultValueFactory = _ => "mlnet-zip" };
        var features = new Option<FileInfo?>("--features") { Description = "The fitted features (JSON). Default: <model>.features.json when it exists (as written by 'mlsd train')." };
        var data = new Option<FileInfo>("--data") { Description = "The training data, fingerprinted for lineage." }.AcceptExistingOnly();
        var trainer = new Option<string?>("--trainer") { Description = "The trainer's name, for lineage." };
        var parent = new Option<int?>("--parent") { Description = "The version this one was derived from." };
        var tags = new Option<string[]>("--tag") { Description = "A tag key=value (repeatable).", AllowMultipleArgumentsPerToken = false };
        var metrics = new Option<string[]>("--metric") { Description = "A metric name=value (repeatable)." };
        var parameters = new Option<string[]>("--param") { Description = "A parameter name=value (repeatable)." };
        var description = new Option<string?>("--description") { Description = "What this version is." };
        var actor = ActorOption();
        return Define(context, "register", "Register a model file (with its fitted features and lineage) as the next version of a model; the registry loads it once with its format first.", creates: true, null, async (parse, registry, json, ct) =>
        {
            var modelPath = parse.GetRequiredValue(model).FullName;
            var formatId = parse.GetRequiredValue(format);
            _ = context.Services.GetRequiredService<IModelFormatResolver>().Get(formatId);
            var artifacts = new List<NewArtifact> { NewArtifact.FromFile(NewArtifact.ModelName, ArtifactKinds.Model, modelPath, formatId == "mlnet-zip" ? "application/zip" : "application/octet-stream", formatId) };
            var featuresPath = parse.GetValue(features)?.FullName ?? (File.Exists(modelPath + ".features.json") ? modelPath + ".features.json" : null);
            if (featuresPath is not null)
            {
                artifacts.Add(NewArtifact.FromFile(NewArtifact.FeaturesName, ArtifactKinds.FeaturePipeline, featuresPath, "application/json"));
            }

            var datasets = new List<DatasetLineage>();
            if (parse.GetValue(data) is { } dataFile)
            {
                var source = context.Services.GetRequiredService<IDataSourceFactory>().Open<TabularRecord>(dataFile.FullName);
                datasets.Add(new DatasetLineage("training", dataFile.Name, await source.ComputeFingerprintAsync(ct).ConfigureAwait(false), dataFile.FullName));
            }

            var version = await registry.RegisterAsync(new NewModelVersion
            {
                Name = parse.GetRequiredValue(name),
                Artifacts = artifacts,
                Description = parse.GetValue(description),
                Tags = Pairs(parse.GetValue(tags), "--tag"),
                Metrics = Pairs(parse.GetValue(metrics), "--metric").ToDictionary(p => p.Key, p => Metric(p.Key, p.Value)),
                Parameters = Pairs(parse.GetValue(parameters), "--param"),
                Lineage = new ModelLineage { Datasets = datasets, Trainer = parse.GetValue(trainer), ParentVersion = parse.GetValue(parent) },
                RegisteredBy = parse.GetValue(actor),
            }, ct).ConfigureAwait(false);
            if (json)
            {
                context.WriteJson(VersionJson(version));
            }
            else
            {
                context.Output.WriteLine($"registered {version.Name}:{version.Version} ({string.Join(", ", version.Artifacts.Select(a => $"{a.Name} {a.Sha256[..12]}"))})");
            }

            return ExitCodes.Success;
        }, name, model, format, features, data, trainer, parent, tags, metrics, parameters, description, actor);
    }

    private static Command ListCommand(CliContext context)
    {
        var model = new Argument<string?>("model") { Description = "List this model's versions; every model when left out.", Arity = ArgumentArity.ZeroOrOne };
        var tags = new Option<string[]>("--tag") { Description = "Only versions with this tag key=value, or key (repeatable)." };
        var orderBy = new Option<string?>("--order-by") { Description = "Order by this metric, best (largest) first." };
        var ascending = new Option<bool>("--ascending") { Description = "With --order-by: smallest first." };
        var archived = new Option<bool>("--include-archived") { Description = "Include archived versions." };
        var limit = new Option<int>("--limit") { Description = "At most this many versions (0: all).", DefaultValueFactory = _ => 0 };
        return Define(context, "list", "List models, or search a model's versions by tag and metric.", creates: false, null, async (parse, registry, json, ct) =>
        {
            var name = parse.GetValue(model);
            var tagFilters = parse.GetValue(tags) ?? [];
            if (name is null && tagFilters.Length == 0 && parse.GetValue(orderBy) is null)
            {
                var models = await registry.ListModelsAsync(ct).ConfigureAwait(false);
                if (json)
                {
                    context.WriteJson(models);
                }
                else
                {
                    var table = new Table().Border(TableBorder.Simple).AddColumns("model", "latest", "active", "aliases", "owner", "updated (UTC)");
                    foreach (var m in models)
                    {
                        table.AddRow(Esc(m.Name), m.LatestVersion.ToString(CultureInfo.InvariantCulture), m.ActiveVersions.ToString(CultureInfo.InvariantCulture), Esc(string.Join(", ", m.Aliases.Select(a => $"{a.Key}→{a.Value}"))), Esc(m.Owner ?? string.Empty), Date(m.UpdatedAt));
                    }

                    context.Console.Write(table);
                }

                return ExitCodes.Success;
            }

            var versions = await registry.SearchAsync(new ModelVersionQuery
            {
                Name = name,
                Tags = tagFilters.Select(t => t.IndexOf('=', StringComparison.Ordinal) is var i and >= 0 ? new TagFilter(t[..i], t[(i + 1)..]) : new TagFilter(t)).ToList(),
                OrderByMetric = parse.GetValue(orderBy),
                Descending = !parse.GetValue(ascending),
                IncludeArchived = parse.GetValue(archived),
                Limit = parse.GetValue(limit),
            }, ct).ConfigureAwait(false);
            if (json)
            {
                context.WriteJson(versions.Select(VersionJson));
            }
            else
            {
                var table = new Table().Border(TableBorder.Simple).AddColumns("version", "state", "registered (UTC)", "by", "aliases", "metrics", "tags");
                foreach (var v in versions)
                {
                    table.AddRow(Esc(v.ToString()), v.State.ToString().ToLowerInvariant(), Date(v.RegisteredAt), Esc(v.RegisteredBy), Esc(string.Join(", ", v.Aliases)), Esc(string.Join(", ", v.Metrics.Select(m => $"{m.Key}={m.Value.ToString("0.####", CultureInfo.InvariantCulture)}"))), Esc(string.Join(", ", v.Tags.Select(t => $"{t.Key}={t.Value}"))));
                }

                context.Console.Write(table);
            }

            return ExitCodes.Success;
        }, model, tags, orderBy, ascending, archived, limit);
    }

    private static Command ShowCommand(CliContext context)
    {
        var reference = ReferenceArgument();
        return Define(context, "show", "Show a version: artifacts and hashes, metrics, parameters, tags, lineage, aliases.", creates: false, null, async (parse, registry, json, ct) =>
        {
            var version = await registry.GetAsync(ModelReference.Parse(parse.GetRequiredValue(reference)), ct).ConfigureAwait(false);
            if (json)
            {
                context.WriteJson(VersionJson(version));
                return ExitCodes.Success;
            }

            var o = context.Output;
            o.WriteLine($"{version} ({version.State.ToString().ToLowerInvariant()}), registered {Date(version.RegisteredAt)} UTC by {version.RegisteredBy}");
            if (version.Aliases.Count > 0)
            {
                o.WriteLine($"aliases: {string.Join(", ", version.Aliases)}");
            }

            if (version.Description is not null)
            {
                o.WriteLine($"description: {TerminalText.OneLine(version.Description)}");
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("artifact", "kind", "format", "bytes", "sha256");
            foreach (var a in version.Artifacts)
            {
                table.AddRow(Esc(a.Name), Esc(a.Kind), Esc(a.FormatId ?? string.Empty), a.Length.ToString("N0", CultureInfo.InvariantCulture), a.Sha256);
            }

            context.Console.Write(table);
            Lines(o, "metrics", version.Metrics.Select(m => $"{m.Key} = {m.Value.ToString("0.######", CultureInfo.InvariantCulture)}"));
            Lines(o, "parameters", version.Parameters.Select(p => $"{p.Key} = {TerminalText.OneLine(p.Value)}"));
            Lines(o, "tags", version.Tags.Select(t => $"{t.Key} = {TerminalText.OneLine(t.Value)}"));
            var lineage = version.Lineage;
            Lines(o, "lineage", lineage.Datasets.Select(d => $"{d.Role}: {d.Description ?? d.Location} {(d.Fingerprint is { } f ? $"(rows {f.RowCount}, content {f.ContentHash[..Math.Min(12, f.ContentHash.Length)]})" : string.Empty)}")
                .Concat(lineage.Trainer is null ? [] : [$"trainer: {lineage.Trainer}"])
                .Concat(lineage.ParentVersion is null ? [] : [$"parent version: {lineage.ParentVersion}"])
                .Concat(lineage.Code is null ? [] : [$"code: {lineage.Code.Assembly} {lineage.Code.Version}{(lineage.Code.SourceRevision is null ? string.Empty : $" ({lineage.Code.SourceRevision})")}"]));
            return ExitCodes.Success;
        }, reference);
    }

    private static Command AliasCommand(CliContext context)
    {
        var set = Define(context, "set", "Point an alias at a version (moves it atomically; audited).", creates: false, null, async (parse, registry, json, ct) =>
        {
            var change = await registry.SetAliasAsync(parse.GetRequiredValue(AliasArgs.Model), parse.GetRequiredValue(AliasArgs.Alias), parse.GetRequiredValue(AliasArgs.Version), new RegistryChange(parse.GetValue(AliasArgs.Reason), parse.GetValue(AliasArgs.Actor)), ct).ConfigureAwait(false);
            WriteChange(context, change, json);
            return ExitCodes.Success;
        }, AliasArgs.Model, AliasArgs.Alias, AliasArgs.Version, AliasArgs.Reason, AliasArgs.Actor);
        var remove = Define(context, "remove", "Remove an alias (audited).", creates: false, null, async (parse, registry, json, ct) =>
        {
            var change = await registry.RemoveAliasAsync(parse.GetRequiredValue(AliasArgs.Model), parse.GetRequiredValue(AliasArgs.Alias), new RegistryChange(parse.GetValue(AliasArgs.Reason), parse.GetValue(AliasArgs.Actor)), ct).ConfigureAwait(false);
            WriteChange(context, change, json);
            return ExitCodes.Success;
        }, AliasArgs.Model, AliasArgs.Alias, AliasArgs.Reason, AliasArgs.Actor);
        return new Command("alias", "Set or remove an alias such as champion or challenger.") { set, remove };
    }

    private static Command HistoryCommand(CliContext context)
    {
        var model = new Argument<string?>("model") { Description = "Only this model's history; every model's when left out.", Arity = ArgumentArity.ZeroOrOne };
        var version = new Option<int?>("--version") { Description = "Only entries about this version." };
        var alias = new Option<string?>("--alias") { Description = "With --at: which version this alias pointed at, at that time." };
        var at = new Option<DateTimeOffset?>("--at") { Description = "With --alias: the time (ISO 8601, e.g. 2024-03-01T12:00:00Z)." };
        return Define(context, "history", "Show the audit log (the chain of decisions), or which version an alias pointed at, at a time.", creates: false, null, async (parse, registry, json, ct) =>
        {
            var name = parse.GetValue(model);
            if (parse.GetValue(alias) is { } aliasName)
            {
                var time = parse.GetValue(at) ?? throw new ArgumentException("--alias needs --at <time>.");
                var then = await registry.GetAliasAtAsync(name ?? throw new ArgumentException("--alias needs the model argument."), aliasName, time, ct).ConfigureAwait(false);
                if (json)
                {
                    context.WriteJson(new { Model = name, Alias = aliasName, At = time, Version = then });
                }
                else
                {
                    context.Output.WriteLine(then is { } v ? $"{name}@{aliasName} pointed at version {v} at {time:O}" : $"{name}@{aliasName} pointed nowhere at {time:O}");
                }

                return ExitCodes.Success;
            }

            var entries = await registry.GetHistoryAsync(name, parse.GetValue(version), ct).ConfigureAwait(false);
            if (json)
            {
                context.WriteJson(entries);
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("#", "when (UTC)", "who", "action", "model", "version", "subject", "before", "after", "why");
            foreach (var e in entries)
            {
                table.AddRow(e.Sequence.ToString(CultureInfo.InvariantCulture), Date(e.At), Esc(e.Actor), e.Action.ToString(), Esc(e.Model), e.Version?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, Esc(e.Subject ?? string.Empty), Esc(Short(e.Before)), Esc(Short(e.After)), Esc(e.Reason ?? string.Empty));
            }

            context.Console.Write(table);
            return ExitCodes.Success;
        }, model, version, alias, at);
    }

    private static Command CardCommand(CliContext context)
    {
        var reference = ReferenceArgument();
        var output = new Option<FileInfo?>("--out") { Description = "Also write the card to this file." };
        return Define(context, "card", "Generate the version's model card (Markdown), store it with the version, and print it.", creates: false, null, async (parse, registry, json, ct) =>
        {
            var card = await registry.WriteModelCardAsync(ModelReference.Parse(parse.GetRequiredValue(reference)), default, ct).ConfigureAwait(false);
            if (parse.GetValue(output) is { } file)
            {
                Directory.CreateDirectory(file.DirectoryName!);
                await File.WriteAllTextAsync(file.FullName, card.Markdown, ct).ConfigureAwait(false);
            }

            if (json)
            {
                context.WriteJson(new { card.Artifact, File = parse.GetValue(output)?.FullName, card.Markdown });
            }
            else
            {
                context.Output.Write(card.Markdown);
            }

            return ExitCodes.Success;
        }, reference, output);
    }

    private static Command VerifyCommand(CliContext context)
    {
        var reference = new Argument<string?>("reference") { Description = "Only this version; every version when left out.", Arity = ArgumentArity.ZeroOrOne };
        return Define(context, "verify", "Re-hash every stored artifact; exit 1 naming each missing, truncated or altered one.", creates: false, null, async (parse, registry, json, ct) =>
        {
            var only = parse.GetValue(reference) is { } text ? ModelReference.Parse(text) : (ModelReference?)null;
            var report = await registry.VerifyAsync(only, ct).ConfigureAwait(false);
            if (json)
            {
                context.WriteJson(new
                {
                    report.IsSound,
                    report.ArtifactsChecked,
                    report.BytesChecked,
                    Damaged = report.Damaged.Select(d => new { d.Model, d.Version, d.Artifact, d.Problem, d.ExpectedSha256, d.ActualSha256, d.ExpectedLength, d.ActualLength, d.Message }),
                });
            }
            else
            {
                foreach (var damage in report.Damaged)
                {
                    context.Output.WriteLine($"DAMAGED {damage.Model}:{damage.Version} {damage.Artifact}: {damage.Message}");
                }

                context.Output.WriteLine($"{report.ArtifactsChecked} artifacts ({report.BytesChecked:N0} bytes) checked; {(report.IsSound ? "all sound" : $"{report.Damaged.Count} damaged")}.");
            }

            return report.IsSound ? ExitCodes.Success : ExitCodes.CheckFailed;
        }, reference);
    }

    private static Command GcCommand(CliContext context)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be removed; remove nothing." };
        return Define(context, "gc", "Remove artifacts no version references and staging left by processes that ended mid-registration.", creates: false, null, async (parse, registry, json, ct) =>
        {
            var report = await registry.CollectGarbageAsync(parse.GetValue(dryRun), ct).ConfigureAwait(false);
            if (json)
            {
                context.WriteJson(new { report.DryRun, report.Bytes, report.Items });
            }
            else
            {
                foreach (var item in report.Items)
                {
                    context.Output.WriteLine($"{(report.DryRun ? "would remove" : "removed")} {item.Kind} {item.Id} ({item.Bytes:N0} bytes)");
                }

                context.Output.WriteLine($"{report.Items.Count} items, {report.Bytes:N0} bytes {(report.DryRun ? "would be freed (dry run)" : "freed")}.");
            }

            return ExitCodes.Success;
        }, dryRun);
    }

    private static Command ExportCommand(CliContext context)
    {
        var reference = ReferenceArgument();
        var output = new Option<FileInfo>("--out") { Description = "The bundle file to write (.zip).", Required = true };
        return Define(context, "export", "Write a version (metadata, artifacts, audit trail) as one bundle file.", creates: false, null, async (parse, registry, json, ct) =>
        {
            var file = parse.GetRequiredValue(output);
            Directory.CreateDirectory(file.DirectoryName!);
            var reference2 = ModelReference.Parse(parse.GetRequiredValue(reference));
            var temp = file.FullName + ".partial";
            try
            {
                var stream = File.Create(temp);
                await using (stream.ConfigureAwait(false))
                {
                    await registry.ExportAsync(reference2, stream, ct).ConfigureAwait(false);
                }

                File.Move(temp, file.FullName, overwrite: true);
            }
            finally
            {
                // A failed export leaves nothing behind (the target, if it existed, is untouched).
                File.Delete(temp);
            }

            if (json)
            {
                context.WriteJson(new { Bundle = file.FullName, Bytes = new FileInfo(file.FullName).Length });
            }
            else
            {
                context.Output.WriteLine($"exported {reference2} to {file.FullName}");
            }

            return ExitCodes.Success;
        }, reference, output);
    }

    private static Command ImportCommand(CliContext context)
    {
        var bundle = new Argument<FileInfo>("bundle") { Description = "The bundle file written by export." }.AcceptExistingOnly();
        var name = new Option<string?>("--name") { Description = "Import into this model (default: the bundle's model name)." };
        var reason = ReasonOption();
        var actor = ActorOption();
        var maxBytes = new Option<long>("--max-bytes")
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"The most bytes the bundle may inflate to (manifest and artifacts); a bundle that declares or inflates to more is refused. Default: {new SqliteRegistryOptions().MaxImportBytes:N0} (1 GiB)."),
            DefaultValueFactory = _ => new SqliteRegistryOptions().MaxImportBytes,
        };
        return Define(context, "import", "Import a bundle as the next version of a model, checked as a registration is (names, limits, models that load) and every artifact's hash verified.", creates: true, (parse, o) => o.MaxImportBytes = parse.GetValue(maxBytes), async (parse, registry, json, ct) =>
        {
            var path = parse.GetRequiredValue(bundle).FullName;
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                ModelVersion version;
                try
                {
                    version = await registry.ImportAsync(stream, parse.GetValue(name), new RegistryChange(parse.GetValue(reason), parse.GetValue(actor)), ct).ConfigureAwait(false);
                }
                catch (ArtifactIntegrityException ex)
                {
                    throw new InvalidDataException($"Bundle '{path}': {ex.Message}", ex);
                }

                if (json)
                {
                    context.WriteJson(VersionJson(version));
                }
                else
                {
                    context.Output.WriteLine($"imported {version} ({version.Artifacts.Count} artifacts verified)");
                }
            }

            return ExitCodes.Success;
        }, bundle, name, reason, actor, maxBytes);
    }

    private static Command StateCommand(CliContext context, string verb, string description)
    {
        var reference = ReferenceArgument("The version: <model>:<version>.");
        var reason = ReasonOption();
        var actor = ActorOption();
        return Define(context, verb, description, creates: false, null, async (parse, registry, json, ct) =>
        {
            var target = ModelReference.Parse(parse.GetRequiredValue(reference));
            var number = target.Version ?? throw new ArgumentException($"{verb} needs an exact version: <model>:<version>.");
            var change = new RegistryChange(parse.GetValue(reason), parse.GetValue(actor));
            if (verb == "archive")
            {
                await registry.ArchiveAsync(target.Name, number, change, ct).ConfigureAwait(false);
            }
            else
            {
                await registry.DeleteAsync(target.Name, number, change, ct).ConfigureAwait(false);
            }

            if (json)
            {
                context.WriteJson(new { Model = target.Name, Version = number, State = verb == "archive" ? "archived" : "deleted" });
            }
            else
            {
                context.Output.WriteLine($"{(verb == "archive" ? "archived" : "deleted")} {target}");
            }

            return ExitCodes.Success;
        }, reference, reason, actor);
    }

    /// <summary>A metric value from the command line: a finite number (NaN and ±Infinity could never be ordered or compared).</summary>
    private static double Metric(string name, string text) =>
        !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? throw new ArgumentException($"--metric {name}={text}: '{text}' is not a number.")
            : double.IsFinite(value) ? value : throw new ArgumentException($"--metric {name}={text}: a metric must be a finite number; NaN and Infinity are refused.");

    private static Dictionary<string, string> Pairs(string[]? items, string option)
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

    private static object VersionJson(ModelVersion v) => new
    {
        Model = v.Name,
        v.Version,
        v.State,
        v.RegisteredAt,
        v.RegisteredBy,
        v.Description,
        v.Aliases,
        v.Artifacts,
        v.Metrics,
        v.Parameters,
        v.Tags,
        v.Lineage,
        FeatureSlots = v.FeatureSchema?.SlotNames,
    };

    private static void WriteChange(CliContext context, AliasChange change, bool json)
    {
        if (json)
        {
            context.WriteJson(change);
        }
        else
        {
            context.Output.WriteLine(change.Version is { } v
                ? $"{change.Model}@{change.Alias} -> {v}{(change.PreviousVersion is { } p && p != v ? $" (was {p})" : string.Empty)}"
                : $"{change.Model}@{change.Alias} removed (was {change.PreviousVersion})");
        }
    }

    private static void Lines(TextWriter output, string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (list.Count > 0)
        {
            output.WriteLine($"{title}:");
            foreach (var line in list)
            {
                output.WriteLine($"  {line}");
            }
        }
    }

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Esc(string? text) => TerminalText.Markup(text);

    private static string Short(string? text) => text is null ? string.Empty : text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

    /// <summary>The arguments of <c>alias set</c> and <c>alias remove</c>.</summary>
    private static class AliasArgs
    {
        public static readonly Argument<string> Model = new("model") { Description = "The model name." };
        public static readonly Argument<string> Alias = new("alias") { Description = "The alias, e.g. champion." };
        public static readonly Argument<int> Version = new("version") { Description = "The version to point at." };
        public static readonly Option<string?> Reason = ReasonOption();
        public static readonly Option<string?> Actor = ActorOption();
    }
}
