using MLSystemDesign.Features;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// The summary of one raw feature (or one model output) over many rows, of bounded size: counts and missing values;
/// for numbers the range, mean and variance, a KLL quantile sketch and a uniform reservoir sample; for categories the
/// counts of the most frequent ones and an "other" count. Mergeable; not thread-safe while being built.
/// </summary>
public sealed class FeatureProfile
{
    private Profiles.KllSketch? _sketch;
    private Profiles.ReservoirSample? _reservoir;
    private Profiles.FrequentItems? _categories;
    private double _mean;
    private double _m2;

    internal FeatureProfile(string name, RawFeatureKind kind, ProfileOptions options, ulong seed)
    {
        Name = name;
        Kind = kind;
        if (kind == RawFeatureKind.Numeric)
        {
            _sketch = new Profiles.KllSketch(options.SketchK, seed);
            _reservoir = new Profiles.ReservoirSample(options.ReservoirSize, seed ^ 0x5DEECE66DUL);
        }
        else
        {
            _categories = new Profiles.FrequentItems(options.MaxCategories);
        }
    }

    private FeatureProfile(string name, RawFeatureKind kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>Gets the feature's name.</summary>
    public string Name { get; }

    /// <summary>Gets whether the feature is numeric or categorical.</summary>
    public RawFeatureKind Kind { get; }

    /// <summary>Gets the number of present values.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the number of missing values.</summary>
    public long MissingCount { get; private set; }

    /// <summary>Gets the share of missing values among all rows (0 when there are none).</summary>
    public double MissingRate => Count + MissingCount == 0 ? 0 : (double)MissingCount / (Count + MissingCount);

    /// <summary>Gets the smallest value (numeric; NaN when there is none).</summary>
    public double Min { get; private set; } = double.NaN;

    /// <summary>Gets the largest value (numeric; NaN when there is none).</summary>
    public double Max { get; private set; } = double.NaN;

    /// <summary>Gets the mean (numeric; NaN when there is none).</summary>
    public double Mean => Count == 0 || Kind != RawFeatureKind.Numeric ? double.NaN : _mean;

    /// <summary>Gets the population standard deviation (numeric; NaN when there is none).</summary>
    public double StandardDeviation => Count == 0 || Kind != RawFeatureKind.Numeric ? double.NaN : Math.Sqrt(_m2 / Count);

    /// <summary>Gets the uniform sample of present values kept for exact tests (numeric; empty otherwise).</summary>
    public ReadOnlyMemory<double> Sample => _reservoir is null ? ReadOnlyMemory<double>.Empty : _reservoir.Values.ToArray();

    /// <summary>Gets the counted categories (categorical; empty otherwise).</summary>
    public IReadOnlyDictionary<string, long> Categories => _categories?.Counts ?? new Dictionary<string, long>();

    /// <summary>Gets the present values not attributed to a counted category (categorical; 0 while counts are exact).</summary>
    public long OtherCount => _categories?.OtherCount ?? 0;

    /// <summary>Gets whether the category counts are exact (no more distinct categories than the profile counts).</summary>
    public bool CategoriesExact => _categories?.IsExact ?? true;

    internal Profiles.KllSketch? Sketch => _sketch;

    internal Profiles.ReservoirSample? Reservoir => _reservoir;

    internal Profiles.FrequentItems? FrequentItems => _categories;

    internal double M2 => _m2;

    /// <summary>Estimates the q-quantile from the sketch (numeric); rank error within the sketch's bound.</summary>
    /// <param name="q">The quantile in [0, 1].</param>
    /// <returns>The value, or NaN when the feature has no values or is categorical.</returns>
    public double Quantile(double q) => _sketch is null || Count == 0 ? double.NaN : q <= 0 ? Min : q >= 1 ? Max : _sketch.Quantile(q);

    /// <summary>Estimates the share of values at or below <paramref name="value"/> from the sketch (numeric).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The share in [0, 1], or NaN when the feature has no values or is categorical.</returns>
    public double Cdf(double value) => _sketch is null || Count == 0 ? double.NaN : _sketch.Rank(value) / Count;

    /// <summary>Gives the values a drift test compares: the reservoir sample (numeric) or the category counts, with "other" as its own category when counts are approximate, and the missing count the profile recorded.</summary>
    /// <returns>The sample.</returns>
    public FeatureSample ToSample()
    {
        if (Kind == RawFeatureKind.Numeric)
        {
            return FeatureSample.Numeric(Name, Sample, MissingCount, Math.Max(Count, Sample.Length) + MissingCount);
        }

        var counts = new Dictionary<string, long>(Categories, StringComparer.Ordinal);
        if (OtherCount > 0)
        {
            counts[OtherCategory] = counts.GetValueOrDefault(OtherCategory) + OtherCount;
        }

        return FeatureSample.Categorical(Name, counts, MissingCount);
    }

    /// <summary>The category name that stands for values outside the counted categories.</summary>
    public const string OtherCategory = "<other>";

    internal void AddMissing() => MissingCount++;

    internal void AddNumber(double value)
    {
        Count++;
        var delta = value - _mean;
        _mean += delta / Count;
        _m2 += delta * (value - _mean);
        if (Count == 1)
        {
            Min = Max = value;
        }
        else
        {
            if (value < Min)
            {
                Min = value;
            }

            if (value > Max)
            {
                Max = value;
            }
        }

        _sketch!.Update(value);
        _reservoir!.Add(value);
    }

    internal void AddCategory(string category)
    {
        Count++;
        _categories!.Add(category);
    }

    internal FeatureProfile Merge(FeatureProfile other, ulong seed)
    {
        if (!string.Equals(Name, other.Name, StringComparison.Ordinal) || Kind != other.Kind)
        {
            throw new ArgumentException($"Cannot merge the profile of '{Name}' ({Kind}) with that of '{other.Name}' ({other.Kind}).");
        }

        var merged = new FeatureProfile(Name, Kind)
        {
            Count = Count + other.Count,
            MissingCount = MissingCount + other.MissingCount,
        };
        if (Kind == RawFeatureKind.Numeric)
        {
            merged.Min = Count == 0 ? other.Min : other.Count == 0 ? Min : Math.Min(Min, other.Min);
            merged.Max = Count == 0 ? other.Max : other.Count == 0 ? Max : Math.Max(Max, other.Max);
            if (merged.Count > 0)
            {
                // Chan et al.'s pairwise update of mean and sum of squares.
                var delta = other._mean - _mean;
                merged._mean = _mean + delta * other.Count / merged.Count;
                merged._m2 = _m2 + other._m2 + delta * delta * ((double)Count * other.Count / merged.Count);
            }

            merged._sketch = _sketch!.Clone();
            merged._sketch.Merge(other._sketch!);
            merged._reservoir = _reservoir!.Merge(other._reservoir!, seed);
        }
        else
        {
            merged._categories = _categories!.Clone();
            merged._categories.Merge(other._categories!);
        }

        return merged;
    }

    internal static FeatureProfile Restore(
        string name, RawFeatureKind kind, long count, long missing, double min, double max, double mean, double m2,
        Profiles.KllSketch? sketch, Profiles.ReservoirSample? reservoir, Profiles.FrequentItems? categories) =>
        new(name, kind)
        {
            Count = count,
            MissingCount = missing,
            Min = min,
            Max = max,
            _mean = mean,
            _m2 = m2,
            _sketch = sketch,
            _reservoir = reservoir,
            _categories = categories,
        };
}
