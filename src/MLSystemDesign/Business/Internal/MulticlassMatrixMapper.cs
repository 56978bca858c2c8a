using System.Globalization;
using MLSystemDesign.Models;

namespace MLSystemDesign.Business.Internal;

/// <summary>
/// A multiclass value matrix: each record is predicted as its most probable class (the lowest index on ties, as the
/// evaluation metrics do); realized from labels, expected from the probabilities (Σₖ pₖ·V[k, predicted], with variance
/// Σₖ pₖ·V[k, predicted]² − (expected)² per record).
/// </summary>
internal sealed class MulticlassMatrixMapper(string name, string unit, ConfusionValueMatrix matrix) : IBusinessMetricMapper
{
    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public ModelTask Task => ModelTask.MulticlassClassification;

    public string Description => $"{Name}: value matrix {matrix} ({ConfusionValueMatrix.Layout}), in {Unit}; a record is predicted as its most probable class";

    public BusinessValue Realized(BusinessBatch batch, double confidence = 0.95)
    {
        var k = CheckClasses(batch);
        var n = batch.RowCount(Task);
        if (batch.Labels.Length != n)
        {
            throw new ArgumentException($"Mapper '{Name}' needs one label per record for a realized value; got {batch.Labels.Length} labels for {n} records.", nameof(batch));
        }

        double total = 0, squares = 0;
        var cells = new double[k * k];
        for (var i = 0; i < n; i++)
        {
            var label = batch.Labels[i];
            if (label < 0 || label >= k || label != MathF.Floor(label))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: the label {label} is not a class index below {k}."), nameof(batch));
            }

            var predicted = Predicted(batch.Predictions.Slice(i * k, k), i);
            var v = matrix[(int)label, predicted];
            total += v;
            squares += v * v;
            cells[(int)label * k + predicted]++;
        }

        return ValueResults.Create(this, estimated: false, n, total, ValueResults.RealizedVariance(n, total, squares), confidence, Breakdown(cells, k),
            $"realized value matrix {matrix}; the interval is the sampling error of a batch of {n} records");
    }

    public BusinessValue Expected(BusinessBatch batch, double confidence = 0.95)
    {
        var k = CheckClasses(batch);
        var n = batch.RowCount(Task);
        double total = 0, variance = 0;
        var cells = new double[k * k];
        for (var i = 0; i < n; i++)
        {
            var row = batch.Predictions.Slice(i * k, k);
            var predicted = Predicted(row, i);
            double sum = 0, mean = 0, square = 0;
            for (var c = 0; c < k; c++)
            {
                if (!(row[c] >= 0))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: the probability of class {c} is {row[c]}."), nameof(batch));
                }

                sum += row[c];
            }

            if (!(sum > 0))
            {
                throw new ArgumentException($"Row {i}: every class probability is 0.", nameof(batch));
            }

            for (var c = 0; c < k; c++)
            {
                var p = row[c] / sum;
                var v = matrix[c, predicted];
                mean += p * v;
                square += p * v * v;
                cells[c * k + predicted] += p;
            }

            total += mean;
            variance += Math.Max(0, square - mean * mean);
        }

        return ValueResults.Create(this, estimated: true, n, total, variance, confidence, Breakdown(cells, k),
            $"expected value matrix {matrix} from the class probabilities (each row normalised to sum 1); the interval is how far the realized total strays when the outcomes follow those probabilities");
    }

    private static int Predicted(ReadOnlySpan<float> row, int index)
    {
        var best = 0;
        for (var c = 0; c < row.Length; c++)
        {
            if (float.IsNaN(row[c]))
            {
                throw new ArgumentException($"Row {index}: the probability of class {c} is NaN.");
            }

            if (row[c] > row[best])
            {
                best = c;
            }
        }

        return best;
    }

    private int CheckClasses(BusinessBatch batch) => batch.ClassCount == matrix.ClassCount
        ? matrix.ClassCount
        : throw new ArgumentException($"Mapper '{Name}' values {matrix.ClassCount} classes; the batch has {batch.ClassCount}.", nameof(batch));

    private static Dictionary<string, double> Breakdown(double[] cells, int k)
    {
        var result = new Dictionary<string, double>();
        for (var a = 0; a < k; a++)
        {
            for (var p = 0; p < k; p++)
            {
                result[string.Create(CultureInfo.InvariantCulture, $"actual_{a}_predicted_{p}")] = cells[a * k + p];
            }
        }

        return result;
    }
}
