using System.CommandLine;
using System.Globalization;
using MLSystemDesign.Experiments;
using Spectre.Console;

namespace MLSystemDesign.Cli.Commands;

/// <summary>
/// <c>mlsd experiment analyze</c> (two arms of outcomes exported from anywhere: test, effect, interval, sample-ratio
/// check; exit 1 on a sample-ratio mismatch) and <c>mlsd experiment size</c> (the sample size per arm, as statsmodels'
/// <c>NormalIndPower</c> gives it).
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create(CliContext context) => new("experiment", "Analyse an A/B experiment's outcomes, or size one before it starts.")
    {
        Analyze(context),
        Size(context),
    };

    private static Command Analyze(CliContext context)
    {
        var data = CommonOptions.ExistingFile("--data", "The outcomes, one row per unit (.csv, .tsv, .jsonl, .parquet).");
        var arm = new Option<string>("--arm") { Description = "The column naming each unit's arm.", Required = true };
        var metric = new Option<string>("--metric") { Description = "The column holding each unit's metric (numbers; 0/1 for the z-tests).", Required = true };
        var test = new Option<string>("--test") { Description = $"The test: {string.Join(", ", ExperimentTestNames.All)}. Default welch.", DefaultValueFactory = _ => ExperimentTestNames.Welch };
        test.AcceptOnlyFromAmong([.. ExperimentTestNames.All]);
        var control = new Option<string?>("--control") { Description = "The control arm. Default: an arm named 'control', else the arm of the first row." };
        var weights = new Option<string?>("--weights") { Description = "The intended split for the sample-ratio check, as arm=share pairs (e.g. control=0.5,treatment=0.5). Default: equal." };
        var json = CommonOptions.Json();
        var command = new Command("analyze", "Compare the two arms of an experiment on a metric: the test, the effect (treatment − control) with its interval, and the sample-ratio check (chi-squared, mismatch below p = 0.001). Exit code 1 on a sample-ratio mismatch.")
        {
            data, arm, metric, test, control, weights, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(data).FullName;
            var (records, _) = await CommonOptions.ReadTabularAsync(context, path, skipBad: false, ct).ConfigureAwait(false);
            var armOrdinal = OutcomeColumns.Ordinal(records, parse.GetRequiredValue(arm), "--arm", path);
            var metricOrdinal = OutcomeColumns.Ordinal(records, parse.GetRequiredValue(metric), "--metric", path);
            var (arms, names) = OutcomeColumns.Labels(records, armOrdinal, path);
            if (names.Count != 2)
            {
                throw new InvalidOperationException(names.Count == 1
                    ? $"{path}: column '{parse.GetValue(arm)}' has one arm only ({names[0]}); an experiment compares two."
                    : $"{path}: column '{parse.GetValue(arm)}' has {names.Count} arms ({string.Join(", ", names.Take(10))}{(names.Count > 10 ? ", …" : string.Empty)}); the analysis compares two: keep the control and one treatment.");
            }

            var values = OutcomeColumns.Numbers(records, metricOrdinal, path);
            if (parse.GetValue(test) is ExperimentTestNames.ZTest or ExperimentTestNames.ZTestUnpooled)
            {
                OutcomeColumns.RequireZeroOrOne(values, parse.GetValue(metric)!, path, "the z-tests compare proportions");
            }

            var report = ExperimentAnalysis.Analyze(arms, values, names, new ExperimentAnalysisOptions
            {
                Test = parse.GetValue(test)!,
                Control = parse.GetValue(control),
                Weights = ParseWeights(parse.GetValue(weights)),
            });
            var result = report.Comparisons[0].Result;
            if (parse.GetValue(json))
            {
                context.WriteJson(new
                {
                    report.Test,
                    Arms = report.Arms.Select(a => new { a.Arm, N = a.Count, a.Mean }),
                    Statistic = OutcomeColumns.Json(result.Statistic),
                    PValue = OutcomeColumns.Json(result.PValue),
                    Effect = OutcomeColumns.Json(result.Effect),
                    CiLow = OutcomeColumns.Json(result.CiLow),
                    CiHigh = OutcomeColumns.Json(result.CiHigh),
                    SrmPValue = report.SampleRatio.PValue,
                });
            }
            else
            {
                Render(context.Console, report);
            }

            if (report.SampleRatio.Mismatch)
            {
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"sample ratio mismatch: the arms' counts ({string.Join(", ", report.Arms.Select(a => $"{a.Arm} {a.Count:N0}"))}) are incompatible with the intended split (chi-squared p = {report.SampleRatio.PValue:G3} < {report.SampleRatio.Threshold:G3}); assignment or logging is broken, and the comparison cannot be trusted.")).ConfigureAwait(false);
                return ExitCodes.CheckFailed;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Size(CliContext context)
    {
        var baseline = new Option<double?>("--baseline") { Description = "The control's rate (a proportion in (0, 1)); required unless --sd is given." };
        var mde = new Option<double>("--mde") { Description = "The minimum detectable effect: an absolute difference (of rates, or of means with --sd).", Required = true };
        var alpha = new Option<double>("--alpha") { Description = "The significance level (two-sided). Default 0.05.", DefaultValueFactory = _ => 0.05 };
        var power = new Option<double>("--power") { Description = "The power. Default 0.8.", DefaultValueFactory = _ => 0.8 };
        var ratio = new Option<double>("--ratio") { Description = "The second arm's size over the first's. Default 1.", DefaultValueFactory = _ => 1 };
        var sd = new Option<double?>("--sd") { Description = "The metric's standard deviation: sizes a difference of means (effect mde/sd) instead of proportions." };
        var json = CommonOptions.Json();
        var command = new Command("size", "The units needed per arm to detect an effect: Cohen's h between baseline + mde and baseline (or mde/sd for means), solved as statsmodels' NormalIndPower().solve_power does.")
        {
            baseline, mde, alpha, power, ratio, sd, json,
        };
        command.SetAction((parse, ct) =>
        {
            var size = parse.GetValue(sd) is { } sigma
                ? PowerAnalysis.ForMeans(sigma, parse.GetValue(mde), parse.GetValue(alpha), parse.GetValue(power), parse.GetValue(ratio))
                : PowerAnalysis.ForProportions(parse.GetValue(baseline) ?? throw new ArgumentException("Give --baseline (the control's rate) for proportions, or --sd for a difference of means."), parse.GetValue(mde), parse.GetValue(alpha), parse.GetValue(power), parse.GetValue(ratio));
            if (parse.GetValue(json))
            {
                context.WriteJson(new { size.NPerArm, size.NPerArmCeil });
            }
            else
            {
                context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"{size.NPerArmCeil:N0} units per arm ({size.NPerArm:N2} unrounded{(size.Ratio == 1 ? string.Empty : $"; the second arm {size.Ratio:G4} times that, {Math.Ceiling(size.NPerArm * size.Ratio):N0}")}): effect size {size.EffectSize:G4}, power {size.Power:P1} at alpha {parse.GetValue(alpha):G3}.")));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Dictionary<string, double>? ParseWeights(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.LastIndexOf('=');
            if (eq <= 0 || !double.TryParse(pair[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var share))
            {
                throw new ArgumentException($"--weights takes arm=share pairs separated by commas (e.g. control=0.5,treatment=0.5); '{pair}' is not one.");
            }

            weights[pair[..eq].Trim()] = share;
        }

        return weights;
    }

    private static void Render(IAnsiConsole console, ExperimentReport report)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("arm", "n", "mean", "sd");
        foreach (var a in report.Arms)
        {
            table.AddRow(Markup.Escape(a.Arm), a.Count.ToString("N0", CultureInfo.InvariantCulture), a.Mean.ToString("G6", CultureInfo.InvariantCulture), a.StandardDeviation.ToString("G4", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        var c = report.Comparisons[0];
        var r = c.Result;
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{r.Test}: {c.Treatment} − {report.Control} = {r.Effect:G6} ({r.Confidence:P0} interval {r.CiLow:G6} to {r.CiHigh:G6}); statistic {r.Statistic:G6}, p = {r.PValue:G4}.")));
        console.MarkupLine(Markup.Escape(r.Explanation));
        console.MarkupLine(report.SampleRatio.Mismatch ? $"[red]{Markup.Escape(report.SampleRatio.ToString())}[/]" : $"[green]{Markup.Escape(report.SampleRatio.ToString())}[/]");
    }
}
