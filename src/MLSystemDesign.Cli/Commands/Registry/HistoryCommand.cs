using System.CommandLine;
using System.Globalization;
using MLSystemDesign.Registry;
using Spectre.Console;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;
using static MLSystemDesign.Cli.Commands.Registry.RegistryOutput;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry history</c>: the audit log, or which version an alias pointed at, at a time.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string?>("model") { Description = "Only this model's history; every model's when left out.", Arity = ArgumentArity.ZeroOrOne };
        var version = new Option<int?>("--version") { Description = "Only entries about this version." };
        var alias = new Option<string?>("--alias") { Description = "With --at: which version this alias pointed at, at that time." };
        var at = new Option<DateTimeOffset?>("--at") { Description = "With --alias: the time (ISO 8601, e.g. 2024-03-01T12:00:00Z)." };
        return Define(context, "history", "Show the audit log (the chain of decisions), or which version an alias pointed at, at a time.", creates: false, null, async (parse, registry, json, ct) =>
        {
            var name = parse.GetValue(model);
            if (parse.GetValue(alias) is { } aliasName)
            {
                var time = parse.GetValue(at) ?? throw new ArgumentException("--alias needs --at <time>.");
                var then = await registry.GetAliasAtAsync(name ?? throw new ArgumentException("--alias needs the model argument."), aliasName, time, ct).ConfigureAwait(false);
                if (json)
                {
                    context.WriteJson(new { Model = name, Alias = aliasName, At = time, Version = then });
                }
                else
                {
                    context.Output.WriteLine(then is { } v ? $"{name}@{aliasName} pointed at version {v} at {time:O}" : $"{name}@{aliasName} pointed nowhere at {time:O}");
                }

                return ExitCodes.Success;
            }

            var entries = await registry.GetHistoryAsync(name, parse.GetValue(version), ct).ConfigureAwait(false);
            if (json)
            {
                context.WriteJson(entries);
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("#", "when (UTC)", "who", "action", "model", "version", "subject", "before", "after", "why");
            foreach (var e in entries)
            {
                table.AddRow(e.Sequence.ToString(CultureInfo.InvariantCulture), Date(e.At), Esc(e.Actor), e.Action.ToString(), Esc(e.Model), e.Version?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, Esc(e.Subject ?? string.Empty), Esc(Short(e.Before)), Esc(Short(e.After)), Esc(e.Reason ?? string.Empty));
            }

            context.Console.Write(table);
            return ExitCodes.Success;
        }, model, version, alias, at);
    }
}
