using System.Collections.ObjectModel;
using System.Globalization;
using MLSystemDesign.Models;

namespace MLSystemDesign.Evaluation;

/// <summary>The metrics of a model on a labelled data set.</summary>
public sealed class EvaluationResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="task">The task evaluated.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="metrics">The metric values by name.</param>
    public EvaluationResult(ModelTask task, long rowCount, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Task = task;
        RowCount = rowCount;
        Metrics = new ReadOnlyDictionary<string, double>(new Dictionary<string, double>(metrics, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Gets the task evaluated.</summary>
    public ModelTask Task { get; }

    /// <summary>Gets the number of rows evaluated.</summary>
    public long RowCount { get; }

    /// <summary>Gets the metric values by name (see <see cref="MetricNames"/>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>Gets a metric by name.</summary>
    /// <param name="metric">The metric name.</param>
    /// <exception cref="KeyNotFoundException">The metric was not computed for this task; the message lists those that were.</exception>
    public double this[string metric] => Metrics.TryGetValue(metric, out var v)
        ? v
        : throw new KeyNotFoundException($"The metric '{metric}' is not computed for {Task}; available: {string.Join(", ", Metrics.Keys)}.");

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", Metrics.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:0.####}")));
}
