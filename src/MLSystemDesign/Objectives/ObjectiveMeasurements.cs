using MLSystemDesign.Business;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Models;
using MLSystemDesign.Monitoring.Statistics;
using MLSystemDesign.Training;

namespace MLSystemDesign.Objectives;

/// <summary>The measurements model selection takes of every candidate besides its validation metrics, by name.</summary>
public static class ObjectiveMeasurements
{
    /// <summary>How long the candidate took to train, in seconds.</summary>
    public const string TrainingTimeSeconds = "training_time_s";

    /// <summary>The median single-row prediction latency, in milliseconds.</summary>
    public const string LatencyP50Milliseconds = "latency_p50_ms";

    /// <summary>The 99th-percentile single-row prediction latency, in milliseconds.</summary>
    public const string LatencyP99Milliseconds = "latency_p99_ms";

    /// <summary>The mean single-row prediction latency, in milliseconds.</summary>
    public const string LatencyMeanMilliseconds = "latency_mean_ms";

    /// <summary>Times single-row predictions of validation rows (one warm-up pass first) by the time provider's timestamps.</summary>
    internal static IEnumerable<(string Name, double Value)> Latency(IModel model, TrainingSet validation, int rows, TimeProvider time)
    {
        rows = Math.Min(rows, validation.RowCount);
        if (rows == 0)
        {
            yield break;
        }

        var width = validation.FeatureCount;
        var output = new float[model.Signature.OutputWidth];
        var features = validation.Features;
        for (var i = 0; i < rows; i++)
        {
            model.Predict(features.Span.Slice(i * width, width), output);
        }

        var elapsed = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var started = time.GetTimestamp();
            model.Predict(features.Span.Slice(i * width, width), output);
            elapsed[i] = time.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(elapsed);
        yield return (LatencyP50Milliseconds, TwoSampleTests.Quantile(elapsed, 0.5));
        yield return (LatencyP99Milliseconds, TwoSampleTests.Quantile(elapsed, 0.99));
        yield return (LatencyMeanMilliseconds, elapsed.Average());
    }

    /// <summary>A mapper's realized value per record on validation predictions (a binary model's probability, a regression model's value, a multiclass model's probabilities).</summary>
    internal static double RealizedValuePerRecord(IBusinessMetricMapper mapper, ModelSignature signature, float[] outputs, TrainingSet validation, double threshold)
    {
        if (mapper.Task != signature.Task)
        {
            throw new ArgumentException($"Business mapper '{mapper.Name}' values {mapper.Task} models; the candidates are {signature.Task} models.", nameof(mapper));
        }

        var width = signature.OutputWidth;
        var predictions = signature.Task switch
        {
            ModelTask.BinaryClassification => ModelEvaluator.Column(outputs, width, ModelEvaluator.ProbabilitySlot(signature)),
            ModelTask.Regression => ModelEvaluator.Column(outputs, width, 0),
            _ => outputs,
        };
        var batch = new BusinessBatch
        {
            Predictions = predictions,
            Labels = validation.Labels.Span,
            Threshold = threshold,
            ClassCount = signature.Task == ModelTask.MulticlassClassification ? width : 0,
        };
        return mapper.Realized(batch).PerRecord;
    }
}
