using MLSystemDesign.Objectives;

namespace MLSystemDesign.Evaluation;

/// <summary>
/// The names of the metrics <see cref="ModelEvaluator"/> computes, and the built-in <see cref="MetricDefinition"/>s
/// (which way each is better) every <see cref="IMetricCatalog"/> starts from.
/// </summary>
public static class MetricNames
{
    /// <summary>Area under the ROC curve (binary); ties get half credit.</summary>
    public const string Auc = "auc";

    /// <summary>Mean cross-entropy of the predicted probabilities, clipped to [1e-15, 1 − 1e-15].</summary>
    public const string LogLoss = "log_loss";

    /// <summary>Share of rows whose predicted class equals the label.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>True positives over predicted positives (0 when nothing is predicted positive).</summary>
    public const string Precision = "precision";

    /// <summary>True positives over actual positives (0 when there are none).</summary>
    public const string Recall = "recall";

    /// <summary>Harmonic mean of precision and recall (0 when both are 0).</summary>
    public const string F1 = "f1";

    /// <summary>Unweighted mean of the per-class F1 over the classes present in labels or predictions (multiclass).</summary>
    public const string MacroF1 = "macro_f1";

    /// <summary>Root mean squared error (regression).</summary>
    public const string Rmse = "rmse";

    /// <summary>Mean absolute error (regression).</summary>
    public const string Mae = "mae";

    /// <summary>Mean squared error (regression); not computed by <see cref="ModelEvaluator"/>, declared lower-is-better for values recorded elsewhere.</summary>
    public const string Mse = "mse";

    /// <summary>Coefficient of determination (regression); 0 for a constant target that is not predicted exactly.</summary>
    public const string R2 = "r2";

    /// <summary>
    /// Gets the built-in metrics and their directions: <c>log_loss</c>, <c>rmse</c>, <c>mae</c>, <c>mse</c> and the
    /// objective measurements (training time, latencies) are lower-is-better; <c>accuracy</c>, <c>auc</c>,
    /// <c>precision</c>, <c>recall</c>, <c>f1</c>, <c>macro_f1</c> and <c>r2</c> higher-is-better.
    /// </summary>
    public static IReadOnlyList<MetricDefinition> BuiltIn { get; } =
    [
        new(Auc, true, "Area under the ROC curve (binary)."),
        new(LogLoss, false, "Mean cross-entropy of the predicted probabilities."),
        new(Accuracy, true, "Share of rows whose predicted class equals the label."),
        new(Precision, true, "True positives over predicted positives."),
        new(Recall, true, "True positives over actual positives."),
        new(F1, true, "Harmonic mean of precision and recall."),
        new(MacroF1, true, "Unweighted mean of the per-class F1."),
        new(Rmse, false, "Root mean squared error."),
        new(Mae, false, "Mean absolute error."),
        new(Mse, false, "Mean squared error."),
        new(R2, true, "Coefficient of determination."),
        new(ObjectiveMeasurements.TrainingTimeSeconds, false, "Training time in seconds."),
        new(ObjectiveMeasurements.LatencyP50Milliseconds, false, "Median single-row prediction latency in milliseconds."),
        new(ObjectiveMeasurements.LatencyP99Milliseconds, false, "99th-percentile single-row prediction latency in milliseconds."),
        new(ObjectiveMeasurements.LatencyMeanMilliseconds, false, "Mean single-row prediction latency in milliseconds."),
    ];

    /// <summary>
    /// Creates a catalog of the built-in metrics and <paramref name="additional"/> ones, for code that does not use DI
    /// (DI builds its own from <c>ml.AddMetric(...)</c>).
    /// </summary>
    /// <param name="additional">More metrics, if any.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="ArgumentException">A metric is declared twice with different directions.</exception>
    public static IMetricCatalog CreateCatalog(IEnumerable<MetricDefinition>? additional = null) =>
        new MetricCatalog(BuiltIn.Concat(additional ?? []));
}
