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

namespace MLSystemDesign.Tests.Monitoring.Live;

/// <summary>The live monitor: sampling, windows, drift, validation, CBPE, outcomes, metrics, logs, health, hosted service.</summary>
public sealed class ModelMonitorTests
{
    private static ModelMonitor<Obs> Monitor(ReferenceProfile reference, IFittedFeaturePipeline<Obs> features, ModelMonitorOptions? options = null, ExpectationSuite? expectations = null, TimeProvider? timeProvider = null, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null, ILogger? logger = null, string name = "obs") =>
        new(name, new ModelMonitorSetup<Obs>(reference, features, expectations), options, timeProvider, meterFactory, logger);

    [Fact]
    public void Observe_CountWindows_SecondWindowDrifts()
    {
        var (reference, features) = MonitorFixture.Reference();
        using var monitor = Monitor(reference, features, new ModelMonitorOptions { WindowSize = 1000 });
        MonitorFixture.Feed(monitor, MonitorFixture.Records(1000, seed: 5, shift: 0));
        MonitorFixture.Feed(monitor, MonitorFixture.Records(1000, seed: 6, shift: 1.0));
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
        var (reference, features) = MonitorFixture.Reference();
        using var monitor = Monitor(reference, features, new ModelMonitorOptions { QueueCapacity = 16, WindowSize = 1000 });
        var records = MonitorFixture.Records(100, seed: 1, shift: 0);
        var accepted = records.Count(r => monitor.Observe(r, MonitorFixture.Outputs(r)));
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
        var (reference, features) = MonitorFixture.Reference();
        using var monitor = Monitor(reference, features, new ModelMonitorOptions { SampleRate = 0.25, WindowSize = 100_000 });
        var sampled = MonitorFixture.Records(1000, seed: 2, shift: 0).Count(r => monitor.Observe(r, MonitorFixture.Outputs(r)));
        Assert.Equal(250, sampled);
        Assert.Equal(1000, monitor.ObservedCount);
    }

    [Fact]
    public void ProcessPending_TimeWindows_CloseByTheClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (reference, features) = MonitorFixture.Reference();
        using var monitor = Monitor(reference, features, new ModelMonitorOptions { WindowSize = 0, WindowDuration = TimeSpan.FromMinutes(1) }, timeProvider: time);
        MonitorFixture.Feed(monitor, MonitorFixture.Records(200, seed: 3, shift: 0));
        time.Advance(TimeSpan.FromSeconds(61));
        MonitorFixture.Feed(monitor, MonitorFixture.Records(300, seed: 4, shift: 0));
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
        var (reference, features) = MonitorFixture.Reference();
        var suite = Expect.For<Obs>().Field(o => o.C, e => e.Required()).Build("obs");
        using var monitor = Monitor(reference, features, new ModelMonitorOptions { WindowSize = 100 }, suite);
        var records = MonitorFixture.Records(100, seed: 8, shift: 0);
        records[0] = records[0] with { X = 1e6 };
        records[1] = records[1] with { X = -1e6 };
        records[2] = records[2] with { C = "never-seen" };
        records[3] = records[3] with { C = null };
        records[4] = records[4] with { X = double.NaN };
        MonitorFixture.Feed(monitor, records);
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
        var (reference, features) = MonitorFixture.Reference();
        using var monitor = Monitor(reference, features, new ModelMonitorOptions { WindowSize = 400 });
        var records = MonitorFixture.Records(400, seed: 9, shift: 0);
        var ids = records.Select(_ => Guid.NewGuid()).ToArray();
        for (var i = 0; i < records.Length; i++)
        {
            monitor.Observe(records[i], MonitorFixture.Outputs(records[i]), ids[i], i % 2 == 0 ? "v1" : "v2");
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
        var expected = MetricCalculator.Binary(v1.Select(i => records[i].Label).ToArray(), v1.Select(i => MonitorFixture.Outputs(records[i])[1]).ToArray());
        Assert.Equal(expected[MetricNames.Auc], realized[0].Metrics[MetricNames.Auc], 12);
        Assert.Equal(1, monitor.UnmatchedOutcomes);
    }

