using System.CommandLine;
using MLSystemDesign.Registry;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry archive</c> and <c>mlsd registry delete</c>: change a version's state (audited).</summary>
internal static class StateCommand
{
    public static Command Create(CliContext context, string verb, string description)
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
}
