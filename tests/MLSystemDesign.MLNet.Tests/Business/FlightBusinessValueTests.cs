using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Business;
using MLSystemDesign.Features;
using MLSystemDesign.Models;
using MLSystemDesign.Monitoring;
using MLSystemDesign.Tests;
using MLSystemDesign.Training;
using Xunit.Abstractions;

namespace MLSystemDesign.MLNet.Tests.Business;

/// <summary>
/// Business value on real flights, as the FlightDelays sample's monitor replays them: a model trained on January–February,
/// March (labelled, unseen in training) as the reference that calibrates CBPE, then April–June scored month by month.
/// The label-free expected value of each month must land within its interval of the value realized once the outcomes
/// are known.
/// </summary>
public sealed class FlightBusinessValueTests(ITestOutputHelper output)
{
    /// <summary>A false alert costs 20 (standby crew); a late flight costs 100 when it was alerted (rebooked in time), 300 when it was not.</summary>
    private static readonly ConfusionValueMatrix Costs = ConfusionValueMatrix.Binary(trueNegative: 0, falsePositive: -20, falseNegative: -300, truePositive: -100);

    [Fact]
    public async Task ExpectedValue_AprilToJune_LandsWithinItsIntervalOfTheRealizedValue()
    {
        var flights = await TestData.LoadFlightsAsync();
        var features = FeaturePipeline.For<Flight>()
            .Numeric("hour", f => f.Date.Hour)
            .Numeric("weekday", f => (double)f.Date.DayOfWeek)
            .Numeric("month", f => f.Date.Month)
            .Numeric("distance", f => f.Distance, o => o.Scaling = NumericScaling.ZScore)
            .Categorical("origin", f => f.Origin, o => o.MaxCategories = 60)
            .Categorical("destination", f => f.Destination, o => o.MaxCategories = 60)
            .Build()
            .Fit(flights.Where(f => f.Date.Month <= 2));
        using var services = new ServiceCollection().AddMLSystem(ml => ml.AddMLNet().Configure(o => o.Seed = 2001)).BuildServiceProvider();
        var trainer = services.GetRequiredService<ITrainerCatalog>().Create("lightgbm", ModelTask.BinaryClassification);
        var model = await trainer.TrainAsync(TrainingSets.Binary(flights.Where(f => f.Date.Month <= 2).ToList(), features, f => f.Late));

        var (marchScores, marchLabels) = Score(flights.Where(f => f.Date.Month == 3).ToList(), features, model);
        var reference = PerformanceReference.Create(marchScores, marchLabels, chunkSize: 1000);
        var mapper = BusinessMappers.ValueMatrix("delay-cost", Costs, "EUR");
        output.WriteLine($"March: late rate {marchLabels.Average():0.000}, prevalence drift between its chunks {reference.PrevalenceDrift:0.0000}");
        output.WriteLine($"month   expected (95 % interval)              label noise only             realized   late rate");
        foreach (var month in new[] { 4, 5, 6 })
        {
            var (scores, labels) = Score(flights.Where(f => f.Date.Month == month).ToList(), features, model);
            var expected = reference.EstimateValue(mapper, scores);
            var realized = mapper.Realized(new BusinessBatch { Predictions = scores, Labels = labels, Threshold = reference.Threshold });
            var calibrated = scores.Select(p => (float)reference.Calibrate(p)).ToArray();
            var labelNoiseOnly = mapper.Expected(new BusinessBatch { Predictions = scores, Probabilities = calibrated, Threshold = reference.Threshold });
            output.WriteLine($"{month,5}   {expected.Total,9:N0} ({expected.Lower,9:N0} to {expected.Upper,9:N0})   ({labelNoiseOnly.Lower,9:N0} to {labelNoiseOnly.Upper,9:N0})   {realized.Total,9:N0}   {labels.Average(),6:0.000}");
            Assert.Equal(labelNoiseOnly.Total, expected.Total);
            Assert.True(expected.IntervalContains(realized.Total), $"Month {month}: {expected}; realized {realized.Total:N0}.");
        }
    }

    private static (float[] Scores, float[] Labels) Score(IReadOnlyList<Flight> flights, IFittedFeaturePipeline<Flight> features, IModel model)
    {
        var row = new float[features.Width];
        var output = new float[model.Signature.OutputWidth];
        var slot = Evaluation.ModelEvaluator.ProbabilitySlot(model.Signature);
        var scores = new float[flights.Count];
        var labels = new float[flights.Count];
        for (var i = 0; i < flights.Count; i++)
        {
            features.Transform(flights[i], row);
            model.Predict(row, output);
            scores[i] = output[slot];
            labels[i] = flights[i].Late ? 1 : 0;
        }

        return (scores, labels);
    }
}
