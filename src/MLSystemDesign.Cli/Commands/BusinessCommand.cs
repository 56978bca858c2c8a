using System.CommandLine;
using System.Globalization;
using MLSystemDesign.Business;
using Spectre.Console;

namespace MLSystemDesign.Cli.Commands;

/// <summary><c>mlsd business threshold</c>: the decision threshold of a scored file that maximises the value of a cost/value matrix.</summary>
internal static class BusinessCommand
{
    public static Command Create(CliContext context) => new("business", "Business value of a model's predictions.")
    {
        Threshold(context),
    };

    private static Command Threshold(CliContext context)
    {
        var data = CommonOptions.ExistingFile("--data", "The scored records (.csv, .tsv, .jsonl, .parquet).");
        var score = new Option<string>("--score") { Description = "The column holding each record's score (a record is positive when its score reaches the threshold).", Required = true };
        var label = new Option<string>("--label") { Description = "The column holding each record's outcome (0/1).", Required = true };
        var matrix = new Option<string>("--matrix") { Description = "The value of each confusion-matrix cell in the order tn,fp,fn,tp (negative for costs); write --matrix=-1,-2,… when the first value is negative.", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("threshold", "Find the threshold that maximises the value per record, over every distinct score (exact, not a grid), with a bootstrap interval (2,000 resamples, BCa) for its value.")
        {
            data, score, label, matrix, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            ConfusionValueMatrix values;
            try
            {
                values = ConfusionValueMatrix.ParseBinary(parse.GetRequiredValue(matrix));
            }
            catch (FormatException ex)
            {
                throw new ArgumentException($"--matrix: {ex.Message}", ex);
            }

            var path = parse.GetRequiredValue(data).FullName;
            var (records, _) = await CommonOptions.ReadTabularAsync(context, path, skipBad: false, ct).ConfigureAwait(false);
            var scores = OutcomeColumns.Numbers(records, OutcomeColumns.Ordinal(records, parse.GetRequiredValue(score), "--score", path), path);
            var labelOrdinal = OutcomeColumns.Ordinal(records, parse.GetRequiredValue(label), "--label", path);
            var labels = OutcomeColumns.Numbers(records, labelOrdinal, path);
            OutcomeColumns.RequireZeroOrOne(labels, parse.GetValue(label)!, path, "labels are outcomes");

            var choice = ThresholdOptimizer.Optimize(values, new BusinessBatch
            {
                Predictions = scores.Select(s => (float)s).ToArray(),
                Labels = labels.Select(l => (float)l).ToArray(),
            });
            // The optimiser works on the scores as a model gives them (floats); report the file's own score at the threshold.
            var threshold = scores.Where(s => (float)s == (float)choice.Threshold).DefaultIfEmpty(choice.Threshold).Min();
            if (parse.GetValue(json))
            {
                context.WriteJson(new
                {
                    Threshold = threshold,
                    choice.ValuePerRecord,
                    CiLow = choice.Interval.Low,
                    CiHigh = choice.Interval.High,
                    Records = choice.Count,
                });
            }
            else
            {
                context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"Threshold {threshold:G6}: {choice.ValuePerRecord:G6} per record ({choice.Interval.Confidence:P0} {choice.Interval.Method} interval {choice.Interval.Low:G6} to {choice.Interval.High:G6}) over {choice.Count:N0} records, {choice.PositiveShare:P1} flagged; {choice.ValueAtBatchThreshold:G6} per record at 0.5. Matrix {values}; {choice.Candidates:N0} thresholds compared.")));
                if (choice.Interval.FallbackReason is { } reason)
                {
                    context.Console.MarkupLine(Markup.Escape(reason));
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
