using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Experiments;

/// <summary>Options of an <see cref="ArmAllocator"/>.</summary>
public sealed class ArmAllocatorOptions
{
    /// <summary>Gets or sets the smallest share of traffic every arm keeps, whatever the policy says (so no arm is starved of evidence). Default 0; 0 to 0.5, and at most 1/k for k arms.</summary>
    [Range(0.0, 0.5)]
    public double MinimumShare { get; set; }

    /// <summary>Gets or sets the seed of the routing-key hash, the unkeyed draws and the policy's own randomness. Default 0.</summary>
    public ulong Seed { get; set; }

    /// <summary>Gets or sets how many rewards are recorded between recomputations of the allocation (each starts a new epoch). Default 100; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int ReallocateEvery { get; set; } = 100;

    /// <summary>Gets or sets the posterior draws Thompson sampling uses to compute each arm's probability of being best. Default 2,000; at least 100.</summary>
    [Range(100, int.MaxValue)]
    public int ThompsonDraws { get; set; } = 2000;

    /// <summary>Gets or sets the prior mean of the Gaussian Thompson policy. Default 0; finite.</summary>
    [Range(double.MinValue, double.MaxValue)]
    public double PriorMean { get; set; }

    /// <summary>Gets or sets the prior's weight in pseudo-observations for the Gaussian Thompson policy. Default 1; positive and finite.</summary>
    [Range(double.Epsilon, double.MaxValue)]
    public double PriorStrength { get; set; } = 1;

    /// <summary>Gets or sets the reward variance the Gaussian Thompson policy assumes for an arm with fewer than two rewards. Default 1; positive and finite.</summary>
    [Range(double.Epsilon, double.MaxValue)]
    public double PriorVariance { get; set; } = 1;
}

/// <summary>Validates <see cref="ArmAllocatorOptions"/> (generated from its data annotations; the allocator also checks the
/// minimum share against its number of arms).</summary>
[OptionsValidator]
internal sealed partial class ArmAllocatorOptionsValidator : IValidateOptions<ArmAllocatorOptions>;
