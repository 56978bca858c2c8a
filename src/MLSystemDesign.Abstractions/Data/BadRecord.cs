namespace MLSystemDesign.Data;

/// <summary>Where and why a record could not be read.</summary>
/// <param name="Source">The file path or source description.</param>
/// <param name="RecordNumber">The 1-based number of the data record (the header is not counted).</param>
/// <param name="LineNumber">The 1-based line in the file, when the format has lines; otherwise <see langword="null"/>.</param>
/// <param name="Column">The column that failed, when one did.</param>
/// <param name="Value">The offending raw value, when there is one (truncated to 200 characters).</param>
/// <param name="Reason">What was wrong.</param>
public sealed record BadRecord(string Source, long RecordNumber, long? LineNumber, string? Column, string? Value, string Reason)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var where = LineNumber is { } line ? $"{Source}, line {line} (record {RecordNumber})" : $"{Source}, record {RecordNumber}";
        var column = Column is null ? string.Empty : $", column '{Column}'";
        var value = Value is null ? string.Empty : $", value '{Value}'";
        return $"{where}{column}{value}: {Reason}";
    }
}
