using System.Globalization;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Expectations;
using MLSystemDesign.Training;
using Spectre.Console;

namespace FlightDelays;

/// <summary>How the sample shows its steps: Spectre.Console progress and tables, plain lines when output is redirected.</summary>
internal sealed class SampleConsole(IAnsiConsole console)
{
    private bool Interactive => console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public void Title(string text) => console.Write(new Rule($"[bold]{Markup.Escape(text)}[/]").LeftJustified());

    public void Line(string text) => console.MarkupLine(Markup.Escape(text));

    public async Task<T> StepAsync<T>(string name, Func<Task<T>> step)
    {
        if (!Interactive)
        {
            Line($"{name} …");
            return await step();
        }

        return await console.Status().StartAsync(name + " …", _ => step());
    }

    public void MonthlyLateRates(IReadOnlyList<Flight> flights)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Share of flights more than 15 minutes late");
        var months = flights.GroupBy(f => f.Date.Month).Where(g => g.Count() > 100).OrderBy(g => g.Key).ToList();
        foreach (var m in months)
        {
            table.AddColumn(CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(m.Key));
        }

        table.AddRow(months.Select(m => m.Average(f => f.Late ? 1.0 : 0.0).ToString("0.000", CultureInfo.InvariantCulture)).ToArray());
        console.Write(table);
    }

    public void Validation(ValidationReport report)
    {
        var failed = report.Failures.ToList();
        if (failed.Count == 0)
        {
            Line($"Validation: {report.RecordCount:N0} records, all {report.Results.Count} rules of '{report.Suite}' passed");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title("[red]Validation failed[/]").AddColumns("field", "rule", "expected", "violations", "examples");
        foreach (var r in failed)
        {
            table.AddRow(Markup.Escape(r.Field), r.Rule, Markup.Escape(r.Expected), r.Violations.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(string.Join(", ", r.Examples)));
        }

        console.Write(table);
    }

    public async Task<ModelSelectionResult> TrainCandidatesAsync(ModelSelector selector, IReadOnlyList<ITrainer> candidates, TrainingSet train, TrainingSet test, string metric)
    {
        if (!Interactive)
        {
            var last = -1;
            var progress = new InlineProgress<ModelSelectionProgress>(p =>
            {
                if (p.Candidate != last && p.Training.Stage == "training")
                {
                    last = p.Candidate;
                    Line($"Training candidate {p.Candidate + 1}/{p.CandidateCount}: {p.Training.Trainer} …");
                }
            });
            return await selector.SelectAsync(candidates, train, test, metric, progress);
        }

        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var tasks = candidates.Select(c => ctx.AddTask($"train {c.Name}", autoStart: false, maxValue: 1)).ToArray();
                var progress = new InlineProgress<ModelSelectionProgress>(p =>
                {
                    var task = tasks[p.Candidate];
                    if (!task.IsStarted)
                    {
                        task.StartTask();
                        task.IsIndeterminate = true;
                    }

                    if (p.Training.Stage == "done")
                    {
                        task.IsIndeterminate = false;
                        task.Value = 1;
                        task.StopTask();
                    }
                });
                return await selector.SelectAsync(candidates, train, test, metric, progress);
            });
    }

    public void Comparison(ModelSelectionResult selection, TrainingSet test)
    {
        string[] metrics = [MetricNames.Auc, MetricNames.LogLoss, MetricNames.Accuracy, MetricNames.Precision, MetricNames.Recall, MetricNames.F1];
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Candidates on March ({test.RowCount:N0} flights), ranked by {selection.PrimaryMetric}")
            .AddColumn("rank").AddColumn("trainer");
        foreach (var m in metrics)
        {
            table.AddColumn(new TableColumn(m).RightAligned());
        }

        table.AddColumn(new TableColumn("train time").RightAligned());
        var rank = 1;
        foreach (var c in selection.Candidates)
        {
            var name = rank == 1 ? $"[green bold]{c.Trainer}[/]" : c.Trainer;
            table.AddRow(new[] { rank.ToString(CultureInfo.InvariantCulture), name }
                .Concat(metrics.Select(m => c.Validation[m].ToString("0.0000", CultureInfo.InvariantCulture)))
                .Append(c.TrainingTime.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture))
                .ToArray());
            rank++;
        }

        console.Write(table);
        var best = selection.Best;
        var baseRate = test.Labels.ToArray().Average(l => (double)l);
        Line($"Chosen: {best.Trainer} ({string.Join(", ", best.Parameters.Select(p => $"{p.Key}={p.Value}"))}), AUC {best.Validation[MetricNames.Auc]:0.0000} on March; a flight is late {baseRate:P1} of the time in March.");
    }

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
