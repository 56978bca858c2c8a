using System.Diagnostics.CodeAnalysis;

namespace MLSystemDesign.Evaluation;

/// <summary>
/// The metrics it is given: in DI, every registered <see cref="MetricDefinition"/> (<c>AddMLSystem</c> registers
/// <see cref="MetricNames.BuiltIn"/>, <c>ml.AddMetric(...)</c> the user's).
/// A metric declared twice with the same direction is kept once; with different directions, it is refused.
/// </summary>
internal sealed class MetricCatalog : IMetricCatalog
{
    private readonly Dictionary<string, MetricDefinition> _byName = new(StringComparer.OrdinalIgnoreCase);

    public MetricCatalog(IEnumerable<MetricDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        foreach (var definition in definitions)
        {
            ArgumentNullException.ThrowIfNull(definition, nameof(definitions));
            ArgumentException.ThrowIfNullOrWhiteSpace(definition.Name, nameof(definitions));
            if (_byName.TryGetValue(definition.Name, out var existing))
            {
                if (existing.HigherIsBetter != definition.HigherIsBetter)
                {
                    throw new ArgumentException($"Metric '{definition.Name}' is declared both {Direction(existing)} and {Direction(definition)}.", nameof(definitions));
                }

                continue;
            }

            _byName.Add(definition.Name, definition);
        }

        Definitions = _byName.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<MetricDefinition> Definitions { get; }

    public bool TryGet(string name, [NotNullWhen(true)] out MetricDefinition? definition)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out definition);
    }

    public MetricDefinition Get(string name) =>
        TryGet(name, out var definition)
            ? definition
            : throw new KeyNotFoundException($"Metric '{name}' has no declared direction. Known metrics: {string.Join(", ", Definitions.Select(d => d.Name))}. Declare it with ml.AddMetric(\"{name}\", higherIsBetter: ...).");

    internal static string Direction(MetricDefinition d) => d.HigherIsBetter ? "higher-is-better" : "lower-is-better";
}
