namespace MLSystemDesign.Data;

/// <summary>
/// Counts what a read did: records read, records skipped under <see cref="BadRecordPolicy.Skip"/>, and the first
/// skipped records in full. Pass one to <see cref="IDataSource{T}.ReadAsync"/>; one report may accumulate several reads.
/// </summary>
public sealed class DataReadReport
{
    private readonly object _gate = new();
    private readonly List<BadRecord> _examples = [];
    private long _read;
    private long _skipped;

    /// <summary>Creates a report that keeps up to <paramref name="maxExamples"/> skipped records in full.</summary>
    /// <param name="maxExamples">How many skipped records to keep; every skip is counted regardless. Default 100.</param>
    public DataReadReport(int maxExamples = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);
        MaxExamples = maxExamples;
    }

    /// <summary>Gets how many skipped records are kept in full.</summary>
    public int MaxExamples { get; }

    /// <summary>Gets the number of records read and returned.</summary>
    public long RecordsRead => Interlocked.Read(ref _read);

    /// <summary>Gets the number of records skipped.</summary>
    public long RecordsSkipped => Interlocked.Read(ref _skipped);

    /// <summary>Gets the first skipped records, up to <see cref="MaxExamples"/>.</summary>
    public IReadOnlyList<BadRecord> SkippedExamples
    {
        get
        {
            lock (_gate)
            {
                return _examples.ToArray();
            }
        }
    }

    /// <summary>Counts one record read.</summary>
    public void AddRead() => Interlocked.Increment(ref _read);

    /// <summary>Counts one skipped record and keeps it while fewer than <see cref="MaxExamples"/> are kept.</summary>
    /// <param name="record">What was skipped and why.</param>
    public void AddSkipped(BadRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Interlocked.Increment(ref _skipped);
        lock (_gate)
        {
            if (_examples.Count < MaxExamples)
            {
                _examples.Add(record);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{RecordsRead} read, {RecordsSkipped} skipped";
}
