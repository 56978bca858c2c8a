using System.Globalization;
using MLSystemDesign.Experiments.Internal;
using MLSystemDesign.Monitoring.Profiles;
using MLSystemDesign.Monitoring.Statistics;

namespace MLSystemDesign.Experiments;

/// <summary>How a bootstrap confidence interval is read off the bootstrap distribution.</summary>
public enum BootstrapMethod
{
    /// <summary>The α/2 and 1 − α/2 percentiles of the bootstrap distribution.</summary>
    Percentile,

    /// <summary>Bias-corrected and accelerated (Efron and Tibshirani, 14.3 and 15.4): percentiles shifted by the bias z₀ and the jackknife acceleration a.</summary>
    BCa,
}

/// <summary>A bootstrap confidence interval.</summary>
/// <param name="Estimate">The statistic on the data.</param>
/// <param name="Low">The lower bound.</param>
/// <param name="High">The upper bound.</param>
/// <param name="Confidence">The confidence level.</param>
/// <param name="Method">The method the bounds come from: the one asked for, or <see cref="BootstrapMethod.Percentile"/> after a fall-back.</param>
/// <param name="StandardError">The standard deviation of the bootstrap distribution (divisor B − 1).</param>
/// <param name="Resamples">The number of resamples.</param>
/// <param name="FallbackReason">Why BCa could not be used, when the interval fell back to percentiles; otherwise <see langword="null"/>.</param>
public sealed record BootstrapInterval(double Estimate, double Low, double High, double Confidence, BootstrapMethod Method, double StandardError, int Resamples, string? FallbackReason);

/// <summary>
/// Bootstrap confidence intervals for a mean and for a difference in means (each arm resampled on its own), as SciPy's
/// <c>scipy.stats.bootstrap</c> computes them from the bootstrap distribution: percentile, or BCa with its jackknife
/// acceleration. Where SciPy returns NaN for BCa (a degenerate distribution: constant data, every resample equal;
/// SciPy #14351), this falls back to the percentile interval and says so. Resamples come from a seeded generator, so
/// the same seed gives the same interval.
/// </summary>
public static class Bootstrap
{
    /// <summary>The default number of resamples: 9,999, as SciPy.</summary>
    public const int DefaultResamples = 9999;

    /// <summary>The interval of the mean of one sample.</summary>
    /// <param name="values">The values; at least one, all finite.</param>
    /// <param name="resamples">The number of resamples. Default 9,999.</param>
    /// <param name="confidence">The confidence level. Default 0.95.</param>
    /// <param name="method">The method. Default BCa.</param>
    /// <param name="seed">The resampling seed. Default 0.</param>
    /// <returns>The interval.</returns>
    /// <exception cref="ArgumentException">No values, a value that is not finite, fewer than one resample, or a confidence outside (0, 1).</exception>
    public static BootstrapInterval Mean(ReadOnlySpan<double> values, int resamples = DefaultResamples, double confidence = 0.95, BootstrapMethod method = BootstrapMethod.BCa, ulong seed = 0)
    {
        Check(values, "values", resamples, confidence);
        var data = values.ToArray();
        var rng = new SplitMix64(seed);
        var distribution = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            distribution[b] = ResampledMean(data, ref rng);
        }

