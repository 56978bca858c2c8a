using System.Globalization;
using System.Text;

namespace MLSystemDesign.Objectives;

/// <summary>One candidate measured against an objective set.</summary>
/// <param name="Candidate">The candidate's name.</param>
/// <param name="Measurements">Its measured value of every objective.</param>
/// <param name="Check">Its hard constraints, checked.</param>
/// <param name="OnParetoFront">Whether no acceptable candidate is at least as good on every objective and better on one.</param>
/// <param name="WeightedScore">Σ weight · normalised value / Σ weight, each objective scaled to [0, 1] from the worst to the best acceptable candidate (1 when they tie).</param>
/// <param name="DominatedBy">The acceptable candidates that dominate it.</param>
public sealed record CandidateAssessment(string Candidate, IReadOnlyDictionary<string, double> Measurements, ObjectiveCheck Check, bool OnParetoFront, double WeightedScore, IReadOnlyList<string> DominatedBy)
{
    /// <summary>Gets whether the candidate meets every hard constraint.</summary>
    public bool Acceptable => Check.Satisfied;
}

/// <summary>The outcome of choosing among candidates by an objective set: every candidate assessed and ranked, the choice, and why.</summary>
/// <param name="Objectives">The objective set.</param>
/// <param name="Candidates">Every candidate, best first: acceptable before not, on the Pareto front before dominated, then by weighted score.</param>
/// <param name="Feasible">Whether any candidate meets every hard constraint (when none does, the first is the least bad, not an acceptable one).</param>
/// <param name="Reason">Why the first candidate was chosen, in words.</param>
public sealed record ObjectiveChoice(ObjectiveSet Objectives, IReadOnlyList<CandidateAssessment> Candidates, bool Feasible, string Reason)
{
    /// <summary>Gets the chosen candidate.</summary>
    public CandidateAssessment Chosen => Candidates[0];

    /// <summary>Gets the acceptable candidates on the Pareto front, in ranking order.</summary>
    public IEnumerable<CandidateAssessment> ParetoFront => Candidates.Where(c => c.Acceptable && c.OnParetoFront);
}

