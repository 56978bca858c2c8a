using MLSystemDesign.Evaluation;
using MLSystemDesign.Monitoring;
using MLSystemDesign.Monitoring.Performance;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>CBPE, calibration and reference bands.</summary>
public sealed class PerformanceEstimationTests
{
    [Fact]
    public void Estimate_CalibratedProbabilities_MatchRealizedMetrics()
    {
        var (probabilities, labels) = Draw(40_000, seed: 1, skew: 1.0);
        var estimated = ConfidenceBasedPerformance.Estimate(probabilities.Select(p => (double)p).ToArray());
        var realized = MetricCalculator.Binary(labels, probabilities);
        foreach (var metric in PerformanceReference.Metrics)
        {
            Assert.True(Math.Abs(estimated[metric] - realized[metric]) < 0.015, $"{metric}: estimated {estimated[metric]:0.0000}, realized {realized[metric]:0.0000}.");
        }
    }

    [Fact]
    public void Reference_MiscalibratedModel_IsCalibratedBeforeEstimation()
    {
        // The model squashes its probabilities towards 0.5: uncalibrated CBPE is badly off; after isotonic calibration it is close.
        var (truth, labels) = Draw(60_000, seed: 2, skew: 1.0);
        var reported = truth.Select(p => (float)(0.5 + (p - 0.5) * 0.3)).ToArray();
        var reference = PerformanceReference.Create(reported.AsSpan(0, 30_000), labels.AsSpan(0, 30_000), chunkSize: 3000);
        var realized = MetricCalculator.Binary(labels.AsSpan(30_000), reported.AsSpan(30_000));
        var calibrated = reference.Estimate(reported.AsSpan(30_000));
        var raw = ConfidenceBasedPerformance.Estimate(reported.AsSpan(30_000).ToArray().Select(p => (double)p).ToArray());
        var message = $"realized {realized[MetricNames.Accuracy]:0.0000}, calibrated CBPE {calibrated[MetricNames.Accuracy]:0.0000}, raw {raw[MetricNames.Accuracy]:0.0000}";
        Assert.True(Math.Abs(calibrated[MetricNames.Accuracy] - realized[MetricNames.Accuracy]) < 0.015, message);
        Assert.True(Math.Abs(raw[MetricNames.Accuracy] - realized[MetricNames.Accuracy]) > 0.05, message);
        Assert.True(reference.IsCalibrated);
        Assert.Empty(reference.OutsideBands(realized));
    }

    [Fact]
    public void Isotonic_IsMonotoneAndClipped()
    {
        float[] scores = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f];
        float[] labels = [0, 1, 0, 0, 1, 1];
        var calibration = IsotonicCalibration.Fit(scores, labels);
        var previous = -1.0;
        for (var s = 0.0; s <= 1.0; s += 0.01)
        {
            var p = calibration.Apply(s);
            Assert.InRange(p, 0, 1);
            Assert.True(p >= previous);
            previous = p;
        }

        Assert.Equal(0, calibration.Apply(0.0));
        Assert.Equal(1, calibration.Apply(1.0));
        Assert.Equal(1.0 / 3, calibration.Apply(0.3), 12); // the pooled block 0.2–0.4 holds one positive in three
    }

    [Fact]
    public void Band_IsMeanPlusMinusThreeSigma_Clipped()
    {
        var band = ReferenceBand.FromChunks([0.80, 0.82, 0.84, 0.86]);
        var sd = Math.Sqrt((0.03 * 0.03 + 0.01 * 0.01 + 0.01 * 0.01 + 0.03 * 0.03) / 4);
        Assert.Equal(0.83, band.Mean, 12);
        Assert.Equal(sd, band.StandardDeviation, 12);
        Assert.Equal(0.83 - 3 * sd, band.Lower, 12);
        Assert.Equal(Math.Min(1, 0.83 + 3 * sd), band.Upper, 12);
        Assert.Equal(1.0, ReferenceBand.FromChunks([0.99, 0.999, 0.95]).Upper);
        Assert.False(band.Contains(double.NaN));
        Assert.Throws<ArgumentException>(() => ReferenceBand.FromChunks([0.5]));
    }

    [Fact]
    public void Reference_TooFewRowsOrBadInput_Throws()
    {
        Assert.Contains("two chunks", Assert.Throws<ArgumentException>(() => PerformanceReference.Create(new float[100], new float[100], chunkSize: 60)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PerformanceReference.Create(new float[100], new float[99], chunkSize: 10));
        Assert.Throws<ArgumentException>(() => ConfidenceBasedPerformance.Estimate([0.5, 1.5]));
        Assert.Throws<ArgumentException>(() => ConfidenceBasedPerformance.Estimate([]));
    }

    /// <summary>Probabilities from a Beta-like shape and labels drawn from them (so they are calibrated).</summary>
    internal static (float[] Probabilities, float[] Labels) Draw(int n, int seed, double skew)
    {
        var random = new Random(seed);
        var p = new float[n];
        var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            var u = random.NextDouble();
            p[i] = (float)Math.Pow(u, 2.5 * skew);
            y[i] = random.NextDouble() < p[i] ? 1 : 0;
        }

        return (p, y);
    }
}