        var estimate = SequentialMean(data);
        return Interval(estimate, distribution, [Jackknife(data, 0)], confidence, method);
    }

    /// <summary>The interval of mean(treatment) − mean(control), each arm resampled independently (SciPy's <c>paired=False</c>).</summary>
    /// <param name="treatment">The treatment's values; at least one, all finite.</param>
    /// <param name="control">The control's values; at least one, all finite.</param>
    /// <param name="resamples">The number of resamples. Default 9,999.</param>
    /// <param name="confidence">The confidence level. Default 0.95.</param>
    /// <param name="method">The method. Default BCa.</param>
    /// <param name="seed">The resampling seed. Default 0.</param>
    /// <returns>The interval.</returns>
    /// <exception cref="ArgumentException">An empty arm, a value that is not finite, fewer than one resample, or a confidence outside (0, 1).</exception>
    public static BootstrapInterval MeanDifference(ReadOnlySpan<double> treatment, ReadOnlySpan<double> control, int resamples = DefaultResamples, double confidence = 0.95, BootstrapMethod method = BootstrapMethod.BCa, ulong seed = 0)
    {
        Check(treatment, "treatment", resamples, confidence);
        Check(control, "control", resamples, confidence);
        var x = treatment.ToArray();
        var y = control.ToArray();
        var rng = new SplitMix64(seed);
        var distribution = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var mx = ResampledMean(x, ref rng);
            distribution[b] = mx - ResampledMean(y, ref rng);
        }

        double meanX = SequentialMean(x), meanY = SequentialMean(y);
        return Interval(meanX - meanY, distribution, [Jackknife(x, -meanY), Negate(Jackknife(y, -meanX))], confidence, method);
    }

    /// <summary>Reads the interval off a bootstrap distribution, given the statistic's jackknife values per sample (for BCa).</summary>
    internal static BootstrapInterval Interval(double estimate, double[] distribution, double[][] jackknife, double confidence, BootstrapMethod method)
    {
        var alpha = (1 - confidence) / 2;
        var sorted = (double[])distribution.Clone();
        Array.Sort(sorted);
        var meanB = PairwiseSum.Sum(distribution) / distribution.Length;
        var se = distribution.Length < 2 ? double.NaN : Math.Sqrt(PairwiseSum.Sum(distribution, new SquaredDeviation(meanB)) / (distribution.Length - 1));
        string? fallback = null;
        if (method == BootstrapMethod.BCa)
        {
            var (a1, a2, reason) = BcaLevels(estimate, distribution, jackknife, alpha);
            if (reason is null)
            {
                return new BootstrapInterval(estimate, Percentile(sorted, a1 * 100), Percentile(sorted, a2 * 100), confidence, BootstrapMethod.BCa, se, distribution.Length, null);
            }

            fallback = reason;
        }

        return new BootstrapInterval(estimate, Percentile(sorted, alpha * 100), Percentile(sorted, (1 - alpha) * 100), confidence, BootstrapMethod.Percentile, se, distribution.Length, fallback);
    }

    /// <summary>SciPy's <c>_bca_interval</c>: z₀ from the share of resamples below the estimate (ties count half), a from the jackknife.</summary>
    private static (double Low, double High, string? Reason) BcaLevels(double estimate, double[] distribution, double[][] jackknife, double alpha)
    {
        long below = 0, belowOrEqual = 0;
        foreach (var t in distribution)
        {
            below += t < estimate ? 1 : 0;
            belowOrEqual += t <= estimate ? 1 : 0;
        }

        var z0 = Distributions.NormalQuantile((below + belowOrEqual) / (2.0 * distribution.Length));
        double numerator = 0, denominator = 0;
        foreach (var thetas in jackknife)
        {
            var n = thetas.Length;
            var mean = PairwiseSum.Sum(thetas) / n;
            var u = new double[n];
            for (var i = 0; i < n; i++)
            {
                u[i] = (n - 1) * (mean - thetas[i]);
            }

            var cubes = PairwiseSum.Sum(u, default(Cube));
            var squares = PairwiseSum.Sum(u, new SquaredDeviation(0));
            numerator += cubes / ((double)n * n * n);
            denominator += squares / ((double)n * n);
        }

        var a = 1.0 / 6 * numerator / Math.Pow(denominator, 1.5);
        if (!double.IsFinite(z0))
        {
            return (double.NaN, double.NaN, string.Create(CultureInfo.InvariantCulture, $"BCa is undefined: the estimate {estimate:G6} lies {(z0 > 0 ? "above" : "below")} every resample, so the bias correction is infinite; the percentile interval is reported instead"));
        }

        if (!double.IsFinite(a))
        {
            return (double.NaN, double.NaN, "BCa is undefined: every jackknife value is equal (the data are degenerate), so the acceleration is 0/0; the percentile interval is reported instead");
        }

        var zAlpha = Distributions.NormalQuantile(alpha);
        var num1 = z0 + zAlpha;
        var low = Distributions.NormalCdf(z0 + num1 / (1 - a * num1));
        var num2 = z0 - zAlpha;
        var high = Distributions.NormalCdf(z0 + num2 / (1 - a * num2));
        return double.IsNaN(low) || double.IsNaN(high)
            ? (double.NaN, double.NaN, "BCa is undefined for this bootstrap distribution (its corrected levels are NaN); the percentile interval is reported instead")
            : (low, high, null);
    }

    /// <summary><c>np.percentile(values, q)</c> with the default linear interpolation.</summary>
    private static double Percentile(double[] sorted, double q) => TwoSampleTests.Quantile(sorted, q / 100);

    private static double ResampledMean(double[] data, ref SplitMix64 rng)
    {
        var n = data.Length;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += data[(int)(rng.NextDouble() * n)];
        }

        return sum / n;
    }

    private static double SequentialMean(double[] data)
    {
        var sum = 0.0;
        foreach (var v in data)
        {
            sum += v;
        }

        return sum / data.Length;
    }

    /// <summary>The leave-one-out means of a sample, plus a constant (the other sample's part of the statistic).</summary>
    private static double[] Jackknife(double[] data, double offset)
    {
        var n = data.Length;
        var result = new double[n];
        if (n == 1)
        {
            return result; // a single value has no leave-one-out mean; its jackknife term is 0
        }

        var sum = 0.0;
        foreach (var v in data)
        {
            sum += v;
        }

        for (var i = 0; i < n; i++)
        {
            result[i] = (sum - data[i]) / (n - 1) + offset;
        }

        return result;
    }

    private static double[] Negate(double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = -values[i];
        }

        return values;
    }

    private static void Check(ReadOnlySpan<double> values, string name, int resamples, double confidence)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException($"The bootstrap needs at least one value in {name}.", name);
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Value {i} of {name} is {values[i]}; every value must be finite."), name);
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1, nameof(resamples));
        ExperimentTests.CheckConfidence(confidence);
    }

    private readonly struct Cube : ISumTerm
    {
        public double Of(double x) => x * x * x;
    }
}
