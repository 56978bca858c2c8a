using System.CommandLine;
using MLSystemDesign.Registry;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry export</c>: writes a version as one bundle file.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
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
}
