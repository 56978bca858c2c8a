namespace MLSystemDesign.Data;

/// <summary>
/// The identity of a data set for lineage: a hash of its record schema, its row count, and a hash of its content.
/// Two data sets with equal fingerprints hold the same records in the same order.
/// </summary>
/// <param name="SchemaHash">Lower-case hexadecimal SHA-256 of the canonical schema text.</param>
/// <param name="RowCount">The number of records.</param>
/// <param name="ContentHash">Lower-case hexadecimal SHA-256 of every field value in canonical binary form, record by record.</param>
/// <param name="Algorithm">The canonical encoding's name and version, so that a later change of encoding is detectable.</param>
public sealed record DatasetFingerprint(string SchemaHash, long RowCount, string ContentHash, string Algorithm = DatasetFingerprint.CurrentAlgorithm)
{
    /// <summary>The name of the canonical encoding this version writes.</summary>
    public const string CurrentAlgorithm = "mlsd-records-sha256-v1";

    /// <summary>Gets a short form for logs: the first 12 hex digits of the content hash and the row count.</summary>
    public string ShortForm => $"{ContentHash[..Math.Min(12, ContentHash.Length)]}/{RowCount}";

    /// <inheritdoc />
    public override string ToString() => $"{Algorithm}:schema={SchemaHash}:rows={RowCount}:content={ContentHash}";
}
