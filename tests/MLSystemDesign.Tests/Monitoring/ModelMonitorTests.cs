using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using MLSystemDesign.Data;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Expectations;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>The live monitor: sampling, windows, drift, validation, CBPE, outcomes, metrics, logs, health, hosted service.</summary>
public sealed class ModelMonitorTests
{
    private static readonly FeaturePipeline<Obs> Definition = FeaturePipeline.For<Obs>().Numeric("x", o => o.X).Categorical("c", o => o.C).Build();

    [Fact]
    public void Observe_CountWindows_SecondWindowDrifts()
    {
        var (reference, features) = Reference();
        using var monitor = new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { WindowSize = 1000 });
        Feed(monitor, Records(1000, seed: 5, shift: 0));
        Feed(monitor, Records(1000, seed: 6, shift: 1.0));
        var reports = monitor.ProcessPending();
        Assert.Equal(2, reports.Count);
        Assert.False(reports[0].NeedsAttention, string.Join(" | ", reports[0].Drift.Columns.Select(c => c.Explanation)));
        Assert.Equal(["x", "c"], reports[1].Drift.DriftedFeatures);
        Assert.True(reports[1].Drift.DatasetDrift);
        Assert.True(reports[1].OutputDrift!.Drift);
        Assert.Equal("wasserstein", reports[1].Drift.Columns[0].Test);
        Assert.Same(reports[1], monitor.LastReport);
        Assert.True(monitor.Reports.TryRead(out var first) && first.Window == 0);
        Assert.True(monitor.Reports.TryRead(out var second) && second.Window == 1);
    }

    [Fact]
    public void Observe_QueueFull_DropsAndCountsWithoutBlocking()
    {
        var (reference, features) = Reference();
        using var monitor = new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { QueueCapacity = 16, WindowSize = 1000 });
        var records = Records(100, seed: 1, shift: 0);
        var accepted = records.Count(r => monitor.Observe(r, Outputs(r)));
        Assert.Equal(16, accepted);
        Assert.Equal(84, monitor.DroppedCount);
        var report = Assert.Single(monitor.ProcessPending(closeWindow: true));
        Assert.Equal(16, report.RecordCount);
        Assert.Equal(84, report.DroppedCount);
        Assert.True(report.Skipped);
        Assert.False(report.NeedsAttention);
    }

    [Fact]
    public void Observe_SampleRate_SamplesEveryKth()
    {
        var (reference, features) = Reference();
        using var monitor = new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { SampleRate = 0.25, WindowSize = 100_000 });
        var sampled = Records(1000, seed: 2, shift: 0).Count(r => monitor.Observe(r, Outputs(r)));
        Assert.Equal(250, sampled);
        Assert.Equal(1000, monitor.ObservedCount);
    }

    [Fact]
    public void ProcessPending_TimeWindows_CloseByTheClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (reference, features) = Reference();
        using var monitor = new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { WindowSize = 0, WindowDuration = TimeSpan.FromMinutes(1) }, timeProvider: time);
        Feed(monitor, Records(200, seed: 3, shift: 0));
        time.Advance(TimeSpan.FromSeconds(61));
        Feed(monitor, Records(300, seed: 4, shift: 0));
        var first = Assert.Single(monitor.ProcessPending());
        Assert.Equal(200, first.RecordCount);
        Assert.Equal(time.Start, first.Start);
        Assert.Empty(monitor.ProcessPending());
        time.Advance(TimeSpan.FromMinutes(1));
        var second = Assert.Single(monitor.ProcessPending());
        Assert.Equal(300, second.RecordCount);
        Assert.Equal(1, second.Window);
    }

    [Fact]
    public void Validation_CountsMissingOutOfRangeAndUnseen()
    {
        var (reference, features) = Reference();
        var suite = Expect.For<Obs>().Field(o => o.C, e => e.Required()).Build("obs");
        using var monitor = new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { WindowSize = 100 }, suite);
        var records = Records(100, seed: 8, shift: 0);
        records[0] = records[0] with { X = 1e6 };
        records[1] = records[1] with { X = -1e6 };
        records[2] = records[2] with { C = "never-seen" };
        records[3] = records[3] with { C = null };
        records[4] = records[4] with { X = double.NaN };
        Feed(monitor, records);
        var report = Assert.Single(monitor.ProcessPending());
        var x = report.Validation.Single(v => v.Feature == "x");
        var c = report.Validation.Single(v => v.Feature == "c");
        Assert.Equal((1L, 1L, 1L), (x.BelowRange, x.AboveRange, x.Missing));
        Assert.Equal(0.02, x.OutOfRangeRate, 12);
        Assert.Equal((1L, 1L), (c.UnseenCategories, c.Missing));
        Assert.Equal(0.01, c.UnseenRate, 12);
        Assert.False(report.Expectations!.Passed);
        Assert.Equal(1, report.Expectations.Failures.Single().Violations);
    }

    [Fact]
    public void Outcomes_JoinByIdPerWindowAndVersion()
    {
        var (reference, features) = Reference();
        using var monitor = new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { WindowSize = 400 });
        var records = Records(400, seed: 9, shift: 0);
        var ids = records.Select(_ => Guid.NewGuid()).ToArray();
        for (var i = 0; i < records.Length; i++)
        {
            monitor.Observe(records[i], Outputs(records[i]), ids[i], i % 2 == 0 ? "v1" : "v2");
        }

        monitor.ProcessPending();
        for (var i = 0; i < records.Length; i++)
        {
            monitor.RecordOutcome(ids[i], records[i].Label);
        }

        monitor.RecordOutcome(Guid.NewGuid(), 1);
        var realized = monitor.Realized(0);
        Assert.Equal(["v1", "v2"], realized.Select(r => r.ModelVersion));
        Assert.All(realized, r => Assert.Equal(200, r.Joined));
        var v1 = Enumerable.Range(0, 400).Where(i => i % 2 == 0).ToArray();
        var expected = MetricCalculator.Binary(v1.Select(i => records[i].Label).ToArray(), v1.Select(i => Outputs(records[i])[1]).ToArray());
        Assert.Equal(expected[MetricNames.Auc], realized[0].Metrics[MetricNames.Auc], 12);
        Assert.Equal(1, monitor.UnmatchedOutcomes);
    }

    [Fact]
    public void Performance_DecayAlertWhenEstimatedMetricLeavesTheBand()
    {
        var (reference, features) = Reference();
        using var monitor = new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { WindowSize = 2000 });
        Feed(monitor, Records(2000, seed: 10, shift: 0));
        // The model becomes unsure of everything: probabilities near 0.5 lower the estimated accuracy far below the band.
        foreach (var r in Records(2000, seed: 11, shift: 0))
        {
            monitor.Observe(r, [0.5f, 0.5f]);
        }

        var reports = monitor.ProcessPending();
        Assert.Empty(reports[0].DecayAlerts);
        Assert.Contains(MetricNames.Accuracy, reports[1].DecayAlerts);
        Assert.True(reports[1].EstimatedPerformance![MetricNames.Accuracy] < reference.Performance!.Bands[MetricNames.Accuracy].Lower);
    }

    [Fact]
    public void Publish_EmitsMetricsAndLogs()
    {
        var (reference, features) = Reference();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var share = new MetricCollector<double>(meterFactory, ModelMonitor<Obs>.MeterName, "mlsd.monitor.drift_share");
        using var sampled = new MetricCollector<long>(meterFactory, ModelMonitor<Obs>.MeterName, "mlsd.monitor.records.sampled");
        var logger = new FakeLogger<ModelMonitor<Obs>>();
        using var monitor = new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { WindowSize = 1000, ModelName = "flights" }, meterFactory: meterFactory, logger: logger);
        Feed(monitor, Records(1000, seed: 12, shift: 1.5));
        monitor.ProcessPending();
        Assert.Equal(1.0, share.LastMeasurement!.Value);
        Assert.Equal("flights", share.LastMeasurement.Tags["model"]);
        Assert.Equal(1000, sampled.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("data drift in window 0: x, c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostedService_ProcessesOnScheduleAndHealthTurnsDegraded()
    {
        var time = new FakeTimeProvider();
        var (reference, features) = Reference();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddMLSystem(ml => ml.AddModelMonitor(_ => new ModelMonitorSetup<Obs>(reference, features), o =>
        {
            o.WindowSize = 500;
            o.EvaluationInterval = TimeSpan.FromSeconds(5);
        }));
        builder.Services.AddMLSystem(ml => ml.AddModelMonitor(_ => new ModelMonitorSetup<Obs>(reference, features)));
        builder.Services.AddHealthChecks().AddModelMonitor<Obs>();
        using var host = builder.Build();
        Assert.Single(host.Services.GetServices<IHostedService>(), s => s.GetType().Name.StartsWith("ModelMonitorService", StringComparison.Ordinal));
        await host.StartAsync();
        var monitor = host.Services.GetRequiredService<ModelMonitor<Obs>>();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        Feed(monitor, Records(500, seed: 13, shift: 2.0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = monitor.Reports.ReadAsync(cts.Token).AsTask();
        while (!read.IsCompleted && !cts.IsCancellationRequested)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(read, Task.Delay(20, cts.Token));
        }

        var report = await read;
        Assert.True(report.NeedsAttention);
        var result = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("data drift in x, c", result.Entries["model-monitor"].Description, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public void ProcessPending_ARecordThePipelineCannotRead_FailsThatCallOnly()
    {
        var (reference, _) = Reference();
        var strict = FeaturePipeline.For<Obs>().Numeric("x", o => o.X > 100 ? throw new InvalidOperationException("x too large to read") : o.X).Categorical("c", o => o.C).Build().Fit(Records(100, 1, 0));
        using var monitor = new ModelMonitor<Obs>(reference, strict, new ModelMonitorOptions { WindowSize = 100 });
        var records = Records(200, seed: 14, shift: 0);
        records[50] = records[50] with { X = 1000 };
        Feed(monitor, records);
        Assert.Contains("too large", Assert.Throws<InvalidOperationException>(() => monitor.ProcessPending()).Message, StringComparison.Ordinal);
        var reports = monitor.ProcessPending(closeWindow: true);
        Assert.Equal(199, reports.Sum(r => r.RecordCount));
    }

    [Fact]
    public void Create_BadOptionsOrMismatchedPipeline_Throws()
    {
        var (reference, features) = Reference();
        Assert.Contains("ModelMonitorOptions.SampleRate must be between 0 exclusive and 1", Assert.Throws<OptionsValidationException>(() => new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { SampleRate = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("Give a window size, a window duration, or both", Assert.Throws<OptionsValidationException>(() => new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { WindowSize = 0 })).Message, StringComparison.Ordinal);
        var nested = Assert.Throws<OptionsValidationException>(() => new ModelMonitor<Obs>(reference, features, new ModelMonitorOptions { Drift = { DriftShare = 2 } }));
        Assert.Contains("ModelMonitorOptions.Drift.DriftShare must be between 0 exclusive and 1", nested.Message, StringComparison.Ordinal);
        var other = FeaturePipeline.For<Obs>().Numeric("y", o => o.X).Build().Fit(Records(10, 1, 0));
        Assert.Contains("pipeline's raw features are [y]", Assert.Throws<ArgumentException>(() => new ModelMonitor<Obs>(reference, other)).Message, StringComparison.Ordinal);
    }

    internal static (ReferenceProfile Reference, IFittedFeaturePipeline<Obs> Features) Reference()
    {
        var records = Records(20_000, seed: 42, shift: 0);
        var features = Definition.Fit(records);
        var builder = new ProfileBuilder(features.Schema.RawFeatures, ["score", "probability"]);
        var raw = new FieldValue[2];
        var probabilities = new float[records.Length];
        var labels = new float[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            features.ExtractRaw(records[i], raw);
            var outputs = Outputs(records[i]);
            builder.Add(raw, outputs);
            probabilities[i] = outputs[1];
            labels[i] = records[i].Label;
        }

        return (builder.Build(PerformanceReference.Create(probabilities, labels, chunkSize: 2000)), features);
    }

    internal static Obs[] Records(int n, int seed, double shift)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var x = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) + shift;
            var c = random.NextDouble() < (shift > 0 ? 0.7 : 0.3) ? "a" : random.NextDouble() < 0.5 ? "b" : "c";
            var p = 1 / (1 + Math.Exp(-2 * x));
            return new Obs(x, c, random.NextDouble() < p ? 1 : 0);
        }).ToArray();
    }

    internal static float[] Outputs(Obs o)
    {
        var p = (float)(1 / (1 + Math.Exp(-2 * o.X)));
        return [p, p];
    }

    private static void Feed(ModelMonitor<Obs> monitor, IEnumerable<Obs> records)
    {
        foreach (var r in records)
        {
            Assert.True(monitor.Observe(r, Outputs(r)));
        }
    }
}

/// <summary>A tiny record: a number, a category and a label.</summary>
public sealed record Obs(double X, string? C, float Label);
