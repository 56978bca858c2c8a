using MLSystemDesign.Data;
using MLSystemDesign.Features;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// Builds a <see cref="ReferenceProfile"/> one row at a time: the raw feature values (from
/// <see cref="IFittedFeaturePipeline{T}.ExtractRaw"/>) and, optionally, the model's outputs. Not thread-safe; build one
/// per thread and <see cref="ReferenceProfile.Merge"/> the results.
/// </summary>
public sealed class ProfileBuilder
{
    private readonly FeatureProfile[] _features;
    private readonly FeatureProfile[] _outputs;
    private readonly ProfileOptions _options;
    private long _rows;

    /// <summary>Creates a builder.</summary>
    /// <param name="features">The raw features, in the order rows give them.</param>
    /// <param name="outputs">The model output names to profile (numeric), e.g. <c>["score", "probability"]</c>; none when omitted.</param>
    /// <param name="options">Summary sizes; defaults when omitted.</param>
    /// <exception cref="ArgumentException">A name is repeated.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public ProfileBuilder(IReadOnlyList<RawFeature> features, IReadOnlyList<string>? outputs = null, ProfileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        _options = OptionsValidation.ThrowIfInvalid<ProfileOptions, ProfileOptionsValidator>(options ?? new ProfileOptions());
        var duplicate = features.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The feature '{duplicate.Key}' is listed twice.", nameof(features));
        }

        var seed = (ulong)_options.Seed;
        _features = features.Select((f, i) => new FeatureProfile(f.Name, f.Kind, _options, Mix(seed, i))).ToArray();
        _outputs = (outputs ?? []).Select((o, i) => new FeatureProfile(o, RawFeatureKind.Numeric, _options, Mix(seed, 10_000 + i))).ToArray();
    }

    /// <summary>Gets the number of rows added.</summary>
    public long RowCount => _rows;

    /// <summary>Adds one row of raw feature values.</summary>
    /// <param name="raw">One value per feature, in order.</param>
    /// <exception cref="ArgumentException">The row has the wrong width, or a numeric feature holds text.</exception>
    public void Add(ReadOnlySpan<FieldValue> raw) => Add(raw, []);

    /// <summary>Adds one row of raw feature values and the model's outputs for it.</summary>
    /// <param name="raw">One value per feature, in order.</param>
    /// <param name="outputs">One value per profiled output (NaN counts as missing); empty when no outputs are profiled.</param>
    /// <exception cref="ArgumentException">The row has the wrong width, or a numeric feature holds text.</exception>
    public void Add(ReadOnlySpan<FieldValue> raw, ReadOnlySpan<float> outputs)
    {
        if (raw.Length != _features.Length)
        {
            throw new ArgumentException($"Row {_rows + 1} has {raw.Length} values but the profile has {_features.Length} features.", nameof(raw));
        }

        if (outputs.Length != _outputs.Length && !(outputs.IsEmpty && _outputs.Length == 0))
        {
            throw new ArgumentException($"Row {_rows + 1} has {outputs.Length} outputs but the profile has {_outputs.Length}.", nameof(outputs));
        }

        _rows++;
        for (var i = 0; i < raw.Length; i++)
        {
            AddValue(_features[i], raw[i], _rows);
        }

        for (var i = 0; i < outputs.Length; i++)
        {
            if (float.IsNaN(outputs[i]))
            {
                _outputs[i].AddMissing();
            }
            else
            {
                _outputs[i].AddNumber(outputs[i]);
            }
        }
    }

    /// <summary>Finishes the profile. The builder must not be used afterwards.</summary>
    /// <param name="performance">The performance reference to store with it, if any.</param>
    /// <returns>The profile.</returns>
    public ReferenceProfile Build(PerformanceReference? performance = null) => new(_features, _outputs, _rows, _options, performance);

    internal static void AddValue(FeatureProfile feature, FieldValue value, long row)
    {
        if (value.IsMissing)
        {
            feature.AddMissing();
            return;
        }

        if (feature.Kind == RawFeatureKind.Numeric)
        {
            var number = value.AsDouble();
            if (double.IsNaN(number))
            {
                throw new ArgumentException($"Row {row}: feature '{feature.Name}' is numeric but holds {value.Kind.ToString().ToLowerInvariant()} '{value}'.");
            }

            feature.AddNumber(number);
        }
        else
        {
            feature.AddCategory(value.Text ?? value.ToString());
        }
    }

    internal static ulong Mix(ulong seed, int index)
    {
        var state = new Profiles.SplitMix64(seed * 0x9E3779B97F4A7C15UL + (ulong)index);
        return state.NextULong();
    }
}