    [Fact]
    public void Performance_DecayAlertWhenEstimatedMetricLeavesTheBand()
    {
        var (reference, features) = MonitorFixture.Reference();
        using var monitor = Monitor(reference, features, new ModelMonitorOptions { WindowSize = 2000 });
        MonitorFixture.Feed(monitor, MonitorFixture.Records(2000, seed: 10, shift: 0));
        // The model becomes unsure of everything: probabilities near 0.5 lower the estimated accuracy far below the band.
        foreach (var r in MonitorFixture.Records(2000, seed: 11, shift: 0))
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
        var (reference, features) = MonitorFixture.Reference();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var share = new MetricCollector<double>(meterFactory, ModelMonitor.MeterName, "mlsd.monitor.drift_share");
        using var sampled = new MetricCollector<long>(meterFactory, ModelMonitor.MeterName, "mlsd.monitor.records.sampled");
        var logger = new FakeLogger<ModelMonitor<Obs>>();
        using var monitor = Monitor(reference, features, new ModelMonitorOptions { WindowSize = 1000 }, meterFactory: meterFactory, logger: logger, name: "flights");
        MonitorFixture.Feed(monitor, MonitorFixture.Records(1000, seed: 12, shift: 1.5));
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
        var (reference, features) = MonitorFixture.Reference();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddMLSystem(ml => ml.AddModelMonitor("champion", (_, _) => ValueTask.FromResult(new ModelMonitorSetup<Obs>(reference, features)), o =>
        {
            o.WindowSize = 500;
            o.EvaluationInterval = TimeSpan.FromSeconds(5);
        }));
        builder.Services.AddMLSystem(ml => ml.AddModelMonitor("canary", (_, _) => ValueTask.FromResult(new ModelMonitorSetup<Obs>(reference, features))));
        builder.Services.AddHealthChecks().AddModelMonitorHealthCheck("champion");
        using var host = builder.Build();
        Assert.Single(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "ModelComponentHost");
        await host.StartAsync();
        var monitor = host.Services.GetRequiredKeyedService<ModelMonitor<Obs>>("champion");
        var canary = host.Services.GetRequiredKeyedService<ModelMonitor<Obs>>("canary");
        Assert.NotSame(monitor, canary);
        Assert.Equal(("champion", 500), (monitor.Name, monitor.Options.WindowSize));
        Assert.Equal(("canary", 10_000), (canary.Name, canary.Options.WindowSize));
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        MonitorFixture.Feed(monitor, MonitorFixture.Records(500, seed: 13, shift: 2.0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = monitor.Reports.ReadAsync(cts.Token).AsTask();
        while (!read.IsCompleted && !cts.IsCancellationRequested)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(read, Task.Delay(20, cts.Token));
        }

        var report = await read;
        Assert.True(report.NeedsAttention);
        Assert.Equal("champion", report.Model);
        var result = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("data drift in x, c", result.Entries["model-monitor:champion"].Description, StringComparison.Ordinal);
        Assert.Null(canary.LastReport);
        await host.StopAsync();
    }

    [Fact]
    public void ProcessPending_ARecordThePipelineCannotRead_FailsThatCallOnly()
    {
        var (reference, _) = MonitorFixture.Reference();
        var strict = FeaturePipeline.For<Obs>().Numeric("x", o => o.X > 100 ? throw new InvalidOperationException("x too large to read") : o.X).Categorical("c", o => o.C).Build().Fit(MonitorFixture.Records(100, 1, 0));
        using var monitor = Monitor(reference, strict, new ModelMonitorOptions { WindowSize = 100 });
        var records = MonitorFixture.Records(200, seed: 14, shift: 0);
        records[50] = records[50] with { X = 1000 };
        MonitorFixture.Feed(monitor, records);
        Assert.Contains("too large", Assert.Throws<InvalidOperationException>(() => monitor.ProcessPending()).Message, StringComparison.Ordinal);
        var reports = monitor.ProcessPending(closeWindow: true);
        Assert.Equal(199, reports.Sum(r => r.RecordCount));
    }

    [Fact]
    public void Create_BadOptionsOrMismatchedPipeline_Throws()
    {
        var (reference, features) = MonitorFixture.Reference();
        Assert.Contains("obs.SampleRate must be between 0 exclusive and 1", Assert.Throws<OptionsValidationException>(() => Monitor(reference, features, new ModelMonitorOptions { SampleRate = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("Give a window size, a window duration, or both", Assert.Throws<OptionsValidationException>(() => Monitor(reference, features, new ModelMonitorOptions { WindowSize = 0 })).Message, StringComparison.Ordinal);
        var nested = Assert.Throws<OptionsValidationException>(() => Monitor(reference, features, new ModelMonitorOptions { Drift = { DriftShare = 2 } }));
        Assert.Contains("obs.Drift.DriftShare must be between 0 exclusive and 1", nested.Message, StringComparison.Ordinal);
        Assert.Equal("obs", nested.OptionsName);
        Assert.Throws<ArgumentException>(() => Monitor(reference, features, name: " "));
        var other = FeaturePipeline.For<Obs>().Numeric("y", o => o.X).Build().Fit(MonitorFixture.Records(10, 1, 0));
        Assert.Contains("pipeline's raw features are [y]", Assert.Throws<ArgumentException>(() => Monitor(reference, other)).Message, StringComparison.Ordinal);
    }
}
