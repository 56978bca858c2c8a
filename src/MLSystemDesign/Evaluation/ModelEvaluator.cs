using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.Evaluation;

/// <summary>Scores a model on a labelled data set and computes the metrics of its task.</summary>
public static class ModelEvaluator
{
    /// <summary>Evaluates a model: predicts every row in batch, then computes the task's metrics.</summary>
    /// <param name="model">The model; its input width must equal the data's.</param>
    /// <param name="data">The labelled rows.</param>
    /// <param name="threshold">The binary decision threshold on the probability. Default 0.5.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The model and data do not fit together.</exception>
    public static EvaluationResult Evaluate(IModel model, TrainingSet data, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var signature = model.Signature;
        if (signature.InputWidth != data.FeatureCount)
        {
            throw new ArgumentException($"The model takes {signature.InputWidth} features; the data has {data.FeatureCount}.", nameof(data));
        }

        if (signature.Task != data.Task)
        {
            throw new ArgumentException($"The model is a {signature.Task} model; the data is labelled for {data.Task}.", nameof(data));
        }

        var output = new float[(long)data.RowCount * signature.OutputWidth];
        model.PredictBatch(data.Features.Span, output);
        var metrics = signature.Task switch
        {
            ModelTask.BinaryClassification => MetricCalculator.Binary(data.Labels.Span, Column(output, signature.OutputWidth, ProbabilitySlot(signature)), threshold),
            ModelTask.Regression => MetricCalculator.Regression(data.Labels.Span, Column(output, signature.OutputWidth, 0)),
            _ => MetricCalculator.Multiclass(data.Labels.Span, output, signature.OutputWidth),
        };
        return new EvaluationResult(signature.Task, data.RowCount, metrics);
    }

    /// <summary>Gets the output slot holding the probability of class 1 of a binary classifier.</summary>
    /// <param name="signature">The model signature.</param>
    /// <returns>The slot index.</returns>
    /// <exception cref="ArgumentException">The signature has no <c>probability</c> output.</exception>
    public static int ProbabilitySlot(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        for (var i = 0; i < signature.Outputs.Count; i++)
        {
            if (signature.Outputs[i] == ModelSignature.ProbabilityOutput)
            {
                return i;
            }
        }

        throw new ArgumentException($"The binary model has no '{ModelSignature.ProbabilityOutput}' output ({string.Join(", ", signature.Outputs)}).", nameof(signature));
    }

    internal static float[] Column(float[] matrix, int width, int column)
    {
        var result = new float[matrix.Length / width];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = matrix[(i * width) + column];
        }

        return result;
    }
}
