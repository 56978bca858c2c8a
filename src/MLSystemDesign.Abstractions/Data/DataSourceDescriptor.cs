namespace MLSystemDesign.Data;

/// <summary>Describes a data source for lineage and error messages.</summary>
/// <param name="Kind">The source kind: <c>csv</c>, <c>jsonl</c>, <c>parquet</c>, <c>sql</c>, <c>memory</c> or a custom kind.</param>
/// <param name="Location">Where the data lives: a file path, or a query with the connection's data source (never its credentials).</param>
/// <param name="Schema">The record fields the source maps.</param>
public sealed record DataSourceDescriptor(string Kind, string Location, RecordSchema Schema)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind}:{Location}";
}
