using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring.Live;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// Watches a served model. On the request path <see cref="Observe"/> (or <see cref="IPredictionObserver{T}.OnPrediction"/>)
/// samples the record and its outputs into a bounded lock-free queue (dropping and counting when full; it never blocks
/// and allocates nothing). Off the request path <see cref="ProcessPending"/> (run by the hosted service on a schedule)
/// builds a live profile per tumbling window, compares it with the reference, validates the live values, estimates
/// performance (CBPE), joins delayed outcomes, and publishes each window's <see cref="MonitoringReport"/> as metrics,
/// logs, health and an event stream.
/// </summary>
/// <remarks>
/// Monitors are keyed by name: register one per model (or per rollout arm) with <c>AddModelMonitor&lt;T&gt;(name, …)</c>
/// and resolve it with <c>GetRequiredKeyedService&lt;ModelMonitor&lt;T&gt;&gt;(name)</c> once the host has started, or
/// create one directly.
/// </remarks>
/// <typeparam name="T">The record type.</typeparam>
public sealed class ModelMonitor<T> : ModelMonitor, IPredictionObserver<T>
{
    private readonly IFittedFeaturePipeline<T> _features;
    private readonly PredictionSampler<T> _sampler;
    private readonly WindowClock _clock;
    private readonly WindowSettings _windows;
    private readonly FieldValue[] _raw;
    private readonly float[] _outputBuffer;
    private long _droppedReported;
    private MonitorWindow<T>? _window;
    private long _windowIndex;

    /// <summary>Creates a monitor.</summary>
    /// <param name="name">The monitor's name (the model's), used in metric tags, logs, reports and health data.</param>
    /// <param name="setup">The reference profile (with its performance reference for CBPE, if any), the fitted pipeline whose raw features it profiled, and optionally an expectation suite.</param>
    /// <param name="options">The options; defaults when omitted.</param>
    /// <param name="timeProvider">The clock; the system clock when omitted.</param>
    /// <param name="meterFactory">Creates the meter; a private meter when omitted.</param>
    /// <param name="logger">The logger; none when omitted.</param>
    /// <exception cref="ArgumentException">The name is empty, or the reference's features differ from the pipeline's.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public ModelMonitor(
        string name,
        ModelMonitorSetup<T> setup,
        ModelMonitorOptions? options = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        ILogger? logger = null)
        : base(name, (setup ?? throw new ArgumentNullException(nameof(setup))).Reference, options ?? new ModelMonitorOptions(), meterFactory, logger)
    {
        ArgumentNullException.ThrowIfNull(setup.Features);
        var reference = setup.Reference;
        var raw = setup.Features.Schema.RawFeatures;
        if (raw.Count != reference.Features.Count || raw.Where((f, i) => f.Name != reference.Features[i].Name || f.Kind != reference.Features[i].Kind).Any())
        {
            throw new ArgumentException($"The reference profiles [{string.Join(", ", reference.Features.Select(f => f.Name))}] but the pipeline's raw features are [{string.Join(", ", raw.Select(f => f.Name))}].", nameof(setup));
        }

        _features = setup.Features;
        var time = timeProvider ?? TimeProvider.System;
        var width = Math.Max(1, reference.Outputs.Count);
        _sampler = new PredictionSampler<T>(Options.SampleRate, Options.QueueCapacity, width, time);
        _clock = new WindowClock(Options, time);
        _windows = new WindowSettings(name, reference, raw, new DriftAnalyzer(Options.Drift), setup.Expectations, Options.MinWindowRecords, time);
        _raw = new FieldValue[raw.Count];
        _outputBuffer = new float[width];
    }

    /// <inheritdoc />
    public override long ObservedCount => _sampler.ObservedCount;

    /// <inheritdoc />
    public override long DroppedCount => _sampler.DroppedCount;

    /// <summary>
    /// Observes one prediction on the request path: samples it (every 1/<see cref="ModelMonitorOptions.SampleRate"/>-th)
    /// into the queue. Never blocks, takes no lock and allocates nothing; when the queue is full the sample is dropped and counted.
    /// </summary>
    /// <param name="record">The record the model scored. It must not change afterwards (it is read off the request path).</param>
    /// <param name="outputs">The model's outputs for it, in the reference's output order (extra values are ignored).</param>
    /// <param name="predictionId">The prediction's id, to join a delayed outcome to; <see cref="Guid.Empty"/> when outcomes are not joined.</param>
    /// <param name="modelVersion">The version that made the prediction, for per-version realized metrics.</param>
    /// <returns>Whether the prediction was sampled and queued.</returns>
    public bool Observe(T record, ReadOnlySpan<float> outputs, Guid predictionId = default, string? modelVersion = null) =>
        _sampler.Observe(record, outputs, predictionId, modelVersion);

    /// <summary>Observes one prediction, as <see cref="Observe"/> does.</summary>
    /// <param name="observation">The prediction.</param>
    void IPredictionObserver<T>.OnPrediction(in PredictionObservation<T> observation) =>
        _sampler.Observe(observation.Record, observation.Outputs, observation.PredictionId, observation.ModelVersion);

    /// <inheritdoc />
    public override IReadOnlyList<MonitoringReport> ProcessPending(bool closeWindow = false)
    {
        lock (Processing)
        {
            var closed = new List<MonitoringReport>();
            while (_sampler.TryTake(out var record, _outputBuffer, out var id, out var version, out var timestamp))
            {
                if (_window is { } open && _clock.IsPast(open.Slot, timestamp))
                {
                    closed.Add(Close());
                }

                Add(record, id, version ?? string.Empty, timestamp);
                if (_clock.IsFull(_window!.Count))
                {
                    closed.Add(Close());
                }
            }

            if (_window is { } w && (closeWindow || _clock.IsDue(w.Slot)))
            {
                closed.Add(Close());
            }

            JoinOutcomes();
            return closed;
        }
    }

    private void Add(T record, Guid id, string version, long timestamp)
    {
        _window ??= new MonitorWindow<T>(_windows, new MonitorWindowSlot(_windowIndex, _clock.SlotOf(timestamp)), _clock.TimeOf(timestamp));
        _features.ExtractRaw(record, _raw);
        _window.Add(record, _raw, _outputBuffer);
        var probabilityOutput = _windows.ProbabilityOutput;
        ExpectOutcome(id, _window.Slot.Index, version, probabilityOutput >= 0 ? _outputBuffer[probabilityOutput] : float.NaN);
    }

    private MonitoringReport Close()
    {
        var window = _window!;
        _window = null;
        _windowIndex++;
        var dropped = _sampler.DroppedCount;
        var droppedInWindow = dropped - _droppedReported;
        _droppedReported = dropped;
        var report = window.Finish(droppedInWindow);
        Publish(report);
        return report;
    }
}
