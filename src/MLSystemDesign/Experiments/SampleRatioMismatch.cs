using System.Globalization;
using MLSystemDesign.Monitoring.Statistics;

namespace MLSystemDesign.Experiments;

/// <summary>The result of a sample-ratio-mismatch check.</summary>
/// <param name="Statistic">The chi-squared statistic Σ (observed − expected)² / expected.</param>
/// <param name="PValue">Its p-value with k − 1 degrees of freedom.</param>
/// <param name="Threshold">The p-value below which the split is declared broken.</param>
/// <param name="Expected">The count each arm should have had.</param>
public sealed record SampleRatioResult(double Statistic, double PValue, double Threshold, IReadOnlyList<double> Expected)
{
    /// <summary>Gets whether the observed split is incompatible with the intended one (p below the threshold).</summary>
    public bool Mismatch => PValue < Threshold;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"sample ratio {(Mismatch ? "MISMATCH" : "ok")}: chi-squared {Statistic:G6}, p = {PValue:G4} (threshold {Threshold:G3})");
}

/// <summary>
/// The sample-ratio-mismatch (SRM) check: a chi-squared goodness-of-fit test of the arms' counts against the intended
/// split (SciPy's <c>chisquare(observed, f_exp)</c>; GrowthBook's <c>check_srm</c>), failing below p = 0.001 by default
/// as GrowthBook does. A mismatch means the assignment or the logging is broken and the comparison cannot be trusted.
/// </summary>
public static class SampleRatioMismatch
{
    /// <summary>The default threshold: 0.001 (GrowthBook's <c>DEFAULT_SRM_THRESHOLD</c>).</summary>
    public const double DefaultThreshold = 0.001;

    /// <summary>Checks the arms' counts against the intended split.</summary>
    /// <param name="counts">The count per arm; at least two arms and one unit.</param>
    /// <param name="weights">The intended share per arm (any positive scale); an equal split when empty.</param>
    /// <param name="threshold">The p-value below which the split is a mismatch. Default 0.001.</param>
    /// <returns>The statistic, p-value and expected counts.</returns>
    /// <exception cref="ArgumentException">Fewer than two arms, a negative count, no units at all, weights that are not positive, or weights of another length.</exception>
    public static SampleRatioResult Check(ReadOnlySpan<long> counts, ReadOnlySpan<double> weights = default, double threshold = DefaultThreshold)
    {
        if (counts.Length < 2)
        {
            throw new ArgumentException($"A sample-ratio check needs at least two arms; got {counts.Length}.", nameof(counts));
        }

        if (!weights.IsEmpty && weights.Length != counts.Length)
        {
            throw new ArgumentException($"{counts.Length} arms but {weights.Length} weights.", nameof(weights));
        }

        if (!(threshold > 0 && threshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold lies in (0, 1).");
        }

        double total = 0, weightSum = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 0)
            {
                throw new ArgumentException($"Arm {i} has a negative count ({counts[i]}).", nameof(counts));
            }

            var w = weights.IsEmpty ? 1 : weights[i];
            if (!(w > 0) || !double.IsFinite(w))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Arm {i} has weight {w}; every intended share must be positive."), nameof(weights));
            }

            total += counts[i];
            weightSum += w;
        }

        if (total == 0)
        {
            throw new ArgumentException("No arm has any unit: there is no split to check.", nameof(counts));
        }

        var expected = new double[counts.Length];
        var terms = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            expected[i] = (weights.IsEmpty ? 1 : weights[i]) / weightSum * total;
            var d = counts[i] - expected[i];
            terms[i] = d * d / expected[i];
        }

        var statistic = Internal.PairwiseSum.Sum(terms);
        return new SampleRatioResult(statistic, TwoSampleTests.ChiSquaredSf(statistic, counts.Length - 1), threshold, expected);
    }
}
