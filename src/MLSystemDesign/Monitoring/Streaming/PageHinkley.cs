namespace MLSystemDesign.Monitoring.Streaming;

/// <summary>
/// Page-Hinkley as River implements it: the running mean x̄, the sums m⁺ = α·m⁺ + (x − x̄ − δ) and
/// m⁻ = α·m⁻ + (x − x̄ + δ), and a drift when m⁺ − min m⁺ &gt; λ (up) or max m⁻ − m⁻ &gt; λ (down) after
/// <c>min_instances</c> values. After a drift it starts afresh.
/// </summary>
internal sealed class PageHinkley(PageHinkleyOptions options) : IStreamingDriftDetector
{
    private long _n;
    private double _mean;
    private double _sumUp;
    private double _sumDown;
    private double _minUp = double.MaxValue;
    private double _maxDown = double.MinValue;

    public StreamingDriftResult Update(double value)
    {
        StreamingDriftDetectors.CheckValue(value);
        _n++;
        _mean += (value - _mean) / _n;
        var deviation = value - _mean;
        _sumUp = options.Alpha * _sumUp + deviation - options.Delta;
        _sumDown = options.Alpha * _sumDown + deviation + options.Delta;
        _minUp = Math.Min(_minUp, _sumUp);
        _maxDown = Math.Max(_maxDown, _sumDown);
        var up = _sumUp - _minUp;
        var down = _maxDown - _sumDown;
        var statistic = options.Mode switch { PageHinkleyMode.Up => up, PageHinkleyMode.Down => down, _ => Math.Max(up, down) };
        if (_n >= options.MinInstances && statistic > options.Threshold)
        {
            var count = _n;
            Reset();
            return new StreamingDriftResult(StreamingDriftState.Drift, count, statistic);
        }

        return new StreamingDriftResult(StreamingDriftState.Stable, _n, statistic);
    }

    public void Reset()
    {
        _n = 0;
        _mean = _sumUp = _sumDown = 0;
        _minUp = double.MaxValue;
        _maxDown = double.MinValue;
    }
}
