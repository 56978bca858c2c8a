using System.Globalization;
using MLSystemDesign.Experiments.Internal;

namespace MLSystemDesign.Experiments;

/// <summary>
/// The count, mean and sum of squared deviations of one arm's values: what the mean-based tests need. From a span it
/// is computed as numpy does (pairwise sums, mean first, then the squared deviations), so statistics agree with SciPy
/// bit for bit on the same values; summaries of parts merge exactly in exact arithmetic (Chan et al.).
/// </summary>
public readonly record struct SampleSummary
{
    /// <summary>Creates a summary from its moments.</summary>
    /// <param name="count">The number of values.</param>
    /// <param name="mean">Their mean.</param>
    /// <param name="sumOfSquaredDeviations">Σ (x − mean)².</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative count or sum of squares, or a moment that is not finite.</exception>
    public SampleSummary(long count, double mean, double sumOfSquaredDeviations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > 0 && (!double.IsFinite(mean) || !double.IsFinite(sumOfSquaredDeviations) || sumOfSquaredDeviations < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), string.Create(CultureInfo.InvariantCulture, $"A summary needs a finite mean and a finite, non-negative sum of squares; got {mean} and {sumOfSquaredDeviations}."));
        }

        Count = count;
        Mean = count == 0 ? double.NaN : mean;
        SumOfSquaredDeviations = count == 0 ? 0 : sumOfSquaredDeviations;
    }

    /// <summary>Gets the number of values.</summary>
    public long Count { get; }

    /// <summary>Gets the mean (NaN when empty).</summary>
    public double Mean { get; }

    /// <summary>Gets Σ (x − mean)².</summary>
    public double SumOfSquaredDeviations { get; }

    /// <summary>Gets the sample variance (divisor n − 1), as SciPy computes it: (Σ (x − mean)² / n) · n / (n − 1). NaN below two values.</summary>
    public double Variance => Count < 2 ? double.NaN : SumOfSquaredDeviations / Count * ((double)Count / (Count - 1));

    /// <summary>Gets the sample standard deviation.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>Gets the standard error of the mean, √(variance / n).</summary>
    public double StandardError => Math.Sqrt(Variance / Count);

    /// <summary>Summarises values: mean = Σx / n, then Σ (x − mean)², both summed pairwise as numpy does.</summary>
    /// <param name="values">The values; every one finite.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentException">A value is NaN or infinite; the message gives its index.</exception>
    public static SampleSummary Of(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return default;
        }

        var mean = PairwiseSum.Sum(values) / values.Length;
        if (!double.IsFinite(mean))
        {
            ThrowNotFinite(values);
        }

        var m2 = PairwiseSum.Sum(values, new SquaredDeviation(mean));
        if (!double.IsFinite(m2))
        {
            ThrowNotFinite(values);
        }

        return new SampleSummary(values.Length, mean, m2);
    }

    /// <summary>Summarises 0/1 outcomes given as counts: the mean is the success rate, Σ (x − mean)² = n·p·(1 − p).</summary>
    /// <param name="counts">The counts.</param>
    /// <returns>The summary.</returns>
    public static SampleSummary Of(ProportionCounts counts)
    {
        if (counts.Count == 0)
        {
            return default;
        }

        var p = counts.Rate;
        return new SampleSummary(counts.Count, p, counts.Successes * (1 - p) * (1 - p) + (counts.Count - counts.Successes) * p * p);
    }

    /// <summary>Combines two summaries as if their values had been summarised together (Chan, Golub and LeVeque).</summary>
    /// <param name="other">The other summary.</param>
    /// <returns>The combined summary.</returns>
    public SampleSummary Merge(SampleSummary other)
    {
        if (other.Count == 0)
        {
            return this;
        }

        if (Count == 0)
        {
            return other;
        }

        var n = Count + other.Count;
        var delta = other.Mean - Mean;
        var mean = Mean + delta * other.Count / n;
        var m2 = SumOfSquaredDeviations + other.SumOfSquaredDeviations + delta * delta * ((double)Count * other.Count / n);
        return new SampleSummary(n, mean, m2);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"n={Count}, mean={Mean:G6}, sd={StandardDeviation:G6}");

    private static void ThrowNotFinite(ReadOnlySpan<double> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Value {i} is {values[i]}; every value must be finite."), nameof(values));
            }
        }

        throw new ArgumentException("The values' sum overflows a double.", nameof(values));
    }
}

/// <summary>Successes out of trials, for the tests on proportions.</summary>
public readonly record struct ProportionCounts
{
    /// <summary>Creates counts.</summary>
    /// <param name="successes">The number of successes.</param>
    /// <param name="count">The number of trials.</param>
    /// <exception cref="ArgumentOutOfRangeException">Negative counts, or more successes than trials.</exception>
    public ProportionCounts(long successes, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (successes > count)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"{successes} successes out of {count} trials: there cannot be more successes than trials.");
        }

        Successes = successes;
        Count = count;
    }

    /// <summary>Gets the number of successes.</summary>
    public long Successes { get; }

    /// <summary>Gets the number of trials.</summary>
    public long Count { get; }

    /// <summary>Gets the success rate (NaN with no trials).</summary>
    public double Rate => Count == 0 ? double.NaN : (double)Successes / Count;
}
