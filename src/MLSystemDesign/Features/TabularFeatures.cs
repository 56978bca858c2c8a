using System.Globalization;
using MLSystemDesign.Data;

namespace MLSystemDesign.Features;

/// <summary>What <see cref="TabularFeatures.Infer"/> decided for one column.</summary>
/// <param name="Column">The column.</param>
/// <param name="Decision">What it became: <c>numeric</c>, <c>one-hot</c>, <c>date parts</c>, or why it was left out.</param>
public sealed record ColumnDecision(string Column, string Decision);

/// <summary>An automatic feature pipeline for tabular records, with the decision taken for each column.</summary>
/// <param name="Pipeline">The pipeline definition.</param>
/// <param name="Decisions">One decision per column, in column order.</param>
public sealed record TabularFeaturePlan(FeaturePipeline<TabularRecord> Pipeline, IReadOnlyList<ColumnDecision> Decisions);

/// <summary>Builds a feature pipeline for records whose columns are known only at run time (the <c>mlsd train</c> default).</summary>
public static class TabularFeatures
{
    /// <summary>
    /// Chooses an encoding per column: numbers and Booleans become numeric features (mean-imputed, with a missing
    /// indicator when the sample has missing values); text becomes one-hot categories (top 100, plus <c>&lt;other&gt;</c>)
    /// unless nearly every value is distinct (an identifier, left out); timestamps become month, weekday, day-of-year
    /// and, when times of day occur, hour.
    /// </summary>
    /// <param name="schema">The columns.</param>
    /// <param name="sample">Records to judge cardinality and missing values from.</param>
    /// <param name="exclude">Columns to leave out (the label).</param>
    /// <returns>The pipeline and the decision per column.</returns>
    public static TabularFeaturePlan Infer(RecordSchema schema, IReadOnlyList<TabularRecord> sample, params IEnumerable<string> exclude)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(sample);
        var excluded = new HashSet<string>(exclude ?? [], StringComparer.OrdinalIgnoreCase);
        var builder = FeaturePipeline.For<TabularRecord>();
        var decisions = new List<ColumnDecision>();
        var any = false;
        for (var i = 0; i < schema.Count; i++)
        {
            var field = schema.Fields[i];
            var ordinal = i;
            if (excluded.Contains(field.Name))
            {
                decisions.Add(new ColumnDecision(field.Name, "excluded"));
                continue;
            }

            var present = sample.Where(r => !r[ordinal].IsMissing).ToList();
            var hasMissing = present.Count < sample.Count;
            if (present.Count == 0)
            {
                decisions.Add(new ColumnDecision(field.Name, "left out: no values"));
                continue;
            }

            switch (field.Kind)
            {
                case FieldKind.Numeric or FieldKind.Boolean:
                    any = true;
                    builder.Numeric(field.Name, r => r[ordinal].AsDouble(), o => o.AddMissingIndicator = hasMissing);
                    decisions.Add(new ColumnDecision(field.Name, hasMissing ? "numeric, mean-imputed, with missing indicator" : "numeric"));
                    break;
                case FieldKind.Timestamp:
                    any = true;
                    builder.Numeric($"{field.Name}_month", r => r[ordinal].IsMissing ? double.NaN : r[ordinal].Timestamp.Month);
                    builder.Numeric($"{field.Name}_weekday", r => r[ordinal].IsMissing ? double.NaN : (double)r[ordinal].Timestamp.DayOfWeek);
                    builder.Numeric($"{field.Name}_dayofyear", r => r[ordinal].IsMissing ? double.NaN : r[ordinal].Timestamp.DayOfYear);
                    var parts = "date parts: month, weekday, day of year";
                    if (present.Any(r => r[ordinal].Timestamp.TimeOfDay != TimeSpan.Zero))
                    {
                        builder.Numeric($"{field.Name}_hour", r => r[ordinal].IsMissing ? double.NaN : r[ordinal].Timestamp.Hour);
                        parts += ", hour";
                    }

                    decisions.Add(new ColumnDecision(field.Name, parts));
                    break;
                default:
                    var distinct = present.Select(r => r[ordinal].ToString()).Distinct(StringComparer.Ordinal).Count();
                    if (present.Count >= 20 && distinct > 0.9 * present.Count)
                    {
                        decisions.Add(new ColumnDecision(field.Name, string.Create(CultureInfo.InvariantCulture, $"left out: {distinct} distinct values in {present.Count} rows looks like an identifier")));
                        continue;
                    }

                    any = true;
                    builder.Categorical(field.Name, r => r[ordinal].Kind == FieldValueKind.Text ? r[ordinal].Text : r[ordinal].IsMissing ? null : r[ordinal].ToString());
                    decisions.Add(new ColumnDecision(field.Name, string.Create(CultureInfo.InvariantCulture, $"one-hot, {Math.Min(distinct, 100)} of {distinct} categories + <other>")));
                    break;
            }
        }

        if (!any)
        {
            throw new InvalidOperationException($"No column can be a feature: {string.Join("; ", decisions.Select(d => $"{d.Column}: {d.Decision}"))}.");
        }

        return new TabularFeaturePlan(builder.Build(), decisions);
    }
}
