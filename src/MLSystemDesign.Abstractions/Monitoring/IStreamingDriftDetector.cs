namespace MLSystemDesign.Monitoring;

/// <summary>
/// A drift detector that reads a stream one value at a time: a feature's values, or an error stream (1 for a wrong
/// prediction, 0 for a right one, or a loss). It reports one drift per change: after a drift it starts afresh on the
/// values that follow. Not thread-safe: one stream per instance.
/// </summary>
public interface IStreamingDriftDetector
{
    /// <summary>Reads the next value of the stream.</summary>
    /// <param name="value">The value; NaN is rejected.</param>
    /// <returns>The state after reading the value.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is NaN (or, for detectors of binary streams, not 0 or 1).</exception>
    StreamingDriftResult Update(double value);

    /// <summary>Forgets everything read so far, as if newly created.</summary>
    void Reset();
}

/// <summary>Where a streaming detector stands after a value.</summary>
public enum StreamingDriftState
{
    /// <summary>No change seen.</summary>
    Stable,

    /// <summary>A change may be starting (detectors with a warning zone only).</summary>
    Warning,

    /// <summary>A change was detected at this value; the detector starts afresh with the next value.</summary>
    Drift,
}

/// <summary>The state of a streaming detector after one value.</summary>
/// <param name="State">Stable, warning or drift.</param>
/// <param name="Count">How many values the detector has read since it was created, reset or last signalled drift.</param>
/// <param name="Statistic">The detector's own statistic after the value (window mean, cumulative sum, error rate or p-value).</param>
public readonly record struct StreamingDriftResult(StreamingDriftState State, long Count, double Statistic)
{
    /// <summary>Gets whether this value signalled a drift.</summary>
    public bool IsDrift => State == StreamingDriftState.Drift;
}