/// <summary>
/// Chooses among candidates by an <see cref="ObjectiveSet"/>: candidates that break a hard constraint are set aside;
/// among the rest, the Pareto front (no other acceptable candidate is at least as good on every objective and better on
/// one) is found; the choice is the front's candidate with the highest weighted score, and the reason says so in words.
/// </summary>
public static class ObjectiveComparison
{
    /// <summary>Assesses and ranks candidates.</summary>
    /// <param name="objectives">The objective set.</param>
    /// <param name="candidates">Each candidate's name and measurements; at least one.</param>
    /// <returns>The ranked assessments and the reason for the choice.</returns>
    /// <exception cref="ArgumentException">No candidates, a repeated name, or a candidate without a measurement some objective needs (the message names both and lists what was measured).</exception>
    public static ObjectiveChoice Choose(ObjectiveSet objectives, IReadOnlyList<(string Name, IReadOnlyDictionary<string, double> Measurements)> candidates)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new ArgumentException("Choosing by objectives needs at least one candidate.", nameof(candidates));
        }

        if (candidates.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != candidates.Count)
        {
            throw new ArgumentException($"Candidate names repeat: {string.Join(", ", candidates.Select(c => c.Name))}.", nameof(candidates));
        }

        var measured = candidates.Select(c => new Dictionary<string, double>(c.Measurements, StringComparer.OrdinalIgnoreCase)).ToArray();
        var objectiveList = objectives.Objectives;
        for (var i = 0; i < candidates.Count; i++)
        {
            foreach (var (stakeholder, objective) in objectiveList)
            {
                if (!measured[i].ContainsKey(objective.Name))
                {
                    throw new ArgumentException($"Candidate '{candidates[i].Name}' has no measurement '{objective.Name}', which an objective of {stakeholder.Name} needs. Measured: {string.Join(", ", measured[i].Keys.Order(StringComparer.Ordinal))}.", nameof(candidates));
                }
            }
        }

        var checks = measured.Select(objectives.Check).ToArray();
        var acceptable = Enumerable.Range(0, candidates.Count).Where(i => checks[i].Satisfied).ToArray();
        var pool = acceptable.Length > 0 ? acceptable : Enumerable.Range(0, candidates.Count).ToArray();
        var distinct = objectiveList.Select(o => o.Objective).DistinctBy(o => o.Name, StringComparer.OrdinalIgnoreCase).ToArray();

        var dominatedBy = new List<string>[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            dominatedBy[i] = pool.Where(j => j != i && Dominates(distinct, measured[j], measured[i])).Select(j => candidates[j].Name).ToList();
        }

        var scores = new double[candidates.Count];
        var weightSum = objectiveList.Sum(o => o.Objective.Weight);
        for (var i = 0; i < candidates.Count; i++)
        {
            double score = 0;
            foreach (var (_, objective) in objectiveList)
            {
                score += objective.Weight * Normalised(objective, measured[i][objective.Name], pool.Select(j => measured[j][objective.Name]));
            }

            scores[i] = weightSum == 0 ? 0 : score / weightSum;
        }

        var assessments = Enumerable.Range(0, candidates.Count)
            .Select(i => new CandidateAssessment(candidates[i].Name, measured[i], checks[i], pool.Contains(i) && dominatedBy[i].Count == 0, scores[i], dominatedBy[i]))
            .ToArray();
        var ranked = assessments
            .Select((a, i) => (a, i))
            .OrderBy(x => x.a.Acceptable ? 0 : 1)
            .ThenBy(x => x.a.OnParetoFront ? 0 : 1)
            .ThenByDescending(x => x.a.WeightedScore)
            .ThenBy(x => x.i)
            .Select(x => x.a)
            .ToArray();
        return new ObjectiveChoice(objectives, ranked, acceptable.Length > 0, Explain(objectives, ranked, acceptable.Length > 0));
    }

    /// <summary>a dominates b: at least as good on every objective, strictly better on one (NaN is worse than any value).</summary>
    private static bool Dominates(Objective[] objectives, Dictionary<string, double> a, Dictionary<string, double> b)
    {
        var better = false;
        foreach (var o in objectives)
        {
            double x = a[o.Name], y = b[o.Name];
            if (double.IsNaN(x))
            {
                return false;
            }

            if (double.IsNaN(y) || o.IsBetter(x, y))
            {
                better = true;
            }
            else if (o.IsBetter(y, x))
            {
                return false;
            }
        }

        return better;
    }

    private static double Normalised(Objective objective, double value, IEnumerable<double> pool)
    {
        var values = pool.Where(v => !double.IsNaN(v)).ToArray();
        if (double.IsNaN(value) || values.Length == 0)
        {
            return 0;
        }

        var best = objective.Direction == ObjectiveDirection.Maximize ? values.Max() : values.Min();
        var worst = objective.Direction == ObjectiveDirection.Maximize ? values.Min() : values.Max();
        if (best == worst)
        {
            return 1;
        }

        return Math.Clamp((value - worst) / (best - worst), 0, 1);
    }

    private static string Explain(ObjectiveSet objectives, CandidateAssessment[] ranked, bool feasible)
    {
        var chosen = ranked[0];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{chosen.Candidate} chosen by the objectives of '{objectives.Name}': ");
        if (!feasible)
        {
            text.Append(CultureInfo.InvariantCulture, $"no candidate meets every hard constraint; {chosen.Candidate} has the highest weighted score ({chosen.WeightedScore:0.000}) but {chosen.Check}.");
        }
        else
        {
            var front = ranked.Where(c => c.Acceptable && c.OnParetoFront).ToArray();
            text.Append(chosen.Check.Constraints.Count == 0 ? "there are no hard constraints" : $"it {chosen.Check}");
            text.Append(front.Length == 1
                ? "; it is the only candidate on the Pareto front"
                : string.Create(CultureInfo.InvariantCulture, $"; of the {front.Length} on the Pareto front it has the highest weighted score, {chosen.WeightedScore:0.000} ({string.Join(", ", front.Skip(1).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Candidate} {c.WeightedScore:0.000}")))})"));
            text.Append(". ");
            text.Append(string.Join("; ", objectives.Objectives.Select(x => x.Objective).DistinctBy(o => o.Name, StringComparer.OrdinalIgnoreCase).Select(o =>
                string.Create(CultureInfo.InvariantCulture, $"{o.Name} {chosen.Measurements[o.Name]:G4}{(o.Unit is null ? string.Empty : " " + o.Unit)} ({Rank(ranked.Where(c => c.Acceptable), o, chosen)})"))));
            text.Append('.');
        }

        foreach (var other in ranked.Skip(1))
        {
            if (!other.Acceptable)
            {
                text.Append(CultureInfo.InvariantCulture, $" {other.Candidate} {other.Check}.");
            }
            else if (!other.OnParetoFront)
            {
                text.Append(CultureInfo.InvariantCulture, $" {other.Candidate} is dominated by {string.Join(" and ", other.DominatedBy)}.");
            }
        }

        return text.ToString();
    }

    private static string Rank(IEnumerable<CandidateAssessment> pool, Objective objective, CandidateAssessment candidate)
    {
        var values = pool.Select(c => c.Measurements[objective.Name]).ToArray();
        var value = candidate.Measurements[objective.Name];
        var better = values.Count(v => objective.IsBetter(v, value));
        return better == 0 ? "best" : better == 1 ? "2nd" : better == 2 ? "3rd" : string.Create(CultureInfo.InvariantCulture, $"{better + 1}th");
    }
}
