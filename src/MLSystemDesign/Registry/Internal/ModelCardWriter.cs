using System.Globalization;
using System.Text;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Features;
using MLSystemDesign.Objectives;

namespace MLSystemDesign.Registry.Internal;

/// <summary>
/// Writes a Markdown model card from what the registry knows. A section appears only when there is data for it, so a
/// card never shows empty headings or placeholders. Everything the registry was told (names, descriptions, values,
/// reasons) is written as inert text: HTML's <c>&lt; &gt; &amp;</c> become entities, Markdown's inline marks are
/// escaped with a backslash, line breaks become spaces, and a text that starts a line cannot start a block (a heading,
/// a list, a quote), so a card renders what was recorded and nothing else.
/// </summary>
internal static class ModelCardWriter
{
    public static string Write(RegisteredModel model, ModelVersion version, IReadOnlyList<AuditEntry> history, ObjectiveSet? objectives = null, IMetricCatalog? metrics = null)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Model card: {version.Name} version {version.Version}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Registered {Date(version.RegisteredAt)} by {Escape(version.RegisteredBy)}; state {version.State.ToString().ToLowerInvariant()}");
        md.Append(version.Aliases.Count > 0 ? $"; aliases: {string.Join(", ", version.Aliases.Select(Code))}.\n" : ".\n");

        if (model.Description is not null || version.Description is not null)
        {
            md.Append("\n## Purpose\n\n");
            if (model.Description is not null)
            {
                md.Append(Paragraph(model.Description)).Append("\n\n");
            }

            if (version.Description is not null)
            {
                md.Append(CultureInfo.InvariantCulture, $"This version: {Escape(version.Description)}\n");
            }
        }

        if (model.Owner is not null)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## Owner\n\n{Paragraph(model.Owner)}\n");
        }

        var lineage = version.Lineage;
        if (lineage.Datasets.Count > 0)
        {
            md.Append("\n## Training data\n\n| role | description | rows | fingerprint |\n|---|---|---:|---|\n");
            foreach (var d in lineage.Datasets)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(d.Role)} | {Cell(d.Description ?? d.Location ?? string.Empty)} | {(d.Fingerprint is { } f ? f.RowCount.ToString("N0", CultureInfo.InvariantCulture) : string.Empty)} | {(d.Fingerprint is { } g ? $"{Code(g.ContentHash[..Math.Min(16, g.ContentHash.Length)])} ({Cell(g.Algorithm)})" : string.Empty)} |\n");
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
            metrics ??= MetricNames.CreateCatalog();
            md.Append("\n## Evaluation\n\n| metric | value | better |\n|---|---:|---|\n");
            foreach (var (name, value) in version.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                var better = metrics.TryGet(name, out var metric) ? metric.HigherIsBetter ? "higher" : "lower" : "not declared";
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(name)} | {value.ToString("0.####", CultureInfo.InvariantCulture)} | {better} |\n");
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
                md.Append(CultureInfo.InvariantCulture, $"- Code: {Escape(code.Assembly)} {Escape(code.Version)}{(code.SourceRevision is null ? string.Empty : $" (revision {Code(code.SourceRevision)})")}\n");
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
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(a.Name)} | {Cell(a.Kind)} | {Cell(a.FormatId ?? string.Empty)} | {a.Length.ToString("N0", CultureInfo.InvariantCulture)} | {Code(a.Sha256)} |\n");
            }
        }

        var decisions = history.Where(e => !(e.Action == AuditAction.ArtifactAttached && e.Subject == NewArtifact.ModelCardName)).ToList();
        if (decisions.Count > 0)
        {
            md.Append("\n## Decision history\n\n| when (UTC) | who | what | why |\n|---|---|---|---|\n");
            foreach (var e in decisions)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Date(e.At)} | {Cell(e.Actor)} | {Describe(e)} | {Cell(e.Reason ?? string.Empty)} |\n");
            }
        }

        return md.ToString();
    }

    /// <summary>What an audit entry did, as Markdown for a table cell (its recorded values escaped).</summary>
    private static string Describe(AuditEntry e) => e.Action switch
    {
        AuditAction.Registered => $"registered as version {Cell(e.After)}",
        AuditAction.Imported => $"imported from {Cell(e.Before)} as version {Cell(e.After)}",
        AuditAction.AliasSet when e.Before is null => $"{Code(e.Subject)} set to version {Cell(e.After)}",
        AuditAction.AliasSet => $"{Code(e.Subject)} moved from version {Cell(e.Before)} to {Cell(e.After)}",
        AuditAction.AliasRemoved => $"{Code(e.Subject)} removed from version {Cell(e.Before)}",
        AuditAction.TagSet => e.Before is null ? $"tag {Cell(e.Subject)} = {Cell(e.After)}" : $"tag {Cell(e.Subject)}: {Cell(e.Before)} → {Cell(e.After)}",
        AuditAction.TagRemoved => $"tag {Cell(e.Subject)} removed (was {Cell(e.Before)})",
        AuditAction.Archived => "archived",
        AuditAction.Restored => "restored",
        AuditAction.Deleted => "deleted",
        AuditAction.ArtifactAttached => $"artifact {Cell(e.Subject)} attached",
        _ => Cell(e.Action.ToString()),
    };

    private static string Kind(ObjectiveKind kind) => kind switch
    {
        ObjectiveKind.MlMetric => "ML metric",
        ObjectiveKind.BusinessMetric => "business metric",
        ObjectiveKind.Latency => "latency",
        _ => "cost per prediction",
    };

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Inline text: HTML's specials as entities, Markdown's inline marks backslash-escaped, line breaks as spaces.</summary>
    private static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var md = new StringBuilder(text.Length + 16);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            switch (c)
            {
                case '<':
                    md.Append("&lt;");
                    break;
                case '>':
                    md.Append("&gt;");
                    break;
                case '&':
                    md.Append("&amp;");
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '#' or '~':
                    md.Append('\\').Append(c);
                    break;
                default:
                    md.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return md.ToString();
    }

    /// <summary>Text that starts a line: also escapes a leading list, heading or rule marker (including "1." and "1)").</summary>
    private static string Paragraph(string text)
    {
        var md = Escape(text.TrimStart());
        var digits = 0;
        while (digits < md.Length && char.IsAsciiDigit(md[digits]))
        {
            digits++;
        }

        return md.Length > 0 && md[0] is '-' or '+' or '='
            ? "\\" + md
            : digits > 0 && digits < md.Length && md[digits] is '.' or ')' ? string.Concat(md.AsSpan(0, digits), "\\", md.AsSpan(digits)) : md;
    }

    /// <summary>A table cell: inline text (pipes are escaped with the other marks).</summary>
    private static string Cell(string? text) => Escape(text);

    /// <summary>A code span: its content is literal in Markdown, so only a backtick (which would end it) is replaced.</summary>
    private static string Code(string? text) => $"`{(text ?? string.Empty).ReplaceLineEndings(" ").Replace('`', '\'')}`";
}
