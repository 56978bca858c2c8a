using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MLSystemDesign.Data;
using MLSystemDesign.Expectations;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring.Live;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// Watches a served model. On the request path <see cref="Observe"/> samples the record and its outputs into a bounded
/// lock-free queue (dropping and counting when full; it never blocks and allocates nothing). Off the request path
/// <see cref="ProcessPending"/> (run by the hosted service on a schedule) builds a live profile per tumbling window,
/// compares it with the reference, validates the live values, estimates performance (CBPE), joins delayed outcomes, and
/// publishes each window's <see cref="MonitoringReport"/> as metrics, logs, health and an event stream.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class ModelMonitor<T> : IDisposable
{
    /// <summary>The name of the meter the monitor's instruments belong to.</summary>
    public const string MeterName = "MLSystemDesign.Monitoring";

    private readonly ReferenceProfile _reference;
    private readonly IFittedFeaturePipeline<T> _features;
    private readonly ModelMonitorOptions _options;
    private readonly ILogger _logger;
    private readonly PredictionSampler<T> _sampler;
    private readonly WindowClock _clock;
    private readonly WindowSettings _windows;
    private readonly OutcomeJoin _outcomes;
    private readonly Channel<MonitoringReport> _reports;
    private readonly object _processing = new();
    private readonly FieldValue[] _raw;
    private readonly float[] _outputBuffer;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly MonitorInstruments _instruments;
    private long _droppedReported;
    private MonitorWindow<T>? _window;
    private long _windowIndex;
    private MonitoringReport? _last;

    /// <summary>Creates a monitor.</summary>
    /// <param name="reference">The reference profile (the training data's), with its performance reference for CBPE if any.</param>
    /// <param name="features">The fitted pipeline whose raw features the reference profiled.</param>
    /// <param name="options">The options; defaults when omitted.</param>
    /// <param name="expectations">An expectation suite to check each window's records against, if any.</param>
    /// <param name="timeProvider">The clock; the system clock when omitted.</param>
    /// <param name="meterFactory">Creates the meter; a private meter when omitted.</param>
    /// <param name="logger">The logger; none when omitted.</param>
    /// <exception cref="ArgumentException">The reference's features differ from the pipeline's.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public ModelMonitor(
        ReferenceProfile reference,
        IFittedFeaturePipeline<T> features,
        ModelMonitorOptions? options = null,
        ExpectationSuite? expectations = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        ILogger<ModelMonitor<T>>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(features);
        _options = OptionsValidation.ThrowIfInvalid<ModelMonitorOptions, ModelMonitorOptionsValidator>(options ?? new ModelMonitorOptions());
        var raw = features.Schema.RawFeatures;
        if (raw.Count != reference.Features.Count || raw.Where((f, i) => f.Name != reference.Features[i].Name || f.Kind != reference.Features[i].Kind).Any())
        {
            throw new ArgumentException($"The reference profiles [{string.Join(", ", reference.Features.Select(f => f.Name))}] but the pipeline's raw features are [{string.Join(", ", raw.Select(f => f.Name))}].", nameof(features));
        }

        _reference = reference;
        _features = features;
        var time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var width = Math.Max(1, reference.Outputs.Count);
        _sampler = new PredictionSampler<T>(_options.SampleRate, _options.QueueCapacity, width, time);
        _clock = new WindowClock(_options, time);
        _windows = new WindowSettings(_options.ModelName, reference, raw, new DriftAnalyzer(_options.Drift), expectations, _options.MinWindowRecords, time);
        _outcomes = new OutcomeJoin(_options.MaxPendingOutcomes);
        _reports = Channel.CreateBounded<MonitoringReport>(new BoundedChannelOptions(_options.ReportBufferSize) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });
        _raw = new FieldValue[raw.Count];
        _outputBuffer = new float[width];
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _instruments = new MonitorInstruments(_meter);
    }

    /// <summary>Gets the options.</summary>
    public ModelMonitorOptions Options => _options;

    /// <summary>Gets the reference profile.</summary>
    public ReferenceProfile Reference => _reference;

    /// <summary>Gets how many predictions were observed (sampled or not).</summary>
    public long ObservedCount => _sampler.ObservedCount;

    /// <summary>Gets how many sampled predictions were dropped because the queue was full.</summary>
    public long DroppedCount => _sampler.DroppedCount;

    /// <summary>Gets the last closed window's report, if any.</summary>
    public MonitoringReport? LastReport => Volatile.Read(ref _last);

    /// <summary>Gets the event stream of window reports (for retraining policies). One reader; the oldest reports are dropped when it falls behind.</summary>
    public ChannelReader<MonitoringReport> Reports => _reports.Reader;

    /// <summary>Gets how many outcomes named a prediction the monitor did not (or no longer) hold.</summary>
    public long UnmatchedOutcomes
    {
        get
        {
            lock (_processing)
            {
                return _outcomes.Unmatched;
            }
        }
    }

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

    /// <summary>Records the outcome (label 0 or 1) of an earlier prediction; it is joined by id when the monitor next processes.</summary>
    /// <param name="predictionId">The prediction's id.</param>
    /// <param name="label">The true label.</param>
    public void RecordOutcome(Guid predictionId, float label) => _outcomes.Record(predictionId, label);

    /// <summary>
    /// Processes what the request path queued: adds records to the open window, closes windows that are full or whose
    /// time is up, and joins outcomes. Called by the hosted service on its schedule; safe to call from any thread.
    /// </summary>
    /// <param name="closeWindow">Whether to close the open window afterwards even if it is not due (e.g. at the end of a batch).</param>
    /// <returns>The reports of the windows closed by this call.</returns>
    public IReadOnlyList<MonitoringReport> ProcessPending(bool closeWindow = false)
    {
        lock (_processing)
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

            _outcomes.Join();
            return closed;
        }
    }

    /// <summary>Gets the realized metrics of a window per model version, from the outcomes joined so far.</summary>
    /// <param name="window">The window number.</param>
    /// <returns>One entry per model version seen in the window with at least one joined outcome.</returns>
    public IReadOnlyList<RealizedPerformance> Realized(long window)
    {
        lock (_processing)
        {
            _outcomes.Join();
            return _outcomes.Realized(window, _reference.Performance);
        }
    }

    /// <summary>Releases the meter when the monitor created it (a meter from an <see cref="IMeterFactory"/> belongs to the factory).</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void Add(T record, Guid id, string version, long timestamp)
    {
        _window ??= new MonitorWindow<T>(_windows, new MonitorWindowSlot(_windowIndex, _clock.SlotOf(timestamp)), _clock.TimeOf(timestamp));
        _features.ExtractRaw(record, _raw);
        _window.Add(record, _raw, _outputBuffer);
        var probabilityOutput = _windows.ProbabilityOutput;
        _outcomes.Expect(id, _window.Slot.Index, version, probabilityOutput >= 0 ? _outputBuffer[probabilityOutput] : float.NaN);
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
        Volatile.Write(ref _last, report);
        _reports.Writer.TryWrite(report);
        _instruments.Record(report);
        MonitorLog.Report(_logger, report, _options.MinWindowRecords);
        return report;
    }
}
