using System.Runtime.InteropServices;
using MLSystemDesign.Features;
using MLSystemDesign.Models;

namespace MLSystemDesign.Training;

/// <summary>Builds <see cref="TrainingSet"/>s from records, a fitted feature pipeline and a label.</summary>
public static class TrainingSets
{
    /// <summary>Builds a binary classification set; the label is 1 when <paramref name="label"/> is true.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="features">The fitted pipeline.</param>
    /// <param name="label">The positive-class predicate.</param>
    /// <returns>The training set.</returns>
    public static TrainingSet Binary<T>(IReadOnlyList<T> records, IFittedFeaturePipeline<T> features, Func<T, bool> label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return Build(records, features, ModelTask.BinaryClassification, r => label(r) ? 1f : 0f, null);
    }

    /// <summary>Builds a regression set.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="features">The fitted pipeline.</param>
    /// <param name="label">The target; must be finite.</param>
    /// <returns>The training set.</returns>
    public static TrainingSet Regression<T>(IReadOnlyList<T> records, IFittedFeaturePipeline<T> features, Func<T, double> label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return Build(records, features, ModelTask.Regression, r => (float)label(r), null);
    }

    /// <summary>Builds a multiclass set; class indices follow <paramref name="classes"/>, or the sorted distinct labels when omitted.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="features">The fitted pipeline.</param>
    /// <param name="label">The class label.</param>
    /// <param name="classes">The class labels in index order; a record whose label is not listed is an error.</param>
    /// <returns>The training set, with <see cref="TrainingSet.ClassLabels"/> set.</returns>
    public static TrainingSet Multiclass<T>(IReadOnlyList<T> records, IFittedFeaturePipeline<T> features, Func<T, string> label, IReadOnlyList<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(label);
        classes ??= records.Select(label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < classes.Count; i++)
        {
            index[classes[i]] = i;
        }

        return Build(records, features, ModelTask.MulticlassClassification, r =>
        {
            var y = label(r);
            return y is not null && index.TryGetValue(y, out var i)
                ? i
                : throw new ArgumentException($"The label '{y}' is not one of the classes ({string.Join(", ", classes)}).", nameof(label));
        }, classes);
    }

    /// <summary>Builds a set for any task from a numeric label.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="features">The fitted pipeline.</param>
    /// <param name="task">The task.</param>
    /// <param name="label">The label: 0/1, a class index, or a target.</param>
    /// <param name="classLabels">Class label texts for multiclass, if known.</param>
    /// <returns>The training set.</returns>
    public static TrainingSet Build<T>(IReadOnlyList<T> records, IFittedFeaturePipeline<T> features, ModelTask task, Func<T, float> label, IReadOnlyList<string>? classLabels)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(label);
        var width = features.Width;
        var matrix = new float[(long)records.Count * width];
        var labels = new float[records.Count];
        var span = records switch
        {
            T[] array => array,
            List<T> list => CollectionsMarshal.AsSpan(list),
            _ => records.ToArray(),
        };
        features.TransformBatch(span, matrix);
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = label(span[i]);
        }

        return new TrainingSet(task, matrix, width, labels, features.Schema, classLabels: classLabels);
    }
}
