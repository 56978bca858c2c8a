using System.Globalization;
using MLSystemDesign.Models;
using MLSystemDesign.Monitoring.Performance;

namespace MLSystemDesign.Business.Internal;

/// <summary>A binary value matrix (optionally plus per-unit values): realized from labels, expected from calibrated probabilities as CBPE.</summary>
internal sealed class BinaryMatrixMapper(string name, string unit, BinaryValueModel model) : IBusinessMetricMapper
{
    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public ModelTask Task => ModelTask.BinaryClassification;

    public BinaryValueModel Model { get; } = model;

    public string Description => $"{Name}: {Model.Describe()}, in {Unit}; a record is predicted positive when its score reaches the threshold";

    public BusinessValue Realized(BusinessBatch batch, double confidence = 0.95)
    {
        var (scores, labels, quantities) = BinaryValueModel.Prepare(batch, labels: true, Model.PerUnit is not null, Name);
        var c = ExpectedConfusion.Of(labels, scores, batch.Threshold, quantities);
        var total = Model.Total(c);
        var variance = ValueResults.RealizedVariance(scores.Length, total, Model.SumOfSquares(c));
        return ValueResults.Create(this, estimated: false, scores.Length, total, variance, confidence, BinaryValueModel.Cells(c),
            string.Create(CultureInfo.InvariantCulture, $"realized {Model.Describe()} at threshold {batch.Threshold:G6}; the interval is the sampling error of a batch of {scores.Length} records"));
    }

    public BusinessValue Expected(BusinessBatch batch, double confidence = 0.95)
    {
        var (scores, probabilities, quantities) = BinaryValueModel.Prepare(batch, labels: false, Model.PerUnit is not null, Name);
        var c = ExpectedConfusion.Of(probabilities, scores, batch.Threshold, quantities);
        return ValueResults.Create(this, estimated: true, scores.Length, Model.Total(c), Model.Variance(c), confidence, BinaryValueModel.Cells(c),
            string.Create(CultureInfo.InvariantCulture, $"expected {Model.Describe()} at threshold {batch.Threshold:G6} from {(batch.Probabilities.IsEmpty ? "the scores taken as calibrated probabilities" : "calibrated probabilities")} (CBPE's expected confusion matrix); the interval is how far the realized total strays when the outcomes follow those probabilities"));
    }
}
