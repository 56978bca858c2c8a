using BenchmarkDotNet.Attributes;
using MLSystemDesign.Experiments;

namespace MLSystemDesign.Benchmarks.Experiments;

/// <summary>
/// Analysis of 10,000,000 two-arm outcomes, one row per unit (arm index and metric value), on one thread: split by arm,
/// summarise each arm (numpy-compatible pairwise sums), test, and check the sample ratio. Baseline: one sequential sum
/// of the metric column, the least any analysis must do.
/// </summary>
public class ExperimentAnalysisBenchmarks
{
    private const int N = 10_000_000;
    private static readonly string[] Names = ["control", "treatment"];
    private int[] _arms = null!;
    private double[] _conversions = null!;
    private double[] _revenue = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(10);
        _arms = new int[N];
        _conversions = new double[N];
        _revenue = new double[N];
        for (var i = 0; i < N; i++)
        {
            _arms[i] = random.Next(2);
            _conversions[i] = random.NextDouble() < (_arms[i] == 0 ? 0.10 : 0.105) ? 1 : 0;
            _revenue[i] = _conversions[i] * (20 + (random.NextDouble() * 30));
        }
    }

    [Benchmark(Baseline = true, Description = "sum of 10M values (baseline)")]
    public double Sum()
    {
        var sum = 0.0;
        foreach (var v in _revenue)
        {
            sum += v;
        }

        return sum;
    }

    [Benchmark(Description = "analyze 10M, welch")]
    public double Welch() => ExperimentAnalysis.Analyze(_arms, _revenue, Names).Comparisons[0].Result.PValue;

    [Benchmark(Description = "analyze 10M, ztest")]
    public double ZTest() => ExperimentAnalysis.Analyze(_arms, _conversions, Names, new ExperimentAnalysisOptions { Test = ExperimentTestNames.ZTest }).Comparisons[0].Result.PValue;
}
