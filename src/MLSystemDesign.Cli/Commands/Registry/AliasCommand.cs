using System.CommandLine;
using MLSystemDesign.Registry;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;
using static MLSystemDesign.Cli.Commands.Registry.RegistryOutput;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry alias set|remove</c>: moves or removes an alias such as champion (audited).</summary>
internal static class AliasCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "The model name." };
        var alias = new Argument<string>("alias") { Description = "The alias, e.g. champion." };
        var version = new Argument<int>("version") { Description = "The version to point at." };
        var reason = ReasonOption();
        var actor = ActorOption();
        var set = Define(context, "set", "Point an alias at a version (moves it atomically; audited).", creates: false, null, async (parse, registry, json, ct) =>
        {
            var change = await registry.SetAliasAsync(parse.GetRequiredValue(model), parse.GetRequiredValue(alias), parse.GetRequiredValue(version), new RegistryChange(parse.GetValue(reason), parse.GetValue(actor)), ct).ConfigureAwait(false);
            WriteChange(context, change, json);
            return ExitCodes.Success;
        }, model, alias, version, reason, actor);
        var remove = Define(context, "remove", "Remove an alias (audited).", creates: false, null, async (parse, registry, json, ct) =>
        {
            var change = await registry.RemoveAliasAsync(parse.GetRequiredValue(model), parse.GetRequiredValue(alias), new RegistryChange(parse.GetValue(reason), parse.GetValue(actor)), ct).ConfigureAwait(false);
            WriteChange(context, change, json);
            return ExitCodes.Success;
        }, model, alias, reason, actor);
        return new Command("alias", "Set or remove an alias such as champion or challenger.") { set, remove };
    }
}
