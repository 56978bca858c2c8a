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

        return mapper.Expected(new BusinessBatch { Predictions = probabilities, Probabilities = calibrated, Quantities = quantities, Threshold = reference.Threshold }, confidence);
    }
}
