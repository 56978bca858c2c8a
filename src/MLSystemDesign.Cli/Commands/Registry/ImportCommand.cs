using System.CommandLine;
using System.Globalization;
using MLSystemDesign.Registry;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;
using static MLSystemDesign.Cli.Commands.Registry.RegistryOutput;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry import</c>: imports a bundle as the next version of a model.</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
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
}
