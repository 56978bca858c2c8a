using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MLSystemDesign.Business.Internal;
using MLSystemDesign.Experiments;
using MLSystemDesign.Monitoring.Performance;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Business;

/// <summary>Options of <see cref="ThresholdOptimizer.Optimize"/>.</summary>
public sealed class ThresholdOptions
{
    /// <summary>Gets or sets the value per unit of each record's quantity, per cell; none by default.</summary>
    public ConfusionValueMatrix? PerUnit { get; set; }

    /// <summary>Gets or sets the bootstrap resamples for the chosen threshold's interval. Default 2,000; 1 to 1,000,000.</summary>
    [Range(1, 1_000_000)]
    public int Resamples { get; set; } = 2000;

    /// <summary>Gets or sets the interval's confidence level. Default 0.95; between 0 and 1, exclusive.</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double Confidence { get; set; } = 0.95;

    /// <summary>Gets or sets how the interval is read off the bootstrap distribution. Default BCa (percentile when BCa is degenerate).</summary>
    [EnumDataType(typeof(BootstrapMethod))]
    public BootstrapMethod Method { get; set; } = BootstrapMethod.BCa;

    /// <summary>Gets or sets the bootstrap's seed. Default 0.</summary>
    public ulong Seed { get; set; }
}

/// <summary>Validates <see cref="ThresholdOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class ThresholdOptionsValidator : IValidateOptions<ThresholdOptions>;

/// <summary>The decision threshold that maximises business value, and what it is worth.</summary>
/// <param name="Threshold">The threshold: a record is positive when its score is at least this. Above every score when flagging nothing is best.</param>
/// <param name="ValuePerRecord">The value per record at the threshold (realized with labels, expected without).</param>
/// <param name="Total">The total value of the batch at the threshold.</param>
/// <param name="Count">The number of records.</param>
/// <param name="Estimated">Whether the values are expected from probabilities (no labels) rather than realized.</param>
/// <param name="Candidates">The number of thresholds compared: every distinct score, plus "flag nothing".</param>
/// <param name="PositiveShare">The share of records flagged positive at the threshold.</param>
/// <param name="ValueAtBatchThreshold">The value per record at the batch's own threshold (0.5 by default), for comparison.</param>
/// <param name="Interval">The bootstrap interval of the value per record at the chosen threshold (records resampled, the threshold held fixed).</param>
public sealed record ThresholdChoice(double Threshold, double ValuePerRecord, double Total, long Count, bool Estimated, int Candidates, double PositiveShare, double ValueAtBatchThreshold, BootstrapInterval Interval)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"threshold {Threshold:G6}: {(Estimated ? "expected" : "realized")} {ValuePerRecord:G6} per record [{Interval.Low:G6}, {Interval.High:G6}] over {Count} records ({PositiveShare:P1} flagged; {ValueAtBatchThreshold:G6} at the default threshold)");
}

/// <summary>
/// Finds the binary decision threshold that maximises business value, exactly: every distinct score is a candidate
/// (a record is positive when its score reaches it), and one sweep down the sorted scores updates the confusion matrix
/// record by record, so n records cost one sort and n steps (scikit-learn's <c>TunedThresholdClassifierCV</c> interpolates
/// a grid of 100 instead). With labels the value is realized; without, it is expected from calibrated probabilities as
/// CBPE expects the confusion matrix. Ties go to the highest threshold (fewest records flagged).
/// </summary>
public static class ThresholdOptimizer
{
    /// <summary>Optimises the threshold for a value matrix.</summary>
    /// <param name="values">The binary value matrix ([[TN, FP], [FN, TP]]).</param>
    /// <param name="batch">Scores, and labels (realized value) or calibrated probabilities (expected value; the scores themselves when empty), and quantities when per-unit values are given.</param>
    /// <param name="options">Per-unit values and the bootstrap; defaults when omitted.</param>
    /// <returns>The best threshold with its value and interval.</returns>
    /// <exception cref="ArgumentException">A multiclass matrix, an empty batch, or lengths and values that do not fit (the message names the row).</exception>
    public static ThresholdChoice Optimize(ConfusionValueMatrix values, BusinessBatch batch, ThresholdOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        options = OptionsValidation.ThrowIfInvalid<ThresholdOptions, ThresholdOptionsValidator>(options ?? new ThresholdOptions());
        if (values.ClassCount != 2)
        {
            throw new ArgumentException($"Threshold optimisation is for binary classifiers; the matrix has {values.ClassCount} classes.", nameof(values));
        }

        var model = new BinaryValueModel(values, options.PerUnit);
        var realized = !batch.Labels.IsEmpty;
        var (scores, p, q) = BinaryValueModel.Prepare(batch, realized, options.PerUnit is not null, "threshold optimisation");
        var n = scores.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = (double[])scores.Clone();
        Array.Sort(keys, order);
        var all = ExpectedConfusion.Of(p, scores, double.NegativeInfinity, q).PredictedPositive;

        // Sweep thresholds from above every score (nothing flagged) down to the smallest score (everything flagged).
        ConfusionSide flagged = default;
        var bestThreshold = Math.BitIncrement(keys[n - 1]);
        var bestValue = model.Total(new ExpectedConfusion(flagged, all));
        double bestFlagged = 0;
        var candidates = 1;
        for (var end = n - 1; end >= 0;)
        {
            var score = keys[end];
            while (end >= 0 && keys[end] == score)
            {
                var row = order[end];
                flagged.Add(p[row], q.Length == 0 ? 0 : q[row]);
                end--;
            }

            candidates++;
            var value = model.Total(new ExpectedConfusion(flagged, all.Minus(flagged)));
            if (value > bestValue)
            {
                (bestValue, bestThreshold, bestFlagged) = (value, score, flagged.Rows);
            }
        }

        var perRecord = new double[n];
        for (var i = 0; i < n; i++)
        {
            var positive = scores[i] >= bestThreshold;
            var quantity = q.Length == 0 ? 0 : q[i];
            perRecord[i] = realized ? model.RecordValue((int)p[i], positive ? 1 : 0, quantity) : model.RecordExpectation(p[i], positive, quantity);
        }

        var interval = Bootstrap.Mean(perRecord, options.Resamples, options.Confidence, options.Method, options.Seed);
        var atBatch = model.Total(ExpectedConfusion.Of(p, scores, batch.Threshold, q)) / n;
        return new ThresholdChoice(bestThreshold, bestValue / n, bestValue, n, !realized, candidates, bestFlagged / n, atBatch, interval);
    }
}
