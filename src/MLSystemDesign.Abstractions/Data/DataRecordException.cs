namespace MLSystemDesign.Data;

/// <summary>A record could not be read: it is malformed, a value has the wrong type, or a required value is missing.</summary>
public sealed class DataRecordException : Exception
{
    /// <summary>Creates the exception for a bad record.</summary>
    /// <param name="record">Where and why.</param>
    /// <param name="innerException">The parser's own exception, if any.</param>
    public DataRecordException(BadRecord record, Exception? innerException = null)
        : base(record?.ToString(), innerException)
    {
        ArgumentNullException.ThrowIfNull(record);
        Record = record;
    }

    /// <summary>Gets where and why the record failed.</summary>
    public BadRecord Record { get; }
}
