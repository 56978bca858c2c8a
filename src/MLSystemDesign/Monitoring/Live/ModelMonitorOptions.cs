namespace MLSystemDesign.Monitoring;

/// <summary>Options of a <see cref="ModelMonitor{T}"/>, validated when it is created.</summary>
public sealed class ModelMonitorOptions
{
    /// <summary>Gets or sets the model's name, used in metric tags, logs and health data. Default "model".</summary>
    public string ModelName { get; set; } = "model";

    /// <summary>Gets or sets the share of observed predictions that are sampled (every 1/rate-th one). Default 1; in (0, 1].</summary>
    public double SampleRate { get; set; } = 1.0;

    /// <summary>Gets or sets how many sampled predictions may wait for the monitor; beyond that they are dropped and counted. Default 16,384; 16 to 16,777,216 (rounded up to a power of two).</summary>
    public int QueueCapacity { get; set; } = 16_384;

    /// <summary>Gets or sets the records per tumbling window; 0 to close windows by time only. Default 10,000.</summary>
    public int WindowSize { get; set; } = 10_000;

    /// <summary>Gets or sets the length of a tumbling window in time (by <see cref="TimeProvider"/>); none to close windows by count only. Default none.</summary>
    public TimeSpan? WindowDuration { get; set; }

    /// <summary>Gets or sets the fewest records a window needs to be compared; smaller windows are reported as skipped. Default 30.</summary>
    public int MinWindowRecords { get; set; } = 30;

    /// <summary>Gets or sets how often the hosted service processes sampled records and closes due windows. Default 1 second.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many predictions wait for a delayed outcome; the oldest are forgotten (and counted) beyond it. Default 1,000,000.</summary>
    public int MaxPendingOutcomes { get; set; } = 1_000_000;

    /// <summary>Gets or sets how many reports the event stream holds for a slow reader before the oldest are dropped. Default 256.</summary>
    public int ReportBufferSize { get; set; } = 256;

    /// <summary>Gets the drift options: test choice, thresholds, drift share, correction.</summary>
    public DriftOptions Drift { get; set; } = new();

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ModelName, nameof(ModelName));
        if (SampleRate is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "The sample rate lies in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 16, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(QueueCapacity, 1 << 24, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfNegative(WindowSize, nameof(WindowSize));
        if (WindowSize == 0 && WindowDuration is null)
        {
            throw new ArgumentException("Give a window size, a window duration, or both.", nameof(WindowSize));
        }

        if (WindowDuration is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowDuration), d, "The window duration must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinWindowRecords, 2, nameof(MinWindowRecords));
        if (EvaluationInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(EvaluationInterval), EvaluationInterval, "The evaluation interval must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingOutcomes, 0, nameof(MaxPendingOutcomes));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReportBufferSize, 1, nameof(ReportBufferSize));
        ArgumentNullException.ThrowIfNull(Drift, nameof(Drift));
        Drift.Validate();
    }
}
