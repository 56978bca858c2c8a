using MLSystemDesign.Experiments.Internal;

namespace MLSystemDesign.Business.Internal;

/// <summary>Builds <see cref="BusinessValue"/>s with their normal confidence interval.</summary>
internal static class ValueResults
{
    public static BusinessValue Create(IBusinessMetricMapper mapper, bool estimated, long count, double total, double variance, double confidence, Dictionary<string, double> breakdown, string explanation)
    {
        Experiments.ExperimentTests.CheckConfidence(confidence);
        var se = variance >= 0 ? Math.Sqrt(variance) : double.NaN;
        var z = -Distributions.NormalQuantile((1 - confidence) / 2);
        return new BusinessValue
        {
            Mapper = mapper.Name,
            Unit = mapper.Unit,
            Estimated = estimated,
            Count = count,
            Total = total,
            StandardError = se,
            Confidence = confidence,
            Lower = total - z * se,
            Upper = total + z * se,
            Breakdown = breakdown,
            Explanation = explanation,
        };
    }

    /// <summary>The sampling variance of a realized total: n · s², s² the sample variance of the per-record values (0 for one record).</summary>
    public static double RealizedVariance(long n, double sum, double sumOfSquares)
    {
        if (n < 2)
        {
            return 0;
        }

        var mean = sum / n;
        var s2 = Math.Max(0, (sumOfSquares - n * mean * mean) / (n - 1));
        return n * s2;
    }
}
