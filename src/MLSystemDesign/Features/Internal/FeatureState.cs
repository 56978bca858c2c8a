namespace MLSystemDesign.Features.Internal;

/// <summary>What a fitted feature learned, as saved in the pipeline JSON. Only the members a feature kind uses are set.</summary>
internal sealed class FeatureState
{
    public long? Count { get; set; }

    public long? Missing { get; set; }

    public double? Mean { get; set; }

    public double? Std { get; set; }

    public double? Min { get; set; }

    public double? Max { get; set; }

    public double? Median { get; set; }

    public double? Fill { get; set; }

    public double? Shift { get; set; }

    public double? Divisor { get; set; }

    public List<string>? Vocabulary { get; set; }

    public List<long>? Frequencies { get; set; }

    public long? Distinct { get; set; }
}

/// <summary>One feature in the saved pipeline: its identity, its options' signature, and its state.</summary>
internal sealed class SavedFeature
{
    public string Name { get; set; } = string.Empty;

    public RawFeatureKind Kind { get; set; }

    public string Definition { get; set; } = string.Empty;

    public FeatureState State { get; set; } = new();
}

/// <summary>The saved pipeline document.</summary>
internal sealed class SavedPipeline
{
    public string Format { get; set; } = string.Empty;

    public int Version { get; set; }

    public string? RecordType { get; set; }

    public long Rows { get; set; }

    public int Width { get; set; }

    public List<SavedFeature> Features { get; set; } = [];
}
