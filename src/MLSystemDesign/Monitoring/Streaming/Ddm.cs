namespace MLSystemDesign.Monitoring.Streaming;

/// <summary>
/// DDM as River implements it: the error rate p and s = √(p(1−p)/n); after <c>warm_start</c> values the best
/// p + s is remembered, a warning when p + s exceeds p_min + 2·s_min, a drift at 3·s_min. Reads 0 (right) and 1 (wrong).
/// </summary>
internal sealed class Ddm(DdmOptions options) : IStreamingDriftDetector
{
    private long _n;
    private double _errors;
    private double _pMin = double.PositiveInfinity;
    private double _sMin = double.PositiveInfinity;
    private double _psMin = double.PositiveInfinity;

    public StreamingDriftResult Update(double value)
    {
        if (value is not (0 or 1))
        {
            throw new ArgumentException($"DDM reads an error stream of 0 (right) and 1 (wrong); got {value}.", nameof(value));
        }

        _n++;
        _errors += value;
        var p = _errors / _n;
        var s = Math.Sqrt(p * (1 - p) / _n);
        var state = StreamingDriftState.Stable;
        if (_n > options.WarmStart)
        {
            if (p + s <= _psMin)
            {
                _pMin = p;
                _sMin = s;
                _psMin = p + s;
            }

            if (p + s > _pMin + options.DriftThreshold * _sMin)
            {
                var count = _n;
                Reset();
                return new StreamingDriftResult(StreamingDriftState.Drift, count, p);
            }

            if (p + s > _pMin + options.WarningThreshold * _sMin)
            {
                state = StreamingDriftState.Warning;
            }
        }

        return new StreamingDriftResult(state, _n, p);
    }

    public void Reset()
    {
        _n = 0;
        _errors = 0;
        _pMin = _sMin = _psMin = double.PositiveInfinity;
    }
}
