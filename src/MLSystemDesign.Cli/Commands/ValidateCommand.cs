using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using MLSystemDesign.Cli.Output;
using MLSystemDesign.Data;
using MLSystemDesign.Expectations;
using Spectre.Console;

namespace MLSystemDesign.Cli.Commands;

/// <summary><c>mlsd validate</c>: checks a data file against expectations and exits 1 when any fails.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var data = CommonOptions.ExistingFile("--data", "The data file to check (.csv, .tsv, .jsonl, .parquet).");
        var expectations = CommonOptions.ExistingFile("--expectations", "An expectation suite (JSON) to check against.", required: false);
        var inferFrom = CommonOptions.ExistingFile("--infer-from", "A reference data file to infer the expectations from.", required: false);
        var writeExpectations = new Option<FileInfo>("--write-expectations") { Description = "Save the expectations used (inferred or given) to this JSON file." };
        var json = CommonOptions.Json();
        var skipBad = CommonOptions.SkipBadRecords();
        var command = new Command("validate", "Check a data file against expectations: types, missing values, ranges, categories, uniqueness. Exit code 1 when a rule fails. Without --expectations or --infer-from, the expectations are inferred from the data itself (useful with --write-expectations).")
        {
            data, expectations, inferFrom, writeExpectations, json, skipBad,
        };
        command.Validators.Add(r =>
        {
            if (r.GetResult(expectations) is not null && r.GetResult(inferFrom) is not null)
            {
                r.AddError("Give either --expectations or --infer-from, not both.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var dataPath = parse.GetRequiredValue(data).FullName;
            var skip = parse.GetValue(skipBad);
            ExpectationSuite suite;
            if (parse.GetValue(expectations) is { } suiteFile)
            {
                suite = ExpectationSuiteJson.Deserialize(await File.ReadAllTextAsync(suiteFile.FullName, ct).ConfigureAwait(false));
                suite.Name ??= suiteFile.Name;
            }
            else
            {
                var reference = parse.GetValue(inferFrom)?.FullName ?? dataPath;
                var (referenceRecords, _) = await CommonOptions.ReadTabularAsync(context, reference, skip, ct).ConfigureAwait(false);
                suite = DataValidator.Infer(referenceRecords);
                suite.Name = $"inferred from {Path.GetFileName(reference)}";
            }

            if (parse.GetValue(writeExpectations) is { } target)
            {
                await File.WriteAllTextAsync(target.FullName, ExpectationSuiteJson.Serialize(suite), ct).ConfigureAwait(false);
            }

            var (records, read) = await CommonOptions.ReadTabularAsync(context, dataPath, skip, ct).ConfigureAwait(false);
            var validator = context.Services.GetRequiredService<DataValidator>();
            var report = validator.Validate(records, suite, dataPath);
            if (parse.GetValue(json))
            {
                context.WriteJson(new
                {
                    report.Suite,
                    report.Source,
                    report.RecordCount,
                    RecordsSkipped = read.RecordsSkipped,
                    InvalidUtf8Replaced = read.InvalidUtf8Replaced,
                    report.Passed,
                    report.ValidatedAt,
                    Rules = report.Results.Select(r => new
                    {
                        r.Field,
                        r.Rule,
                        r.Expected,
                        r.Passed,
                        r.Violations,
                        r.ViolationRate,
                        Examples = r.Examples.Select(e => new { RecordNumber = Where(records, e).Record, Line = Where(records, e).Line, e.Value }),
                    }),
                });
            }
            else
            {
                Render(context.Console, report, read, records);
            }

            return report.Passed ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }

    /// <summary>Where an offending record is in its file: its record number there (rows skipped as unreadable shift it) and its line.</summary>
    private static (long Record, long? Line) Where(List<TabularRecord> records, OffendingRecord example)
    {
        var index = example.RecordNumber - 1;
        return index >= 0 && index < records.Count && records[(int)index].RecordNumber > 0
            ? (records[(int)index].RecordNumber, records[(int)index].LineNumber)
            : (example.RecordNumber, null);
    }

    private static string Describe(List<TabularRecord> records, OffendingRecord example)
    {
        var (record, line) = Where(records, example);
        return string.Create(CultureInfo.InvariantCulture, $"record {record}{(line is { } l ? $" (line {l})" : string.Empty)}='{example.Value}'");
    }

    private static void Render(IAnsiConsole console, ValidationReport report, DataReadReport read, List<TabularRecord> records)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("field", "rule", "expected", "violations", "rate", "result", "examples");
        foreach (var r in report.Results)
        {
            table.AddRow(
                TerminalText.Markup(r.Field),
                r.Rule,
                TerminalText.Markup(r.Expected),
                r.Violations.ToString(CultureInfo.InvariantCulture),
                r.ViolationRate.ToString("P2", CultureInfo.InvariantCulture),
                r.Passed ? "[green]pass[/]" : "[red]FAIL[/]",
                TerminalText.Markup(string.Join(", ", r.Examples.Take(3).Select(e => Describe(records, e)))));
        }

        console.Write(table);
        var failed = report.Results.Count(r => !r.Passed);
        var skipped = read.RecordsSkipped > 0 ? $", {read.RecordsSkipped} unreadable rows skipped" : string.Empty;
        var replaced = read.InvalidUtf8Replaced > 0 ? $", {read.InvalidUtf8Replaced} invalid UTF-8 sequences read as U+FFFD" : string.Empty;
        console.MarkupLine(failed == 0
            ? $"[green]{report.RecordCount} records, all {report.Results.Count} rules passed{skipped}{replaced}[/] ({TerminalText.Markup(report.Suite ?? "expectations")})"
            : $"[red]{report.RecordCount} records, {failed} of {report.Results.Count} rules failed{skipped}{replaced}[/] ({TerminalText.Markup(report.Suite ?? "expectations")})");
    }
}
