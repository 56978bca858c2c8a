namespace MLSystemDesign.Data;

/// <summary>A source does not fit the record type: a required column is missing, or a field type is not supported.</summary>
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

    /// <summary>Gets the file path or source description.</summary>
    public new string Source { get; }

    /// <summary>Gets the required columns the source lacks.</summary>
    public IReadOnlyList<string> MissingColumns { get; }
}
