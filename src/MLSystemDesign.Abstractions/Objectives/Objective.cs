using System.Globalization;

namespace MLSystemDesign.Objectives;

/// <summary>What an objective measures; it decides where a model comparison finds the measurement.</summary>
public enum ObjectiveKind
{
    /// <summary>An evaluation metric of the model (e.g. <c>auc</c>, <c>recall</c>), measured on validation data.</summary>
    MlMetric,

    /// <summary>A business metric (e.g. expected cost per 1,000 flights), from a business-metric mapper.</summary>
    BusinessMetric,

    /// <summary>Prediction latency (e.g. <c>latency_p99_ms</c>).</summary>
    Latency,

    /// <summary>What one prediction costs to serve (compute, licences), in the objective's unit.</summary>
    CostPerPrediction,
}

/// <summary>Which way an objective is better.</summary>
public enum ObjectiveDirection
{
    /// <summary>Larger values are better.</summary>
    Maximize,

    /// <summary>Smaller values are better.</summary>
    Minimize,
}

/// <summary>A hard constraint on an objective's value: a lower bound, an upper bound, or both (bounds included).</summary>
/// <param name="AtLeast">The smallest acceptable value, if any.</param>
/// <param name="AtMost">The largest acceptable value, if any.</param>
public sealed record ObjectiveConstraint(double? AtLeast = null, double? AtMost = null)
{
    /// <summary>Gets whether a value meets the constraint; NaN never does.</summary>
    /// <param name="value">The measured value.</param>
    /// <returns>Whether it lies within the bounds.</returns>
    public bool IsMetBy(double value) => !double.IsNaN(value) && (AtLeast is not { } low || value >= low) && (AtMost is not { } high || value <= high);

    /// <summary>Describes the constraint on a named quantity, e.g. <c>recall ≥ 0.6</c>.</summary>
    /// <param name="name">The objective's name.</param>
    /// <returns>The description.</returns>
    public string Describe(string name) => (AtLeast, AtMost) switch
    {
        ({ } low, { } high) => string.Create(CultureInfo.InvariantCulture, $"{low:G6} ≤ {name} ≤ {high:G6}"),
        ({ } low, null) => string.Create(CultureInfo.InvariantCulture, $"{name} ≥ {low:G6}"),
        (null, { } high) => string.Create(CultureInfo.InvariantCulture, $"{name} ≤ {high:G6}"),
        _ => $"{name} unconstrained",
    };
}

/// <summary>
/// One thing a stakeholder wants from the model: a named measurement (an ML metric, a business metric, a latency, a cost
/// per prediction), which way is better, how much it weighs in a weighted choice, and an optional hard constraint.
/// </summary>
public sealed record Objective
{
    /// <summary>Gets the measurement's name, e.g. <c>recall</c>, <c>latency_p99_ms</c>, <c>expected_cost_per_1000</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets what the objective measures.</summary>
    public required ObjectiveKind Kind { get; init; }

    /// <summary>Gets which way is better.</summary>
    public required ObjectiveDirection Direction { get; init; }

    /// <summary>Gets the objective's weight in a weighted choice (non-negative; 0 makes it a pure constraint). Default 1.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>Gets the hard constraint, if any: a candidate that breaks it is not acceptable, whatever its other values.</summary>
    public ObjectiveConstraint? Constraint { get; init; }

    /// <summary>Gets the unit of the value (e.g. <c>ms</c>, <c>EUR</c>), for reports.</summary>
    public string? Unit { get; init; }

    /// <summary>Gets why the objective matters, in words.</summary>
    public string? Description { get; init; }

    /// <summary>An objective to maximise.</summary>
    /// <param name="name">The measurement's name.</param>
    /// <param name="kind">What it measures.</param>
    /// <param name="weight">Its weight. Default 1.</param>
    /// <returns>The objective.</returns>
    public static Objective Maximize(string name, ObjectiveKind kind, double weight = 1) =>
        new() { Name = name, Kind = kind, Direction = ObjectiveDirection.Maximize, Weight = weight };

    /// <summary>An objective to minimise.</summary>
    /// <param name="name">The measurement's name.</param>
    /// <param name="kind">What it measures.</param>
    /// <param name="weight">Its weight. Default 1.</param>
    /// <returns>The objective.</returns>
    public static Objective Minimize(string name, ObjectiveKind kind, double weight = 1) =>
        new() { Name = name, Kind = kind, Direction = ObjectiveDirection.Minimize, Weight = weight };

    /// <summary>Adds a lower bound (kept with an upper bound already set).</summary>
    /// <param name="bound">The smallest acceptable value.</param>
    /// <returns>The constrained objective.</returns>
    public Objective AtLeast(double bound) => this with { Constraint = (Constraint ?? new ObjectiveConstraint()) with { AtLeast = bound } };

    /// <summary>Adds an upper bound (kept with a lower bound already set).</summary>
    /// <param name="bound">The largest acceptable value.</param>
    /// <returns>The constrained objective.</returns>
    public Objective AtMost(double bound) => this with { Constraint = (Constraint ?? new ObjectiveConstraint()) with { AtMost = bound } };

    /// <summary>Gets whether <paramref name="a"/> is strictly better than <paramref name="b"/> for this objective.</summary>
    /// <param name="a">One value.</param>
    /// <param name="b">Another value.</param>
    /// <returns>Whether <paramref name="a"/> is better.</returns>
    public bool IsBetter(double a, double b) => Direction == ObjectiveDirection.Maximize ? a > b : a < b;
}
