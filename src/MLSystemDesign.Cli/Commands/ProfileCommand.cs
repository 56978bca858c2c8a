using System.CommandLine;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Cli.Commands;

/// <summary><c>mlsd profile</c>: builds a reference profile of a data file and saves it as JSON.</summary>
internal static class ProfileCommand
{
    public static Command Create(CliContext context)
    {
        var data = CommonOptions.ExistingFile("--data", "The data file to profile (.csv, .tsv, .jsonl, .parquet).");
        var output = new Option<FileInfo>("--out") { Description = "Where to write the profile (JSON); 'mlsd drift --reference' accepts it.", Required = true };
        var reservoir = new Option<int>("--reservoir-size") { Description = "Values kept per numeric column for exact tests.", DefaultValueFactory = _ => new ProfileOptions().ReservoirSize };
        var skipBad = CommonOptions.SkipBadRecords();
        var command = new Command("profile", "Build a compact, mergeable profile of every column (quantile sketch, sample, category counts, missing values) and save it as JSON.")
        {
            data, output, reservoir, skipBad,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(data).FullName;
            var (records, _) = await CommonOptions.ReadTabularAsync(context, path, parse.GetValue(skipBad), ct).ConfigureAwait(false);
            var features = TabularColumns.Infer(records, path);
            var profile = TabularColumns.Profile(records, features, new ProfileOptions { ReservoirSize = parse.GetValue(reservoir) });
            var target = parse.GetRequiredValue(output).FullName;
            await using (var file = File.Create(target))
            {
                profile.Save(file);
            }

            await context.Output.WriteLineAsync($"Profiled {profile.RowCount:N0} rows, {features.Count} columns ({string.Join(", ", features.Select(f => $"{f.Name}: {f.Kind.ToString().ToLowerInvariant()}"))}) into {target} ({new FileInfo(target).Length:N0} bytes).").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
