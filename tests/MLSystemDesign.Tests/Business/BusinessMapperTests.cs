using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Business;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Tests.Business;

public sealed class BusinessMapperTests
{
    // A small table: scores, labels and passengers of eight flights; threshold 0.5.
    private static readonly float[] Scores = [0.9f, 0.8f, 0.7f, 0.6f, 0.4f, 0.3f, 0.2f, 0.1f];
    private static readonly float[] Labels = [1, 0, 1, 1, 0, 1, 0, 0];
    private static readonly double[] Passengers = [100, 150, 80, 120, 90, 200, 60, 110];

    [Fact]
    public void Realized_BinaryMatrix_EqualsTheHandComputation()
    {
        // TP = 3 (rows 0, 2, 3), FP = 1 (row 1), FN = 1 (row 5), TN = 3 (rows 4, 6, 7).
        var mapper = BusinessMappers.ValueMatrix("delay-cost", ConfusionValueMatrix.Binary(trueNegative: 0, falsePositive: -20, falseNegative: -300, truePositive: -80), "EUR");
        var value = mapper.Realized(new BusinessBatch { Predictions = Scores, Labels = Labels });
        Assert.Equal(3 * -80 + 1 * -20 + 1 * -300 + 3 * 0, value.Total);
        Assert.Equal(-560.0 / 8, value.PerRecord);
        Assert.Equal(3, value.Breakdown["tp"]);
        Assert.Equal(1, value.Breakdown["fp"]);
        Assert.Equal(1, value.Breakdown["fn"]);
        Assert.Equal(3, value.Breakdown["tn"]);
        Assert.False(value.Estimated);

        // The sampling error of the total: √n · s, s the sample standard deviation of the per-record values.
        double[] perRecord = [-80, -20, -80, -80, 0, -300, 0, 0];
        var mean = perRecord.Average();
        var s = Math.Sqrt(perRecord.Sum(v => (v - mean) * (v - mean)) / 7);
        Assert.Equal(Math.Sqrt(8) * s, value.StandardError, 9);
        Assert.Equal(value.Total - 1.959963984540054 * value.StandardError, value.Lower, 9);
    }

