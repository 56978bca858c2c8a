namespace MLSystemDesign.Evaluation;

/// <summary>
/// A metric and which way it is better. Model selection, registry queries ordered by a metric and model cards read
/// the direction from here, so a user's own metric (a cost, a loss) ranks the way it should. The built-ins are in
/// <see cref="IMetricCatalog"/> from the start; add one with <c>ml.AddMetric(...)</c>.
/// </summary>
/// <param name="Name">The metric name as it is recorded, e.g. <c>log_loss</c> (compared ordinally, case-insensitively).</param>
/// <param name="HigherIsBetter"><see langword="true"/> for scores (accuracy, AUC); <see langword="false"/> for losses, errors and costs.</param>
/// <param name="Description">What the metric measures, if worth saying.</param>
public sealed record MetricDefinition(string Name, bool HigherIsBetter, string? Description = null);
