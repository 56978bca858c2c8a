using System.Globalization;
using MLSystemDesign.Experiments.Bandits;

namespace MLSystemDesign.Experiments;

/// <summary>Creates the built-in allocation policies. Each is an <see cref="ArmAllocator"/>: lock-free, allocation-free assignment with logged propensities.</summary>
public static class ArmAllocators
{
    /// <summary>Thompson sampling with Beta-Bernoulli posteriors, for rewards in [0, 1] (a conversion, a caught delay).</summary>
    /// <param name="arms">The arms.</param>
    /// <param name="options">Floor, seed, reallocation and draws; defaults when omitted.</param>
    /// <returns>The allocator.</returns>
    public static ArmAllocator ThompsonBernoulli(IReadOnlyList<string> arms, ArmAllocatorOptions? options = null) => new ThompsonBernoulliAllocator(arms, options);

    /// <summary>Thompson sampling with normal posteriors of each arm's mean, for real-valued rewards (revenue, a business value).</summary>
    /// <param name="arms">The arms.</param>
    /// <param name="options">Floor, seed, reallocation, draws and prior; defaults when omitted.</param>
    /// <returns>The allocator.</returns>
    public static ArmAllocator ThompsonGaussian(IReadOnlyList<string> arms, ArmAllocatorOptions? options = null) => new ThompsonGaussianAllocator(arms, options);

    /// <summary>UCB1, for rewards in [0, 1].</summary>
    /// <param name="arms">The arms.</param>
    /// <param name="options">Floor, seed and reallocation; defaults when omitted.</param>
    /// <returns>The allocator.</returns>
    public static ArmAllocator Ucb1(IReadOnlyList<string> arms, ArmAllocatorOptions? options = null) => new Ucb1Allocator(arms, options);

    /// <summary>ε-greedy.</summary>
    /// <param name="arms">The arms.</param>
    /// <param name="epsilon">The share of traffic spread evenly over every arm, in [0, 1]. River's example uses 0.1.</param>
    /// <param name="options">Floor, seed and reallocation; defaults when omitted.</param>
    /// <returns>The allocator.</returns>
    public static ArmAllocator EpsilonGreedy(IReadOnlyList<string> arms, double epsilon = 0.1, ArmAllocatorOptions? options = null)
    {
        if (!(epsilon >= 0 && epsilon <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε lies in [0, 1].");
        }

        return new EpsilonGreedyAllocator(arms, epsilon, options);
    }

    /// <summary>A fixed split: an A/B test, or the uniform baseline a bandit is compared with.</summary>
    /// <param name="arms">The arms.</param>
    /// <param name="split">Each arm's share (any positive scale); equal when omitted.</param>
    /// <param name="options">Seed; defaults when omitted.</param>
    /// <returns>The allocator.</returns>
    public static ArmAllocator Fixed(IReadOnlyList<string> arms, IReadOnlyList<double>? split = null, ArmAllocatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(arms);
        var shares = split?.ToArray() ?? Enumerable.Repeat(1.0, arms.Count).ToArray();
        if (shares.Length != arms.Count || shares.Any(s => !(s > 0) || !double.IsFinite(s)))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A fixed split needs one positive share per arm; got {string.Join(", ", shares)} for {arms.Count} arms."), nameof(split));
        }

        return new FixedAllocator(arms, shares, options);
    }
}
