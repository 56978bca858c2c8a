namespace MLSystemDesign.Experiments;

/// <summary>Options of an <see cref="ArmAllocator"/>.</summary>
public sealed class ArmAllocatorOptions
{
    /// <summary>Gets or sets the smallest share of traffic every arm keeps, whatever the policy says (so no arm is starved of evidence). Default 0; at most 1/k for k arms.</summary>
    public double MinimumShare { get; set; }

    /// <summary>Gets or sets the seed of the routing-key hash, the unkeyed draws and the policy's own randomness. Default 0.</summary>
    public ulong Seed { get; set; }

    /// <summary>Gets or sets how many rewards are recorded between recomputations of the allocation (each starts a new epoch). Default 100; at least 1.</summary>
    public int ReallocateEvery { get; set; } = 100;

    /// <summary>Gets or sets the posterior draws Thompson sampling uses to compute each arm's probability of being best. Default 2,000; at least 100.</summary>
    public int ThompsonDraws { get; set; } = 2000;

    /// <summary>Gets or sets the prior mean of the Gaussian Thompson policy. Default 0.</summary>
    public double PriorMean { get; set; }

    /// <summary>Gets or sets the prior's weight in pseudo-observations for the Gaussian Thompson policy. Default 1; positive.</summary>
    public double PriorStrength { get; set; } = 1;

    /// <summary>Gets or sets the reward variance the Gaussian Thompson policy assumes for an arm with fewer than two rewards. Default 1; positive.</summary>
    public double PriorVariance { get; set; } = 1;

    /// <summary>Throws when an option is out of range (the allocator also checks the minimum share against its number of arms).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message gives the range.</exception>
    public void Validate()
    {
        if (!(MinimumShare >= 0 && MinimumShare <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumShare), MinimumShare, "The minimum share per arm lies in [0, 1/k] for k arms (at most 0.5).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(ReallocateEvery, 1, nameof(ReallocateEvery));
        ArgumentOutOfRangeException.ThrowIfLessThan(ThompsonDraws, 100, nameof(ThompsonDraws));
        if (!double.IsFinite(PriorMean))
        {
            throw new ArgumentOutOfRangeException(nameof(PriorMean), PriorMean, "The prior mean must be finite.");
        }

        if (!(PriorStrength > 0) || !double.IsFinite(PriorStrength))
        {
            throw new ArgumentOutOfRangeException(nameof(PriorStrength), PriorStrength, "The prior strength must be positive.");
        }

        if (!(PriorVariance > 0) || !double.IsFinite(PriorVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(PriorVariance), PriorVariance, "The prior variance must be positive.");
        }
    }
}
