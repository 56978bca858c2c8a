namespace MLSystemDesign.Data;

/// <summary>
/// A source of records of type <typeparamref name="T"/>: a file, a query, a table or an in-memory list.
/// Records stream; a source never loads a whole file into memory unless its options ask for it.
/// </summary>
/// <typeparam name="T">The user's record type.</typeparam>
/// <remarks>
/// A source is cheap to create and may be read many times; each call to <see cref="ReadAsync"/> opens
/// the underlying file or connection anew. Implementations must be safe to read concurrently from
/// several callers, each with its own enumeration.
/// </remarks>
public interface IDataSource<T>
{
    /// <summary>Gets what this source reads: its kind, location and record schema.</summary>
    DataSourceDescriptor Descriptor { get; }

    /// <summary>Streams the records of this source.</summary>
    /// <param name="report">
    /// Receives the counts of records read and skipped. Required when the source's
    /// <see cref="BadRecordPolicy"/> is <see cref="BadRecordPolicy.Skip"/>, so that no skipped record goes uncounted.
    /// </param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The records, in source order.</returns>
    /// <exception cref="DataRecordException">A record is malformed and the policy is <see cref="BadRecordPolicy.Fail"/>.</exception>
    /// <exception cref="DataSchemaException">The source lacks a column the record type requires.</exception>
    IAsyncEnumerable<T> ReadAsync(DataReadReport? report = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Computes the content fingerprint of this source: its record schema, its row count and a hash of every
    /// mapped value. The fingerprint depends on the records, not on the file format: the same records read
    /// from CSV and from Parquet have the same fingerprint.
    /// </summary>
    /// <param name="cancellationToken">Stops the computation.</param>
    /// <returns>The fingerprint, for lineage.</returns>
    ValueTask<DatasetFingerprint> ComputeFingerprintAsync(CancellationToken cancellationToken = default);
}
