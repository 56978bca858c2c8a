using System.Collections.ObjectModel;
using MLSystemDesign.Features;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// The values of one raw feature that a drift test compares: the present numbers of a numeric feature, or the counts
/// per category of a categorical one, plus how many values were missing. Immutable.
/// </summary>
public sealed class FeatureSample
{
    private static readonly IReadOnlyDictionary<string, long> NoCounts = new ReadOnlyDictionary<string, long>(new Dictionary<string, long>());

    private FeatureSample(string feature, RawFeatureKind kind, ReadOnlyMemory<double> values, IReadOnlyDictionary<string, long> counts, long missing, long populationCount)
    {
        Feature = feature;
        Kind = kind;
        Values = values;
        Counts = counts;
        MissingCount = missing;
        PopulationCount = populationCount;
    }

    /// <summary>Gets the feature name.</summary>
    public string Feature { get; }

    /// <summary>Gets whether the sample holds numbers or category counts.</summary>
    public RawFeatureKind Kind { get; }

    /// <summary>Gets the present values of a numeric sample (empty for a categorical one). Never NaN.</summary>
    public ReadOnlyMemory<double> Values { get; }

    /// <summary>Gets the count per category of a categorical sample (empty for a numeric one).</summary>
    public IReadOnlyDictionary<string, long> Counts { get; }

    /// <summary>Gets how many values were missing (not part of <see cref="Values"/> or <see cref="Counts"/>).</summary>
    public long MissingCount { get; }

    /// <summary>Gets the number of present values held: <see cref="Values"/>' length or the sum of <see cref="Counts"/>.</summary>
    public long Count => Kind == RawFeatureKind.Numeric ? Values.Length : Counts.Values.Sum();

    /// <summary>
    /// Gets the number of rows the sample stands for: equal to <see cref="Count"/> plus <see cref="MissingCount"/> for a
    /// full sample, larger when the values are a reservoir sample of a bigger population (a profile).
    /// </summary>
    public long PopulationCount { get; }

    /// <summary>Creates a numeric sample.</summary>
    /// <param name="feature">The feature name.</param>
    /// <param name="values">The present values; none may be NaN (count missing values in <paramref name="missing"/>).</param>
    /// <param name="missing">How many values were missing.</param>
    /// <param name="populationCount">The rows the values stand for, when they are a sample of more; at least the value and missing counts.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="ArgumentException">A value is NaN, or a count is negative or too small.</exception>
    public static FeatureSample Numeric(string feature, ReadOnlyMemory<double> values, long missing = 0, long? populationCount = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(feature);
        ArgumentOutOfRangeException.ThrowIfNegative(missing);
        var span = values.Span;
        for (var i = 0; i < span.Length; i++)
        {
            if (double.IsNaN(span[i]))
            {
                throw new ArgumentException($"Feature '{feature}': value {i} is NaN; count missing values in 'missing' instead.", nameof(values));
            }
        }

        var population = populationCount ?? values.Length + missing;
        if (population < values.Length + missing)
        {
            throw new ArgumentException($"Feature '{feature}': the population count {population} is smaller than the {values.Length + missing} values given.", nameof(populationCount));
        }

        return new FeatureSample(feature, RawFeatureKind.Numeric, values, NoCounts, missing, population);
    }

    /// <summary>Creates a categorical sample from counts per category.</summary>
    /// <param name="feature">The feature name.</param>
    /// <param name="counts">The count per category; counts must not be negative.</param>
    /// <param name="missing">How many values were missing.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="ArgumentException">A count is negative.</exception>
    public static FeatureSample Categorical(string feature, IReadOnlyDictionary<string, long> counts, long missing = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(feature);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfNegative(missing);
        var copy = new Dictionary<string, long>(counts.Count, StringComparer.Ordinal);
        foreach (var (category, count) in counts)
        {
            if (count < 0)
            {
                throw new ArgumentException($"Feature '{feature}': category '{category}' has a negative count ({count}).", nameof(counts));
            }

            copy[category] = count;
        }

        return new FeatureSample(feature, RawFeatureKind.Categorical, ReadOnlyMemory<double>.Empty, new ReadOnlyDictionary<string, long>(copy), missing, copy.Values.Sum() + missing);
    }

    /// <summary>Creates a categorical sample by counting category labels; <see langword="null"/> labels count as missing.</summary>
    /// <param name="feature">The feature name.</param>
    /// <param name="labels">The labels.</param>
    /// <returns>The sample.</returns>
    public static FeatureSample Categorical(string feature, IEnumerable<string?> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long missing = 0;
        foreach (var label in labels)
        {
            if (label is null)
            {
                missing++;
            }
            else
            {
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
        }

        return Categorical(feature, counts, missing);
    }
}
