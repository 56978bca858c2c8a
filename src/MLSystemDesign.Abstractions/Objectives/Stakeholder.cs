namespace MLSystemDesign.Objectives;

/// <summary>Someone with a stake in the model (operations, finance, the platform team) and what they want from it.</summary>
/// <param name="Name">The stakeholder's name.</param>
/// <param name="Objectives">Their objectives.</param>
/// <param name="Description">Who they are and why they care, in words.</param>
public sealed record Stakeholder(string Name, IReadOnlyList<Objective> Objectives, string? Description = null);
