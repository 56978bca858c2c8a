namespace MLSystemDesign.Data;

/// <summary>
/// Counts what a read did: records read, records skipped under <see cref="BadRecordPolicy.Skip"/>, invalid UTF-8
/// sequences a text reader decoded as U+FFFD, and the first skipped records and replacements in full. Pass one to
/// <see cref="IDataSource{T}.ReadAsync"/>; one report may accumulate several reads.
/// </summary>
public sealed class DataReadReport
{
    private readonly object _gate = new();
    private readonly List<BadRecord> _examples = [];
    private readonly List<BadRecord> _replacements = [];
    private long _read;
    private long _skipped;
    private long _replaced;

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

    /// <summary>
    /// Gets the number of invalid UTF-8 byte sequences a text reader (CSV, JSON Lines) decoded as the replacement
    /// character U+FFFD instead of refusing them. Each is a value that differs from what the file meant to hold.
    /// </summary>
    public long InvalidUtf8Replaced => Interlocked.Read(ref _replaced);

    /// <summary>Gets where the first replaced invalid UTF-8 sequences were (file, record, line, byte offset), up to <see cref="MaxExamples"/>.</summary>
    public IReadOnlyList<BadRecord> InvalidUtf8Examples
    {
        get
        {
            lock (_gate)
            {
                return _replacements.ToArray();
            }
        }
    }

    /// <summary>Counts one record read.</summary>
    public void AddRead() => Interlocked.Increment(ref _read);

    /// <summary>Counts one skipped record and keeps it while fewer than <see cref="MaxExamples"/> are kept.</summary>
    /// <param name="record">What was skipped and why.</param>
    public void AddSkipped(BadRecord record) => Count(ref _skipped, _examples, record);

    /// <summary>Counts one invalid UTF-8 sequence decoded as U+FFFD and keeps where it was while fewer than <see cref="MaxExamples"/> are kept.</summary>
    /// <param name="where">The file, record, line and byte offset of the sequence.</param>
    public void AddInvalidUtf8Replaced(BadRecord where) => Count(ref _replaced, _replacements, where);

    private void Count(ref long counter, List<BadRecord> examples, BadRecord example)
    {
        ArgumentNullException.ThrowIfNull(example);
        Interlocked.Increment(ref counter);
        lock (_gate)
        {
            if (examples.Count < MaxExamples)
            {
                examples.Add(example);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => InvalidUtf8Replaced == 0
        ? $"{RecordsRead} read, {RecordsSkipped} skipped"
        : $"{RecordsRead} read, {RecordsSkipped} skipped, {InvalidUtf8Replaced} invalid UTF-8 sequences replaced";
}
