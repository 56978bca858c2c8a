using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MLSystemDesign.Monitoring.Live;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// What every <see cref="ModelMonitor{T}"/> publishes, whatever its record type: its name, options and reference, the
/// report of each closed window (metrics, logs, health, an event stream), and the realized performance of delayed
/// outcomes joined by prediction id. Health checks, dashboards and retraining policies take this view; only the
/// request path needs the typed monitor. Resolve a registered one with
/// <c>GetRequiredKeyedService&lt;ModelMonitor&gt;(name)</c>.
/// </summary>
public abstract class ModelMonitor : IDisposable
{
    /// <summary>The name of the meter every monitor's instruments belong to; each measurement is tagged with the monitor's name (<c>model</c>).</summary>
    public const string MeterName = "MLSystemDesign.Monitoring";

    private readonly Channel<MonitoringReport> _reports;
    private readonly OutcomeJoin _outcomes;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly MonitorInstruments _instruments;
    private readonly ILogger _logger;
    private MonitoringReport? _last;

    private protected ModelMonitor(string name, ReferenceProfile reference, ModelMonitorOptions options, IMeterFactory? meterFactory, ILogger? logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(reference);
        Name = name;
        Reference = reference;
        Options = OptionsValidation.ThrowIfInvalid<ModelMonitorOptions, ModelMonitorOptionsValidator>(options, name);
        _logger = logger ?? NullLogger.Instance;
        _outcomes = new OutcomeJoin(Options.MaxPendingOutcomes);
        _reports = Channel.CreateBounded<MonitoringReport>(new BoundedChannelOptions(Options.ReportBufferSize) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _instruments = new MonitorInstruments(_meter);
    }

    /// <summary>Gets the monitor's name: the model name it is keyed by, used in metric tags, logs, reports and health data.</summary>
    public string Name { get; }

    /// <summary>Gets the options.</summary>
    public ModelMonitorOptions Options { get; }

    /// <summary>Gets the reference profile.</summary>
    public ReferenceProfile Reference { get; }

    /// <summary>Gets how many predictions were observed (sampled or not).</summary>
    public abstract long ObservedCount { get; }

    /// <summary>Gets how many sampled predictions were dropped because the queue was full.</summary>
    public abstract long DroppedCount { get; }

    /// <summary>Gets the last closed window's report, if any.</summary>
    public MonitoringReport? LastReport => Volatile.Read(ref _last);

    /// <summary>Gets the event stream of window reports (for retraining policies). One reader; the oldest reports are dropped when it falls behind.</summary>
    public ChannelReader<MonitoringReport> Reports => _reports.Reader;

    /// <summary>Gets how many outcomes named a prediction the monitor did not (or no longer) hold.</summary>
    public long UnmatchedOutcomes
    {
        get
        {
            lock (Processing)
            {
                return _outcomes.Unmatched;
            }
        }
    }

    /// <summary>Gets the lock that processing, outcome joins and realized metrics take (never the request path).</summary>
    private protected object Processing { get; } = new();

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
    public abstract IReadOnlyList<MonitoringReport> ProcessPending(bool closeWindow = false);

    /// <summary>Gets the realized metrics of a window per model version, from the outcomes joined so far.</summary>
    /// <param name="window">The window number.</param>
    /// <returns>One entry per model version seen in the window with at least one joined outcome.</returns>
    public IReadOnlyList<RealizedPerformance> Realized(long window)
    {
        lock (Processing)
        {
            _outcomes.Join();
            return _outcomes.Realized(window, Reference.Performance);
        }
    }

    /// <summary>Releases the meter when the monitor created it (a meter from an <see cref="IMeterFactory"/> belongs to the factory).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the meter when the monitor created it.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>Lets a sampled prediction wait for its outcome (under <see cref="Processing"/>).</summary>
    private protected void ExpectOutcome(Guid predictionId, long window, string version, float probability) =>
        _outcomes.Expect(predictionId, window, version, probability);

    /// <summary>Joins the outcomes that arrived (under <see cref="Processing"/>).</summary>
    private protected void JoinOutcomes() => _outcomes.Join();

    /// <summary>Publishes a closed window: the last report, the event stream, the instruments and the logs.</summary>
    private protected void Publish(MonitoringReport report)
    {
        Volatile.Write(ref _last, report);
        _reports.Writer.TryWrite(report);
        _instruments.Record(report);
        MonitorLog.Report(_logger, report, Options.MinWindowRecords);
    }
}
