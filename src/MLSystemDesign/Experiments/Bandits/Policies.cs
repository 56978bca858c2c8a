using MathNet.Numerics.Distributions;

namespace MLSystemDesign.Experiments.Bandits;

/// <summary>
/// Thompson sampling for rewards in [0, 1] with Beta(1 + successes, 1 + failures) posteriors (a reward r adds r to the
/// successes and 1 − r to the failures): each arm's probability is its chance of being the best, estimated from
/// <see cref="ArmAllocatorOptions.ThompsonDraws"/> joint posterior draws (MathNet's Beta sampler) — the allocation
/// Thompson sampling makes in expectation, with the propensity known exactly.
/// </summary>
internal sealed class ThompsonBernoulliAllocator(IReadOnlyList<string> arms, ArmAllocatorOptions? options) : ArmAllocator(arms, options)
{
    public override string Policy => "thompson-beta";

    protected override void CheckReward(double reward)
    {
        if (!(reward >= 0 && reward <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(reward), reward, "Beta-Bernoulli Thompson sampling takes rewards in [0, 1].");
        }
    }

    protected override void ComputeWeights(IReadOnlyList<ArmStatistics> arms, Random random, Span<double> weights)
    {
        var alpha = new double[arms.Count];
        var beta = new double[arms.Count];
        for (var a = 0; a < arms.Count; a++)
        {
            var successes = arms[a].Rewards == 0 ? 0 : arms[a].Mean * arms[a].Rewards;
            alpha[a] = 1 + successes;
            beta[a] = 1 + arms[a].Rewards - successes;
        }

        ProbabilityBest(arms.Count, Options.ThompsonDraws, weights, a => Beta.Sample(random, alpha[a], beta[a]));
    }

    /// <summary>The share of joint draws in which each arm's draw is the largest (ties to the lowest index).</summary>
    internal static void ProbabilityBest(int arms, int draws, Span<double> weights, Func<int, double> sample)
    {
        weights.Clear();
        for (var d = 0; d < draws; d++)
        {
            var best = 0;
            var bestValue = double.NegativeInfinity;
            for (var a = 0; a < arms; a++)
            {
                var v = sample(a);
                if (v > bestValue)
                {
                    (best, bestValue) = (a, v);
                }
            }

            weights[best] += 1.0 / draws;
        }
    }
}

/// <summary>
/// Thompson sampling for real-valued rewards: each arm's mean has a normal posterior, mean (κμ₀ + n·x̄)/(κ + n) and
/// variance σ²/(κ + n), with σ² the arm's sample variance (the prior variance below two rewards), κ and μ₀ the prior's
/// strength and mean; probabilities of being best from joint draws (MathNet's normal sampler).
/// </summary>
internal sealed class ThompsonGaussianAllocator(IReadOnlyList<string> arms, ArmAllocatorOptions? options) : ArmAllocator(arms, options)
{
    public override string Policy => "thompson-gaussian";

    protected override void ComputeWeights(IReadOnlyList<ArmStatistics> arms, Random random, Span<double> weights)
    {
        var mean = new double[arms.Count];
        var sd = new double[arms.Count];
        var kappa = Options.PriorStrength;
        for (var a = 0; a < arms.Count; a++)
        {
            var n = arms[a].Rewards;
            var xbar = n == 0 ? 0 : arms[a].Mean;
            var variance = n < 2 || !(arms[a].Variance > 0) ? Options.PriorVariance : arms[a].Variance;
            mean[a] = (kappa * Options.PriorMean + n * xbar) / (kappa + n);
            sd[a] = Math.Sqrt(variance / (kappa + n));
        }

        ThompsonBernoulliAllocator.ProbabilityBest(arms.Count, Options.ThompsonDraws, weights, a => Normal.Sample(random, mean[a], sd[a]));
    }
}

/// <summary>
/// UCB1 (Auer, Cesa-Bianchi and Fischer, 2002): every arm is tried once (traffic shared among the untried), then all
/// traffic goes to the arm of largest mean + √(2 ln N / nₐ), ties shared. Rewards should lie in [0, 1].
/// </summary>
internal sealed class Ucb1Allocator(IReadOnlyList<string> arms, ArmAllocatorOptions? options) : ArmAllocator(arms, options)
{
    public override string Policy => "ucb1";

    protected override void ComputeWeights(IReadOnlyList<ArmStatistics> arms, Random random, Span<double> weights)
    {
        var untried = arms.Count(a => a.Rewards == 0);
        if (untried > 0)
        {
            for (var a = 0; a < arms.Count; a++)
            {
                weights[a] = arms[a].Rewards == 0 ? 1.0 / untried : 0;
            }

            return;
        }

        var total = arms.Sum(a => (double)a.Rewards);
        var bounds = arms.Select(a => a.Mean + Math.Sqrt(2 * Math.Log(total) / a.Rewards)).ToArray();
        ShareAmongBest(bounds, weights);
    }

    internal static void ShareAmongBest(double[] values, Span<double> weights)
    {
        var best = values.Max();
        var ties = values.Count(v => v == best);
        for (var a = 0; a < values.Length; a++)
        {
            weights[a] = values[a] == best ? 1.0 / ties : 0;
        }
    }
}

/// <summary>ε-greedy: a share ε spread evenly over every arm, the rest to the arm of largest mean reward (untried arms count as best, so each is tried).</summary>
internal sealed class EpsilonGreedyAllocator(IReadOnlyList<string> arms, double epsilon, ArmAllocatorOptions? options) : ArmAllocator(arms, options)
{
    public override string Policy => "epsilon-greedy";

    protected override void ComputeWeights(IReadOnlyList<ArmStatistics> arms, Random random, Span<double> weights)
    {
        var means = arms.Select(a => a.Rewards == 0 ? double.PositiveInfinity : a.Mean).ToArray();
        Ucb1Allocator.ShareAmongBest(means, weights);
        for (var a = 0; a < arms.Count; a++)
        {
            weights[a] = epsilon / arms.Count + (1 - epsilon) * weights[a];
        }
    }
}

/// <summary>A fixed split (an A/B test, or the uniform baseline a bandit is compared with); rewards are recorded but change nothing.</summary>
internal sealed class FixedAllocator(IReadOnlyList<string> arms, double[] split, ArmAllocatorOptions? options) : ArmAllocator(arms, options)
{
    public override string Policy => "fixed";

    protected override void ComputeWeights(IReadOnlyList<ArmStatistics> arms, Random random, Span<double> weights) => split.CopyTo(weights);
}
