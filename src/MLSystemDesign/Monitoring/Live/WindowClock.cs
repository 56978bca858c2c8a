namespace MLSystemDesign.Monitoring.Live;

/// <summary>
/// When tumbling windows close: after <see cref="ModelMonitorOptions.WindowSize"/> records, and (with a
/// <see cref="ModelMonitorOptions.WindowDuration"/>) when a sample's time slot, counted from the monitor's start on the
/// injected clock, is past the open window's slot.
/// </summary>
internal sealed class WindowClock
{
    private readonly TimeProvider _time;
    private readonly int _size;
    private readonly TimeSpan? _duration;
    private readonly long _startTimestamp;
    private readonly DateTimeOffset _startTime;

    public WindowClock(ModelMonitorOptions options, TimeProvider time)
    {
        _time = time;
        _size = options.WindowSize;
        _duration = options.WindowDuration;
        _startTimestamp = time.GetTimestamp();
        _startTime = time.GetUtcNow();
    }

    /// <summary>Gets the time slot of a timestamp (0 when windows close by count only).</summary>
    public long SlotOf(long timestamp) => _duration is { } d ? _time.GetElapsedTime(_startTimestamp, timestamp).Ticks / d.Ticks : 0;

    /// <summary>Gets the wall-clock time of a timestamp.</summary>
    public DateTimeOffset TimeOf(long timestamp) => _startTime + _time.GetElapsedTime(_startTimestamp, timestamp);

    /// <summary>Whether a sample taken at <paramref name="timestamp"/> belongs to a later window than <paramref name="open"/>.</summary>
    public bool IsPast(MonitorWindowSlot open, long timestamp) => _duration is not null && SlotOf(timestamp) > open.TimeSlot;

    /// <summary>Whether a window of <paramref name="count"/> records is full.</summary>
    public bool IsFull(long count) => _size > 0 && count >= _size;

    /// <summary>Whether the open window's time is up now.</summary>
    public bool IsDue(MonitorWindowSlot open) => IsPast(open, _time.GetTimestamp());
}

/// <summary>Where a window sits: its number and its time slot.</summary>
/// <param name="Index">The window's number, from 0.</param>
/// <param name="TimeSlot">Its time slot (see <see cref="WindowClock.SlotOf"/>).</param>
internal readonly record struct MonitorWindowSlot(long Index, long TimeSlot);
