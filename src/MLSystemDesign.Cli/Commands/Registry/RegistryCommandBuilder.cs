using System.CommandLine;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary>The options every registry subcommand shares, and <see cref="Define"/>, which gives a subcommand's action an open registry.</summary>
internal static class RegistryCommandBuilder
{
    public static Option<DirectoryInfo> RegistryOption() => new("--registry")
    {
        Description = $"The registry folder. Only register and import create one where there is none (and say so); every other command needs it to exist. Default: ./{SqliteRegistryOptions.DefaultFolderName}",
        DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Environment.CurrentDirectory, SqliteRegistryOptions.DefaultFolderName)),
    };

    public static Option<string?> ReasonOption() => new("--reason") { Description = "Why the change is made (recorded in the audit log)." };

    public static Option<string?> ActorOption() => new("--actor") { Description = "Who makes the change (default: the user name)." };

    public static Option<bool> AllowDuplicateOption() => new("--allow-duplicate")
    {
        Description = "Register a new version even when the model's bytes equal an existing version's (by default that is reported, naming the version, and nothing is registered).",
    };

    public static Argument<string> ReferenceArgument(string description = "The version: <model>, <model>:<version> or <model>@<alias>.") => new("reference") { Description = description };

    /// <summary>
    /// A command with the shared options, whose action gets an open registry (see <see cref="ModelRegistration.OpenAsync{T}"/>:
    /// a folder without a registry is an error unless the command <paramref name="creates"/> one).
    /// </summary>
    public static Command Define(CliContext context, string name, string description, bool creates, Action<ParseResult, SqliteRegistryOptions>? configure, Func<ParseResult, IModelRegistry, bool, CancellationToken, Task<int>> action, params Symbol[] symbols)
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

        command.SetAction((parse, ct) => ModelRegistration.OpenAsync(
            context,
            parse.GetRequiredValue(registry).FullName,
            creates,
            configure is null ? null : o => configure(parse, o),
            opened => action(parse, opened, parse.GetValue(json), ct)));
        return command;
    }
}
