using System.Globalization;
using MLSystemDesign.Features;
using MLSystemDesign.Models;

namespace MLSystemDesign.Training;

/// <summary>
/// A labelled feature matrix: row-major features, one label per row, optional weights. Checked on creation:
/// every label must be finite and, for classification, a class index.
/// </summary>
public sealed class TrainingSet
{
    /// <summary>Creates a training set.</summary>
    /// <param name="task">The task the labels are for.</param>
    /// <param name="features">Row-major features, <paramref name="featureCount"/> per row.</param>
    /// <param name="featureCount">The width of a row.</param>
    /// <param name="labels">One label per row: 0/1 for binary, 0 … k-1 for multiclass, any finite number for regression.</param>
    /// <param name="schema">The feature schema, when the matrix came from a feature pipeline.</param>
    /// <param name="weights">One non-negative weight per row, or <see langword="null"/> for equal weights.</param>
    /// <param name="classLabels">For multiclass, the label text of each class index, when known.</param>
    /// <exception cref="ArgumentException">The sizes disagree, or a label or weight is invalid (the message names the row).</exception>
    public TrainingSet(
        ModelTask task,
        ReadOnlyMemory<float> features,
        int featureCount,
        ReadOnlyMemory<float> labels,
        FeatureSchema? schema = null,
        ReadOnlyMemory<float>? weights = null,
        IReadOnlyList<string>? classLabels = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (features.Length != (long)labels.Length * featureCount)
        {
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * featureCount} feature values at width {featureCount}; {features.Length} were given.", nameof(features));
        }

        if (schema is not null && schema.Width != featureCount)
        {
            throw new ArgumentException($"The feature schema has {schema.Width} slots but rows are {featureCount} wide.", nameof(schema));
        }

        if (weights is { } w && w.Length != labels.Length)
        {
            throw new ArgumentException($"{w.Length} weights were given for {labels.Length} rows.", nameof(weights));
        }

        var classCount = 0;
        var span = labels.Span;
        for (var i = 0; i < span.Length; i++)
        {
            var y = span[i];
            if (!float.IsFinite(y))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The label of row {i} is {y}; labels must be finite."), nameof(labels));
            }

            if (task != ModelTask.Regression)
            {
                if (y < 0 || y != MathF.Floor(y) || (task == ModelTask.BinaryClassification && y > 1))
                {
                    var expected = task == ModelTask.BinaryClassification ? "0 or 1" : "a class index 0, 1, 2, …";
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The label of row {i} is {y}; a {task} label must be {expected}."), nameof(labels));
                }

                classCount = Math.Max(classCount, (int)y + 1);
            }
        }

        if (weights is { } ws)
        {
            var wspan = ws.Span;
            for (var i = 0; i < wspan.Length; i++)
            {
                if (!(wspan[i] >= 0) || float.IsInfinity(wspan[i]))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The weight of row {i} is {wspan[i]}; weights must be finite and non-negative."), nameof(weights));
                }
            }
        }

        Task = task;
        Features = features;
        FeatureCount = featureCount;
        Labels = labels;
        Schema = schema;
        Weights = weights;
        ClassLabels = classLabels;
        ClassCount = task switch
        {
            ModelTask.BinaryClassification => 2,
            ModelTask.MulticlassClassification => Math.Max(classCount, classLabels?.Count ?? 0),
            _ => 0,
        };
    }

    /// <summary>Gets the task the labels are for.</summary>
    public ModelTask Task { get; }

    /// <summary>Gets the row-major features.</summary>
    public ReadOnlyMemory<float> Features { get; }

    /// <summary>Gets the width of a row.</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount => Labels.Length;

    /// <summary>Gets the labels.</summary>
    public ReadOnlyMemory<float> Labels { get; }

    /// <summary>Gets the row weights, if any.</summary>
    public ReadOnlyMemory<float>? Weights { get; }

    /// <summary>Gets the feature schema, if known.</summary>
    public FeatureSchema? Schema { get; }

    /// <summary>Gets the class label texts of a multiclass set, if known.</summary>
    public IReadOnlyList<string>? ClassLabels { get; }

    /// <summary>Gets the number of classes: 2 for binary, the largest label + 1 (or the label count) for multiclass, 0 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>Gets one row's features.</summary>
    /// <param name="row">The row index.</param>
    /// <returns>The row.</returns>
    public ReadOnlySpan<float> Row(int row) => Features.Span.Slice(row * FeatureCount, FeatureCount);
}
