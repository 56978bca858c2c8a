namespace MLSystemDesign.Monitoring.Streaming;

/// <summary>
/// ADWIN with exponential-histogram buckets (River's <c>AdaptiveWindowing</c> structure and defaults). Every
/// <c>clock</c> values it checks each bucket boundary as a cut (all boundaries, as in the original ADWIN2; River's
/// loop skips the newest bucket of each row). When a cut is significant the older sub-window is dropped whole, and
/// checking repeats. A cut whose boundary lies before the last reported drift is the same change's old values
/// leaving, so it adapts the window without a second report: one change yields one drift.
/// </summary>
internal sealed class Adwin : IStreamingDriftDetector
{
    private readonly AdwinOptions _options;
    private readonly List<Row> _rows = [];
    private double _total;
    private double _variance;
    private long _width;
    private long _tick;
    private long _sinceDrift;

    public Adwin(AdwinOptions options)
    {
        _options = options;
        Reset();
    }

    public StreamingDriftResult Update(double value)
    {
        StreamingDriftDetectors.CheckValue(value);
        Insert(value);
        _sinceDrift++;
        var drift = false;
        _tick++;
        if (_tick % _options.Clock == 0 && _width > _options.GracePeriod)
        {
            while (TryCut(out var newer))
            {
                // A cut is a new change only when its boundary lies after the last drift: its newer side is shorter than
                // what was read since. A cut inside data that was already in the window at the last drift is the same
                // change's old values leaving: the window adapts silently (River reports it again, issue #574).
                drift |= newer < _sinceDrift;
            }
        }

        if (drift)
        {
            _sinceDrift = 0;
        }

        return new StreamingDriftResult(drift ? StreamingDriftState.Drift : StreamingDriftState.Stable, _sinceDrift, _width == 0 ? double.NaN : _total / _width);
    }

    public void Reset()
    {
        _rows.Clear();
        _rows.Add(new Row(_options.MaxBuckets));
        _total = _variance = 0;
        _width = _tick = _sinceDrift = 0;
    }

    /// <summary>Gets the current window's length (for tests).</summary>
    internal long Width => _width;

    private void Insert(double value)
    {
        _rows[0].Add(value, 0);
        _width++;
        if (_width > 1)
        {
            var d = value - _total / (_width - 1);
            _variance += (_width - 1) * d * d / _width;
        }

        _total += value;
        for (var i = 0; i < _rows.Count; i++)
        {
            var row = _rows[i];
            if (row.Count <= _options.MaxBuckets)
            {
                break;
            }

            if (i + 1 == _rows.Count)
            {
                _rows.Add(new Row(_options.MaxBuckets));
            }

            double size = 1L << i;
            var (t1, v1) = row.At(0);
            var (t2, v2) = row.At(1);
            var mu1 = t1 / size;
            var mu2 = t2 / size;
            _rows[i + 1].Add(t1 + t2, v1 + v2 + size * size * (mu1 - mu2) * (mu1 - mu2) / (2 * size));
            row.RemoveOldest(2);
        }
    }

    /// <summary>Finds the first significant cut from the oldest end; drops everything before it.</summary>
    private bool TryCut(out double newer)
    {
        newer = 0;
        double n0 = 0, u0 = 0, n1 = _width, u1 = _total;
        var windowVariance = _variance / _width;
        var deltaPrime = Math.Log(2 * Math.Log(_width) / _options.Delta);
        var bucketsBefore = 0;
        for (var i = _rows.Count - 1; i >= 0; i--)
        {
            var row = _rows[i];
            double size = 1L << i;
            for (var k = 0; k < row.Count; k++)
            {
                var (total, _) = row.At(k);
                n0 += size;
                n1 -= size;
                u0 += total;
                u1 -= total;
                bucketsBefore++;
                if (n1 <= 0)
                {
                    return false;
                }

                if (n0 >= _options.MinWindowLength && n1 >= _options.MinWindowLength)
                {
                    var mRecip = 1.0 / (n0 - _options.MinWindowLength + 1) + 1.0 / (n1 - _options.MinWindowLength + 1);
                    var epsilon = Math.Sqrt(2 * mRecip * windowVariance * deltaPrime) + 2.0 / 3.0 * deltaPrime * mRecip;
                    if (Math.Abs(u0 / n0 - u1 / n1) > epsilon)
                    {
                        for (var b = 0; b < bucketsBefore; b++)
                        {
                            DeleteOldestBucket();
                        }

                        newer = n1;
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private void DeleteOldestBucket()
    {
        var last = _rows.Count - 1;
        var row = _rows[last];
        double n = 1L << last;
        var (u, v) = row.At(0);
        _width -= (long)n;
        _total -= u;
        if (_width > 0)
        {
            var mu = u / n;
            var muWindow = _total / _width;
            _variance -= v + n * _width * (mu - muWindow) * (mu - muWindow) / (n + _width);
            _variance = Math.Max(_variance, 0);
        }
        else
        {
            _variance = 0;
        }

        row.RemoveOldest(1);
        if (row.Count == 0 && _rows.Count > 1)
        {
            _rows.RemoveAt(last);
        }
    }

    /// <summary>Up to MaxBuckets + 1 buckets of one size, oldest first.</summary>
    private sealed class Row(int maxBuckets)
    {
        private readonly double[] _totals = new double[maxBuckets + 2];
        private readonly double[] _variances = new double[maxBuckets + 2];

        public int Count { get; private set; }

        public void Add(double total, double variance)
        {
            _totals[Count] = total;
            _variances[Count] = variance;
            Count++;
        }

        public (double Total, double Variance) At(int index) => (_totals[index], _variances[index]);

        public void RemoveOldest(int n)
        {
            Array.Copy(_totals, n, _totals, 0, Count - n);
            Array.Copy(_variances, n, _variances, 0, Count - n);
            Count -= n;
        }
    }
}
