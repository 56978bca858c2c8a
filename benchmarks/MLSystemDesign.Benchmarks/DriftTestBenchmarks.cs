using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Benchmarks;

/// <summary>
/// KS and Wasserstein on 1,000,000 vs 1,000,000 values against SciPy's ks_2samp and wasserstein_distance on the same
/// samples in the same run (SciPy runs in a worker process; see <see cref="SciPyWorker"/>). Both sides sort their
/// inputs inside the timed call, as SciPy does.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DriftTestBenchmarks
{
    private const int N = 1_000_000;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mlsd-bench-drift");
    private FeatureSample _reference = null!;
    private FeatureSample _current = null!;
    private SciPyWorker _scipy = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2001);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var a = Enumerable.Range(0, N).Select(_ => Gaussian()).ToArray();
        var b = Enumerable.Range(0, N).Select(_ => Gaussian() * 1.01 + 0.005).ToArray();
        _reference = FeatureSample.Numeric("x", a);
        _current = FeatureSample.Numeric("x", b);
        Directory.CreateDirectory(_folder);
        SciPyWorker.WriteDoubles(Path.Combine(_folder, "a.f64"), a);
        SciPyWorker.WriteDoubles(Path.Combine(_folder, "b.f64"), b);
        _scipy = SciPyWorker.Start(Path.Combine(_folder, "a.f64"), Path.Combine(_folder, "b.f64"));
    }

    [GlobalCleanup]
    public void Cleanup() => _scipy.Dispose();

    [Benchmark(Baseline = true, Description = "SciPy ks_2samp")]
    [BenchmarkCategory("KS 1M vs 1M")]
    public void SciPyKs() => _scipy.Run("ks");

    [Benchmark(Description = "DriftTests.KolmogorovSmirnov")]
    [BenchmarkCategory("KS 1M vs 1M")]
    public double Ks() => DriftTests.KolmogorovSmirnov().Test(_reference, _current).Statistic;

    [Benchmark(Baseline = true, Description = "SciPy wasserstein_distance")]
    [BenchmarkCategory("Wasserstein 1M vs 1M")]
    public void SciPyWasserstein() => _scipy.Run("wasserstein");

    [Benchmark(Description = "DriftTests.Wasserstein")]
    [BenchmarkCategory("Wasserstein 1M vs 1M")]
    public double Wasserstein() => DriftTests.Wasserstein().Test(_reference, _current).Statistic;
}
