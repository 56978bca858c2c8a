using System.Diagnostics.CodeAnalysis;

namespace MLSystemDesign.Evaluation;

/// <summary>
/// The metrics the system knows the direction of: the built-ins and every <see cref="MetricDefinition"/> registered in
/// DI (<c>ml.AddMetric(...)</c>). Names compare ordinally, ignoring case.
/// </summary>
public interface IMetricCatalog
{
    /// <summary>Gets every known metric, by name.</summary>
    IReadOnlyList<MetricDefinition> Definitions { get; }

    /// <summary>Looks a metric up.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="definition">The definition, when the metric is known.</param>
    /// <returns>Whether the metric is known.</returns>
    bool TryGet(string name, [NotNullWhen(true)] out MetricDefinition? definition);

    /// <summary>Gets a metric's definition.</summary>
    /// <param name="name">The metric name.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="KeyNotFoundException">The metric has no declared direction; the message lists the known metrics and how to declare one.</exception>
    MetricDefinition Get(string name);
}
