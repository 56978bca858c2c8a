using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MLSystemDesign.Monitoring;
using MLSystemDesign.Tests.Monitoring.Live;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>Observers of a model's predictions: the monitor and anything else registered for the name, called as one.</summary>
public sealed class PredictionObserversTests
{
    [Fact]
    public async Task Observers_OfAName_HoldItsMonitorAndItsOtherObservers_NotAnotherNames()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml
            .AddModelMonitor<Obs>("champion", (_, _) => ValueTask.FromResult(MonitorFixture.Setup))
            .AddModelMonitor<Obs>("canary", (_, _) => ValueTask.FromResult(MonitorFixture.Setup))
            .AddPredictionObserver<Obs, CountingObserver>("champion")
            .AddPredictionObserver<Obs, CountingObserver>("champion")
            .AddPredictionObserver<Obs>("champion", _ => new VersionLog()));
        using var host = builder.Build();
        await host.StartAsync();
        var observers = host.Services.GetRequiredKeyedService<PredictionObservers<Obs>>("champion");
        Assert.Equal("champion", observers.Name);
        Assert.Equal(3, observers.Observers.Count);

        var records = MonitorFixture.Records(10, seed: 1, shift: 0);
        foreach (var (r, i) in records.Select((r, i) => (r, i)))
        {
            observers.OnPrediction(new PredictionObservation<Obs>(r, MonitorFixture.Outputs(r), Guid.NewGuid(), i % 2 == 0 ? "v1" : "v2"));
        }

        var champion = host.Services.GetRequiredKeyedService<ModelMonitor<Obs>>("champion");
        Assert.Equal(10, champion.ObservedCount);
        Assert.Equal(0, host.Services.GetRequiredKeyedService<ModelMonitor<Obs>>("canary").ObservedCount);
        Assert.Equal(10, observers.Observers.OfType<CountingObserver>().Single().Count);
        Assert.Equal(["v1", "v2", "v1"], observers.Observers.OfType<VersionLog>().Single().Versions.Take(3));
        Assert.Equal(0, observers.FailureCount);
        await host.StopAsync();
    }

    [Fact]
    public void OnPrediction_AnObserverThrows_OthersStillRunAndFailuresAreCountedAndLoggedSparsely()
    {
        var counting = new CountingObserver();
        var logger = new FakeLogger<PredictionObservers<Obs>>();
        var observers = new PredictionObservers<Obs>("champion", [new ThrowingObserver(), counting], logger);
        var record = MonitorFixture.Records(1, seed: 2, shift: 0)[0];
        for (var i = 0; i < 9; i++)
        {
            observers.OnPrediction(new PredictionObservation<Obs>(record, [0.5f, 0.5f]));
        }

        Assert.Equal(9, counting.Count);
        Assert.Equal(9, observers.FailureCount);
        var logged = logger.Collector.GetSnapshot();
        Assert.Equal(4, logged.Count); // failures 1, 2, 4 and 8
        Assert.All(logged, r => Assert.Equal(LogLevel.Error, r.Level));
        Assert.Contains("ThrowingObserver failed (8 failures so far)", logged[^1].Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(logged[0].Exception);
    }

    [Fact]
    public async Task OnPrediction_BeforeTheMonitorIsSetUp_IsCountedAndLoggedAtSetUp_NotObserved()
    {
        var services = new ServiceCollection().AddLogging(l => l.AddFakeLogging());
        services.AddMLSystem(ml => ml.AddModelMonitor<Obs>("champion", (_, _) => ValueTask.FromResult(MonitorFixture.Setup)));
        using var provider = services.BuildServiceProvider();
        var observers = provider.GetRequiredKeyedService<PredictionObservers<Obs>>("champion");
        var record = MonitorFixture.Records(1, seed: 3, shift: 0)[0];
        observers.OnPrediction(new PredictionObservation<Obs>(record, [0.5f, 0.5f]));
        observers.OnPrediction(new PredictionObservation<Obs>(record, [0.5f, 0.5f]));
        Assert.Equal(0, observers.FailureCount);

        foreach (var hosted in provider.GetServices<IHostedService>().OfType<IHostedLifecycleService>())
        {
            await hosted.StartingAsync(CancellationToken.None);
        }

        var monitor = provider.GetRequiredKeyedService<ModelMonitor<Obs>>("champion");
        Assert.Equal(0, monitor.ObservedCount);
        Assert.Contains(provider.GetFakeLogCollector().GetSnapshot(), r => r.Message == "Model champion: 2 predictions arrived before the monitor was set up and were not observed.");
        observers.OnPrediction(new PredictionObservation<Obs>(record, [0.5f, 0.5f]));
        Assert.Equal(1, monitor.ObservedCount);
    }

    [Fact]
    public void Monitor_IsAnObserverItself()
    {
        using var monitor = new ModelMonitor<Obs>("direct", MonitorFixture.Setup, new ModelMonitorOptions { WindowSize = 100 });
        IPredictionObserver<Obs> observer = monitor;
        var records = MonitorFixture.Records(100, seed: 4, shift: 0);
        foreach (var r in records)
        {
            observer.OnPrediction(new PredictionObservation<Obs>(r, MonitorFixture.Outputs(r)));
        }

        Assert.Equal(100, Assert.Single(monitor.ProcessPending()).RecordCount);
    }

    private sealed class CountingObserver : IPredictionObserver<Obs>
    {
        private long _count;

        public long Count => Volatile.Read(ref _count);

        public void OnPrediction(in PredictionObservation<Obs> observation) => Interlocked.Increment(ref _count);
    }

    private sealed class VersionLog : IPredictionObserver<Obs>
    {
        public List<string?> Versions { get; } = [];

        public void OnPrediction(in PredictionObservation<Obs> observation) => Versions.Add(observation.ModelVersion);
    }

    private sealed class ThrowingObserver : IPredictionObserver<Obs>
    {
        public void OnPrediction(in PredictionObservation<Obs> observation) => throw new InvalidOperationException("broken observer");
    }
}
