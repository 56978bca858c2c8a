namespace MLSystemDesign.Evaluation;

/// <summary>The names of the metrics <see cref="ModelEvaluator"/> computes, and which way is better.</summary>
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

    /// <summary>Coefficient of determination (regression); 0 for a constant target that is not predicted exactly.</summary>
    public const string R2 = "r2";

    private static readonly HashSet<string> LowerIsBetter = new(StringComparer.OrdinalIgnoreCase) { LogLoss, Rmse, Mae };

    /// <summary>Gets whether a larger value of the metric is better.</summary>
    /// <param name="metric">The metric name.</param>
    /// <returns><see langword="true"/> for scores such as AUC; <see langword="false"/> for losses and errors.</returns>
    public static bool HigherIsBetter(string metric) => !LowerIsBetter.Contains(metric);
}
