using MLSystemDesign.Data;

namespace MLSystemDesign.Features.Internal;

/// <summary>The fitted pipeline: a fixed array of fitted features, each writing its slice of the vector.</summary>
internal sealed class FittedFeaturePipeline<T> : IFittedFeaturePipeline<T>
{
    private readonly FittedFeature<T>[] _features;
    private readonly int[] _offsets;
    private readonly int[] _widths;

    public FittedFeaturePipeline(FittedFeature<T>[] features, long rows)
    {
        _features = features;
        _offsets = new int[features.Length];
        _widths = new int[features.Length];
        var width = 0;
        var slots = new List<FeatureSlot>();
        for (var i = 0; i < features.Length; i++)
        {
            _offsets[i] = width;
            foreach (var (name, kind) in features[i].Slots())
            {
                slots.Add(new FeatureSlot(slots.Count, name, features[i].Name, kind));
            }

            _widths[i] = features[i].Width;
            width += features[i].Width;
        }

        Width = width;
        Rows = rows;
        Schema = new FeatureSchema(
            features.Select(f => new RawFeature(f.Name, f.Kind)),
            slots);
    }

    public FeatureSchema Schema { get; }

    public int Width { get; }

    /// <summary>The number of records the pipeline was fitted on.</summary>
    public long Rows { get; }

    internal IReadOnlyList<FittedFeature<T>> Features => _features;

    public void Transform(T record, Span<float> destination)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        if (destination.Length < Width)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; the pipeline writes {Width}.", nameof(destination));
        }

        // One clear for the whole row: features then write only their non-zero slots (one-hot sets a single 1).
        destination = destination[..Width];
        destination.Clear();
        // Offsets and widths are read from arrays, not from the features, to spare a virtual call per feature (the
        // loop tests every array length so the JIT drops the bounds checks).
        var features = _features;
        var offsets = _offsets;
        var widths = _widths;
        for (var i = 0; i < features.Length && i < offsets.Length && i < widths.Length; i++)
        {
            features[i].Write(record, destination.Slice(offsets[i], widths[i]));
        }
    }

    public void TransformBatch(ReadOnlySpan<T> records, Span<float> destination)
    {
        if (destination.Length < (long)records.Length * Width)
        {
            throw new ArgumentException($"{records.Length} records need {(long)records.Length * Width} floats; the destination holds {destination.Length}.", nameof(destination));
        }

        for (var r = 0; r < records.Length; r++)
        {
            Transform(records[r], destination.Slice(r * Width, Width));
        }
    }

    public void ExtractRaw(T record, Span<FieldValue> destination)
    {
        if (destination.Length < _features.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; the pipeline has {_features.Length} raw features.", nameof(destination));
        }

        for (var i = 0; i < _features.Length; i++)
        {
            destination[i] = _features[i].Raw(record);
        }
    }

    public void Save(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        FittedPipelineJson.Save(destination, this);
    }
}
