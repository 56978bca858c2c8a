using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MLSystemDesign.Data;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Features;
using MLSystemDesign.Models;
using MLSystemDesign.Monitoring;
using MLSystemDesign.Registry;
using Spectre.Console;

namespace FlightDelays;

/// <summary>
/// Step 7: watch the chosen model in "production". As NannyML advises, the reference period is labelled data the model
/// did not train on: March, the month the candidates were evaluated on. Its profile (raw features, the model's
/// probabilities and, for CBPE, the calibration and performance bands) is stored with the champion version in the
/// registry; April to June are then replayed month by month through a <see cref="ModelMonitor{T}"/> registered by the
/// model's name and set up from the registry when the host starts, the late/on-time outcomes arriving after each month.
/// </summary>
internal static class MonitoringStep
{
    public static async Task<IReadOnlyList<MonthResult>> RunAsync(SampleConsole ui, IReadOnlyList<Flight> referencePeriod, IReadOnlyList<Flight> flights, IFittedFeaturePipeline<Flight> features, IModel model, string outputDir)
    {
        // 1. Reference: a profile of the raw features and the model's outputs on March, plus how the model performed
        //    there (per 10,000-flight chunk: the band its metrics stay in, and the calibration CBPE needs). Training data
        //    would make a poor performance reference: the model is optimistic on what it was fitted to, and CBPE would
        //    inherit that optimism.
        var profiled = await ui.StepAsync("Profiling March, the labelled evaluation month", () => Task.FromResult(BuildReference(referencePeriod, features, model)));

        //    The profile is stored with the champion version in the registry. The monitor is registered by the model's name,
        //    and its setup reads the profile back from there (hash-verified) when the host starts, as a service would load
        //    it with the model; several monitors (a champion and a canary) could watch the same record type side by side.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml
            .AddMLNet()
            .UseSqliteRegistry(o => o.RootPath = Path.Combine(outputDir, "registry"))
            .AddModelMonitor<Flight>(RegistryStep.ModelName, async (sp, ct) =>
            {
                var registry = sp.GetRequiredService<IModelRegistry>();
                var version = (await registry.GetModelAsync(RegistryStep.ModelName, ct)).Aliases["champion"];
                return new ModelMonitorSetup<Flight>(await registry.LoadReferenceProfileAsync(RegistryStep.ModelName, version, cancellationToken: ct), features);
            }, o =>
            {
                o.WindowSize = 1_000_000; // windows are closed at each month's end below
                o.QueueCapacity = 1 << 16;
            }));
        using var host = builder.Build();
        var registry = host.Services.GetRequiredService<IModelRegistry>();
        var champion = (await registry.GetModelAsync(RegistryStep.ModelName)).Aliases["champion"];
        var stored = await registry.AttachReferenceProfileAsync(RegistryStep.ModelName, champion, profiled, new RegistryChange("reference profile of March 2001, the evaluation month"));
        await host.StartAsync();
        var monitor = host.Services.GetRequiredKeyedService<ModelMonitor<Flight>>(RegistryStep.ModelName);
        var reference = monitor.Reference;
        ui.Line($"Reference profile of {reference.RowCount:N0} flights: {reference.Features.Count} raw features and {reference.Outputs.Count} outputs, {stored.Length / 1024.0:N0} KiB, stored as '{stored.Name}' of {RegistryStep.ModelName} v{champion} (sha256 {stored.Sha256[..16]})");

        // 2. Live: every flight of April–June is scored and handed to the model's prediction observers (on a service
        //    this is the request path; the monitor is one of them), each month closing one window; the outcomes (late or
        //    not) are recorded once the month is over.
        var observers = host.Services.GetRequiredKeyedService<PredictionObservers<Flight>>(RegistryStep.ModelName);
        var results = new List<MonthResult>();
        var vector = new float[features.Width];
        var outputs = new float[model.Signature.Outputs.Count];
        foreach (var month in flights.Where(f => f.Date.Month >= 4).GroupBy(f => f.Date.Month).OrderBy(g => g.Key))
        {
            var monthFlights = month.ToList();
            var ids = new Guid[monthFlights.Count];
            MonitoringReport? report = null;
            await ui.StepAsync($"Replaying {MonthName(month.Key)} ({monthFlights.Count:N0} flights)", () =>
            {
                for (var i = 0; i < monthFlights.Count; i++)
                {
                    features.Transform(monthFlights[i], vector);
                    model.Predict(vector, outputs);
                    ids[i] = Guid.NewGuid();
                    observers.OnPrediction(new PredictionObservation<Flight>(monthFlights[i], outputs, ids[i], "v1"));
                    if ((i & 0x7FFF) == 0x7FFF)
                    {
                        monitor.ProcessPending(); // the hosted service also does this on its schedule
                    }
                }

                report = monitor.ProcessPending(closeWindow: true).Last();
                for (var i = 0; i < monthFlights.Count; i++)
                {
                    monitor.RecordOutcome(ids[i], monthFlights[i].Late ? 1 : 0);
                }

                return Task.FromResult(0);
            });

            var realized = monitor.Realized(report!.Window).Single();
            results.Add(new MonthResult(month.Key, monthFlights.Average(f => f.Late ? 1.0 : 0.0), report, realized));
        }

