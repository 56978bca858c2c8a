using System.Globalization;

namespace MLSystemDesign.Monitoring.Performance;

/// <summary>
/// The sums CBPE keeps for the rows on one side of the decision threshold: how many rows, how much of them is
/// expected positive (Σ p) and negative (Σ (1 − p)), the same weighted by each row's quantity q, and the moments of the
/// Bernoulli variance p(1 − p) (with q and q²) that give the spread of any value linear in the outcomes. With labels in
/// place of probabilities (p ∈ {0, 1}) the sums are the realized cell counts and the variances vanish.
/// </summary>
internal struct ConfusionSide
{
    public double Rows;
    public double Positives;
    public double Negatives;
    public double QuantityPositives;
    public double QuantityNegatives;
    public double SquaredQuantityPositives;
    public double SquaredQuantityNegatives;
    public double Variance0;
    public double Variance1;
    public double Variance2;

    public void Add(double p, double q)
    {
        var v = p * (1 - p);
        Rows += 1;
        Positives += p;
        Negatives += 1 - p;
        QuantityPositives += q * p;
        QuantityNegatives += q * (1 - p);
        SquaredQuantityPositives += q * q * p;
        SquaredQuantityNegatives += q * q * (1 - p);
        Variance0 += v;
        Variance1 += q * v;
        Variance2 += q * q * v;
    }

    public readonly ConfusionSide Minus(in ConfusionSide other) => new()
    {
        Rows = Rows - other.Rows,
        Positives = Positives - other.Positives,
        Negatives = Negatives - other.Negatives,
        QuantityPositives = QuantityPositives - other.QuantityPositives,
        QuantityNegatives = QuantityNegatives - other.QuantityNegatives,
        SquaredQuantityPositives = SquaredQuantityPositives - other.SquaredQuantityPositives,
        SquaredQuantityNegatives = SquaredQuantityNegatives - other.SquaredQuantityNegatives,
        Variance0 = Variance0 - other.Variance0,
        Variance1 = Variance1 - other.Variance1,
        Variance2 = Variance2 - other.Variance2,
    };
}

/// <summary>The expected (or, with labels, realized) confusion matrix of a batch, split by the model's decision.</summary>
/// <param name="PredictedPositive">The rows whose score reaches the threshold: Σ p is the expected TP, Σ (1 − p) the expected FP.</param>
/// <param name="PredictedNegative">The other rows: Σ p is the expected FN, Σ (1 − p) the expected TN.</param>
internal readonly record struct ExpectedConfusion(ConfusionSide PredictedPositive, ConfusionSide PredictedNegative)
{
    /// <summary>
    /// Accumulates the confusion matrix: a row is predicted positive when its score reaches the threshold, and counts
    /// as p true (or false-negative) and 1 − p false (or true-negative) outcomes.
    /// </summary>
    /// <param name="probabilities">Calibrated probabilities of class 1 (or 0/1 labels), in [0, 1].</param>
    /// <param name="scores">The model's scores, which decide; one per probability.</param>
    /// <param name="threshold">The decision threshold.</param>
    /// <param name="quantities">A quantity per row (empty: none).</param>
    /// <exception cref="ArgumentException">Lengths differ, no rows, or a probability outside [0, 1] (the message names the row).</exception>
    public static ExpectedConfusion Of(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> scores, double threshold, ReadOnlySpan<double> quantities = default)
    {
        if (probabilities.IsEmpty)
        {
            throw new ArgumentException("CBPE needs at least one probability.", nameof(probabilities));
        }

        if (scores.Length != probabilities.Length)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities but {scores.Length} scores.", nameof(scores));
        }

        if (!quantities.IsEmpty && quantities.Length != probabilities.Length)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities but {quantities.Length} quantities.", nameof(quantities));
        }

        ConfusionSide positive = default, negative = default;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Probability {i} is {p}, outside [0, 1]."), nameof(probabilities));
            }

            var q = quantities.IsEmpty ? 0 : quantities[i];
            if (scores[i] >= threshold)
            {
                positive.Add(p, q);
            }
            else
            {
                negative.Add(p, q);
            }
        }

        return new ExpectedConfusion(positive, negative);
    }
}
