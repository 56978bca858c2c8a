using System.CommandLine;
using System.Globalization;
using MLSystemDesign.Cli.Output;
using MLSystemDesign.Registry;
using Spectre.Console;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;
using static MLSystemDesign.Cli.Commands.Registry.RegistryOutput;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry show</c>: shows a version's artifacts, metrics, parameters, tags, lineage and aliases.</summary>
internal static class ShowCommand
{
    public static Command Create(CliContext context)
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
}