    [Fact]
    public void Realized_PerUnitValues_UseEachRecordsQuantity()
    {
        // A missed delay costs 50 EUR plus 2 EUR per passenger; an alert costs 10 EUR whatever happens.
        var mapper = BusinessMappers.ValueMatrix("delay-cost",
            ConfusionValueMatrix.Binary(trueNegative: 0, falsePositive: -10, falseNegative: -50, truePositive: -10), "EUR",
            perUnit: ConfusionValueMatrix.Binary(trueNegative: 0, falsePositive: 0, falseNegative: -2, truePositive: 0));
        var value = mapper.Realized(new BusinessBatch { Predictions = Scores, Labels = Labels, Quantities = Passengers });
        Assert.Equal(4 * -10 + (-50 - 2 * 200), value.Total); // four alerts, one missed delay with 200 passengers
        Assert.Contains("needs one quantity per prediction", Assert.Throws<ArgumentException>(() => mapper.Realized(new BusinessBatch { Predictions = Scores, Labels = Labels })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Realized_Multiclass_EqualsTheHandComputation()
    {
        var matrix = ConfusionValueMatrix.FromActualByPredicted([[5, -1, -2], [-1, 3, -1], [-4, -4, 10]]);
        var mapper = BusinessMappers.ValueMatrix("weather", matrix);
        float[] probabilities = [0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f, 0.3f, 0.4f, 0.3f];
        var value = mapper.Realized(new BusinessBatch { Predictions = probabilities, Labels = [0, 2, 2], ClassCount = 3 });
        Assert.Equal(5 + 10 + -4, value.Total); // predicted 0, 2, 1; actual 0, 2, 2
        Assert.Equal(1, value.Breakdown["actual_2_predicted_1"]);

        var expected = mapper.Expected(new BusinessBatch { Predictions = probabilities, ClassCount = 3 });
        Assert.Equal(0.7 * 5 + 0.2 * -1 + 0.1 * -4 + (0.1 * -2 + 0.1 * -1 + 0.8 * 10) + (0.3 * -1 + 0.4 * 3 + 0.3 * -4), expected.Total, 5);
    }

    [Fact]
    public void Realized_Regression_AsymmetricLossAndNewsvendor()
    {
        float[] predicted = [10, 12, 8];
        float[] actual = [12, 12, 5];
        var loss = BusinessMappers.AsymmetricLoss("stock-out", underCost: 5, overCost: 1, "EUR");
        Assert.Equal(-(5 * 2 + 0 + 1 * 3), loss.Realized(new BusinessBatch { Predictions = predicted, Labels = actual }).Total);
        var newsvendor = BusinessMappers.PerUnitValue("bakery", pricePerUnit: 3, costPerUnit: 1, "EUR");
        Assert.Equal(3 * 10 - 10 + 3 * 12 - 12 + 3 * 5 - 8, newsvendor.Realized(new BusinessBatch { Predictions = predicted, Labels = actual }).Total);
        Assert.Contains("point values", Assert.Throws<NotSupportedException>(() => loss.Expected(new BusinessBatch { Predictions = predicted })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_MapsTheMetric_AndStatesItsAssumption()
    {
        var proxy = BusinessMappers.Proxy("rebookings-saved", "recall", slope: 1200, intercept: 0, "each missed delay costs a manual rebooking; 1,200 delays a month (2001 operations report)", "rebookings per month");
        var realized = proxy.Realized(new BusinessBatch { Predictions = Scores, Labels = Labels });
        Assert.Equal(1200 * 0.75, realized.Total, 9); // recall 3 / 4
        Assert.Contains("Assumption: each missed delay", realized.Explanation, StringComparison.Ordinal);
        Assert.True(double.IsNaN(realized.Lower));
        var expected = proxy.Expected(new BusinessBatch { Predictions = Scores });
        Assert.True(expected.Estimated);
        Assert.Throws<NotSupportedException>(() => BusinessMappers.Proxy("x", "log_loss", 1, 0, "a", "b").Expected(new BusinessBatch { Predictions = Scores }));
    }

    [Fact]
    public void Expected_CalibratedProbabilities_IntervalCoversTheRealizedValue()
    {
        // Outcomes drawn from the probabilities: the realized total falls inside the 95 % interval about 95 % of the time.
        var random = new Random(11);
        var mapper = BusinessMappers.ValueMatrix("cost", ConfusionValueMatrix.Binary(0, -20, -300, -80));
        var probabilities = Enumerable.Range(0, 2000).Select(_ => (float)Math.Pow(random.NextDouble(), 2)).ToArray();
        var expected = mapper.Expected(new BusinessBatch { Predictions = probabilities });
        var covered = 0;
        const int trials = 400;
        for (var t = 0; t < trials; t++)
        {
            var labels = probabilities.Select(p => random.NextDouble() < p ? 1f : 0f).ToArray();
            covered += expected.IntervalContains(mapper.Realized(new BusinessBatch { Predictions = probabilities, Labels = labels }).Total) ? 1 : 0;
        }

        Assert.InRange(covered / (double)trials, 0.92, 0.98);
    }

    [Fact]
    public void EstimateValue_MiscalibratedModel_UsesTheReferencesCalibration()
    {
        var (truth, labels) = MLSystemDesign.Tests.Monitoring.PerformanceEstimationTests.Draw(60_000, seed: 2, skew: 1.0);
        var reported = truth.Select(p => (float)(0.5 + (p - 0.5) * 0.3)).ToArray();
        var reference = PerformanceReference.Create(reported.AsSpan(0, 30_000), labels.AsSpan(0, 30_000), chunkSize: 3000);
        var mapper = BusinessMappers.ValueMatrix("cost", ConfusionValueMatrix.Binary(0, -20, -300, -80));
        var live = reported.AsSpan(30_000);
        var realized = mapper.Realized(new BusinessBatch { Predictions = live, Labels = labels.AsSpan(30_000), Threshold = reference.Threshold });
        var estimated = reference.EstimateValue(mapper, live);
        var raw = mapper.Expected(new BusinessBatch { Predictions = live, Threshold = reference.Threshold });
        Assert.True(estimated.IntervalContains(realized.Total), $"realized {realized.Total}, estimated {estimated}");
        Assert.False(raw.IntervalContains(realized.Total), $"realized {realized.Total}, uncalibrated {raw}");
    }

    [Fact]
    public void ValueMatrix_WrongShape_NamesTheCellOrder()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConfusionValueMatrix.FromActualByPredicted([[0, -20, 5], [-300, -80]]));
        Assert.Contains("[[TN, FP], [FN, TP]]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Row 0 of the value matrix has 3 cells", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at least two classes", Assert.Throws<ArgumentException>(() => ConfusionValueMatrix.FromActualByPredicted([[1.0]])).Message, StringComparison.Ordinal);
        Assert.Contains("tn,fp,fn,tp", Assert.Throws<FormatException>(() => ConfusionValueMatrix.ParseBinary("1,2,3")).Message, StringComparison.Ordinal);
        Assert.Contains("The fn value 'x'", Assert.Throws<FormatException>(() => ConfusionValueMatrix.ParseBinary("1,2,x,4")).Message, StringComparison.Ordinal);
        Assert.Contains("Cell [1, 0]", Assert.Throws<ArgumentException>(() => ConfusionValueMatrix.Binary(0, 1, double.NaN, 2)).Message, StringComparison.Ordinal);
        var parsed = ConfusionValueMatrix.ParseBinary("0, -20, -300, -80");
        Assert.Equal((0.0, -20.0, -300.0, -80.0), (parsed.TrueNegative, parsed.FalsePositive, parsed.FalseNegative, parsed.TruePositive));
        Assert.Equal(-20, parsed[0, 1]);
    }

    [Fact]
    public void Realized_BadLabels_NameTheRow()
    {
        var mapper = BusinessMappers.ValueMatrix("cost", ConfusionValueMatrix.Binary(0, -1, -1, 0));
        Assert.Contains("Row 1: the label 2 is not 0 or 1", Assert.Throws<ArgumentException>(() => mapper.Realized(new BusinessBatch { Predictions = [0.1f, 0.2f], Labels = [0, 2] })).Message, StringComparison.Ordinal);
        Assert.Contains("needs one label per prediction", Assert.Throws<ArgumentException>(() => mapper.Realized(new BusinessBatch { Predictions = [0.1f, 0.2f] })).Message, StringComparison.Ordinal);
        Assert.Contains("Probability 0 is 1.5", Assert.Throws<ArgumentException>(() => mapper.Expected(new BusinessBatch { Predictions = [1.5f] })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mappers_AreRegisteredInDi_AndChosenByName()
    {
        using var services = new ServiceCollection()
            .AddMLSystem(ml => ml
                .AddBusinessMapper(BusinessMappers.ValueMatrix("delay-cost", ConfusionValueMatrix.Binary(0, -20, -300, -80), "EUR"))
                .AddBusinessMapper(BusinessMappers.AsymmetricLoss("stock-out", 5, 1)))
            .BuildServiceProvider();
        var resolver = services.GetRequiredService<IBusinessMetricMapperResolver>();
        Assert.Equal(["delay-cost", "stock-out"], resolver.Names.Order(StringComparer.Ordinal));
        Assert.Equal("EUR", resolver.Get("DELAY-COST").Unit);
        Assert.Contains("Registered: delay-cost, stock-out", Assert.Throws<KeyNotFoundException>(() => resolver.Get("nope")).Message, StringComparison.Ordinal);

        using var twice = new ServiceCollection()
            .AddMLSystem(ml => ml.AddBusinessMapper(BusinessMappers.AsymmetricLoss("same", 1, 1)).AddBusinessMapper(BusinessMappers.AsymmetricLoss("same", 2, 2)))
            .BuildServiceProvider();
        Assert.Contains("Two business-metric mappers are named 'same'", Assert.Throws<InvalidOperationException>(() => twice.GetRequiredService<IBusinessMetricMapperResolver>()).Message, StringComparison.Ordinal);
    }
}
