using BenchmarkDotNet.Attributes;
using MLSystemDesign.Experiments;

namespace MLSystemDesign.Benchmarks.Experiments;

/// <summary>
/// The request path of a bandit rollout: one assignment (hash the routing key, read the published allocation, pick the
/// arm and its propensity) per call, 1,024 distinct keys per invocation, four arms, one thread. Baselines: the routing
/// key's hash alone (<c>string.GetHashCode</c>) and a shared <c>Random.Next(4)</c> (a uniform split).
/// </summary>
public class AllocatorBenchmarks
{
    private const int Keys = 1024;
    private static readonly string[] Arms = ["v1", "v2", "v3", "v4"];
    private string[] _keys = null!;
    private IArmAllocator _thompson = null!;
    private IArmAllocator _ucb = null!;
    private Random _random = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = Enumerable.Range(0, Keys).Select(i => $"user-{i * 7919 % 1_000_003:D7}").ToArray();
        _thompson = ArmAllocators.ThompsonBernoulli(Arms, new ArmAllocatorOptions { Seed = 1, MinimumShare = 0.02 });
        _ucb = ArmAllocators.Ucb1(Arms);
        var random = new Random(2);
        for (var i = 0; i < 10_000; i++)
        {
            var a = random.Next(4);
            _thompson.Update(a, random.NextDouble() < 0.05 + (0.01 * a) ? 1 : 0);
            _ucb.Update(a, random.NextDouble() < 0.05 + (0.01 * a) ? 1 : 0);
        }

        _random = new Random(3);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Keys, Description = "key.GetHashCode (baseline)")]
    public int Hash()
    {
        var sum = 0;
        foreach (var key in _keys)
        {
            sum += key.GetHashCode();
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "Random.Next(4) (uniform split)")]
    public int Uniform()
    {
        var sum = 0;
        for (var i = 0; i < Keys; i++)
        {
            sum += _random.Next(4);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "thompson.Assign(key)")]
    public double ThompsonKeyed()
    {
        var sum = 0.0;
        foreach (var key in _keys)
        {
            var a = _thompson.Assign(key);
            sum += a.Arm + a.Propensity;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "thompson.Assign() (seeded draw)")]
    public double ThompsonUnkeyed()
    {
        var sum = 0.0;
        for (var i = 0; i < Keys; i++)
        {
            var a = _thompson.Assign();
            sum += a.Arm + a.Propensity;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "ucb1.Assign(key)")]
    public double UcbKeyed()
    {
        var sum = 0.0;
        foreach (var key in _keys)
        {
            var a = _ucb.Assign(key);
            sum += a.Arm + a.Propensity;
        }

        return sum;
    }
}
