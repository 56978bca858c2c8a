using System.Globalization;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Models;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Business.Internal;

/// <summary>
/// An ML metric mapped to a KPI by a declared linear relation and the assumption behind it: KPI = intercept + slope ·
/// metric. Realized from the metric on labelled outcomes, expected from CBPE's estimate of the metric.
/// </summary>
internal sealed class ProxyMapper(string name, string unit, string metric, double slope, double intercept, string assumption) : IBusinessMetricMapper
{
    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public ModelTask Task => ModelTask.BinaryClassification;

    public string Description => string.Create(CultureInfo.InvariantCulture, $"{Name}: {intercept:G6} + {slope:G6} × {metric}, in {Unit}. Assumption: {assumption}");

    public BusinessValue Realized(BusinessBatch batch, double confidence = 0.95)
    {
        var (scores, labels, _) = BinaryValueModel.Prepare(batch, labels: true, quantitiesRequired: false, Name);
        var floats = labels.Select(l => (float)l).ToArray();
        var metrics = MetricCalculator.Binary(floats, ProbabilitiesFor(scores), batch.Threshold);
        return Map(metrics, scores.Length, estimated: false);
    }

    public BusinessValue Expected(BusinessBatch batch, double confidence = 0.95)
    {
        if (!PerformanceReference.Metrics.Contains(metric, StringComparer.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"Mapper '{Name}' maps '{metric}', which CBPE does not estimate without labels (it estimates {string.Join(", ", PerformanceReference.Metrics)}).");
        }

        var (scores, probabilities, _) = BinaryValueModel.Prepare(batch, labels: false, quantitiesRequired: false, Name);
        return Map(ConfidenceBasedPerformance.Estimate(probabilities, scores, batch.Threshold), scores.Length, estimated: true);
    }

    private BusinessValue Map(IReadOnlyDictionary<string, double> metrics, long count, bool estimated)
    {
        if (!metrics.TryGetValue(metric, out var value))
        {
            throw new NotSupportedException($"Mapper '{Name}' maps '{metric}', which is not a binary metric; available: {string.Join(", ", metrics.Keys)}.");
        }

        return new BusinessValue
        {
            Mapper = Name,
            Unit = Unit,
            Estimated = estimated,
            Count = count,
            Total = intercept + slope * value,
            Breakdown = new Dictionary<string, double> { [metric] = value },
            Explanation = string.Create(CultureInfo.InvariantCulture, $"{(estimated ? "CBPE-estimated" : "realized")} {metric} {value:G6} mapped to {intercept + slope * value:G6} {Unit} by {intercept:G6} + {slope:G6} × {metric}. Assumption: {assumption}. No interval: the uncertainty lies in the assumption."),
        };
    }

    /// <summary>MetricCalculator takes probabilities in [0, 1]; scores outside it are clipped (only the ranking and the threshold matter).</summary>
    private static float[] ProbabilitiesFor(double[] scores) => scores.Select(s => (float)Math.Clamp(s, 0, 1)).ToArray();
}
