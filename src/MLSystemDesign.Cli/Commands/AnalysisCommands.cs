using System.CommandLine;

namespace MLSystemDesign.Cli.Commands;

/// <summary>The commands for analysts: <c>experiment analyze</c>, <c>experiment size</c> and <c>business threshold</c>.</summary>
internal static class AnalysisCommands
{
    public static void AddTo(RootCommand root, CliContext context)
    {
        root.Subcommands.Add(ExperimentCommand.Create(context));
        root.Subcommands.Add(BusinessCommand.Create(context));
    }
}
