namespace MLSystemDesign.Benchmarks;

/// <summary>A flight as benchmarks/data/flights-3m.parquet holds it.</summary>
public sealed record Flight
{
    /// <summary>Gets the scheduled departure.</summary>
    public DateTime Date { get; init; }

    /// <summary>Gets the delay in minutes.</summary>
    public long Delay { get; init; }

    /// <summary>Gets the distance in miles.</summary>
    public long Distance { get; init; }

    /// <summary>Gets the origin airport.</summary>
    public string Origin { get; init; } = string.Empty;

    /// <summary>Gets the destination airport.</summary>
    public string Destination { get; init; } = string.Empty;
}
