using System.Globalization;
using MLSystemDesign.Business.Internal;

namespace MLSystemDesign.Business;

/// <summary>Creates the built-in business-metric mappers. Register them with <c>ml.AddBusinessMapper(...)</c> to choose them by name.</summary>
public static class BusinessMappers
{
    /// <summary>
    /// A value matrix over the confusion matrix (binary or multiclass, by its size), laid out actual by predicted
    /// (<see cref="ConfusionValueMatrix.Layout"/>). For a binary model, <paramref name="perUnit"/> adds, per cell, a value
    /// times the record's quantity (<see cref="BusinessBatch.Quantities"/>): a delayed flight costs a fixed fee plus an
    /// amount per passenger.
    /// </summary>
    /// <param name="name">The mapper's name.</param>
    /// <param name="values">The value of each cell (negative for costs).</param>
    /// <param name="unit">The unit, e.g. <c>EUR</c>. Default "value".</param>
    /// <param name="perUnit">The value per unit of the record's quantity, per cell (binary only); none by default.</param>
    /// <returns>The mapper.</returns>
    /// <exception cref="ArgumentException">An empty name, or a per-unit matrix of another size or for a multiclass matrix.</exception>
    public static IBusinessMetricMapper ValueMatrix(string name, ConfusionValueMatrix values, string unit = "value", ConfusionValueMatrix? perUnit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentException.ThrowIfNullOrWhiteSpace(unit);
        if (values.ClassCount == 2)
        {
            if (perUnit is not null && perUnit.ClassCount != 2)
            {
                throw new ArgumentException($"The per-unit matrix has {perUnit.ClassCount} classes; the value matrix has 2.", nameof(perUnit));
            }

            return new BinaryMatrixMapper(name, unit, new BinaryValueModel(values, perUnit));
        }

        if (perUnit is not null)
        {
            throw new ArgumentException("Per-unit values are supported for binary matrices; scale a multiclass matrix's values instead.", nameof(perUnit));
        }

        return new MulticlassMatrixMapper(name, unit, values);
    }

    /// <summary>
    /// An asymmetric linear loss for a regression model: each unit of under-prediction costs <paramref name="underCost"/>,
    /// each unit of over-prediction <paramref name="overCost"/>; the value is the negative cost.
    /// </summary>
    /// <param name="name">The mapper's name.</param>
    /// <param name="underCost">The cost per unit the prediction falls short of the actual (non-negative).</param>
    /// <param name="overCost">The cost per unit the prediction exceeds the actual (non-negative).</param>
    /// <param name="unit">The unit. Default "value".</param>
    /// <returns>The mapper.</returns>
    public static IBusinessMetricMapper AsymmetricLoss(string name, double underCost, double overCost, string unit = "value")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        CheckNonNegative(underCost, nameof(underCost));
        CheckNonNegative(overCost, nameof(overCost));
        return new RegressionValueMapper(name, unit, (predicted, actual) => -(underCost * Math.Max(0, actual - predicted) + overCost * Math.Max(0, predicted - actual)),
            string.Create(CultureInfo.InvariantCulture, $"asymmetric loss, −({underCost:G6} per unit under-predicted + {overCost:G6} per unit over-predicted)"));
    }

    /// <summary>
    /// A per-unit value for a regression model that decides a quantity (the newsvendor): stocking the predicted quantity
    /// costs <paramref name="costPerUnit"/> each, and each unit of demand met earns <paramref name="pricePerUnit"/>:
    /// value = price · min(predicted, actual) − cost · predicted.
    /// </summary>
    /// <param name="name">The mapper's name.</param>
    /// <param name="pricePerUnit">What a unit of met demand earns.</param>
    /// <param name="costPerUnit">What a unit provided costs.</param>
    /// <param name="unit">The unit. Default "value".</param>
    /// <returns>The mapper.</returns>
    public static IBusinessMetricMapper PerUnitValue(string name, double pricePerUnit, double costPerUnit, string unit = "value")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        CheckNonNegative(pricePerUnit, nameof(pricePerUnit));
        CheckNonNegative(costPerUnit, nameof(costPerUnit));
        return new RegressionValueMapper(name, unit, (predicted, actual) => pricePerUnit * Math.Min(predicted, actual) - costPerUnit * predicted,
            string.Create(CultureInfo.InvariantCulture, $"per-unit value, {pricePerUnit:G6} × min(predicted, actual) − {costPerUnit:G6} × predicted"));
    }

    /// <summary>Any value function of a regression model's prediction and the actual value, summed over records.</summary>
    /// <param name="name">The mapper's name.</param>
    /// <param name="value">The value of one record: (predicted, actual) → value.</param>
    /// <param name="description">What the function is, in words.</param>
    /// <param name="unit">The unit. Default "value".</param>
    /// <returns>The mapper.</returns>
    public static IBusinessMetricMapper Regression(string name, Func<double, double, double> value, string description, string unit = "value")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return new RegressionValueMapper(name, unit, value, description);
    }

    /// <summary>
    /// A proxy from an ML metric of a binary classifier to a KPI, declared with its assumption:
    /// KPI = <paramref name="intercept"/> + <paramref name="slope"/> · metric. Realized from the metric on labelled
    /// outcomes; expected from CBPE's estimate of it (accuracy, precision, recall, F1, AUC).
    /// </summary>
    /// <param name="name">The mapper's name.</param>
    /// <param name="metric">The metric (see <c>MetricNames</c>), e.g. <c>recall</c>.</param>
    /// <param name="slope">The KPI per unit of the metric.</param>
    /// <param name="intercept">The KPI at a metric of 0.</param>
    /// <param name="assumption">Why the metric moves the KPI this way, and where the numbers come from.</param>
    /// <param name="unit">The KPI's unit.</param>
    /// <returns>The mapper.</returns>
    public static IBusinessMetricMapper Proxy(string name, string metric, double slope, double intercept, string assumption, string unit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentException.ThrowIfNullOrWhiteSpace(assumption);
        ArgumentException.ThrowIfNullOrWhiteSpace(unit);
        if (!double.IsFinite(slope) || !double.IsFinite(intercept))
        {
            throw new ArgumentException("A proxy's slope and intercept must be finite.", nameof(slope));
        }

        return new ProxyMapper(name, unit, metric, slope, intercept, assumption);
    }

    private static void CheckNonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be finite and non-negative.");
        }
    }
}
