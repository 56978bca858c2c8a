using MLSystemDesign.Models;

namespace MLSystemDesign.Business;

/// <summary>
/// A batch of predictions (and, when known, their outcomes) for a business-metric mapper. What the spans hold follows
/// the model's task: for a binary classifier one score per row (the probability of class 1, or any score the decision
/// threshold applies to); for a multiclass classifier <see cref="ClassCount"/> probabilities per row, row-major; for a
/// regression model the predicted value.
/// </summary>
public readonly ref struct BusinessBatch
{
    /// <summary>Gets the model's outputs, as described on the type.</summary>
    public ReadOnlySpan<float> Predictions { get; init; }

    /// <summary>Gets the outcomes (0/1, a class index, or the actual value); empty when not known yet.</summary>
    public ReadOnlySpan<float> Labels { get; init; }

    /// <summary>
    /// Gets the calibrated probability of class 1 per row, for expected value without labels (binary); empty when the
    /// predictions are themselves calibrated probabilities. A model decides by its scores, the labels follow these.
    /// </summary>
    public ReadOnlySpan<float> Probabilities { get; init; }

    /// <summary>Gets a quantity per record that a mapper's per-unit values multiply (a flight's passengers); empty when there is none.</summary>
    public ReadOnlySpan<double> Quantities { get; init; }

    /// <summary>Gets the binary decision threshold: a row is predicted positive when its score reaches it. Default 0.5.</summary>
    public double Threshold { get; init; }

    /// <summary>Gets the number of classes of a multiclass batch (0 otherwise).</summary>
    public int ClassCount { get; init; }

    /// <summary>Creates an empty batch with the default threshold of 0.5.</summary>
    public BusinessBatch() => Threshold = 0.5;

    /// <summary>Gets the number of rows for a model of the given task.</summary>
    /// <param name="task">The model's task.</param>
    /// <returns>The row count.</returns>
    /// <exception cref="ArgumentException">A multiclass batch without a class count, or predictions that do not divide into rows.</exception>
    public int RowCount(ModelTask task)
    {
        if (task != ModelTask.MulticlassClassification)
        {
            return Predictions.Length;
        }

        if (ClassCount < 2)
        {
            throw new ArgumentException($"A multiclass batch needs its class count (at least 2); it is {ClassCount}.");
        }

        return Predictions.Length % ClassCount == 0
            ? Predictions.Length / ClassCount
            : throw new ArgumentException($"{Predictions.Length} probabilities do not divide into rows of {ClassCount} classes.");
    }
}
