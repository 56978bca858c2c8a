using System.Globalization;

namespace MLSystemDesign.Evaluation;

/// <summary>
/// Metric computations on labels and predictions, independent of any model. Definitions match scikit-learn's
/// (<c>roc_auc_score</c>, <c>log_loss</c>, <c>precision_recall_fscore_support</c>, <c>r2_score</c>), which the tests use as the oracle.
/// </summary>
public static class MetricCalculator
{
    /// <summary>The probability clip of the log-loss.</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>Computes the binary metrics: AUC, log-loss, and accuracy, precision, recall and F1 with a row positive when its probability is at least <paramref name="threshold"/>.</summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="probabilities">The predicted probability of class 1 per row.</param>
    /// <param name="threshold">The decision threshold. Default 0.5.</param>
    /// <returns>The metrics by name.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, or hold a label that is not 0/1 or a probability outside [0, 1].</exception>
    public static Dictionary<string, double> Binary(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, double threshold = 0.5)
    {
        Check(labels.Length, probabilities.Length);
        long tp = 0, fp = 0, tn = 0, fn = 0;
        double logLoss = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var y = labels[i];
            var p = probabilities[i];
            if (y is not (0f or 1f))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: the label {y} is not 0 or 1."), nameof(labels));
            }

            if (!(p >= 0f && p <= 1f))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: the probability {p} is not in [0, 1]."), nameof(probabilities));
            }

            var positive = p >= threshold;
            if (y == 1f)
            {
                if (positive)
                {
                    tp++;
                }
                else
                {
                    fn++;
                }
            }
            else if (positive)
            {
                fp++;
            }
            else
            {
                tn++;
            }

            var pc = Math.Clamp((double)p, LogLossEpsilon, 1 - LogLossEpsilon);
            logLoss -= y == 1f ? Math.Log(pc) : Math.Log(1 - pc);
        }

        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        return new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
        {
            [MetricNames.Auc] = Auc(labels, probabilities),
            [MetricNames.LogLoss] = logLoss / labels.Length,
            [MetricNames.Accuracy] = (double)(tp + tn) / labels.Length,
            [MetricNames.Precision] = precision,
            [MetricNames.Recall] = recall,
            [MetricNames.F1] = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
        };
    }

    /// <summary>
    /// Computes the area under the ROC curve by ranks (Mann–Whitney U): tied scores share their average rank, so a tie
    /// between a positive and a negative counts one half. NaN when only one class is present.
    /// </summary>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="scores">Scores or probabilities; larger means more likely positive.</param>
    /// <returns>The AUC in [0, 1], or NaN.</returns>
    public static double Auc(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores)
    {
        Check(labels.Length, scores.Length);
        var order = new int[labels.Length];
        var keys = scores.ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        double rankSumPositive = 0;
        long positives = 0;
        var start = 0;
        while (start < keys.Length)
        {
            var end = start;
            while (end + 1 < keys.Length && keys[end + 1] == keys[start])
            {
                end++;
            }

            var averageRank = (start + end + 2) / 2.0; // ranks are 1-based
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]] == 1f)
                {
                    rankSumPositive += averageRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        var negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSumPositive - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>Computes the multiclass metrics: accuracy, macro-F1 and log-loss, predicting the class of largest probability (lowest index on ties).</summary>
    /// <param name="labels">Class indices.</param>
    /// <param name="probabilities">Row-major probabilities, <paramref name="classCount"/> per row; each row is normalised to sum 1 for the log-loss.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <returns>The metrics by name.</returns>
    public static Dictionary<string, double> Multiclass(ReadOnlySpan<float> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        Check(labels.Length, probabilities.Length / classCount);
        if (probabilities.Length != labels.Length * classCount)
        {
            throw new ArgumentException($"{labels.Length} rows of {classCount} classes need {labels.Length * classCount} probabilities; {probabilities.Length} were given.", nameof(probabilities));
        }

        var tp = new long[classCount];
        var predicted = new long[classCount];
        var actual = new long[classCount];
        long correct = 0;
        double logLoss = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var y = labels[i];
            if (y < 0 || y >= classCount || y != MathF.Floor(y))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: the label {y} is not a class index below {classCount}."), nameof(labels));
            }

            var row = probabilities.Slice(i * classCount, classCount);
            var best = 0;
            double sum = 0;
            for (var c = 0; c < classCount; c++)
            {
                sum += row[c];
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            var label = (int)y;
            actual[label]++;
            predicted[best]++;
            if (best == label)
            {
                tp[label]++;
                correct++;
            }

            var p = sum > 0 ? row[label] / sum : 0;
            logLoss -= Math.Log(Math.Clamp(p, LogLossEpsilon, 1 - LogLossEpsilon));
        }

        double f1Sum = 0;
        var present = 0;
        for (var c = 0; c < classCount; c++)
        {
            if (actual[c] == 0 && predicted[c] == 0)
            {
                continue;
            }

            present++;
            var precision = predicted[c] == 0 ? 0 : (double)tp[c] / predicted[c];
            var recall = actual[c] == 0 ? 0 : (double)tp[c] / actual[c];
            f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }

        return new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
        {
            [MetricNames.Accuracy] = (double)correct / labels.Length,
            [MetricNames.MacroF1] = present == 0 ? 0 : f1Sum / present,
            [MetricNames.LogLoss] = logLoss / labels.Length,
        };
    }

    /// <summary>Computes the regression metrics: RMSE, MAE and R².</summary>
    /// <param name="labels">The targets.</param>
    /// <param name="predictions">The predictions.</param>
    /// <returns>The metrics by name.</returns>
    public static Dictionary<string, double> Regression(ReadOnlySpan<float> labels, ReadOnlySpan<float> predictions)
    {
        Check(labels.Length, predictions.Length);
        double mean = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            mean += labels[i];
        }

        mean /= labels.Length;
        double sse = 0, sae = 0, sst = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var e = (double)labels[i] - predictions[i];
            sse += e * e;
            sae += Math.Abs(e);
            var d = labels[i] - mean;
            sst += d * d;
        }

        var r2 = sst > 0 ? 1 - (sse / sst) : sse == 0 ? 1 : 0;
        return new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
        {
            [MetricNames.Rmse] = Math.Sqrt(sse / labels.Length),
            [MetricNames.Mae] = sae / labels.Length,
            [MetricNames.R2] = r2,
        };
    }

    private static void Check(int labels, int predictions)
    {
        if (labels == 0)
        {
            throw new ArgumentException("Metrics need at least one row.", nameof(labels));
        }

        if (labels != predictions)
        {
            throw new ArgumentException($"{labels} labels but {predictions} predictions.", nameof(predictions));
        }
    }
}
