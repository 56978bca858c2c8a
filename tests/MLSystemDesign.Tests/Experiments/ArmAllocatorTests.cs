using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Experiments;
using Xunit.Abstractions;

namespace MLSystemDesign.Tests.Experiments;

public sealed class ArmAllocatorTests(ITestOutputHelper output)
{
    private static readonly string[] Arms = ["v1", "v2", "v3", "v4"];

    /// <summary>The Bernoulli environment: four model versions whose business reward (a caught delay) comes at these rates.</summary>
    private static readonly double[] Rates = [0.04, 0.05, 0.06, 0.08];

    [Fact]
    public void Assign_SameKey_SameArm_AndKeysSpreadAsTheWeights()
    {
        var allocator = ArmAllocators.Fixed(Arms, [1, 2, 3, 4], new ArmAllocatorOptions { Seed = 3 });
        var counts = new int[4];
        for (var i = 0; i < 100_000; i++)
        {
            var key = $"user-{i}";
            var a = allocator.Assign(key);
            Assert.Equal(a, allocator.Assign(key));
            Assert.Equal((a.Arm + 1) / 10.0, a.Propensity, 12);
            counts[a.Arm]++;
        }

        for (var a = 0; a < 4; a++)
        {
            Assert.InRange(counts[a] / 100_000.0, (a + 1) / 10.0 - 0.006, (a + 1) / 10.0 + 0.006);
        }

        // Another seed routes the same keys differently.
        var other = ArmAllocators.Fixed(Arms, [1, 2, 3, 4], new ArmAllocatorOptions { Seed = 4 });
        Assert.Contains(Enumerable.Range(0, 100), i => other.Assign($"user-{i}").Arm != allocator.Assign($"user-{i}").Arm);
    }

    [Fact]
    public void Assign_Unkeyed_IsSeeded()
    {
        var a = ArmAllocators.ThompsonBernoulli(Arms, new ArmAllocatorOptions { Seed = 9 });
        var b = ArmAllocators.ThompsonBernoulli(Arms, new ArmAllocatorOptions { Seed = 9 });
        var sequenceA = Enumerable.Range(0, 200).Select(_ => a.Assign().Arm).ToArray();
        Assert.Equal(sequenceA, Enumerable.Range(0, 200).Select(_ => b.Assign().Arm));
        Assert.True(sequenceA.Distinct().Count() > 1);
    }

    [Fact]
    public void Update_Reallocates_EveryNRewards_AndKeepsTheFloor()
    {
        var allocator = ArmAllocators.ThompsonBernoulli(Arms, new ArmAllocatorOptions { Seed = 1, ReallocateEvery = 50, MinimumShare = 0.05 });
        Assert.Equal(0, allocator.Snapshot().Epoch);
        for (var i = 0; i < 49; i++)
        {
            allocator.Update(3, 1);
        }

        Assert.Equal(0, allocator.Snapshot().Epoch);
        allocator.Update(0, 0);
        var snapshot = allocator.Snapshot();
        Assert.Equal(1, snapshot.Epoch);
        Assert.Equal(1.0, snapshot.Weights.Sum(), 12);
        Assert.All(snapshot.Weights, w => Assert.True(w >= 0.05 - 1e-12));
        Assert.True(snapshot.Weights[3] > 0.8);
        Assert.Equal(49, snapshot.Arms[3].Rewards);
        Assert.Equal(1.0, snapshot.Arms[3].Mean);
        Assert.Equal(1, allocator.Assign("k").Epoch);
    }

