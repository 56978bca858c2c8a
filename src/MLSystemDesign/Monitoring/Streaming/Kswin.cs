using MLSystemDesign.Monitoring.Statistics;

namespace MLSystemDesign.Monitoring.Streaming;

/// <summary>
/// KSWIN as River implements it: once the sliding window is full, the newest <c>stat_size</c> values are tested
/// (two-sample KS, exact for these sizes) against as many drawn without replacement from the older part; drift when
/// p ≤ α and D &gt; 0.1. After a drift the window restarts from the newest <c>stat_size</c> values (River's intent; its
/// code empties the window at the next value), so the same change is not reported again. Allocates nothing per value.
/// </summary>
internal sealed class Kswin : IStreamingDriftDetector
{
    private readonly KswinOptions _options;
    private readonly double[] _window;
    private readonly int[] _indices;
    private readonly double[] _older;
    private readonly double[] _newest;
    private Random _random;
    private int _start;
    private int _count;
    private long _sinceDrift;

    public Kswin(KswinOptions options)
    {
        _options = options;
        _window = new double[options.WindowSize];
        _indices = new int[options.WindowSize - options.StatSize];
        _older = new double[options.StatSize];
        _newest = new double[options.StatSize];
        _random = new Random(options.Seed);
    }

    public StreamingDriftResult Update(double value)
    {
        StreamingDriftDetectors.CheckValue(value);
        _sinceDrift++;
        var size = _options.WindowSize;
        if (_count < size)
        {
            _window[(_start + _count++) % size] = value;
        }
        else
        {
            _window[_start] = value;
            _start = (_start + 1) % size;
        }

        if (_count < size)
        {
            return new StreamingDriftResult(StreamingDriftState.Stable, _sinceDrift, double.NaN);
        }

        var stat = _options.StatSize;
        var olderLength = size - stat;
        for (var i = 0; i < olderLength; i++)
        {
            _indices[i] = i;
        }

        for (var i = 0; i < stat; i++)
        {
            var j = i + _random.Next(olderLength - i);
            (_indices[i], _indices[j]) = (_indices[j], _indices[i]);
            _older[i] = _window[(_start + _indices[i]) % size];
            _newest[i] = _window[(_start + olderLength + i) % size];
        }

        Array.Sort(_older);
        Array.Sort(_newest);
        var (d, p, _) = TwoSampleTests.KolmogorovSmirnov(_older, _newest);
        if (p <= _options.Alpha && d > 0.1)
        {
            // Keep the newest values as the start of a fresh window.
            var keep = new Span<double>(_newest);
            for (var i = 0; i < stat; i++)
            {
                keep[i] = _window[(_start + olderLength + i) % size];
            }

            keep.CopyTo(_window);
            _start = 0;
            _count = stat;
            var count = _sinceDrift;
            _sinceDrift = 0;
            return new StreamingDriftResult(StreamingDriftState.Drift, count, p);
        }

        return new StreamingDriftResult(StreamingDriftState.Stable, _sinceDrift, p);
    }

    public void Reset()
    {
        _start = _count = 0;
        _sinceDrift = 0;
        _random = new Random(_options.Seed);
    }
}
