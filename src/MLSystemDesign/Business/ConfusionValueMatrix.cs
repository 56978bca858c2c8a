using System.Globalization;

namespace MLSystemDesign.Business;

/// <summary>
/// The value (positive) or cost (negative) of each cell of a confusion matrix, laid out <b>actual by predicted</b>: row i
/// is the actual class i, column j the predicted class j. For a binary classifier that is
/// <c>[[TN, FP], [FN, TP]]</c>, the layout of scikit-learn's <c>confusion_matrix</c> and of NannyML's
/// <c>business_value_matrix</c> code (its documentation shows another order, which is why the layout is named here).
/// </summary>
public sealed class ConfusionValueMatrix
{
    /// <summary>The layout in words, as every error message states it.</summary>
    public const string Layout = "actual by predicted: row i is the actual class i, column j the predicted class j; for two classes [[TN, FP], [FN, TP]]";

    private readonly double[] _cells;

    private ConfusionValueMatrix(int classCount, double[] cells)
    {
        ClassCount = classCount;
        _cells = cells;
    }

    /// <summary>Gets the number of classes (the matrix is that many rows by that many columns).</summary>
    public int ClassCount { get; }

    /// <summary>Gets the value of a cell.</summary>
    /// <param name="actual">The actual class.</param>
    /// <param name="predicted">The predicted class.</param>
    public double this[int actual, int predicted]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)actual, (uint)ClassCount, nameof(actual));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)predicted, (uint)ClassCount, nameof(predicted));
            return _cells[actual * ClassCount + predicted];
        }
    }

    /// <summary>Gets the value of a true negative (binary: actual 0, predicted 0).</summary>
    public double TrueNegative => Binary()[0];

    /// <summary>Gets the value of a false positive (binary: actual 0, predicted 1).</summary>
    public double FalsePositive => Binary()[1];

    /// <summary>Gets the value of a false negative (binary: actual 1, predicted 0).</summary>
    public double FalseNegative => Binary()[2];

    /// <summary>Gets the value of a true positive (binary: actual 1, predicted 1).</summary>
    public double TruePositive => Binary()[3];

    /// <summary>A binary matrix from its four cells, named, in the order TN, FP, FN, TP (the rows of [[TN, FP], [FN, TP]]).</summary>
    /// <param name="trueNegative">The value of a true negative.</param>
    /// <param name="falsePositive">The value of a false positive.</param>
    /// <param name="falseNegative">The value of a false negative.</param>
    /// <param name="truePositive">The value of a true positive.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentException">A value is not finite.</exception>
    public static ConfusionValueMatrix Binary(double trueNegative, double falsePositive, double falseNegative, double truePositive) =>
        FromActualByPredicted([[trueNegative, falsePositive], [falseNegative, truePositive]]);

    /// <summary>A matrix from its rows, actual by predicted (see <see cref="Layout"/>).</summary>
    /// <param name="rows">One row per actual class, one value per predicted class.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentException">Fewer than two rows, a row of another length than the number of rows (the message names the expected cell order), or a value that is not finite.</exception>
    public static ConfusionValueMatrix FromActualByPredicted(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var k = rows.Count;
        if (k < 2)
        {
            throw new ArgumentException($"A value matrix needs at least two classes; got {k} row{(k == 1 ? string.Empty : "s")}. The layout is {Layout}.", nameof(rows));
        }

        var cells = new double[k * k];
        for (var i = 0; i < k; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"Row {i} of the value matrix is null. The layout is {Layout}.", nameof(rows));
            if (row.Count != k)
            {
                throw new ArgumentException($"Row {i} of the value matrix has {row.Count} cells; a {k}-class matrix has {k} per row ({k} × {k}, {Layout}).", nameof(rows));
            }

            for (var j = 0; j < k; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Cell [{i}, {j}] (actual {i}, predicted {j}) of the value matrix is {row[j]}; every value must be finite."), nameof(rows));
                }

                cells[i * k + j] = row[j];
            }
        }

        return new ConfusionValueMatrix(k, cells);
    }

    /// <summary>Parses a binary matrix written as four numbers in the order <c>tn,fp,fn,tp</c> (invariant culture).</summary>
    /// <param name="text">The text, e.g. <c>0,-20,-300,-80</c>.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="FormatException">Not four numbers; the message names the order.</exception>
    public static ConfusionValueMatrix ParseBinary(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4)
        {
            throw new FormatException($"A binary value matrix is four numbers in the order tn,fp,fn,tp (the rows of [[TN, FP], [FN, TP]]); '{text}' has {parts.Length}.");
        }

        var values = new double[4];
        string[] names = ["tn", "fp", "fn", "tp"];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new FormatException($"The {names[i]} value '{parts[i]}' of the matrix '{text}' is not a finite number (the order is tn,fp,fn,tp).");
            }
        }

        return Binary(values[0], values[1], values[2], values[3]);
    }

    /// <summary>Describes the matrix with its layout, e.g. <c>TN 0, FP -20, FN -300, TP -80</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => ClassCount == 2
        ? string.Create(CultureInfo.InvariantCulture, $"TN {TrueNegative:G6}, FP {FalsePositive:G6}, FN {FalseNegative:G6}, TP {TruePositive:G6}")
        : "actual by predicted [" + string.Join(", ", Enumerable.Range(0, ClassCount).Select(i => "[" + string.Join(", ", Enumerable.Range(0, ClassCount).Select(j => _cells[i * ClassCount + j].ToString("G6", CultureInfo.InvariantCulture))) + "]")) + "]";

    private double[] Binary() => ClassCount == 2 ? _cells : throw new InvalidOperationException($"The named cells exist for a binary matrix; this one has {ClassCount} classes. Use the indexer [actual, predicted].");
}
