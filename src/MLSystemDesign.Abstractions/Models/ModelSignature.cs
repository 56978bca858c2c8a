using System.Collections.ObjectModel;
using System.Globalization;

namespace MLSystemDesign.Models;

/// <summary>What a model does.</summary>
public enum ModelTask
{
    /// <summary>Predicts a number.</summary>
    Regression,

    /// <summary>Predicts one of two classes (labels 0 and 1).</summary>
    BinaryClassification,

    /// <summary>Predicts one of k classes (labels 0 … k-1).</summary>
    MulticlassClassification,
}

/// <summary>A model's contract: how wide its input is, what task it does, and what each output slot means.</summary>
public sealed class ModelSignature : IEquatable<ModelSignature>
{
    /// <summary>The output name of a raw score.</summary>
    public const string ScoreOutput = "score";

    /// <summary>The output name of a binary classifier's probability of class 1.</summary>
    public const string ProbabilityOutput = "probability";

    /// <summary>Creates a signature.</summary>
    /// <param name="inputWidth">The feature vector length; positive.</param>
    /// <param name="task">The task.</param>
    /// <param name="outputs">The output slot names; at least one.</param>
    /// <param name="featureNames">The input slot names, when known; otherwise <see langword="null"/>.</param>
    /// <param name="classLabels">For classifiers, the label of each class index, when known.</param>
    /// <exception cref="ArgumentException">The widths or names are inconsistent.</exception>
    public ModelSignature(int inputWidth, ModelTask task, IReadOnlyList<string> outputs, IReadOnlyList<string>? featureNames = null, IReadOnlyList<string>? classLabels = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0)
        {
            throw new ArgumentException("A model has at least one output.", nameof(outputs));
        }

        if (featureNames is not null && featureNames.Count != inputWidth)
        {
            throw new ArgumentException($"{featureNames.Count} feature names were given for an input width of {inputWidth}.", nameof(featureNames));
        }

        InputWidth = inputWidth;
        Task = task;
        Outputs = new ReadOnlyCollection<string>(outputs.ToArray());
        FeatureNames = featureNames is null ? null : new ReadOnlyCollection<string>(featureNames.ToArray());
        ClassLabels = classLabels is null ? null : new ReadOnlyCollection<string>(classLabels.ToArray());
    }

    /// <summary>Gets the feature vector length.</summary>
    public int InputWidth { get; }

    /// <summary>Gets the task.</summary>
    public ModelTask Task { get; }

    /// <summary>Gets the output slot names.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Gets the number of outputs per row.</summary>
    public int OutputWidth => Outputs.Count;

    /// <summary>Gets the input slot names, when known.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>Gets the class labels of a classifier, when known.</summary>
    public IReadOnlyList<string>? ClassLabels { get; }

    /// <summary>Creates the signature of a regression model: one output, <c>score</c>.</summary>
    /// <param name="inputWidth">The feature vector length.</param>
    /// <param name="featureNames">The input slot names, if known.</param>
    /// <returns>The signature.</returns>
    public static ModelSignature Regression(int inputWidth, IReadOnlyList<string>? featureNames = null) =>
        new(inputWidth, ModelTask.Regression, [ScoreOutput], featureNames);

    /// <summary>Creates the signature of a binary classifier: outputs <c>score</c> (raw margin) and <c>probability</c> (of class 1).</summary>
    /// <param name="inputWidth">The feature vector length.</param>
    /// <param name="featureNames">The input slot names, if known.</param>
    /// <returns>The signature.</returns>
    public static ModelSignature Binary(int inputWidth, IReadOnlyList<string>? featureNames = null) =>
        new(inputWidth, ModelTask.BinaryClassification, [ScoreOutput, ProbabilityOutput], featureNames);

    /// <summary>Creates the signature of a k-class classifier: outputs <c>prob_0 … prob_{k-1}</c>.</summary>
    /// <param name="inputWidth">The feature vector length.</param>
    /// <param name="classCount">The number of classes; at least 2.</param>
    /// <param name="featureNames">The input slot names, if known.</param>
    /// <param name="classLabels">The label of each class index, if known.</param>
    /// <returns>The signature.</returns>
    public static ModelSignature Multiclass(int inputWidth, int classCount, IReadOnlyList<string>? featureNames = null, IReadOnlyList<string>? classLabels = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        var outputs = new string[classCount];
        for (var i = 0; i < classCount; i++)
        {
            outputs[i] = string.Create(CultureInfo.InvariantCulture, $"prob_{i}");
        }

        return new ModelSignature(inputWidth, ModelTask.MulticlassClassification, outputs, featureNames, classLabels);
    }

    /// <summary>Checks the spans of a single-row call and throws a clear <see cref="ArgumentException"/> when they do not fit.</summary>
    /// <param name="features">The input span.</param>
    /// <param name="output">The output span.</param>
    public void ValidateRow(ReadOnlySpan<float> features, Span<float> output)
    {
        if (features.Length != InputWidth)
        {
            throw new ArgumentException($"The model takes {InputWidth} features; {features.Length} were given.", nameof(features));
        }

        if (output.Length < OutputWidth)
        {
            throw new ArgumentException($"The model writes {OutputWidth} outputs; the output span holds {output.Length}.", nameof(output));
        }
    }

    /// <summary>Checks the spans of a batch call and returns the row count; throws a clear <see cref="ArgumentException"/> when they do not fit.</summary>
    /// <param name="features">The row-major input matrix.</param>
    /// <param name="output">The row-major output matrix.</param>
    /// <returns>The number of rows.</returns>
    public int ValidateBatch(ReadOnlySpan<float> features, Span<float> output)
    {
        if (features.Length % InputWidth != 0)
        {
            throw new ArgumentException($"The input holds {features.Length} values, which is not a multiple of the model's {InputWidth} features.", nameof(features));
        }

        var rows = features.Length / InputWidth;
        if (output.Length < (long)rows * OutputWidth)
        {
            throw new ArgumentException($"{rows} rows need {(long)rows * OutputWidth} output values; the output span holds {output.Length}.", nameof(output));
        }

        return rows;
    }

    /// <inheritdoc />
    public bool Equals(ModelSignature? other) =>
        other is not null
        && InputWidth == other.InputWidth
        && Task == other.Task
        && Outputs.SequenceEqual(other.Outputs)
        && NullableSequenceEqual(FeatureNames, other.FeatureNames)
        && NullableSequenceEqual(ClassLabels, other.ClassLabels);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ModelSignature);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(InputWidth, Task, OutputWidth);

    /// <inheritdoc />
    public override string ToString() => $"{Task}: {InputWidth} features -> [{string.Join(", ", Outputs)}]";

    private static bool NullableSequenceEqual(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);
}
