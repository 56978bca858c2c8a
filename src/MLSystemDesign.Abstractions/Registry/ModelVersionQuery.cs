namespace MLSystemDesign.Registry;

/// <summary>Selects model versions: by name, tags, metric ranges and registration date, ordered by a metric or by registration.</summary>
public sealed record ModelVersionQuery
{
    /// <summary>Gets the model name; every model when not set.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the tag conditions; all must hold.</summary>
    public IReadOnlyList<TagFilter> Tags { get; init; } = [];

    /// <summary>Gets the metric conditions; all must hold (a version without the metric does not match).</summary>
    public IReadOnlyList<MetricFilter> Metrics { get; init; } = [];

    /// <summary>Gets the earliest registration time (inclusive).</summary>
    public DateTimeOffset? RegisteredFrom { get; init; }

    /// <summary>Gets the latest registration time (exclusive).</summary>
    public DateTimeOffset? RegisteredBefore { get; init; }

    /// <summary>Gets whether archived versions are included. Default <see langword="false"/>; deleted versions never are.</summary>
    public bool IncludeArchived { get; init; }

    /// <summary>Gets the metric to order by; versions without it are left out. When not set, newest registration first.</summary>
    public string? OrderByMetric { get; init; }

    /// <summary>
    /// Gets whether a larger <see cref="OrderByMetric"/> value comes first. Default <see langword="null"/>: best first, by
    /// the metric's declared direction (<c>log_loss</c> smallest first, <c>auc</c> largest first; see
    /// <c>IMetricCatalog</c>); a metric without a declared direction then makes the search an <see cref="ArgumentException"/>.
    /// </summary>
    public bool? Descending { get; init; }

    /// <summary>Gets the most versions returned; 0 for all. Default 0.</summary>
    public int Limit { get; init; }
}

/// <summary>A tag condition.</summary>
/// <param name="Key">The tag key.</param>
/// <param name="Value">The value it must have; any value when <see langword="null"/>.</param>
public sealed record TagFilter(string Key, string? Value = null);

/// <summary>A metric condition: the metric is present and within the bounds given.</summary>
/// <param name="Name">The metric name.</param>
/// <param name="Min">The smallest allowed value (inclusive), if any.</param>
/// <param name="Max">The largest allowed value (inclusive), if any.</param>
public sealed record MetricFilter(string Name, double? Min = null, double? Max = null);
