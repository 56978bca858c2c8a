using BenchmarkDotNet.Attributes;
using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Benchmarks;

/// <summary>
/// The monitor's cost on the predict path: <see cref="ModelMonitor{T}.Observe"/> of 1,048,576 sampled flights (sample
/// rate 1) into a queue that holds them all, and the same through <see cref="PredictionObservers{T}"/> (what an
/// endpoint calls) holding the monitor alone and the monitor with three no-op observers; the queue is emptied outside
/// the timed region. Baseline: the predict path's own feature transform of the same flights.
/// </summary>
public class MonitorObserveBenchmarks
{
    private const int N = 1 << 20;
    private BenchFlight[] _flights = null!;
    private float[] _outputs = [0.1f, 0.2f];
    private float[] _vector = null!;
    private IFittedFeaturePipeline<BenchFlight> _features = null!;
    private ModelMonitor<BenchFlight> _monitor = null!;
    private PredictionObservers<BenchFlight> _monitorOnly = null!;
    private PredictionObservers<BenchFlight> _monitorAndThree = null!;

    [GlobalSetup]
    public void Setup()
    {
        var all = DataSource.Parquet<BenchFlight>(BenchmarkData.Path("flights-3m.parquet")).ToListAsync().GetAwaiter().GetResult();
        _flights = all.Take(N).ToArray();
        _features = FeaturePipeline.For<BenchFlight>()
            .Numeric("hour", f => f.Date.Hour)
            .Numeric("distance", f => f.Distance)
            .Categorical("origin", f => f.Origin, o => o.MaxCategories = 60)
            .Build()
            .Fit(_flights.Take(100_000));
        _vector = new float[_features.Width];
        var builder = new ProfileBuilder(_features.Schema.RawFeatures, ["score", "probability"]);
        var raw = new FieldValue[3];
        foreach (var f in _flights.Take(10_000))
        {
            _features.ExtractRaw(f, raw);
            builder.Add(raw, _outputs);
        }

        _monitor = new ModelMonitor<BenchFlight>("flights", new ModelMonitorSetup<BenchFlight>(builder.Build(), _features), new ModelMonitorOptions { QueueCapacity = N, WindowSize = 10_000_000 });
        _monitorOnly = new PredictionObservers<BenchFlight>("flights", [_monitor]);
        _monitorAndThree = new PredictionObservers<BenchFlight>("flights", [_monitor, new NoOpObserver(), new NoOpObserver(), new NoOpObserver()]);
    }

    [IterationSetup(Targets = [nameof(Observe), nameof(ObserversMonitorOnly), nameof(ObserversMonitorAndThree)])]
    public void EmptyQueue() => _monitor.ProcessPending(closeWindow: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "features.Transform (predict path)")]
    public float Transform()
    {
        var sum = 0f;
        foreach (var f in _flights)
        {
            _features.Transform(f, _vector);
            sum += _vector[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = N, Description = "monitor.Observe (sampled)")]
    public int Observe()
    {
        var accepted = 0;
        foreach (var f in _flights)
        {
            if (_monitor.Observe(f, _outputs))
            {
                accepted++;
            }
        }

        return accepted;
    }

    [Benchmark(OperationsPerInvoke = N, Description = "observers.OnPrediction: the monitor")]
    public long ObserversMonitorOnly()
    {
        foreach (var f in _flights)
        {
            _monitorOnly.OnPrediction(new PredictionObservation<BenchFlight>(f, _outputs));
        }

        return _monitor.ObservedCount;
    }

    [Benchmark(OperationsPerInvoke = N, Description = "observers.OnPrediction: the monitor + 3 no-op observers")]
    public long ObserversMonitorAndThree()
    {
        foreach (var f in _flights)
        {
            _monitorAndThree.OnPrediction(new PredictionObservation<BenchFlight>(f, _outputs));
        }

        return _monitor.ObservedCount;
    }

    /// <summary>An observer that keeps nothing: what the dispatch itself costs per observer.</summary>
    private sealed class NoOpObserver : IPredictionObserver<BenchFlight>
    {
        public void OnPrediction(in PredictionObservation<BenchFlight> observation)
        {
        }
    }
}

/// <summary>A flight as flights-3m.parquet holds it.</summary>
public sealed record BenchFlight
{
    public DateTime Date { get; init; }

    public long Delay { get; init; }

    public long Distance { get; init; }

    public string Origin { get; init; } = string.Empty;

    public string Destination { get; init; } = string.Empty;
}
