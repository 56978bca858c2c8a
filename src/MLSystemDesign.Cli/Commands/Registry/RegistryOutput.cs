using System.Globalization;
using MLSystemDesign.Cli.Output;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary>How the registry subcommands write versions, alias moves, dates and text.</summary>
internal static class RegistryOutput
{
    public static object VersionJson(ModelVersion v) => new
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

    public static void WriteChange(CliContext context, AliasChange change, bool json)
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

    public static void Lines(TextWriter output, string title, IEnumerable<string> lines)
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

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Esc(string? text) => TerminalText.Markup(text);

    public static string Short(string? text) => text is null ? string.Empty : text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
}
