namespace MLSystemDesign.Experiments;

/// <summary>
/// Allocates traffic over a fixed set of arms (model versions, variants) and learns from their rewards: the contract a
/// rollout router calls on the request path. <see cref="Assign(ReadOnlySpan{char})"/> is lock-free and allocates
/// nothing; <see cref="Update"/> may be called from any thread as rewards arrive.
/// </summary>
public interface IArmAllocator
{
    /// <summary>Gets the policy's name, e.g. <c>thompson-beta</c>.</summary>
    string Policy { get; }

    /// <summary>Gets the arms, in index order.</summary>
    IReadOnlyList<string> Arms { get; }

    /// <summary>
    /// Chooses the arm for a routing key (a user or visitor id): the same key gets the same arm for as long as the
    /// allocation does not change (see <see cref="AllocationSnapshot.Epoch"/>).
    /// </summary>
    /// <param name="routingKey">The key; any length.</param>
    /// <returns>The arm, the probability it had of being chosen, and the allocation epoch.</returns>
    ArmAssignment Assign(ReadOnlySpan<char> routingKey);

    /// <summary>Chooses an arm at random (seeded), for traffic without a routing key.</summary>
    /// <returns>The arm, the probability it had of being chosen, and the allocation epoch.</returns>
    ArmAssignment Assign();

    /// <summary>Records the reward an arm earned for one assignment (e.g. 1 when the flight's delay was caught in time).</summary>
    /// <param name="arm">The arm's index.</param>
    /// <param name="reward">The reward; the policy may restrict its range (Beta-Bernoulli: [0, 1]).</param>
    /// <exception cref="ArgumentOutOfRangeException">No such arm, or a reward the policy does not accept.</exception>
    void Update(int arm, double reward);

    /// <summary>Gets the current allocation and what each arm has earned.</summary>
    /// <returns>The snapshot.</returns>
    AllocationSnapshot Snapshot();
}

/// <summary>One assignment: the arm, its propensity (the probability the allocation gave it), and the allocation epoch.</summary>
/// <param name="Arm">The arm's index into <see cref="IArmAllocator.Arms"/>.</param>
/// <param name="Propensity">The probability the arm had of being chosen; log it with the outcome for inverse-propensity weighting.</param>
/// <param name="Epoch">The allocation's epoch: it increases whenever the policy recomputes the allocation.</param>
public readonly record struct ArmAssignment(int Arm, double Propensity, long Epoch);

/// <summary>The state of an allocator.</summary>
/// <param name="Epoch">The allocation's epoch.</param>
/// <param name="Weights">The probability of each arm, floors included; they sum to 1.</param>
/// <param name="Arms">What each arm has earned so far.</param>
public sealed record AllocationSnapshot(long Epoch, IReadOnlyList<double> Weights, IReadOnlyList<ArmStatistics> Arms);

/// <summary>The rewards an arm has earned.</summary>
/// <param name="Arm">The arm's name.</param>
/// <param name="Rewards">How many rewards were recorded.</param>
/// <param name="Mean">Their mean (NaN when none).</param>
/// <param name="Variance">Their sample variance (NaN with fewer than two).</param>
public sealed record ArmStatistics(string Arm, long Rewards, double Mean, double Variance);
