namespace MLSystemDesign.Data;

/// <summary>
/// A source cannot be read as a table of the record type: it is empty or not a readable file of its format (a corrupt
/// footer, a header that is too long, a column without a name or named twice), its query fails, a required column is
/// missing, or a field type is not supported. The message names the file (or source) and, where known, the line,
/// column or byte offset.
/// </summary>
public sealed class DataSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file path or source description.</param>
    /// <param name="message">What does not fit.</param>
    /// <param name="missingColumns">The required columns the source lacks, if that is the problem.</param>
    public DataSchemaException(string source, string message, IReadOnlyList<string>? missingColumns = null)
        : base($"{source}: {message}")
    {
        Source = source;
        MissingColumns = missingColumns ?? [];
    }

    /// <summary>Creates the exception for a source its library could not read.</summary>
    /// <param name="source">The file path or source description.</param>
    /// <param name="message">What is wrong, and where.</param>
    /// <param name="innerException">The library's own exception.</param>
    public DataSchemaException(string source, string message, Exception? innerException)
        : base($"{source}: {message}", innerException)
    {
        Source = source;
        MissingColumns = [];
    }

    /// <summary>Gets the file path or source description.</summary>
    public new string Source { get; }

    /// <summary>Gets the required columns the source lacks.</summary>
    public IReadOnlyList<string> MissingColumns { get; }
}
