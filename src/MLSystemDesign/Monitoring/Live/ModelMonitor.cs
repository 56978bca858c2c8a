using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MLSystemDesign.Data;
using MLSystemDesign.Evaluation;
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
    private readonly ExpectationSuite? _expectations;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DriftAnalyzer _analyzer;
    private readonly SampleRing<T> _ring;
    private readonly Channel<MonitoringReport> _reports;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(Guid Id, float Label)> _outcomes = new();
    private readonly object _processing = new();
    private readonly long _sampleEvery;
    private readonly int _probabilityOutput;
    private readonly FieldValue[] _raw;
    private readonly float[] _outputBuffer;
    private readonly long _startTimestamp;
    private readonly DateTimeOffset _startTime;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Instruments _instruments;
    private readonly Dictionary<Guid, (long Window, string Version, float Probability)> _pending = [];
    private readonly Queue<Guid> _pendingOrder = new();
    private readonly Dictionary<(long Window, string Version), (List<float> Probabilities, List<float> Labels)> _joined = [];
    private long _observed;
    private long _dropped;
    private long _droppedReported;
    private Window? _window;
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
        _expectations = expectations;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _analyzer = new DriftAnalyzer(_options.Drift);
        var width = Math.Max(1, reference.Outputs.Count);
        _ring = new SampleRing<T>(_options.QueueCapacity, width);
        _reports = Channel.CreateBounded<MonitoringReport>(new BoundedChannelOptions(_options.ReportBufferSize) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });
        _sampleEvery = Math.Max(1, (long)Math.Round(1 / _options.SampleRate));
        _probabilityOutput = IndexOfProbability(reference);
        _raw = new FieldValue[raw.Count];
        _outputBuffer = new float[width];
        _startTimestamp = _time.GetTimestamp();
        _startTime = _time.GetUtcNow();
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _instruments = new Instruments(_meter);
    }

    /// <summary>Gets the options.</summary>
    public ModelMonitorOptions Options => _options;

    /// <summary>Gets the reference profile.</summary>
    public ReferenceProfile Reference => _reference;

    /// <summary>Gets how many predictions were observed (sampled or not).</summary>
    public long ObservedCount => Volatile.Read(ref _observed);

    /// <summary>Gets how many sampled predictions were dropped because the queue was full.</summary>
    public long DroppedCount => Volatile.Read(ref _dropped);

    /// <summary>Gets the last closed window's report, if any.</summary>
    public MonitoringReport? LastReport => Volatile.Read(ref _last);

    /// <summary>Gets the event stream of window reports (for retraining policies). One reader; the oldest reports are dropped when it falls behind.</summary>
    public ChannelReader<MonitoringReport> Reports => _reports.Reader;

    /// <summary>
    /// Observes one prediction on the request path: samples it (every 1/<see cref="ModelMonitorOptions.SampleRate"/>-th)
    /// into the queue. Never blocks, takes no lock and allocates nothing; when the queue is full the sample is dropped and counted.
    /// </summary>
    /// <param name="record">The record the model scored. It must not change afterwards (it is read off the request path).</param>
    /// <param name="outputs">The model's outputs for it, in the reference's output order (extra values are ignored).</param>
    /// <param name="predictionId">The prediction's id, to join a delayed outcome to; <see cref="Guid.Empty"/> when outcomes are not joined.</param>
    /// <param name="modelVersion">The version that made the prediction, for per-version realized metrics.</param>
    /// <returns>Whether the prediction was sampled and queued.</returns>
    public bool Observe(T record, ReadOnlySpan<float> outputs, Guid predictionId = default, string? modelVersion = null)
    {
        var n = Interlocked.Increment(ref _observed);
        if (_sampleEvery > 1 && n % _sampleEvery != 0)
        {
            return false;
        }

        if (_ring.TryEnqueue(record, outputs, predictionId, modelVersion, _time.GetTimestamp()))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Records the outcome (label 0 or 1) of an earlier prediction; it is joined by id when the monitor next processes.</summary>
    /// <param name="predictionId">The prediction's id.</param>
    /// <param name="label">The true label.</param>
    public void RecordOutcome(Guid predictionId, float label) => _outcomes.Enqueue((predictionId, label));

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
            while (_ring.TryDequeue(out var record, _outputBuffer, out var id, out var version, out var timestamp))
            {
                if (_options.WindowDuration is { } duration && _window is { } open && WindowOf(timestamp, duration) > open.TimeSlot)
                {
                    closed.Add(Close());
                }

                Add(record, id, version ?? string.Empty, timestamp);
                if (_options.WindowSize > 0 && _window!.Count >= _options.WindowSize)
                {
                    closed.Add(Close());
                }
            }

            if (_window is { } w && (closeWindow || (_options.WindowDuration is { } d && WindowOf(_time.GetTimestamp(), d) > w.TimeSlot)))
            {
                closed.Add(Close());
            }

            JoinOutcomes();
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
            JoinOutcomes();
            return _joined.Where(kv => kv.Key.Window == window).OrderBy(kv => kv.Key.Version, StringComparer.Ordinal).Select(kv =>
            {
                var metrics = kv.Value.Labels.Count == 0 ? new Dictionary<string, double>() : MetricCalculator.Binary(kv.Value.Labels.ToArray(), kv.Value.Probabilities.ToArray(), _reference.Performance?.Threshold ?? 0.5);
                var alerts = _reference.Performance?.OutsideBands(metrics) ?? [];
                return new RealizedPerformance(window, kv.Key.Version, kv.Value.Labels.Count, metrics, alerts);
            }).ToArray();
        }
    }

    /// <summary>Gets how many outcomes named a prediction the monitor did not (or no longer) hold.</summary>
    public long UnmatchedOutcomes { get; private set; }

    /// <summary>Releases the meter when the monitor created it (a meter from an <see cref="IMeterFactory"/> belongs to the factory).</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static int IndexOfProbability(ReferenceProfile reference)
    {
        for (var i = 0; i < reference.Outputs.Count; i++)
        {
            if (reference.Outputs[i].Name == "probability")
            {
                return i;
            }
        }

        return -1;
    }

    private long WindowOf(long timestamp, TimeSpan duration) => (long)(_time.GetElapsedTime(_startTimestamp, timestamp).Ticks / duration.Ticks);

    private void Add(T record, Guid id, string version, long timestamp)
    {
        _window ??= new Window(this, _windowIndex, _options.WindowDuration is { } d ? WindowOf(timestamp, d) : 0, _startTime + _time.GetElapsedTime(_startTimestamp, timestamp));
        _features.ExtractRaw(record, _raw);
        _window.Add(record, _raw, _outputBuffer);
        if (id != Guid.Empty && _options.MaxPendingOutcomes > 0)
        {
            var probability = _probabilityOutput >= 0 ? _outputBuffer[_probabilityOutput] : float.NaN;
            if (_pending.TryAdd(id, (_window.Index, version, probability)))
            {
                _pendingOrder.Enqueue(id);
                while (_pending.Count > _options.MaxPendingOutcomes)
                {
                    _pending.Remove(_pendingOrder.Dequeue());
                }
            }
        }
    }

    private void JoinOutcomes()
    {
        while (_outcomes.TryDequeue(out var outcome))
        {
            if (!_pending.Remove(outcome.Id, out var prediction) || float.IsNaN(prediction.Probability))
            {
                UnmatchedOutcomes++;
                continue;
            }

            var key = (prediction.Window, prediction.Version);
            if (!_joined.TryGetValue(key, out var lists))
            {
                _joined[key] = lists = ([], []);
            }

            lists.Probabilities.Add(prediction.Probability);
            lists.Labels.Add(outcome.Label);
        }
    }

    private MonitoringReport Close()
    {
        var window = _window!;
        _window = null;
        _windowIndex++;
        var dropped = Volatile.Read(ref _dropped);
        var droppedInWindow = dropped - _droppedReported;
        _droppedReported = dropped;
        var report = window.Finish(droppedInWindow);
        Publish(report);
        return report;
    }

    private void Publish(MonitoringReport report)
    {
        Volatile.Write(ref _last, report);
        _reports.Writer.TryWrite(report);
        var model = new KeyValuePair<string, object?>("model", _options.ModelName);
        _instruments.Sampled.Add(report.RecordCount, model);
        _instruments.Windows.Add(1, model);
        if (report.DroppedCount > 0)
        {
            _instruments.Dropped.Add(report.DroppedCount, model);
            MonitorLog.Dropped(_logger, _options.ModelName, report.Window, report.DroppedCount);
        }

        if (report.Skipped)
        {
            MonitorLog.Skipped(_logger, _options.ModelName, report.Window, report.RecordCount, _options.MinWindowRecords);
            return;
        }

        _instruments.DriftShare.Record(report.Drift.DriftShare, model);
        foreach (var c in report.Drift.Columns)
        {
            _instruments.FeatureStatistic.Record(c.Statistic, model, new("feature", c.Feature), new("test", c.Test));
            if (c.Drift)
            {
                _instruments.FeatureDrifts.Add(1, model, new("feature", c.Feature));
            }
        }

        foreach (var v in report.Validation)
        {
            _instruments.Violations.Add(v.Missing, model, new("feature", v.Feature), new("rule", "missing"));
            _instruments.Violations.Add(v.BelowRange + v.AboveRange, model, new("feature", v.Feature), new("rule", "range"));
            _instruments.Violations.Add(v.UnseenCategories, model, new("feature", v.Feature), new("rule", "unseen_category"));
        }

        if (report.EstimatedPerformance is { } estimated)
        {
            foreach (var (metric, value) in estimated)
            {
                _instruments.EstimatedPerformance.Record(value, model, new("metric", metric));
            }
        }

        var drifted = report.Drift.DriftedFeatures.ToArray();
        MonitorLog.WindowClosed(_logger, _options.ModelName, report.Window, report.RecordCount, drifted.Length, report.Drift.Columns.Count, report.Drift.DriftShare);
        if (report.Drift.DatasetDrift)
        {
            MonitorLog.DatasetDrift(_logger, _options.ModelName, report.Window, string.Join(", ", drifted));
        }

        if (report.OutputDrift is { Drift: true } output)
        {
            MonitorLog.OutputDrift(_logger, _options.ModelName, report.Window, output.Explanation);
        }

        if (report.DecayAlerts.Count > 0)
        {
            MonitorLog.Decay(_logger, _options.ModelName, report.Window, string.Join(", ", report.DecayAlerts));
        }
    }

    /// <summary>The open window: a live profile, validation counts, the model's probabilities, and (with a suite) the records.</summary>
    private sealed class Window
    {
        private readonly ModelMonitor<T> _monitor;
        private readonly ProfileBuilder _profile;
        private readonly long[] _missing;
        private readonly long[] _below;
        private readonly long[] _above;
        private readonly long[] _unseen;
        private readonly List<float> _probabilities = [];
        private readonly List<T>? _records;
        private readonly DateTimeOffset _start;

        public Window(ModelMonitor<T> monitor, long index, long timeSlot, DateTimeOffset start)
        {
            _monitor = monitor;
            Index = index;
            TimeSlot = timeSlot;
            _start = start;
            var reference = monitor._reference;
            _profile = new ProfileBuilder(monitor._features.Schema.RawFeatures, reference.Outputs.Select(o => o.Name).ToArray(), reference.Options);
            var n = reference.Features.Count;
            (_missing, _below, _above, _unseen) = (new long[n], new long[n], new long[n], new long[n]);
            _records = monitor._expectations is null ? null : [];
        }

        public long Index { get; }

        public long TimeSlot { get; }

        public long Count { get; private set; }

        public void Add(T record, ReadOnlySpan<FieldValue> raw, ReadOnlySpan<float> outputs)
        {
            Count++;
            var reference = _monitor._reference;
            var outputCount = reference.Outputs.Count;
            _profile.Add(raw, outputs[..outputCount]);
            for (var i = 0; i < raw.Length; i++)
            {
                var value = raw[i];
                var feature = reference.Features[i];
                if (value.IsMissing)
                {
                    _missing[i]++;
                }
                else if (feature.Kind == RawFeatureKind.Numeric)
                {
                    var x = value.AsDouble();
                    if (x < feature.Min)
                    {
                        _below[i]++;
                    }
                    else if (x > feature.Max)
                    {
                        _above[i]++;
                    }
                }
                else if (feature.CategoriesExact && !feature.Categories.ContainsKey(value.Text ?? value.ToString()))
                {
                    _unseen[i]++;
                }
            }

            if (_monitor._probabilityOutput >= 0 && !float.IsNaN(outputs[_monitor._probabilityOutput]))
            {
                _probabilities.Add(outputs[_monitor._probabilityOutput]);
            }

            _records?.Add(record);
        }

        public MonitoringReport Finish(long dropped)
        {
            var monitor = _monitor;
            var reference = monitor._reference;
            var validation = reference.Features.Select((f, i) => new FeatureValidation(f.Name, Count, _missing[i], _below[i], _above[i], _unseen[i])).ToArray();
            var end = monitor._time.GetUtcNow();
            var expectations = _records is null ? null : new DataValidator(monitor._time).Validate(_records, monitor._expectations!, $"window {Index}");
            var report = new MonitoringReport
            {
                Model = monitor._options.ModelName,
                Window = Index,
                Start = _start,
                End = end,
                RecordCount = Count,
                DroppedCount = dropped,
                Skipped = Count < monitor._options.MinWindowRecords,
                Drift = new DatasetDriftReport([], 0, false),
                Validation = validation,
                Expectations = expectations,
            };
            if (report.Skipped)
            {
                return report;
            }

            var live = _profile.Build();
            DriftTestResult? outputDrift = null;
            if (reference.Outputs.Count > 0)
            {
                var index = Math.Max(monitor._probabilityOutput, 0);
                outputDrift = monitor._analyzer.TestFeature(reference.Outputs[index].ToSample(), live.Outputs[index].ToSample());
            }

            IReadOnlyDictionary<string, double>? estimated = null;
            IReadOnlyList<string> alerts = [];
            if (reference.Performance is { } performance && _probabilities.Count > 0)
            {
                estimated = performance.Estimate(_probabilities.ToArray());
                alerts = performance.OutsideBands(estimated);
            }

            return report with
            {
                Drift = monitor._analyzer.Analyze(reference, live),
                OutputDrift = outputDrift,
                EstimatedPerformance = estimated,
                DecayAlerts = alerts,
            };
        }
    }

    private sealed class Instruments(Meter meter)
    {
        public Counter<long> Sampled { get; } = meter.CreateCounter<long>("mlsd.monitor.records.sampled", "{record}", "Sampled predictions processed by the monitor.");

        public Counter<long> Dropped { get; } = meter.CreateCounter<long>("mlsd.monitor.records.dropped", "{record}", "Sampled predictions dropped because the monitor's queue was full.");

        public Counter<long> Windows { get; } = meter.CreateCounter<long>("mlsd.monitor.windows", "{window}", "Windows closed.");

        public Gauge<double> DriftShare { get; } = meter.CreateGauge<double>("mlsd.monitor.drift_share", null, "Share of features that drifted in the last window.");

        public Gauge<double> FeatureStatistic { get; } = meter.CreateGauge<double>("mlsd.monitor.feature.statistic", null, "Drift statistic of a feature in the last window.");

        public Counter<long> FeatureDrifts { get; } = meter.CreateCounter<long>("mlsd.monitor.feature.drifts", "{window}", "Windows in which a feature drifted.");

        public Counter<long> Violations { get; } = meter.CreateCounter<long>("mlsd.monitor.validation.violations", "{value}", "Live values missing, out of the reference range, or in unseen categories.");

        public Gauge<double> EstimatedPerformance { get; } = meter.CreateGauge<double>("mlsd.monitor.estimated_performance", null, "CBPE-estimated metric of the last window.");
    }
}