        Render(results, reference.Performance!);
        if (monitor.DroppedCount > 0)
        {
            ui.Line($"{monitor.DroppedCount:N0} sampled flights were dropped because the monitor's queue was full.");
        }

        await host.StopAsync();
        return results;
    }

    private static ReferenceProfile BuildReference(IReadOnlyList<Flight> flights, IFittedFeaturePipeline<Flight> features, IModel model)
    {
        var builder = new ProfileBuilder(features.Schema.RawFeatures, model.Signature.Outputs);
        var raw = new FieldValue[features.Schema.RawFeatures.Count];
        var vector = new float[features.Width];
        var outputs = new float[model.Signature.Outputs.Count];
        var probability = model.Signature.Outputs.ToList().IndexOf("probability");
        var probabilities = new float[flights.Count];
        var labels = new float[flights.Count];
        for (var i = 0; i < flights.Count; i++)
        {
            features.ExtractRaw(flights[i], raw);
            features.Transform(flights[i], vector);
            model.Predict(vector, outputs);
            builder.Add(raw, outputs);
            probabilities[i] = outputs[probability];
            labels[i] = flights[i].Late ? 1 : 0;
        }

        // Chunks in time order, as NannyML forms them: the band reflects the reference period's own variation.
        return builder.Build(PerformanceReference.Create(probabilities, labels, chunkSize: 10_000));
    }

    private static void Render(IReadOnlyList<MonthResult> results, PerformanceReference performance)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title("Monitoring April–June against the March reference")
            .AddColumns("month", "late rate", "drifted features", "drift share", "output drift")
            .AddColumn(new TableColumn("AUC est. (CBPE)").RightAligned())
            .AddColumn(new TableColumn("AUC realized").RightAligned())
            .AddColumn(new TableColumn("accuracy est.").RightAligned())
            .AddColumn(new TableColumn("accuracy realized").RightAligned())
            .AddColumn("alerts");
        foreach (var r in results)
        {
            var estimated = r.Report.EstimatedPerformance!;
            var realized = r.Realized.Metrics;
            var alerts = r.Report.DecayAlerts.Select(a => $"est. {a}").Concat(r.Realized.DecayAlerts.Select(a => $"realized {a}")).ToArray();
            table.AddRow(
                MonthName(r.Month),
                F(r.LateRate, "0.000"),
                Markup.Escape(r.Report.Drift.DatasetDrift || r.Report.Drift.DriftedFeatures.Any() ? string.Join(", ", r.Report.Drift.DriftedFeatures) : "none"),
                F(r.Report.Drift.DriftShare, "0.00"),
                r.Report.OutputDrift is { } o ? $"{(o.Drift ? "[red]yes[/]" : "no")} ({o.Test} {F(o.Statistic, "0.000")})" : "-",
                F(estimated[MetricNames.Auc], "0.0000"),
                F(realized[MetricNames.Auc], "0.0000"),
                F(estimated[MetricNames.Accuracy], "0.0000"),
                F(realized[MetricNames.Accuracy], "0.0000"),
                alerts.Length == 0 ? "[green]none[/]" : $"[red]{Markup.Escape(string.Join(", ", alerts))}[/]");
        }

        AnsiConsole.Write(table);
        var auc = performance.Bands[MetricNames.Auc];
        var accuracy = performance.Bands[MetricNames.Accuracy];
        AnsiConsole.MarkupLine(Markup.Escape($"Reference bands (mean ± 3σ over 10,000-flight chunks of March): AUC {auc.Lower:0.0000}–{auc.Upper:0.0000}, accuracy {accuracy.Lower:0.0000}–{accuracy.Upper:0.0000}."));
        AnsiConsole.MarkupLine(Markup.Escape("CBPE trusts the calibration learnt on March: it follows shifts in the inputs (covariate shift) but not a change in how lateness follows from them (concept shift), so a gap between estimated and realized performance points at the latter."));
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string MonthName(int month) => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);
}

/// <summary>One replayed month: its late rate, the monitor's report, and the realized performance once outcomes arrived.</summary>
internal sealed record MonthResult(int Month, double LateRate, MonitoringReport Report, RealizedPerformance Realized);
