using System.CommandLine;
using System.Globalization;
using MLSystemDesign.Cli.Output;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring;
using Spectre.Console;

namespace MLSystemDesign.Cli.Commands;

/// <summary><c>mlsd drift</c>: compares two data files (or a profile and a file) column by column; exit code 1 on data-set drift.</summary>
internal static class DriftCommand
{
    public static Command Create(CliContext context)
    {
        var reference = CommonOptions.ExistingFile("--reference", "The reference: a data file (.csv, .tsv, .jsonl, .parquet) or a profile (.json) made by 'mlsd profile'.");
        var current = CommonOptions.ExistingFile("--current", "The current data file (.csv, .tsv, .jsonl, .parquet).");
        var columns = new Option<string>("--columns") { Description = "Comma-separated columns to compare; all columns of the reference when omitted." };
        var test = new Option<string>("--test") { Description = $"The test for every column: auto (Evidently's choice) or one of {string.Join(", ", DriftTests.Names)}.", DefaultValueFactory = _ => "auto" };
        test.AcceptOnlyFromAmong(["auto", .. DriftTests.Names]);
        var json = CommonOptions.Json();
        var skipBad = CommonOptions.SkipBadRecords();
        var command = new Command("drift", "Compare the distribution of each column of a current data file with a reference (data or profile). Exit code 1 when the share of drifted columns reaches 0.5.")
        {
            reference, current, columns, test, json, skipBad,
        };
        command.SetAction(async (parse, ct) =>
        {
            var referencePath = parse.GetRequiredValue(reference).FullName;
            var currentPath = parse.GetRequiredValue(current).FullName;
            var skip = parse.GetValue(skipBad);
            var (currentRecords, _) = await CommonOptions.ReadTabularAsync(context, currentPath, skip, ct).ConfigureAwait(false);
            TabularColumns.RequireRows(currentRecords, currentPath);
            List<(FeatureSample Reference, FeatureSample Current)> pairs;
            IReadOnlyList<RawFeature> features;
            if (TabularColumns.IsProfile(referencePath))
            {
                ReferenceProfile profile;
                await using (var file = File.OpenRead(referencePath))
                {
                    profile = ReferenceProfile.Load(file);
                }

                features = profile.Features.Select(f => new RawFeature(f.Name, f.Kind)).ToArray();
                features = Select(features, parse.GetValue(columns), referencePath);
                pairs = features.Select(f => (profile.Feature(f.Name).ToSample(), TabularColumns.Sample(currentRecords, f.Name, f.Kind, currentPath))).ToList();
            }
            else
            {
                var (referenceRecords, _) = await CommonOptions.ReadTabularAsync(context, referencePath, skip, ct).ConfigureAwait(false);
                features = Select(TabularColumns.Infer(referenceRecords, referencePath), parse.GetValue(columns), referencePath);
                pairs = features.Select(f => (TabularColumns.Sample(referenceRecords, f.Name, f.Kind, referencePath), TabularColumns.Sample(currentRecords, f.Name, f.Kind, currentPath))).ToList();
            }

            var options = new DriftOptions();
            if (parse.GetValue(test) is { } name && name != "auto")
            {
                options.Test = DriftTests.Create(name);
            }

            var report = new DriftAnalyzer(options).Analyze(pairs);
            if (parse.GetValue(json))
            {
                context.WriteJson(new
                {
                    Columns = report.Columns.Select(c => new { Column = c.Feature, c.Test, c.Statistic, c.PValue, c.Threshold, c.Drift }),
                    report.DriftShare,
                    report.DatasetDrift,
                });
            }
            else
            {
                Render(context.Console, report);
            }

            return report.DatasetDrift ? ExitCodes.CheckFailed : ExitCodes.Success;
        });
        return command;
    }

    private static IReadOnlyList<RawFeature> Select(IReadOnlyList<RawFeature> features, string? columns, string path)
    {
        if (string.IsNullOrWhiteSpace(columns))
        {
            return features;
        }

        var names = columns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new ArgumentException($"--columns '{columns}' names no column; give column names separated by commas, e.g. --columns delay,origin.");
        }

        return names
            .Select(c => features.FirstOrDefault(f => string.Equals(f.Name, c, StringComparison.OrdinalIgnoreCase))
                ?? throw new KeyNotFoundException($"{path} has no column '{c}'. Columns: {string.Join(", ", features.Select(f => f.Name))}."))
            .ToArray();
    }

    private static void Render(IAnsiConsole console, DatasetDriftReport report)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("column", "test", "statistic", "p-value", "threshold", "drift", "explanation");
        foreach (var c in report.Columns)
        {
            table.AddRow(
                TerminalText.Markup(c.Feature),
                c.Test,
                c.Statistic.ToString("G4", CultureInfo.InvariantCulture),
                c.PValue?.ToString("G4", CultureInfo.InvariantCulture) ?? "-",
                c.Threshold.ToString("G4", CultureInfo.InvariantCulture),
                c.Drift ? "[red]DRIFT[/]" : "[green]no[/]",
                TerminalText.Markup(c.Explanation));
        }

        console.Write(table);
        var drifted = report.Columns.Count(c => c.Drift);
        console.MarkupLine(report.DatasetDrift
            ? $"[red]Data-set drift: {drifted} of {report.Columns.Count} columns drifted (share {report.DriftShare:0.00})[/]"
            : $"[green]No data-set drift: {drifted} of {report.Columns.Count} columns drifted (share {report.DriftShare:0.00})[/]");
    }
}
