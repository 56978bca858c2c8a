using MLSystemDesign.Evaluation;
using MLSystemDesign.Monitoring.Performance;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// Confidence-based performance estimation (NannyML's CBPE) for a binary classifier: with calibrated probabilities,
/// the expected confusion matrix of a chunk follows from the probabilities alone, so accuracy, precision, recall, F1 and
/// ROC AUC can be estimated before any label arrives.
/// </summary>
public static class ConfidenceBasedPerformance
{
    /// <summary>
    /// Estimates the metrics of one chunk: expected TP = Σ p over predicted positives, FP = Σ (1 − p) over predicted
    /// positives, FN = Σ p over predicted negatives, TN = Σ (1 − p) over predicted negatives; ROC AUC as the area under
    /// the expected ROC curve (expected TP and FP counts at every score threshold). Here the probabilities are also the scores.
    /// </summary>
    /// <param name="probabilities">The calibrated probabilities of the positive class, in [0, 1].</param>
    /// <param name="threshold">The decision threshold (predicted positive when p ≥ threshold). Default 0.5.</param>
    /// <returns>The estimated metrics, named as <see cref="MetricNames"/>.</returns>
    /// <exception cref="ArgumentException">The chunk is empty or a probability lies outside [0, 1].</exception>
    public static IReadOnlyDictionary<string, double> Estimate(ReadOnlySpan<double> probabilities, double threshold = 0.5) =>
        Estimate(probabilities, probabilities, threshold);

    /// <summary>
    /// Estimates the metrics of one chunk when the model's decisions come from its own scores and the chance that a
    /// label is positive from calibrated probabilities (what CBPE does after calibration): a row is predicted positive
    /// when its score reaches the threshold, and counts as p true positives and 1 − p false positives.
    /// </summary>
    /// <param name="probabilities">The calibrated probabilities of the positive class, in [0, 1].</param>
    /// <param name="scores">The model's own scores, one per probability; they decide the prediction and the ranking.</param>
    /// <param name="threshold">The decision threshold on the scores.</param>
    /// <returns>The estimated metrics, named as <see cref="MetricNames"/>.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, or a probability lies outside [0, 1].</exception>
    public static IReadOnlyDictionary<string, double> Estimate(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> scores, double threshold)
    {
        var confusion = ExpectedConfusion.Of(probabilities, scores, threshold);
        var tp = confusion.PredictedPositive.Positives;
        var fp = confusion.PredictedPositive.Negatives;
        var fn = confusion.PredictedNegative.Positives;
        var tn = confusion.PredictedNegative.Negatives;
        var precision = tp + fp == 0 ? 0 : tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : tp / (tp + fn);
        return new Dictionary<string, double>
        {
            [MetricNames.Accuracy] = (tp + tn) / probabilities.Length,
            [MetricNames.Precision] = precision,
            [MetricNames.Recall] = recall,
            [MetricNames.F1] = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            [MetricNames.Auc] = ExpectedRocAuc(probabilities, scores),
        };
    }

    /// <summary>
    /// The area under the expected ROC curve: scores sorted descending, at each distinct score the expected true
    /// positives Σ p and false positives Σ (1 − p) above it, normalised by their totals, joined by trapezoids.
    /// NaN when every probability is 0 or every probability is 1.
    /// </summary>
    private static double ExpectedRocAuc(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> scores)
    {
        var order = scores.ToArray();
        var p = probabilities.ToArray();
        Array.Sort(order, p);
        double totalPositive = 0, totalNegative = 0;
        foreach (var v in p)
        {
            totalPositive += v;
            totalNegative += 1 - v;
        }

        if (totalPositive == 0 || totalNegative == 0)
        {
            return double.NaN;
        }

        double tp = 0, fp = 0, area = 0, lastTpr = 0, lastFpr = 0;
        for (var i = order.Length - 1; i >= 0;)
        {
            var score = order[i];
            while (i >= 0 && order[i] == score)
            {
                tp += p[i];
                fp += 1 - p[i];
                i--;
            }

            var tpr = tp / totalPositive;
            var fpr = fp / totalNegative;
            area += (fpr - lastFpr) * (tpr + lastTpr) / 2;
            (lastTpr, lastFpr) = (tpr, fpr);
        }

        return area;
    }
}

/// <summary>
/// The band a metric is expected to stay in, from its values over reference chunks: mean ± k·σ (NannyML's rule, k = 3,
/// σ the population standard deviation), clipped to the metric's range. A value outside the band is a decay alert.
/// </summary>
/// <param name="Mean">The mean over reference chunks.</param>
/// <param name="StandardDeviation">The population standard deviation over reference chunks.</param>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
public sealed record ReferenceBand(double Mean, double StandardDeviation, double Lower, double Upper)
{
    /// <summary>Computes the band from per-chunk values.</summary>
    /// <param name="chunkValues">The metric on each reference chunk; NaN values are ignored.</param>
    /// <param name="multiplier">k in mean ± k·σ. Default 3.</param>
    /// <param name="minimum">The metric's smallest possible value. Default 0.</param>
    /// <param name="maximum">The metric's largest possible value. Default 1.</param>
    /// <returns>The band.</returns>
    /// <exception cref="ArgumentException">Fewer than two finite chunk values.</exception>
    public static ReferenceBand FromChunks(IEnumerable<double> chunkValues, double multiplier = 3, double minimum = 0, double maximum = 1)
    {
        ArgumentNullException.ThrowIfNull(chunkValues);
        ArgumentOutOfRangeException.ThrowIfNegative(multiplier);
        var values = chunkValues.Where(double.IsFinite).ToArray();
        if (values.Length < 2)
        {
            throw new ArgumentException($"A reference band needs at least two chunks with a finite value; got {values.Length}.", nameof(chunkValues));
        }

        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        return new ReferenceBand(mean, sd, Math.Max(minimum, mean - multiplier * sd), Math.Min(maximum, mean + multiplier * sd));
    }

    /// <summary>Gets whether a value lies inside the band (bounds included); NaN is outside.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Whether it lies inside.</returns>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
