using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLSystemDesign.Experiments;

/// <summary>
/// The base of every allocation policy: it keeps each arm's rewards, recomputes the arms' probabilities every
/// <see cref="ArmAllocatorOptions.ReallocateEvery"/> rewards (a new epoch), applies the minimum share, and publishes the
/// allocation as an immutable snapshot. <see cref="Assign(ReadOnlySpan{char})"/> reads that snapshot without a lock and
/// without allocating: a routing key is hashed (XxHash3, seeded) to a point in [0, 1) that falls in one arm's slice of
/// the cumulative probabilities, so the same key keeps its arm while the allocation holds, and the logged propensity is
/// the arm's probability. Unkeyed calls draw the point from a seeded counter-based generator (SplitMix64 of an
/// interlocked counter). A policy says only how probable each arm should be, given what the arms have earned.
/// </summary>
public abstract class ArmAllocator : IArmAllocator
{
    private readonly string[] _arms;
    private readonly RewardStats[] _stats;
    private readonly object _gate = new();
    private Allocation _allocation;
    private long _draws;
    private int _sinceReallocation;

    /// <summary>Creates an allocator and computes its first allocation (epoch 0) from no rewards.</summary>
    /// <param name="arms">The arms' names; at least two, distinct.</param>
    /// <param name="options">The options; defaults when omitted.</param>
    /// <exception cref="ArgumentException">Fewer than two arms, a repeated or empty name, or an option out of range.</exception>
    protected ArmAllocator(IReadOnlyList<string> arms, ArmAllocatorOptions? options)
    {
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Count < 2)
        {
            throw new ArgumentException($"An allocator needs at least two arms; got {arms.Count}.", nameof(arms));
        }

        if (arms.Any(string.IsNullOrWhiteSpace) || arms.Distinct(StringComparer.Ordinal).Count() != arms.Count)
        {
            throw new ArgumentException($"Arm names must be non-empty and distinct: {string.Join(", ", arms)}.", nameof(arms));
        }

        Options = OptionsValidation.ThrowIfInvalid<ArmAllocatorOptions, ArmAllocatorOptionsValidator>(options ?? new ArmAllocatorOptions());
        if (Options.MinimumShare * arms.Count > 1 + 1e-12)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A minimum share of {Options.MinimumShare} per arm cannot be given to {arms.Count} arms (at most 1/{arms.Count} each)."), nameof(options));
        }
        _arms = arms.ToArray();
        _stats = new RewardStats[_arms.Length];
        _allocation = Publish(0);
    }

    /// <inheritdoc />
    public abstract string Policy { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Arms => _arms;

    /// <summary>Gets the options.</summary>
    protected ArmAllocatorOptions Options { get; }

    /// <inheritdoc />
    public ArmAssignment Assign(ReadOnlySpan<char> routingKey)
    {
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(routingKey), unchecked((long)Options.Seed));
        return Pick((hash >> 11) * (1.0 / (1UL << 53)));
    }

    /// <inheritdoc />
    public ArmAssignment Assign()
    {
        var z = Mix(unchecked(Options.Seed + ((ulong)Interlocked.Increment(ref _draws) * 0x9E3779B97F4A7C15UL)));
        return Pick((z >> 11) * (1.0 / (1UL << 53)));
    }

    /// <inheritdoc />
    public void Update(int arm, double reward)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)arm, (uint)_arms.Length, nameof(arm));
        CheckReward(reward);
        lock (_gate)
        {
            _stats[arm].Add(reward);
            if (++_sinceReallocation >= Options.ReallocateEvery)
            {
                _sinceReallocation = 0;
                Volatile.Write(ref _allocation, Publish(_allocation.Epoch + 1));
            }
        }
    }

    /// <summary>Recomputes the allocation now, whatever the reward count (a new epoch).</summary>
    public void Reallocate()
    {
        lock (_gate)
        {
            _sinceReallocation = 0;
            Volatile.Write(ref _allocation, Publish(_allocation.Epoch + 1));
        }
    }

    /// <inheritdoc />
    public AllocationSnapshot Snapshot()
    {
        lock (_gate)
        {
            var allocation = _allocation;
            return new AllocationSnapshot(allocation.Epoch, allocation.Weights.ToArray(), Statistics());
        }
    }

    /// <summary>Checks a reward before it is recorded; the default accepts any finite number.</summary>
    /// <param name="reward">The reward.</param>
    /// <exception cref="ArgumentOutOfRangeException">The reward is not accepted.</exception>
    protected virtual void CheckReward(double reward)
    {
        if (!double.IsFinite(reward))
        {
            throw new ArgumentOutOfRangeException(nameof(reward), reward, "A reward must be a finite number.");
        }
    }

    /// <summary>Computes each arm's probability, before the minimum share is applied; the weights must be non-negative and sum to 1.</summary>
    /// <param name="arms">What each arm has earned, in index order.</param>
    /// <param name="random">A generator seeded from the options' seed and the epoch.</param>
    /// <param name="weights">Receives one weight per arm.</param>
    protected abstract void ComputeWeights(IReadOnlyList<ArmStatistics> arms, Random random, Span<double> weights);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ArmAssignment Pick(double u)
    {
        var allocation = Volatile.Read(ref _allocation);
        var cumulative = allocation.Cumulative;
        var last = cumulative.Length - 1;
        for (var a = 0; a < last; a++)
        {
            if (u < cumulative[a])
            {
                return new ArmAssignment(a, allocation.Weights[a], allocation.Epoch);
            }
        }

        return new ArmAssignment(last, allocation.Weights[last], allocation.Epoch);
    }

    /// <summary>SplitMix64's finaliser: a well-mixed 64-bit value from any 64-bit input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private ArmStatistics[] Statistics() => _stats.Select((s, a) => new ArmStatistics(_arms[a], s.Count, s.Count == 0 ? double.NaN : s.Mean, s.Count < 2 ? double.NaN : s.M2 / (s.Count - 1))).ToArray();

    private Allocation Publish(long epoch)
    {
        var k = _arms.Length;
        var weights = new double[k];
        var random = new Random((int)(Mix(Options.Seed + ((ulong)epoch * 0x9E3779B97F4A7C15UL)) >> 33)); // deterministic across processes, unlike HashCode
        ComputeWeights(Statistics(), random, weights);
        var sum = 0.0;
        for (var a = 0; a < k; a++)
        {
            if (!(weights[a] >= 0) || !double.IsFinite(weights[a]))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Policy '{Policy}' gave arm '{_arms[a]}' the weight {weights[a]}; weights are finite and non-negative."));
            }

            sum += weights[a];
        }

        if (!(sum > 0))
        {
            throw new InvalidOperationException($"Policy '{Policy}' gave every arm weight 0.");
        }

        var floor = Options.MinimumShare;
        var cumulative = new double[k];
        var running = 0.0;
        for (var a = 0; a < k; a++)
        {
            weights[a] = floor + (1 - k * floor) * (weights[a] / sum);
            running += weights[a];
            cumulative[a] = running;
        }

        return new Allocation(epoch, weights, cumulative);
    }

    /// <summary>An immutable allocation: read by the request path without a lock.</summary>
    private sealed record Allocation(long Epoch, double[] Weights, double[] Cumulative);

    /// <summary>Welford's running count, mean and sum of squared deviations.</summary>
    private struct RewardStats
    {
        public long Count;
        public double Mean;
        public double M2;

        public void Add(double x)
        {
            Count++;
            var delta = x - Mean;
            Mean += delta / Count;
            M2 += delta * (x - Mean);
        }
    }
}
