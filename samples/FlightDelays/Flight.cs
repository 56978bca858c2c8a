namespace FlightDelays;

/// <summary>A scheduled US domestic flight, as the Parquet file holds it (columns map by property name).</summary>
public sealed record Flight
{
    /// <summary>Gets the scheduled departure.</summary>
    public DateTime Date { get; init; }

    /// <summary>Gets the departure delay in minutes (negative: early).</summary>
    public long Delay { get; init; }

    /// <summary>Gets the distance in miles.</summary>
    public long Distance { get; init; }

    /// <summary>Gets the origin airport's IATA code.</summary>
    public string Origin { get; init; } = string.Empty;

    /// <summary>Gets the destination airport's IATA code.</summary>
    public string Destination { get; init; } = string.Empty;

    /// <summary>Gets whether the flight left more than 15 minutes late: the label.</summary>
    public bool Late => Delay > 15;
}
