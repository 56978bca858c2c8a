using System.Globalization;
using System.Text;
using MLSystemDesign.Features;
using MLSystemDesign.Objectives;

namespace MLSystemDesign.Registry.Internal;

/// <summary>
/// Writes a Markdown model card from what the registry knows. A section appears only when there is data for it, so a
/// card never shows empty headings or placeholders.
/// </summary>
internal static class ModelCardWriter
{
    public static string Write(RegisteredModel model, ModelVersion version, IReadOnlyList<AuditEntry> history, ObjectiveSet? objectives = null)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Model card: {version.Name} version {version.Version}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Registered {Date(version.RegisteredAt)} by {Escape(version.RegisteredBy)}; state {version.State.ToString().ToLowerInvariant()}");
        md.Append(version.Aliases.Count > 0 ? $"; aliases: {string.Join(", ", version.Aliases.Select(a => $"`{a}`"))}.\n" : ".\n");

        if (model.Description is not null || version.Description is not null)
        {
            md.Append("\n## Purpose\n\n");
            if (model.Description is not null)
            {
                md.Append(Escape(model.Description)).Append("\n\n");
            }

            if (version.Description is not null)
            {
                md.Append(CultureInfo.InvariantCulture, $"This version: {Escape(version.Description)}\n");
            }
        }

