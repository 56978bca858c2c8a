using System.CommandLine;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary>
/// <c>mlsd registry</c>: register, list, show, alias, history, card, verify, gc, export, import, archive and delete
/// against a registry folder. Every subcommand takes <c>--registry &lt;folder&gt;</c> and <c>--json</c>; several
/// processes may run against one registry at the same time. Each subcommand lives in its own file; what they share
/// is in <see cref="RegistryCommandBuilder"/>, <see cref="RegistryOutput"/> and <see cref="ModelRegistration"/>.
/// </summary>
internal static class RegistryCommand
{
    public static Command Create(CliContext context) => new("registry", "Register, version, alias, verify and export models in an embedded registry (SQLite + content-addressed folder).")
    {
        RegisterCommand.Create(context),
        ListCommand.Create(context),
        ShowCommand.Create(context),
        AliasCommand.Create(context),
        HistoryCommand.Create(context),
        CardCommand.Create(context),
        VerifyCommand.Create(context),
        GcCommand.Create(context),
        ExportCommand.Create(context),
        ImportCommand.Create(context),
        StateCommand.Create(context, "archive", "Archive a version (it leaves search and 'latest'; refused while an alias points at it)."),
        StateCommand.Create(context, "delete", "Delete a version (its artifacts go at the next gc; its number is never reused; refused while an alias points at it)."),
    };
}
