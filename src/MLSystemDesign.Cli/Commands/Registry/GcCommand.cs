using System.CommandLine;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry gc</c>: removes unreferenced artifacts and abandoned staging.</summary>
internal static class GcCommand
{
    public static Command Create(CliContext context)
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
}
