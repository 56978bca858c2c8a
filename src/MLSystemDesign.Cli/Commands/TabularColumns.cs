using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Cli.Commands;

/// <summary>Turns the columns of a read file into raw features and drift-test samples.</summary>
internal static class TabularColumns
{
    /// <summary>Refuses a file without rows (a header only, or nothing): there is nothing to profile or compare.</summary>
    public static void RequireRows(IReadOnlyList<TabularRecord> records, string path)
    {
        if (records.Count == 0)
        {
            throw new InvalidOperationException($"{path} has 0 rows (a header line only, or nothing): there are no values to profile or compare.");
        }
    }

    /// <summary>A column is numeric when every present value is a number, Boolean or timestamp; otherwise categorical.</summary>
    public static IReadOnlyList<RawFeature> Infer(IReadOnlyList<TabularRecord> records, string path)
    {
        RequireRows(records, path);

        var schema = records[0].Schema;
        return Enumerable.Range(0, schema.Count).Select(i =>
        {
            var numeric = records.All(r => r[i].Kind is FieldValueKind.Missing or FieldValueKind.Number or FieldValueKind.Boolean or FieldValueKind.Timestamp);
            return new RawFeature(schema.Fields[i].Name, numeric ? RawFeatureKind.Numeric : RawFeatureKind.Categorical);
        }).ToArray();
    }

    /// <summary>All values of one column as a sample of the given kind.</summary>
    public static FeatureSample Sample(IReadOnlyList<TabularRecord> records, string column, RawFeatureKind kind, string path)
    {
        var ordinal = records.Count == 0 ? -1 : records[0].Schema.IndexOf(column);
        if (ordinal < 0)
        {
            throw new KeyNotFoundException($"{path} has no column '{column}'.");
        }

        long missing = 0;
        if (kind == RawFeatureKind.Numeric)
        {
            var values = new List<double>(records.Count);
            foreach (var r in records)
            {
                var v = r[ordinal];
                if (v.IsMissing)
                {
                    missing++;
                }
                else if (v.Kind == FieldValueKind.Text)
                {
                    throw new InvalidOperationException($"{path}: column '{column}' is numeric in the reference but holds text '{v}'.");
                }
                else
                {
                    values.Add(v.AsDouble());
                }
            }

            return FeatureSample.Numeric(column, values.ToArray(), missing);
        }

        return FeatureSample.Categorical(column, records.Select(r => r[ordinal].IsMissing ? null : r[ordinal].ToString()));
    }

    public static ReferenceProfile Profile(IReadOnlyList<TabularRecord> records, IReadOnlyList<RawFeature> features, ProfileOptions? options = null)
    {
        var builder = new ProfileBuilder(features, options: options);
        foreach (var r in records)
        {
            builder.Add(r.Values);
        }

        return builder.Build();
    }

    public static bool IsProfile(string path) => Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase);
}
