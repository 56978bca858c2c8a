namespace MLSystemDesign.Registry;

/// <summary>What an audit entry records.</summary>
public enum AuditAction
{
    /// <summary>A version was registered.</summary>
    Registered,

    /// <summary>An alias was set or moved; <see cref="AuditEntry.Before"/> and <see cref="AuditEntry.After"/> hold the version numbers.</summary>
    AliasSet,

    /// <summary>An alias was removed.</summary>
    AliasRemoved,

    /// <summary>A tag was set or changed.</summary>
    TagSet,

    /// <summary>A tag was removed.</summary>
    TagRemoved,

    /// <summary>A version was archived.</summary>
    Archived,

    /// <summary>An archived version was made active again.</summary>
    Restored,

    /// <summary>A version was deleted; <see cref="AuditEntry.Before"/> lists the artifacts it held.</summary>
    Deleted,

    /// <summary>An artifact was attached to a version after registration (or replaced).</summary>
    ArtifactAttached,

    /// <summary>A model's description or owner changed.</summary>
    ModelUpdated,

    /// <summary>A version was imported from a bundle; <see cref="AuditEntry.Before"/> names the source.</summary>
    Imported,
}

/// <summary>One entry of the audit log (the chain of decisions): append-only.</summary>
/// <param name="Sequence">The entry's position in the log, increasing.</param>
/// <param name="At">When the change was made.</param>
/// <param name="Actor">Who made it.</param>
/// <param name="Reason">Why, when given.</param>
/// <param name="Action">What was done.</param>
/// <param name="Model">The model.</param>
/// <param name="Version">The version concerned, when one is.</param>
/// <param name="Subject">The alias, tag key or artifact name concerned, when one is.</param>
/// <param name="Before">The previous state (previous version, tag value, state), when there was one.</param>
/// <param name="After">The new state, when there is one.</param>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string? Reason,
    AuditAction Action,
    string Model,
    int? Version,
    string? Subject,
    string? Before,
    string? After);

/// <summary>An alias was set, moved or removed.</summary>
/// <param name="Sequence">The audit log position of the change.</param>
/// <param name="At">When.</param>
/// <param name="Model">The model.</param>
/// <param name="Alias">The alias.</param>
/// <param name="PreviousVersion">The version it pointed at before, if any.</param>
/// <param name="Version">The version it points at now; <see langword="null"/> when removed.</param>
/// <param name="Actor">Who moved it.</param>
/// <param name="Reason">Why, when given.</param>
public sealed record AliasChange(
    long Sequence,
    DateTimeOffset At,
    string Model,
    string Alias,
    int? PreviousVersion,
    int? Version,
    string Actor,
    string? Reason);
