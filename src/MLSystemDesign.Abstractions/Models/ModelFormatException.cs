namespace MLSystemDesign.Models;

/// <summary>A stream does not hold a valid model of the expected format.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="formatId">The format that was being read.</param>
    /// <param name="message">What is wrong with the model file.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ModelFormatException(string formatId, string message, Exception? innerException = null)
        : base($"{formatId}: {message}", innerException)
    {
        FormatId = formatId;
    }

    /// <summary>Gets the format that was being read.</summary>
    public string FormatId { get; }
}
