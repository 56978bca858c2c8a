using MLSystemDesign.Models;

namespace MLSystemDesign.Business;

/// <summary>
/// Maps a model's predictions to business value: a cost or value matrix over the confusion matrix, a value function of
/// prediction and outcome, or a proxy from an ML metric to a KPI. An open set: mappers are registered in the service
/// collection and chosen by name.
/// </summary>
public interface IBusinessMetricMapper
{
    /// <summary>Gets the mapper's name, e.g. <c>flight-delay-cost</c>.</summary>
    string Name { get; }

    /// <summary>Gets the unit of the value, e.g. <c>EUR</c>.</summary>
    string Unit { get; }

    /// <summary>Gets the task of the models it maps.</summary>
    ModelTask Task { get; }

    /// <summary>Gets the mapping in words: the cell values in their named order, the value function, or the proxy and its assumption.</summary>
    string Description { get; }

    /// <summary>Computes the realized value of a labelled batch.</summary>
    /// <param name="batch">The predictions and their outcomes.</param>
    /// <param name="confidence">The confidence level of the interval. Default 0.95.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The batch has no labels, its spans disagree in length, or a value is out of range (the message names the row).</exception>
    BusinessValue Realized(BusinessBatch batch, double confidence = 0.95);

    /// <summary>Estimates the value of a batch without labels, from calibrated probabilities, with a confidence interval.</summary>
    /// <param name="batch">The predictions (and calibrated probabilities, when the scores are not).</param>
    /// <param name="confidence">The confidence level of the interval. Default 0.95.</param>
    /// <returns>The expected value.</returns>
    /// <exception cref="NotSupportedException">The mapper cannot estimate without labels (a regression value function: the model gives no distribution).</exception>
    /// <exception cref="ArgumentException">The spans disagree in length or a probability lies outside [0, 1].</exception>
    BusinessValue Expected(BusinessBatch batch, double confidence = 0.95);
}

/// <summary>Finds the registered business-metric mappers by name.</summary>
public interface IBusinessMetricMapperResolver
{
    /// <summary>Gets the names of the registered mappers.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>Gets a mapper by name (case-insensitive).</summary>
    /// <param name="name">The mapper's name.</param>
    /// <returns>The mapper.</returns>
    /// <exception cref="KeyNotFoundException">No mapper has that name; the message lists those that do.</exception>
    IBusinessMetricMapper Get(string name);
}