        if (model.Owner is not null)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## Owner\n\n{Escape(model.Owner)}\n");
        }

        var lineage = version.Lineage;
        if (lineage.Datasets.Count > 0)
        {
            md.Append("\n## Training data\n\n| role | description | rows | fingerprint |\n|---|---|---:|---|\n");
            foreach (var d in lineage.Datasets)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(d.Role)} | {Cell(d.Description ?? d.Location ?? string.Empty)} | {(d.Fingerprint is { } f ? f.RowCount.ToString("N0", CultureInfo.InvariantCulture) : string.Empty)} | {(d.Fingerprint is { } g ? $"`{g.ContentHash[..Math.Min(16, g.ContentHash.Length)]}` ({g.Algorithm})" : string.Empty)} |\n");
            }
        }

        if (version.FeatureSchema is { } schema && schema.RawFeatures.Count > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## Features\n\n{schema.RawFeatures.Count} raw features encoded into {schema.Width} slots.\n\n| feature | kind | slots |\n|---|---|---:|\n");
            foreach (var raw in schema.RawFeatures)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(raw.Name)} | {raw.Kind.ToString().ToLowerInvariant()} | {schema.Slots.Count(s => s.RawFeature == raw.Name)} |\n");
            }
        }

        if (version.Metrics.Count > 0)
        {
            md.Append("\n## Evaluation\n\n| metric | value |\n|---|---:|\n");
            foreach (var (name, value) in version.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(name)} | {value.ToString("0.####", CultureInfo.InvariantCulture)} |\n");
            }
        }

        if (objectives is not null)
        {
            var check = objectives.Check(version.Metrics);
            md.Append(CultureInfo.InvariantCulture, $"\n## Objectives\n\nWhat '{Escape(objectives.Name)}' asks of the model, per stakeholder, and this version's registered metrics against it.\n\n| stakeholder | objective | kind | direction | weight | hard constraint | this version |\n|---|---|---|---|---:|---|---|\n");
            foreach (var (stakeholder, objective) in objectives.Objectives)
            {
                var value = version.Metrics.TryGetValue(objective.Name, out var v) ? v.ToString("0.####", CultureInfo.InvariantCulture) + (objective.Unit is null ? string.Empty : " " + objective.Unit) : "not registered";
                var met = objective.Constraint is null ? string.Empty : check.Constraints.First(c => c.Objective == objective && c.Stakeholder == stakeholder.Name).Met ? " (met)" : " (**not met**)";
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(stakeholder.Name)} | {Cell(objective.Name)} | {Kind(objective.Kind)} | {objective.Direction.ToString().ToLowerInvariant()} | {objective.Weight.ToString("0.###", CultureInfo.InvariantCulture)} | {Cell(objective.Constraint?.Describe(objective.Name) ?? string.Empty)} | {Cell(value)}{met} |\n");
            }

            md.Append(CultureInfo.InvariantCulture, $"\nHard constraints: {Cell(check.ToString())}.\n");
        }

        if (lineage.Trainer is not null || version.Parameters.Count > 0 || lineage.ParentVersion is not null || lineage.Code is not null)
        {
            md.Append("\n## Training\n\n");
            if (lineage.Trainer is not null)
            {
                md.Append(CultureInfo.InvariantCulture, $"- Trainer: {Escape(lineage.Trainer)}\n");
            }

            if (lineage.ParentVersion is { } parent)
            {
                md.Append(CultureInfo.InvariantCulture, $"- Derived from version {parent}\n");
            }

            if (lineage.Code is { } code)
            {
                md.Append(CultureInfo.InvariantCulture, $"- Code: {Escape(code.Assembly)} {Escape(code.Version)}{(code.SourceRevision is null ? string.Empty : $" (revision `{Escape(code.SourceRevision)}`)")}\n");
            }

            if (version.Parameters.Count > 0)
            {
                md.Append("\n| parameter | value |\n|---|---|\n");
                foreach (var (name, value) in version.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    md.Append(CultureInfo.InvariantCulture, $"| {Cell(name)} | {Cell(value)} |\n");
                }
            }
        }

        if (version.Tags.Count > 0)
        {
            md.Append("\n## Tags\n\n");
            foreach (var (key, value) in version.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                md.Append(CultureInfo.InvariantCulture, $"- {Escape(key)}: {Escape(value)}\n");
            }
        }

        var artifacts = version.Artifacts.Where(a => a.Kind != ArtifactKinds.ModelCard).ToList();
        if (artifacts.Count > 0)
        {
            md.Append("\n## Artifacts\n\n| name | kind | format | bytes | sha256 |\n|---|---|---|---:|---|\n");
            foreach (var a in artifacts)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(a.Name)} | {Cell(a.Kind)} | {Cell(a.FormatId ?? string.Empty)} | {a.Length.ToString("N0", CultureInfo.InvariantCulture)} | `{a.Sha256}` |\n");
            }
        }

        var decisions = history.Where(e => !(e.Action == AuditAction.ArtifactAttached && e.Subject == NewArtifact.ModelCardName)).ToList();
        if (decisions.Count > 0)
        {
            md.Append("\n## Decision history\n\n| when (UTC) | who | what | why |\n|---|---|---|---|\n");
            foreach (var e in decisions)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Date(e.At)} | {Cell(e.Actor)} | {Cell(Describe(e))} | {Cell(e.Reason ?? string.Empty)} |\n");
            }
        }

        return md.ToString();
    }

    private static string Describe(AuditEntry e) => e.Action switch
    {
        AuditAction.Registered => $"registered as version {e.After}",
        AuditAction.Imported => $"imported from {e.Before} as version {e.After}",
        AuditAction.AliasSet when e.Before is null => $"`{e.Subject}` set to version {e.After}",
        AuditAction.AliasSet => $"`{e.Subject}` moved from version {e.Before} to {e.After}",
        AuditAction.AliasRemoved => $"`{e.Subject}` removed from version {e.Before}",
        AuditAction.TagSet => e.Before is null ? $"tag {e.Subject} = {e.After}" : $"tag {e.Subject}: {e.Before} → {e.After}",
        AuditAction.TagRemoved => $"tag {e.Subject} removed (was {e.Before})",
        AuditAction.Archived => "archived",
        AuditAction.Restored => "restored",
        AuditAction.Deleted => "deleted",
        AuditAction.ArtifactAttached => $"artifact {e.Subject} attached",
        _ => e.Action.ToString(),
    };

    private static string Kind(ObjectiveKind kind) => kind switch
    {
        ObjectiveKind.MlMetric => "ML metric",
        ObjectiveKind.BusinessMetric => "business metric",
        ObjectiveKind.Latency => "latency",
        _ => "cost per prediction",
    };

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("\r", string.Empty, StringComparison.Ordinal);

    private static string Cell(string text) => Escape(text).Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
