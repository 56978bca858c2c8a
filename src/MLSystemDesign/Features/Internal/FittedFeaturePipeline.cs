using MLSystemDesign.Data;

namespace MLSystemDesign.Features.Internal;

/// <summary>
/// The fitted pipeline: a fixed array of fitted features, each writing its slice of the vector. For the transform the
/// features are laid out by kind in flat step arrays (numeric, one-hot, other), so a record costs one selector call per
/// feature and no virtual dispatch for the common kinds.
/// </summary>
internal sealed class FittedFeaturePipeline<T> : IFittedFeaturePipeline<T>
{
    private readonly FittedFeature<T>[] _features;
    private readonly NumericStep<T>[] _numeric;
    private readonly OneHotStep<T>[] _oneHot;
    private readonly OtherStep[] _other;

    public FittedFeaturePipeline(FittedFeature<T>[] features, long rows)
    {
        _features = features;
        var width = 0;
        var slots = new List<FeatureSlot>();
        var numeric = new List<NumericStep<T>>();
        var oneHot = new List<OneHotStep<T>>();
        var other = new List<OtherStep>();
        foreach (var feature in features)
        {
            foreach (var (name, kind) in feature.Slots())
            {
                slots.Add(new FeatureSlot(slots.Count, name, feature.Name, kind));
            }

            switch (feature)
            {
                case FittedNumeric<T> n:
                    numeric.Add(n.Step(width));
                    break;
                case FittedOneHot<T> o:
                    oneHot.Add(o.Step(width));
                    break;
                default:
                    other.Add(new OtherStep(feature, width));
                    break;
            }

            width += feature.Width;
        }

        _numeric = [.. numeric];
        _oneHot = [.. oneHot];
        _other = [.. other];
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
        if (destination.Length < Width)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; the pipeline writes {Width}.", nameof(destination));
        }

        // One clear for the whole row: features then write only their non-zero slots (one-hot sets a single 1).
        destination = destination[..Width];
        FeatureRows.Clear(destination);
        Write(record ?? throw new ArgumentNullException(nameof(record)), destination);
    }

    public void TransformBatch(ReadOnlySpan<T> records, Span<float> destination)
    {
        var width = Width;
        if (destination.Length < (long)records.Length * width)
        {
            throw new ArgumentException($"{records.Length} records need {(long)records.Length * width} floats; the destination holds {destination.Length}.", nameof(destination));
        }

        // Row by row, clear then write, so the non-zero slots land in lines the clear has just brought into L1 (one clear
        // of a whole 256-row matrix first was 15 % slower: the matrix lives in L2).
        for (var r = 0; r < records.Length; r++)
        {
            var row = destination.Slice(r * width, width);
            FeatureRows.Clear(row);
            Write(records[r] ?? throw new ArgumentNullException(nameof(records), $"Record {r} of the batch is null."), row);
        }
    }

    /// <summary>Writes the non-zero slots of one record into a zeroed row of exactly <see cref="Width"/> floats.</summary>
    private void Write(T record, Span<float> row)
    {
        foreach (ref readonly var step in _numeric.AsSpan())
        {
            step.Write(record, row);
        }

        foreach (ref readonly var step in _oneHot.AsSpan())
        {
            step.Write(record, row);
        }

        foreach (ref readonly var step in _other.AsSpan())
        {
            step.Feature.Write(record, row.Slice(step.Offset, step.Feature.Width));
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

    /// <summary>Any other feature writes its own slice.</summary>
    private readonly record struct OtherStep(FittedFeature<T> Feature, int Offset);
}
