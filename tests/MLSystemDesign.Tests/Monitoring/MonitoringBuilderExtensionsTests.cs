using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MLSystemDesign.Monitoring;
using MLSystemDesign.Tests.Monitoring.Live;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>Monitors keyed by model name: several per record type, asynchronous setup at host start, health checks per name.</summary>
public sealed class MonitoringBuilderExtensionsTests
{
    private static ValueTask<ModelMonitorSetup<Obs>> Setup(IServiceProvider services, CancellationToken cancellationToken) => ValueTask.FromResult(MonitorFixture.Setup);

    [Fact]
    public async Task AddModelMonitor_TwoNamesOfOneRecordType_EachKeepsItsOwnOptionsAndSetup()
    {
        var (otherReference, otherFeatures) = MonitorFixture.Reference();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml
            .AddModelMonitor<Obs>("champion", Setup, o => o.SampleRate = 0.5)
            .AddModelMonitor<Obs>("canary", (_, _) => ValueTask.FromResult(new ModelMonitorSetup<Obs>(otherReference, otherFeatures)), o => o.WindowSize = 123));
        using var host = builder.Build();
        await host.StartAsync();

        var champion = host.Services.GetRequiredKeyedService<ModelMonitor<Obs>>("champion");
        var canary = host.Services.GetRequiredKeyedService<ModelMonitor<Obs>>("canary");
        Assert.Equal(("champion", 0.5, 10_000), (champion.Name, champion.Options.SampleRate, champion.Options.WindowSize));
        Assert.Equal(("canary", 1.0, 123), (canary.Name, canary.Options.SampleRate, canary.Options.WindowSize));
        Assert.Same(MonitorFixture.Setup.Reference, champion.Reference);
        Assert.Same(otherReference, canary.Reference);
        Assert.Same(champion, host.Services.GetRequiredKeyedService<ModelMonitor>("champion"));
        Assert.Same(champion, host.Services.GetRequiredKeyedService<ModelMonitor<Obs>>("champion"));
        await host.StopAsync();
    }

    [Fact]
    public void AddModelMonitor_SameNameTwice_Throws()
    {
        var services = new ServiceCollection();
        services.AddMLSystem(ml => ml.AddModelMonitor<Obs>("champion", Setup));
        var again = Assert.Throws<InvalidOperationException>(() => services.AddMLSystem(ml => ml.AddModelMonitor<Obs>("champion", Setup)));
        Assert.Contains("model monitor named 'champion' is already registered", again.Message, StringComparison.Ordinal);
        var otherType = Assert.Throws<InvalidOperationException>(() => services.AddMLSystem(ml => ml.AddModelMonitor<string>("champion", (_, _) => throw new NotSupportedException())));
        Assert.Contains("'champion'", otherType.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => services.AddMLSystem(ml => ml.AddModelMonitor<Obs>(" ", Setup)));
    }

    [Fact]
    public async Task Setup_RunsOnceAsynchronouslyAtHostStart_NotWhenResolvedOrBuilt()
    {
        var calls = 0;
        CancellationToken seen = default;
        var gate = new TaskCompletionSource();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.AddModelMonitor<Obs>("champion", async (_, ct) =>
        {
            Interlocked.Increment(ref calls);
            seen = ct;
            await gate.Task.WaitAsync(ct);
            return MonitorFixture.Setup;
        }));
        using var host = builder.Build();
        Assert.Equal(0, calls);
        var early = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredKeyedService<ModelMonitor<Obs>>("champion"));
        Assert.Contains("not set up yet", early.Message, StringComparison.Ordinal);

        var start = host.StartAsync();
        await WaitUntil(() => Volatile.Read(ref calls) == 1);
        Assert.False(start.IsCompleted, "the host finished starting before the monitor's setup completed");
        Assert.True(seen.CanBeCanceled);
        gate.SetResult();
        await start;

        Assert.Equal(1, calls);
        Assert.Equal("champion", host.Services.GetRequiredKeyedService<ModelMonitor<Obs>>("champion").Name);
        await host.StopAsync();
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Setup_IsDoneBeforeAnyHostedServiceStarts()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddHostedService<ReadsTheMonitorAtStart>();
        builder.Services.AddMLSystem(ml => ml.AddModelMonitor<Obs>("champion", async (_, ct) =>
        {
            await Task.Yield();
            return MonitorFixture.Setup;
        }));
        using var host = builder.Build();
        await host.StartAsync();
        Assert.Equal("champion", host.Services.GetServices<IHostedService>().OfType<ReadsTheMonitorAtStart>().Single().Seen);
        await host.StopAsync();
    }

    [Fact]
    public async Task Setup_Failing_FailsTheHostStartNamingTheMonitor()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.AddModelMonitor<Obs>("champion", (_, _) => throw new FileNotFoundException("no reference profile stored")));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("model monitor 'champion' failed: no reference profile stored", ex.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(ex.InnerException);
    }

    [Fact]
    public async Task InvalidOptions_FailTheHostStart_NamingTheMonitorTheOptionAndItsRange()
    {
        var setups = 0;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml
            .AddModelMonitor<Obs>("champion", Setup)
            .AddModelMonitor<Obs>("canary", (sp, ct) =>
            {
                setups++;
                return Setup(sp, ct);
            }, o =>
            {
                o.SampleRate = 2;
                o.Drift.PValueThreshold = 0;
            }));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Equal("canary", ex.OptionsName);
        Assert.Contains("canary.SampleRate must be between 0 exclusive and 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("canary.Drift.PValueThreshold must be between 0 exclusive and 1 exclusive", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, setups);
    }

    [Fact]
    public async Task HealthCheck_TakesNameFailureStatusTagsAndTimeout_LikeAddCheck()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.AddModelMonitor<Obs>("champion", Setup, o => o.WindowSize = 200));
        builder.Services.AddHealthChecks()
            .AddModelMonitorHealthCheck("champion", HealthStatus.Unhealthy, ["serving"], TimeSpan.FromSeconds(3))
            .AddModelMonitorHealthCheck("nobody");
        using var host = builder.Build();
        var registrations = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.ToDictionary(r => r.Name);
        var champion = registrations["model-monitor:champion"];
        Assert.Equal((HealthStatus.Unhealthy, TimeSpan.FromSeconds(3)), (champion.FailureStatus, champion.Timeout));
        Assert.Equal(["serving"], champion.Tags);
        Assert.Equal(HealthStatus.Degraded, registrations["model-monitor:nobody"].FailureStatus);
        Assert.Equal(["drift", "ml"], registrations["model-monitor:nobody"].Tags.Order());

        var health = host.Services.GetRequiredService<HealthCheckService>();
        var before = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, before.Entries["model-monitor:champion"].Status);
        Assert.Contains("not set up yet", before.Entries["model-monitor:champion"].Description, StringComparison.Ordinal);
        Assert.Contains("No model monitor named 'nobody'", before.Entries["model-monitor:nobody"].Description, StringComparison.Ordinal);

        await host.StartAsync();
        var monitor = host.Services.GetRequiredKeyedService<ModelMonitor<Obs>>("champion");
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(r => r.Tags.Contains("serving"))).Status);
        MonitorFixture.Feed(monitor, MonitorFixture.Records(200, seed: 21, shift: 2.0));
        monitor.ProcessPending();
        var after = await health.CheckHealthAsync(r => r.Tags.Contains("serving"));
        Assert.Equal(HealthStatus.Unhealthy, after.Status);
        Assert.Contains("champion: window 0: data drift in x, c", after.Entries["model-monitor:champion"].Description, StringComparison.Ordinal);
        await host.StopAsync();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, cts.Token);
        }
    }

    /// <summary>A hosted service that uses the monitor in its own start, as a web server's first request would.</summary>
    private sealed class ReadsTheMonitorAtStart(IServiceProvider services) : IHostedService
    {
        public string? Seen { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Seen = services.GetRequiredKeyedService<ModelMonitor<Obs>>("champion").Name;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
