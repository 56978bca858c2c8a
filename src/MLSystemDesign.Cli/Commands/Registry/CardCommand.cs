using System.CommandLine;
using MLSystemDesign.Registry;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry card</c>: generates, stores and prints a version's model card.</summary>
internal static class CardCommand
{
    public static Command Create(CliContext context)
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
}
