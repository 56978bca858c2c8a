using System.Globalization;

namespace MLSystemDesign.Experiments;

/// <summary>An arm's mean reward estimated from adaptively allocated traffic, without the allocation's bias.</summary>
/// <param name="Arm">The arm's index.</param>
/// <param name="Count">The units the arm received.</param>
/// <param name="Naive">The plain mean of the arm's rewards (biased when the allocation followed the rewards).</param>
/// <param name="HorvitzThompson">(1/N) Σ 1[Aᵢ = a] rᵢ / πᵢ over all N units: unbiased.</param>
/// <param name="HorvitzThompsonStandardError">Its standard error, √(var(terms) / N).</param>
/// <param name="Hajek">Σ 1[Aᵢ = a] rᵢ/πᵢ / Σ 1[Aᵢ = a]/πᵢ: the self-normalised estimate, lower variance, consistent.</param>
/// <param name="HajekStandardError">Its linearised standard error.</param>
public sealed record ArmEstimate(int Arm, long Count, double Naive, double HorvitzThompson, double HorvitzThompsonStandardError, double Hajek, double HajekStandardError);

/// <summary>
/// Inverse-propensity-weighted estimates of each arm's mean reward from logged assignments (arm, propensity, reward):
/// what each arm would have earned had every unit been sent to it, even though a bandit sent more units to the arms
/// that looked better. The propensities are the ones <see cref="IArmAllocator.Assign(ReadOnlySpan{char})"/> returned.
/// </summary>
public static class InversePropensity
{
    /// <summary>Estimates every arm's mean reward.</summary>
    /// <param name="arms">Each unit's arm.</param>
    /// <param name="propensities">The probability each unit had of its arm, in (0, 1].</param>
    /// <param name="rewards">Each unit's reward.</param>
    /// <param name="armCount">The number of arms.</param>
    /// <returns>One estimate per arm, in index order.</returns>
    /// <exception cref="ArgumentException">Lengths differ, no units, an arm out of range, a propensity outside (0, 1] or a reward that is not finite (the message names the unit).</exception>
    public static IReadOnlyList<ArmEstimate> Estimate(ReadOnlySpan<int> arms, ReadOnlySpan<double> propensities, ReadOnlySpan<double> rewards, int armCount)
    {
        if (arms.Length != propensities.Length || arms.Length != rewards.Length)
        {
            throw new ArgumentException($"Every unit needs its arm, propensity and reward: {arms.Length}, {propensities.Length} and {rewards.Length} given.", nameof(rewards));
        }

        if (arms.IsEmpty)
        {
            throw new ArgumentException("No units to estimate from.", nameof(arms));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(armCount, 1);
        var n = arms.Length;
        var count = new long[armCount];
        var sum = new double[armCount];
        var weighted = new double[armCount];
        var weights = new double[armCount];
        for (var i = 0; i < n; i++)
        {
            var a = arms[i];
            if ((uint)a >= (uint)armCount)
            {
                throw new ArgumentException($"Unit {i} is assigned to arm {a}; there are {armCount} arms.", nameof(arms));
            }

            var p = propensities[i];
            if (!(p > 0 && p <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Unit {i} has propensity {p}; a propensity lies in (0, 1]."), nameof(propensities));
            }

            if (!double.IsFinite(rewards[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Unit {i} has reward {rewards[i]}; a reward must be finite."), nameof(rewards));
            }

            count[a]++;
            sum[a] += rewards[i];
            weighted[a] += rewards[i] / p;
            weights[a] += 1 / p;
        }

        var result = new ArmEstimate[armCount];
        for (var a = 0; a < armCount; a++)
        {
            var ht = weighted[a] / n;
            var hajek = weights[a] == 0 ? double.NaN : weighted[a] / weights[a];
            double htSquares = 0, hajekSquares = 0;
            for (var i = 0; i < n; i++)
            {
                var term = arms[i] == a ? rewards[i] / propensities[i] : 0;
                htSquares += (term - ht) * (term - ht);
                if (arms[i] == a)
                {
                    var w = 1 / propensities[i];
                    hajekSquares += w * w * (rewards[i] - hajek) * (rewards[i] - hajek);
                }
            }

            result[a] = new ArmEstimate(
                a,
                count[a],
                count[a] == 0 ? double.NaN : sum[a] / count[a],
                ht,
                n < 2 ? double.NaN : Math.Sqrt(htSquares / (n - 1) / n),
                hajek,
                weights[a] == 0 ? double.NaN : Math.Sqrt(hajekSquares) / weights[a]);
        }

        return result;
    }
}
