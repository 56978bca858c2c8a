using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MLSystemDesign.Composition.Components;

namespace MLSystemDesign.Monitoring.Live;

/// <summary>
/// A registered monitor, keyed by name: empty until the host starts, then set up by its asynchronous setup and
/// processed every <see cref="ModelMonitorOptions.EvaluationInterval"/> off the request path until the host stops. A
/// processing failure (e.g. a record the pipeline cannot read) is logged and the next round goes on: monitoring must
/// not stop the host.
/// </summary>
internal abstract class ModelMonitorComponent(string name) : ModelComponent(KindName, name)
{
    /// <summary>What the component is, in messages.</summary>
    public const string KindName = "model monitor";

    /// <summary>Gets the monitor once it is set up, otherwise <see langword="null"/>.</summary>
    public abstract ModelMonitor? Current { get; }

    /// <summary>Gets the monitor.</summary>
    /// <exception cref="InvalidOperationException">The host has not started, so the monitor is not set up.</exception>
    public ModelMonitor Monitor => Current ?? throw NotSetUp();

    /// <summary>The exception for a monitor asked for before its setup ran.</summary>
    protected InvalidOperationException NotSetUp() =>
        new($"The model monitor '{Name}' is not set up yet: its setup runs when the host starts (IHost.StartAsync). Resolve it after the host has started.");
}

/// <summary>The registered monitor of record type <typeparamref name="T"/>; also the observer its model's predictions reach it through.</summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class ModelMonitorComponent<T>(string name, Func<IServiceProvider, CancellationToken, ValueTask<ModelMonitorSetup<T>>> setup)
    : ModelMonitorComponent(name), IPredictionObserver<T>, IDisposable
{
    private ModelMonitor<T>? _monitor;
    private ILogger _logger = NullLogger.Instance;
    private TimeProvider _time = TimeProvider.System;
    private long _beforeSetUp;

    /// <inheritdoc />
    public override ModelMonitor? Current => Volatile.Read(ref _monitor);

    /// <summary>Gets the typed monitor.</summary>
    /// <exception cref="InvalidOperationException">The host has not started, so the monitor is not set up.</exception>
    public ModelMonitor<T> TypedMonitor => Volatile.Read(ref _monitor) ?? throw NotSetUp();

    /// <inheritdoc />
    public override async ValueTask SetUpAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var given = await setup(services, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The setup of the model monitor '{Name}' returned no ModelMonitorSetup<{typeof(T).Name}>.");
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _logger = (ILogger?)services.GetService<ILoggerFactory>()?.CreateLogger<ModelMonitor<T>>() ?? NullLogger.Instance;
        var options = services.GetRequiredService<IOptionsMonitor<ModelMonitorOptions>>().Get(Name);
        var monitor = new ModelMonitor<T>(Name, given, options, _time, services.GetService<IMeterFactory>(), _logger);
        Volatile.Write(ref _monitor, monitor);
        if (Interlocked.Read(ref _beforeSetUp) is var early and > 0)
        {
            MonitorLog.ObservedBeforeSetUp(_logger, Name, early);
        }
    }

    /// <inheritdoc />
    public override async Task RunAsync(CancellationToken stoppingToken)
    {
        var monitor = TypedMonitor;
        while (!stoppingToken.IsCancellationRequested)
        {
            Process(monitor);
            try
            {
                await Task.Delay(monitor.Options.EvaluationInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Process(monitor);
    }

    /// <summary>Forwards a prediction to the monitor; before setup it is counted (and logged at setup), not observed.</summary>
    public void OnPrediction(in PredictionObservation<T> observation)
    {
        var monitor = Volatile.Read(ref _monitor);
        if (monitor is null)
        {
            Interlocked.Increment(ref _beforeSetUp);
            return;
        }

        monitor.Observe(observation.Record, observation.Outputs, observation.PredictionId, observation.ModelVersion);
    }

    public void Dispose() => _monitor?.Dispose();

    private void Process(ModelMonitor<T> monitor)
    {
        try
        {
            monitor.ProcessPending();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            MonitorLog.ProcessingFailed(_logger, Name, ex);
        }
    }
}