    [Fact]
    public void Policies_BadRewardsAndOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ArmAllocators.ThompsonBernoulli(Arms).Update(0, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArmAllocators.ThompsonGaussian(Arms).Update(0, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArmAllocators.Ucb1(Arms).Update(4, 1));
        Assert.Contains("at least two arms", Assert.Throws<ArgumentException>(() => ArmAllocators.Ucb1(["only"])).Message, StringComparison.Ordinal);
        Assert.Contains("distinct", Assert.Throws<ArgumentException>(() => ArmAllocators.Ucb1(["a", "a"])).Message, StringComparison.Ordinal);
        Assert.Contains("cannot be given to 4 arms", Assert.Throws<ArgumentException>(() => ArmAllocators.Ucb1(Arms, new ArmAllocatorOptions { MinimumShare = 0.3 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ArmAllocators.EpsilonGreedy(Arms, 1.5));
        Assert.Contains("ReallocateEvery", Assert.Throws<OptionsValidationException>(() => ArmAllocators.Ucb1(Arms, new ArmAllocatorOptions { ReallocateEvery = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("one positive share per arm", Assert.Throws<ArgumentException>(() => ArmAllocators.Fixed(Arms, [1, 0, 1, 1])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ucb1_TriesEveryArmFirst_ThenPlaysTheLargestBound()
    {
        var allocator = ArmAllocators.Ucb1(["a", "b"], new ArmAllocatorOptions { ReallocateEvery = 1 });
        Assert.Equal([0.5, 0.5], allocator.Snapshot().Weights);
        allocator.Update(0, 1);
        Assert.Equal([0, 1], allocator.Snapshot().Weights); // b untried
        allocator.Update(1, 0);
        Assert.Equal([1, 0], allocator.Snapshot().Weights); // 1 + √(2 ln 2) vs 0 + √(2 ln 2)
    }

    [Fact]
    public void EpsilonGreedy_SpreadsEpsilon_RestToTheBest()
    {
        var allocator = ArmAllocators.EpsilonGreedy(["a", "b"], 0.2, new ArmAllocatorOptions { ReallocateEvery = 1 });
        allocator.Update(0, 3);
        allocator.Update(1, 5);
        Assert.Equal([0.1, 0.9], allocator.Snapshot().Weights.Select(w => Math.Round(w, 12)));
    }

    [Fact]
    public void Assign_ConcurrentWithUpdates_IsConsistent()
    {
        var allocator = ArmAllocators.ThompsonBernoulli(Arms, new ArmAllocatorOptions { ReallocateEvery = 10, ThompsonDraws = 200 });
        Parallel.For(0, 20_000, i =>
        {
            var a = allocator.Assign($"k{i}");
            Assert.InRange(a.Propensity, 0, 1);
            allocator.Update(a.Arm, i % 7 == 0 ? 1 : 0);
        });
        var snapshot = allocator.Snapshot();
        Assert.Equal(20_000, snapshot.Arms.Sum(a => a.Rewards));
        Assert.Equal(2000, snapshot.Epoch);
    }

    [Fact]
    public void Thompson_CumulativeRegret_GrowsSubLinearly_FarBelowUniform()
    {
        const int horizon = 40_000;
        int[] checkpoints = [5_000, 10_000, 20_000, 40_000];
        var thompson = Regret(a => ArmAllocators.ThompsonBernoulli(Arms, Options(a)), horizon, checkpoints);
        var uniform = Regret(a => ArmAllocators.Fixed(Arms, options: Options(a)), horizon, checkpoints);
        var ucb = Regret(a => ArmAllocators.Ucb1(Arms, Options(a)), horizon, checkpoints);
        var greedy = Regret(a => ArmAllocators.EpsilonGreedy(Arms, 0.1, Options(a)), horizon, checkpoints);
        var floored = Regret(a => ArmAllocators.ThompsonBernoulli(Arms, Options(a, floor: 0.02)), horizon, checkpoints);
        output.WriteLine($"Bernoulli arms {string.Join(", ", Rates)}; cumulative pseudo-regret against always playing the best arm (rate {Rates.Max()}), mean of 5 seeds:");
        output.WriteLine($"T            {string.Join("  ", checkpoints.Select(c => $"{c,8}"))}");
        foreach (var (name, r) in new[] { ("thompson", thompson), ("thompson, 2 % floor", floored), ("ucb1", ucb), ("eps-greedy 0.1", greedy), ("uniform", uniform) })
        {
            output.WriteLine($"{name,-20} {string.Join("  ", r.Select(v => $"{v,8:0.0}"))}");
        }

        output.WriteLine($"best arm in hindsight earns {horizon * Rates.Max():0} over {horizon}; Thompson earned {horizon * Rates.Max() - thompson[^1]:0.0} in expectation, uniform {horizon * Rates.Max() - uniform[^1]:0.0}");

        // Linear regret would double with each doubling of T; Thompson's grows by far less, and stays a fraction of uniform's.
        Assert.True(thompson[3] < 1.6 * thompson[2] && thompson[2] < 1.6 * thompson[1], $"Thompson regret {string.Join(", ", thompson)} does not flatten.");
        Assert.True(thompson[3] - thompson[2] < 0.5 * (uniform[3] - uniform[2]) * 0.5, "Thompson's regret grows like uniform's.");
        Assert.True(thompson[3] < 0.25 * uniform[3]);
        Assert.True(ucb[3] < uniform[3] && greedy[3] < uniform[3]);
    }

    [Fact]
    public void InversePropensity_AdaptiveAllocation_RecoversEveryArmsMean()
    {
        // Thompson sends most traffic to the best arm, so the others' naive means rest on few, early units; IPW weights them back.
        var allocator = ArmAllocators.ThompsonBernoulli(Arms, Options(17, floor: 0.05));
        var random = new Random(17);
        var n = 60_000;
        var arms = new int[n];
        var propensities = new double[n];
        var rewards = new double[n];
        for (var i = 0; i < n; i++)
        {
            var a = allocator.Assign();
            arms[i] = a.Arm;
            propensities[i] = a.Propensity;
            rewards[i] = random.NextDouble() < Rates[a.Arm] ? 1 : 0;
            allocator.Update(a.Arm, rewards[i]);
        }

        var estimates = InversePropensity.Estimate(arms, propensities, rewards, Arms.Length);
        foreach (var e in estimates)
        {
            output.WriteLine($"{Arms[e.Arm]}: n {e.Count}, naive {e.Naive:0.0000}, Horvitz–Thompson {e.HorvitzThompson:0.0000} ± {e.HorvitzThompsonStandardError:0.0000}, Hájek {e.Hajek:0.0000} ± {e.HajekStandardError:0.0000}, true {Rates[e.Arm]}");
            Assert.InRange(Rates[e.Arm], e.HorvitzThompson - 4 * e.HorvitzThompsonStandardError, e.HorvitzThompson + 4 * e.HorvitzThompsonStandardError);
            Assert.InRange(Rates[e.Arm], e.Hajek - 4 * e.HajekStandardError, e.Hajek + 4 * e.HajekStandardError);
        }

        Assert.True(estimates[3].Count > n / 2);
        Assert.Contains("propensity 0", Assert.Throws<ArgumentException>(() => InversePropensity.Estimate([0], [0.0], [1.0], 2)).Message, StringComparison.Ordinal);
        Assert.Contains("Unit 0 is assigned to arm 3", Assert.Throws<ArgumentException>(() => InversePropensity.Estimate([3], [0.5], [1.0], 2)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddArmAllocator_IsKeyedByModel()
    {
        using var services = new ServiceCollection()
            .AddMLSystem(ml => ml
                .AddArmAllocator("flight-delays", _ => ArmAllocators.ThompsonBernoulli(["v3", "v4"]))
                .AddArmAllocator("churn", _ => ArmAllocators.Ucb1(["a", "b", "c"])))
            .BuildServiceProvider();
        Assert.Equal("thompson-beta", services.GetRequiredKeyedService<IArmAllocator>("flight-delays").Policy);
        Assert.Equal(3, services.GetRequiredKeyedService<IArmAllocator>("churn").Arms.Count);
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddMLSystem(ml => ml.AddArmAllocator("x", _ => ArmAllocators.Ucb1(Arms)).AddArmAllocator("x", _ => ArmAllocators.Ucb1(Arms))));
    }

    private static ArmAllocatorOptions Options(int seed, double floor = 0) => new() { Seed = (ulong)seed, ReallocateEvery = 50, ThompsonDraws = 500, MinimumShare = floor };

    /// <summary>Mean cumulative pseudo-regret Σ (μ* − μ_arm) over 5 seeds, at each checkpoint.</summary>
    private static double[] Regret(Func<int, IArmAllocator> create, int horizon, int[] checkpoints)
    {
        var best = Rates.Max();
        var totals = new double[checkpoints.Length];
        for (var seed = 1; seed <= 5; seed++)
        {
            var allocator = create(seed);
            var random = new Random(1000 + seed);
            double regret = 0;
            var next = 0;
            for (var t = 1; t <= horizon; t++)
            {
                var arm = allocator.Assign().Arm;
                regret += best - Rates[arm];
                allocator.Update(arm, random.NextDouble() < Rates[arm] ? 1 : 0);
                if (t == checkpoints[next])
                {
                    totals[next++] += regret / 5;
                }
            }
        }

        return totals;
    }
}
