using BenchmarkDotNet.Attributes;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Benchmarks;

/// <summary>Streaming detector updates: ns per value (updates per second = 10⁹ / Mean), over 1,000,000 values with a change in the middle.</summary>
public class StreamingBenchmarks
{
    private const int N = 1_000_000;
    private double[] _stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _stream = Enumerable.Range(0, N).Select(i => (i < N / 2 ? 0 : 1) + Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Page-Hinkley update")]
    public int PageHinkley() => Run(StreamingDriftDetectors.PageHinkley());

    [Benchmark(OperationsPerInvoke = N, Description = "ADWIN update")]
    public int Adwin() => Run(StreamingDriftDetectors.Adwin());

    [Benchmark(OperationsPerInvoke = N, Description = "KSWIN update")]
    public int Kswin() => Run(StreamingDriftDetectors.Kswin());

    private int Run(IStreamingDriftDetector detector)
    {
        var drifts = 0;
        foreach (var v in _stream)
        {
            if (detector.Update(v).IsDrift)
            {
                drifts++;
            }
        }

        return drifts;
    }
}
