using System.Collections.ObjectModel;
using System.Text.Json;
using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Models;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// The compact picture of the data a model was trained on: one <see cref="FeatureProfile"/> per raw feature, one per
/// model output, and optionally a <see cref="PerformanceReference"/>. Its size is bounded by <see cref="ProfileOptions"/>,
/// not by the row count. Profiles merge (build one per partition or replica, then <see cref="Merge"/>), and save to and
/// load from versioned JSON through a stream, so they can be stored as an artifact of a model version.
/// </summary>
public sealed class ReferenceProfile
{
    /// <summary>The JSON format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    private readonly Dictionary<string, FeatureProfile> _byName;

    internal ReferenceProfile(IReadOnlyList<FeatureProfile> features, IReadOnlyList<FeatureProfile> outputs, long rowCount, ProfileOptions options, PerformanceReference? performance)
    {
        Features = new ReadOnlyCollection<FeatureProfile>(features.ToArray());
        Outputs = new ReadOnlyCollection<FeatureProfile>(outputs.ToArray());
        RowCount = rowCount;
        Options = new ProfileOptions { SketchK = options.SketchK, ReservoirSize = options.ReservoirSize, MaxCategories = options.MaxCategories, Seed = options.Seed };
        Performance = performance;
        _byName = Features.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>Gets the profiles of the raw features, in feature order.</summary>
    public IReadOnlyList<FeatureProfile> Features { get; }

    /// <summary>Gets the profiles of the model outputs (empty when none were profiled).</summary>
    public IReadOnlyList<FeatureProfile> Outputs { get; }

    /// <summary>Gets the number of rows profiled.</summary>
    public long RowCount { get; }

    /// <summary>Gets the summary sizes the profile was built with.</summary>
    public ProfileOptions Options { get; }

    /// <summary>Gets the model's reference performance, when one was stored.</summary>
    public PerformanceReference? Performance { get; }

    /// <summary>Gets the profile of a feature.</summary>
    /// <param name="name">The feature name (ordinal).</param>
    /// <returns>The feature's profile.</returns>
    /// <exception cref="KeyNotFoundException">The profile has no such feature.</exception>
    public FeatureProfile Feature(string name) =>
        _byName.TryGetValue(name, out var f) ? f : throw new KeyNotFoundException($"The profile has no feature '{name}'. Features: {string.Join(", ", _byName.Keys)}.");

    /// <summary>Returns a copy of this profile with a performance reference attached.</summary>
    /// <param name="performance">The performance reference.</param>
    /// <returns>The new profile.</returns>
    public ReferenceProfile WithPerformance(PerformanceReference performance) => new(Features, Outputs, RowCount, Options, performance);

    /// <summary>Profiles records through a fitted feature pipeline, and the model's outputs when a model is given.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records (typically the training data).</param>
    /// <param name="features">The fitted pipeline whose raw features are profiled.</param>
    /// <param name="model">The model whose outputs are profiled; none when omitted.</param>
    /// <param name="options">Summary sizes; defaults when omitted.</param>
    /// <returns>The profile.</returns>
    public static ReferenceProfile Create<T>(IEnumerable<T> records, IFittedFeaturePipeline<T> features, IModel? model = null, ProfileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(features);
        var builder = new ProfileBuilder(features.Schema.RawFeatures, model?.Signature.Outputs, options);
        var raw = new FieldValue[features.Schema.RawFeatures.Count];
        var vector = new float[features.Width];
        var outputs = new float[model?.Signature.Outputs.Count ?? 0];
        foreach (var record in records)
        {
            features.ExtractRaw(record, raw);
            if (model is not null)
            {
                features.Transform(record, vector);
                model.Predict(vector, outputs);
            }

            builder.Add(raw, outputs);
        }

        return builder.Build();
    }

    /// <summary>
    /// Merges two profiles of the same features: counts, ranges and moments exactly; sketches, samples and category
    /// counts within their stated error. The performance reference of <paramref name="first"/> is kept.
    /// </summary>
    /// <param name="first">The first profile.</param>
    /// <param name="second">The second profile.</param>
    /// <returns>The profile of both.</returns>
    /// <exception cref="ArgumentException">The profiles differ in features, outputs or summary sizes.</exception>
    public static ReferenceProfile Merge(ReferenceProfile first, ReferenceProfile second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Options.SketchK != second.Options.SketchK || first.Options.ReservoirSize != second.Options.ReservoirSize || first.Options.MaxCategories != second.Options.MaxCategories)
        {
            throw new ArgumentException("Profiles built with different summary sizes cannot be merged.", nameof(second));
        }

        if (first.Features.Count != second.Features.Count || first.Outputs.Count != second.Outputs.Count)
        {
            throw new ArgumentException($"The profiles differ in shape: {first.Features.Count} and {second.Features.Count} features, {first.Outputs.Count} and {second.Outputs.Count} outputs.", nameof(second));
        }

        var seed = (ulong)first.Options.Seed ^ (ulong)(first.RowCount * 31 + second.RowCount);
        var features = first.Features.Select((f, i) => f.Merge(second.Features[i], ProfileBuilder.Mix(seed, i))).ToArray();
        var outputs = first.Outputs.Select((f, i) => f.Merge(second.Outputs[i], ProfileBuilder.Mix(seed, 10_000 + i))).ToArray();
        return new ReferenceProfile(features, outputs, first.RowCount + second.RowCount, first.Options, first.Performance ?? second.Performance);
    }

    /// <summary>Saves the profile as versioned UTF-8 JSON.</summary>
    /// <param name="destination">The stream to write to.</param>
    public void Save(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Profiles.ProfileJson.Write(this, destination);
    }

    /// <summary>Loads a profile saved by <see cref="Save"/>.</summary>
    /// <param name="source">The stream to read.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="JsonException">The stream is not a profile, or is of an unknown format version, or is inconsistent.</exception>
    public static ReferenceProfile Load(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Profiles.ProfileJson.Read(source);
    }
}
