using System.Globalization;
using MLSystemDesign.Monitoring.Performance;

namespace MLSystemDesign.Business.Internal;

/// <summary>
/// What a binary decision is worth: a fixed value per cell, plus a value per unit of the record's quantity per cell
/// (a flight's cost may be a fixed rebooking fee plus a cost per passenger). Linear in the outcomes, so its expectation
/// and variance follow from CBPE's expected confusion matrix.
/// </summary>
internal sealed class BinaryValueModel(ConfusionValueMatrix fixedValues, ConfusionValueMatrix? perUnit)
{
    public ConfusionValueMatrix Fixed { get; } = fixedValues;

    public ConfusionValueMatrix? PerUnit { get; } = perUnit;

    /// <summary>The value of one record: its cell's fixed value plus the cell's per-unit value times its quantity.</summary>
    public double RecordValue(int actual, int predicted, double quantity) =>
        Fixed[actual, predicted] + (PerUnit is null ? 0 : PerUnit[actual, predicted] * quantity);

    /// <summary>The expected value of a row: p·(value if positive) + (1 − p)·(value if negative).</summary>
    public double RecordExpectation(double p, bool predictedPositive, double quantity)
    {
        var d = predictedPositive ? 1 : 0;
        return p * RecordValue(1, d, quantity) + (1 - p) * RecordValue(0, d, quantity);
    }

    /// <summary>The (expected) total of a confusion matrix.</summary>
    public double Total(in ExpectedConfusion c) => Side(c.PredictedPositive, 1) + Side(c.PredictedNegative, 0);

    /// <summary>The variance of the realized total around the expected one: Σ p(1 − p)(a − b)², a and b the row's values if positive and if negative.</summary>
    public double Variance(in ExpectedConfusion c) => SideVariance(c.PredictedPositive, 1) + SideVariance(c.PredictedNegative, 0);

    /// <summary>Σ v² over the rows of a realized confusion matrix (p ∈ {0, 1}), for the sampling error of a realized total.</summary>
    public double SumOfSquares(in ExpectedConfusion c) => SideSquares(c.PredictedPositive, 1) + SideSquares(c.PredictedNegative, 0);

    public static Dictionary<string, double> Cells(in ExpectedConfusion c) => new()
    {
        ["tn"] = c.PredictedNegative.Negatives,
        ["fp"] = c.PredictedPositive.Negatives,
        ["fn"] = c.PredictedNegative.Positives,
        ["tp"] = c.PredictedPositive.Positives,
    };

    public string Describe() => PerUnit is null
        ? $"value matrix {Fixed} ({ConfusionValueMatrix.Layout})"
        : $"value matrix {Fixed} plus per unit of the record's quantity {PerUnit} ({ConfusionValueMatrix.Layout})";

    private double U(int actual, int predicted) => PerUnit?[actual, predicted] ?? 0;

    private double Side(in ConfusionSide s, int predicted) =>
        Fixed[1, predicted] * s.Positives + Fixed[0, predicted] * s.Negatives + U(1, predicted) * s.QuantityPositives + U(0, predicted) * s.QuantityNegatives;

    private double SideVariance(in ConfusionSide s, int predicted)
    {
        var alpha = Fixed[1, predicted] - Fixed[0, predicted];
        var beta = U(1, predicted) - U(0, predicted);
        return alpha * alpha * s.Variance0 + 2 * alpha * beta * s.Variance1 + beta * beta * s.Variance2;
    }

    private double SideSquares(in ConfusionSide s, int predicted)
    {
        double fp = Fixed[1, predicted], fn = Fixed[0, predicted], up = U(1, predicted), un = U(0, predicted);
        return fp * fp * s.Positives + 2 * fp * up * s.QuantityPositives + up * up * s.SquaredQuantityPositives
             + fn * fn * s.Negatives + 2 * fn * un * s.QuantityNegatives + un * un * s.SquaredQuantityNegatives;
    }

    /// <summary>Checks a binary batch and converts it for CBPE: the scores, the probabilities (or labels) and the quantities.</summary>
    public static (double[] Scores, double[] Probabilities, double[] Quantities) Prepare(BusinessBatch batch, bool labels, bool quantitiesRequired, string mapper)
    {
        var n = batch.Predictions.Length;
        if (n == 0)
        {
            throw new ArgumentException($"Mapper '{mapper}' was given an empty batch.", nameof(batch));
        }

        var source = labels ? batch.Labels : batch.Probabilities.IsEmpty ? batch.Predictions : batch.Probabilities;
        if (source.Length != n)
        {
            throw new ArgumentException(labels
                ? $"Mapper '{mapper}' needs one label per prediction for a realized value; got {batch.Labels.Length} labels for {n} predictions."
                : $"Mapper '{mapper}' got {batch.Probabilities.Length} calibrated probabilities for {n} predictions.", nameof(batch));
        }

        if (quantitiesRequired && batch.Quantities.Length != n)
        {
            throw new ArgumentException($"Mapper '{mapper}' values each record by its quantity: it needs one quantity per prediction; got {batch.Quantities.Length} for {n}.", nameof(batch));
        }

        var scores = new double[n];
        var p = new double[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = batch.Predictions[i];
            if (float.IsNaN(batch.Predictions[i]))
            {
                throw new ArgumentException($"Row {i}: the score is NaN.", nameof(batch));
            }

            p[i] = source[i];
            if (labels && source[i] is not (0f or 1f))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: the label {source[i]} is not 0 or 1."), nameof(batch));
            }
        }

        var q = quantitiesRequired ? batch.Quantities.ToArray() : [];
        for (var i = 0; i < q.Length; i++)
        {
            if (!double.IsFinite(q[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: the quantity {q[i]} is not finite."), nameof(batch));
            }
        }

        return (scores, p, q);
    }
}
