using MLSystemDesign.Data;
using MLSystemDesign.Features;

namespace MLSystemDesign.Monitoring.Live;

/// <summary>
/// Live data validation of one window against what the reference showed: per raw feature, missing values, numbers
/// below its minimum or above its maximum, and categories it never held (only when its category counts are exact).
/// </summary>
internal sealed class LiveValidation
{
    private readonly IReadOnlyList<FeatureProfile> _features;
    private readonly long[] _missing;
    private readonly long[] _below;
    private readonly long[] _above;
    private readonly long[] _unseen;

    public LiveValidation(IReadOnlyList<FeatureProfile> features)
    {
        _features = features;
        var n = features.Count;
        (_missing, _below, _above, _unseen) = (new long[n], new long[n], new long[n], new long[n]);
    }

    /// <summary>Counts one record's raw values.</summary>
    public void Add(ReadOnlySpan<FieldValue> raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            var value = raw[i];
            var feature = _features[i];
            if (value.IsMissing)
            {
                _missing[i]++;
            }
            else if (feature.Kind == RawFeatureKind.Numeric)
            {
                var x = value.AsDouble();
                if (x < feature.Min)
                {
                    _below[i]++;
                }
                else if (x > feature.Max)
                {
                    _above[i]++;
                }
            }
            else if (feature.CategoriesExact && !feature.Categories.ContainsKey(value.Text ?? value.ToString()))
            {
                _unseen[i]++;
            }
        }
    }

    /// <summary>Gets the counts of each feature over <paramref name="count"/> records.</summary>
    public FeatureValidation[] Finish(long count) =>
        _features.Select((f, i) => new FeatureValidation(f.Name, count, _missing[i], _below[i], _above[i], _unseen[i])).ToArray();
}
