using MLSystemDesign.Expectations;
using MLSystemDesign.Features;

namespace FlightDelays;

/// <summary>The data contract and the features of the flight-delay model, declared once and shared by every step.</summary>
public static class FlightModel
{
    /// <summary>What a flight record must look like before it is trained on or scored.</summary>
    public static ExpectationSuite Expectations { get; } = Expect.For<Flight>()
        .Field(f => f.Date, e => e.Required())
        .Field(f => f.Distance, e => e.Required().Between(1, 6_000))
        .Field(f => f.Delay, e => e.Required().Between(-180, 2_000))
        .Field(f => f.Origin, e => e.Required())
        .Field(f => f.Destination, e => e.Required())
        .Build("flights");

    /// <summary>
    /// The features: hour, weekday and month derived from the departure time, the distance (z-scored), and the origin and
    /// destination airports one-hot encoded (the 60 busiest of each, the rest in an other slot).
    /// </summary>
    public static FeaturePipeline<Flight> Features { get; } = FeaturePipeline.For<Flight>()
        .Numeric("hour", f => f.Date.Hour)
        .Numeric("weekday", f => (double)f.Date.DayOfWeek)
        .Numeric("month", f => f.Date.Month)
        .Numeric("distance", f => f.Distance, o => o.Scaling = NumericScaling.ZScore)
        .Categorical("origin", f => f.Origin, o => o.MaxCategories = 60)
        .Categorical("destination", f => f.Destination, o => o.MaxCategories = 60)
        .Build();
}
