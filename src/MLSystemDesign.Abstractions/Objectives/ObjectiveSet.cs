using System.Globalization;

namespace MLSystemDesign.Objectives;

/// <summary>
/// What a model is for, decoupled per stakeholder: each stakeholder's objectives (ML metrics, business metrics, latency,
/// cost per prediction) with their direction, weight and hard constraints. Model selection ranks candidates by it
/// (Pareto front, then a weighted choice); a promotion gate checks a version against it (<see cref="Check"/>); the
/// registry stores it with the model version and the model card shows it.
/// </summary>
public sealed class ObjectiveSet
{
    /// <summary>The version of the JSON format the project writes objective sets in.</summary>
    public const int FormatVersion = 1;

    /// <summary>Creates an objective set.</summary>
    /// <param name="name">What the set is for, e.g. the model's name.</param>
    /// <param name="stakeholders">The stakeholders and their objectives; at least one objective in all.</param>
    /// <exception cref="ArgumentException">A name is empty or repeated, a weight is negative or not finite, a bound is not finite, a lower bound exceeds its upper bound, or there is no objective.</exception>
    public ObjectiveSet(string name, IReadOnlyList<Stakeholder> stakeholders)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(stakeholders);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var all = new List<(Stakeholder, Objective)>();
        for (var s = 0; s < stakeholders.Count; s++)
        {
            var stakeholder = stakeholders[s] ?? throw new ArgumentException($"Stakeholder {s} is null.", nameof(stakeholders));
            if (string.IsNullOrWhiteSpace(stakeholder.Name))
            {
                throw new ArgumentException($"Stakeholder {s} has no name.", nameof(stakeholders));
            }

            if (!seen.Add(stakeholder.Name))
            {
                throw new ArgumentException($"Stakeholder '{stakeholder.Name}' is declared twice.", nameof(stakeholders));
            }

            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var objective in stakeholder.Objectives ?? throw new ArgumentException($"Stakeholder '{stakeholder.Name}' has no objective list.", nameof(stakeholders)))
            {
                Validate(stakeholder.Name, objective, names);
                all.Add((stakeholder, objective));
            }
        }

        if (all.Count == 0)
        {
            throw new ArgumentException($"Objective set '{name}' has no objective.", nameof(stakeholders));
        }

        Name = name;
        Stakeholders = stakeholders.ToArray();
        Objectives = all.ToArray();
    }

    /// <summary>Gets what the set is for.</summary>
    public string Name { get; }

    /// <summary>Gets the stakeholders, in declaration order.</summary>
    public IReadOnlyList<Stakeholder> Stakeholders { get; }

    /// <summary>Gets every objective with its stakeholder, in declaration order.</summary>
    public IReadOnlyList<(Stakeholder Stakeholder, Objective Objective)> Objectives { get; }

    /// <summary>
    /// Checks measurements against every hard constraint: the seam a promotion gate uses. A constrained objective
    /// without a measurement fails, with "not measured" as its reason.
    /// </summary>
    /// <param name="measurements">Measured values by objective name (case-insensitive).</param>
    /// <returns>Each constraint's result and whether all are met.</returns>
    public ObjectiveCheck Check(IReadOnlyDictionary<string, double> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        var lookup = new Dictionary<string, double>(measurements, StringComparer.OrdinalIgnoreCase);
        var results = new List<ConstraintResult>();
        foreach (var (stakeholder, objective) in Objectives)
        {
            if (objective.Constraint is not { } constraint)
            {
                continue;
            }

            var rule = constraint.Describe(objective.Name);
            if (!lookup.TryGetValue(objective.Name, out var value))
            {
                results.Add(new ConstraintResult(stakeholder.Name, objective, null, false, $"{rule}: not measured"));
                continue;
            }

            var met = constraint.IsMetBy(value);
            results.Add(new ConstraintResult(stakeholder.Name, objective, value, met, string.Create(CultureInfo.InvariantCulture, $"{rule}: {value:G6}{Unit(objective)} {(met ? "meets it" : "breaks it")}")));
        }

        return new ObjectiveCheck(results);
    }

    private static string Unit(Objective objective) => objective.Unit is null ? string.Empty : $" {objective.Unit}";

    private static void Validate(string stakeholder, Objective objective, HashSet<string> names)
    {
        if (objective is null)
        {
            throw new ArgumentException($"Stakeholder '{stakeholder}' lists a null objective.", nameof(objective));
        }

        if (string.IsNullOrWhiteSpace(objective.Name))
        {
            throw new ArgumentException($"Stakeholder '{stakeholder}' has an objective without a name.", nameof(objective));
        }

        if (!names.Add(objective.Name))
        {
            throw new ArgumentException($"Stakeholder '{stakeholder}' lists the objective '{objective.Name}' twice.", nameof(objective));
        }

        if (!double.IsFinite(objective.Weight) || objective.Weight < 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Objective '{objective.Name}' of '{stakeholder}' has weight {objective.Weight}; a weight is finite and non-negative."), nameof(objective));
        }

        if (objective.Constraint is { } c)
        {
            if (c.AtLeast is null && c.AtMost is null)
            {
                throw new ArgumentException($"Objective '{objective.Name}' of '{stakeholder}' has a constraint without a bound.", nameof(objective));
            }

            if (c.AtLeast is { } low && !double.IsFinite(low) || c.AtMost is { } high && !double.IsFinite(high))
            {
                throw new ArgumentException($"Objective '{objective.Name}' of '{stakeholder}' has a bound that is not finite.", nameof(objective));
            }

            if (c.AtLeast > c.AtMost)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Objective '{objective.Name}' of '{stakeholder}' needs at least {c.AtLeast} and at most {c.AtMost}: no value can meet it."), nameof(objective));
            }
        }
    }
}

/// <summary>The result of checking one hard constraint.</summary>
/// <param name="Stakeholder">The stakeholder whose objective it is.</param>
/// <param name="Objective">The objective.</param>
/// <param name="Value">The measured value, or <see langword="null"/> when it was not measured.</param>
/// <param name="Met">Whether the constraint is met.</param>
/// <param name="Reason">The rule and the value in words, e.g. <c>recall ≥ 0.6: 0.55 breaks it</c>.</param>
public sealed record ConstraintResult(string Stakeholder, Objective Objective, double? Value, bool Met, string Reason);

/// <summary>Every hard constraint of an <see cref="ObjectiveSet"/> checked against measurements.</summary>
/// <param name="Constraints">Each constraint's result, in declaration order.</param>
public sealed record ObjectiveCheck(IReadOnlyList<ConstraintResult> Constraints)
{
    /// <summary>Gets whether every constraint is met.</summary>
    public bool Satisfied => Constraints.All(c => c.Met);

    /// <summary>Gets the constraints that are not met.</summary>
    public IEnumerable<ConstraintResult> Violations => Constraints.Where(c => !c.Met);

    /// <summary>Describes the check in one sentence.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Constraints.Count == 0
        ? "no hard constraints"
        : Satisfied
            ? $"meets every hard constraint ({string.Join("; ", Constraints.Select(c => c.Reason))})"
            : $"breaks {string.Join("; ", Violations.Select(c => $"{Possessive(c.Stakeholder)} {c.Reason}"))}";

    private static string Possessive(string name) => name.EndsWith('s') ? name + "'" : name + "'s";
}
