using System.Globalization;
using MLSystemDesign.Data;

namespace MLSystemDesign.Cli.Commands;

/// <summary>Reads the columns the analysis commands name (an arm, a metric, a score, a label) from a read file, with errors that name the file, column and row.</summary>
internal static class OutcomeColumns
{
    public static int Ordinal(IReadOnlyList<TabularRecord> records, string column, string option, string path)
    {
        if (records.Count == 0)
        {
            throw new InvalidOperationException($"{path} holds no rows.");
        }

        var ordinal = records[0].Schema.IndexOf(column);
        return ordinal >= 0
            ? ordinal
            : throw new KeyNotFoundException($"{path} has no column '{column}' ({option}). Columns: {string.Join(", ", records[0].Schema.Fields.Select(f => f.Name))}.");
    }

    /// <summary>A numeric column (numbers or Booleans as 0/1); a missing value or text is an error naming the data row (1-based).</summary>
    public static double[] Numbers(IReadOnlyList<TabularRecord> records, int ordinal, string path)
    {
        var name = records[0].Schema.Fields[ordinal].Name;
        var values = new double[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var v = records[i][ordinal];
            values[i] = v.Kind switch
            {
                FieldValueKind.Number => v.Number,
                FieldValueKind.Boolean => v.Boolean ? 1 : 0,
                FieldValueKind.Missing => throw new InvalidOperationException($"{path}: data row {i + 1} has no value in column '{name}'."),
                // A column with one word in it is read as text throughout: its other cells may still be numbers.
                FieldValueKind.Text when double.TryParse(v.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => throw new InvalidOperationException($"{path}: data row {i + 1}: column '{name}' holds '{v}', which is not a number."),
            };
            if (!double.IsFinite(values[i]))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{path}: data row {i + 1}: column '{name}' holds {values[i]}, which is not a finite number."));
            }
        }

        return values;
    }

    /// <summary>Checks that every value is 0 or 1; the first that is not is an error naming its data row (1-based).</summary>
    public static void RequireZeroOrOne(double[] values, string column, string path, string why)
    {
        var bad = Array.FindIndex(values, v => v is not (0.0 or 1.0));
        if (bad >= 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{path}: data row {bad + 1}: column '{column}' holds {values[bad]}, not 0 or 1 ({why})."));
        }
    }

    /// <summary>A column of labels (arm names): each distinct value, in order of first appearance, and each row's index into them.</summary>
    public static (int[] Indices, List<string> Labels) Labels(IReadOnlyList<TabularRecord> records, int ordinal, string path)
    {
        var name = records[0].Schema.Fields[ordinal].Name;
        var labels = new List<string>();
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        var indices = new int[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var v = records[i][ordinal];
            if (v.IsMissing)
            {
                throw new InvalidOperationException($"{path}: data row {i + 1} has no value in column '{name}'.");
            }

            var label = v.ToString();
            if (!lookup.TryGetValue(label, out var index))
            {
                index = lookup[label] = labels.Count;
                labels.Add(label);
            }

            indices[i] = index;
        }

        return (indices, labels);
    }

    /// <summary>A finite number, or <see langword="null"/> (JSON has no NaN or infinity).</summary>
    public static double? Json(double value) => double.IsFinite(value) ? value : null;
}
