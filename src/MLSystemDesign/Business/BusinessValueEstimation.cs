using System.Globalization;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Business;

/// <summary>Expected business value of a live window, from the calibration the monitor's performance reference learnt (CBPE).</summary>
public static class BusinessValueEstimation
{
    /// <summary>
    /// Estimates what a window of predictions is worth before its outcomes arrive: the model's probabilities decide
    /// (at the reference's threshold), the reference's isotonic calibration gives the chance each outcome is positive,
    /// and the mapper turns that expected confusion matrix into value with its interval.
    /// </summary>
    /// <param name="reference">The performance reference (from the model's reference profile).</param>
    /// <param name="mapper">A binary mapper.</param>
    /// <param name="probabilities">The model's probabilities of class 1 for the window.</param>
    /// <param name="quantities">Each record's quantity, for per-unit values; empty when the mapper needs none.</param>
    /// <param name="confidence">The interval's confidence level. Default 0.95.</param>
    /// <returns>The expected value.</returns>
    public static BusinessValue EstimateValue(this PerformanceReference reference, IBusinessMetricMapper mapper, ReadOnlySpan<float> probabilities, ReadOnlySpan<double> quantities = default, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(mapper);
        var calibrated = new float[probabilities.Length];
        for (var i = 0; i < calibrated.Length; i++)
        {
            calibrated[i] = (float)reference.Calibrate(probabilities[i]);
        }

        var expected = mapper.Expected(new BusinessBatch { Predictions = probabilities, Probabilities = calibrated, Quantities = quantities, Threshold = reference.Threshold }, confidence);
        if (reference.PrevalenceDrift == 0 || !double.IsFinite(expected.StandardError))
        {
            return expected;
        }

        // A shift δ of the positive rate moves a value that is linear in the outcomes by δ · Σ (value if positive − value
        // if negative), which is the expected value with every probability 1 minus the one with every probability 0.
        var ones = new float[probabilities.Length];
        Array.Fill(ones, 1f);
        var allPositive = mapper.Expected(new BusinessBatch { Predictions = probabilities, Probabilities = ones, Quantities = quantities, Threshold = reference.Threshold }, confidence);
        var allNegative = mapper.Expected(new BusinessBatch { Predictions = probabilities, Probabilities = new float[probabilities.Length], Quantities = quantities, Threshold = reference.Threshold }, confidence);
        var drift = reference.PrevalenceDrift * (allPositive.Total - allNegative.Total);
        var se = Math.Sqrt(expected.StandardError * expected.StandardError + drift * drift);
        var z = -Experiments.Internal.Distributions.NormalQuantile((1 - confidence) / 2);
        return expected with
        {
            StandardError = se,
            Lower = expected.Total - z * se,
            Upper = expected.Total + z * se,
            Explanation = string.Create(CultureInfo.InvariantCulture, $"{expected.Explanation}; the interval also carries the reference's prevalence drift (the positive rate wandered by {reference.PrevalenceDrift:G3} between its chunks beyond label noise), worth {drift:G4} {mapper.Unit}"),
        };
    }
}
