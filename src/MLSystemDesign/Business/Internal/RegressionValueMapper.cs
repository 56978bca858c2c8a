using System.Globalization;
using MLSystemDesign.Models;

namespace MLSystemDesign.Business.Internal;

/// <summary>A value function of a regression model's prediction and the actual value, summed over records.</summary>
internal sealed class RegressionValueMapper(string name, string unit, Func<double, double, double> value, string description) : IBusinessMetricMapper
{
    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public ModelTask Task => ModelTask.Regression;

    public string Description { get; } = $"{name}: {description}, in {unit}";

    public BusinessValue Realized(BusinessBatch batch, double confidence = 0.95)
    {
        var n = batch.Predictions.Length;
        if (n == 0 || batch.Labels.Length != n)
        {
            throw new ArgumentException($"Mapper '{Name}' needs one actual value per prediction (and at least one); got {batch.Labels.Length} for {n}.", nameof(batch));
        }

        double total = 0, squares = 0;
        for (var i = 0; i < n; i++)
        {
            double predicted = batch.Predictions[i], actual = batch.Labels[i];
            if (!double.IsFinite(predicted) || !double.IsFinite(actual))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: prediction {predicted} and actual {actual} must both be finite."), nameof(batch));
            }

            var v = value(predicted, actual);
            if (!double.IsFinite(v))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: the value function gave {v} for prediction {predicted} and actual {actual}."), nameof(batch));
            }

            total += v;
            squares += v * v;
        }

        return ValueResults.Create(this, estimated: false, n, total, ValueResults.RealizedVariance(n, total, squares), confidence, new Dictionary<string, double> { ["records"] = n },
            $"realized {Description}; the interval is the sampling error of a batch of {n} records");
    }

    public BusinessValue Expected(BusinessBatch batch, double confidence = 0.95) =>
        throw new NotSupportedException($"Mapper '{Name}' values a regression model, whose predictions are point values without a distribution of the outcome: its value can be realized from actual values, not estimated without them.");
}
