namespace MLSystemDesign.Models;

/// <summary>
/// A file or stream does not hold a valid model of the expected format: it is damaged, truncated, declares sizes it does
/// not hold or exceed a limit, or was written by a library the reader cannot follow. The message says what is wrong and
/// where (byte offset, tree, node, attribute or JSON member), and names the file when the reader knows it.
/// </summary>
public sealed class ModelFormatException : Exception
{
    private readonly string _reason;

    /// <summary>Creates the exception.</summary>
    /// <param name="formatId">The format that was being read.</param>
    /// <param name="message">What is wrong with the model file.</param>
    /// <param name="innerException">The cause, if any.</param>
    /// <param name="source">The file that was read (or another description of where the bytes came from), when known.</param>
    public ModelFormatException(string formatId, string message, Exception? innerException = null, string? source = null)
        : base(source is null ? $"{formatId}: {message}" : $"{source} ({formatId}): {message}", innerException)
    {
        FormatId = formatId;
        Source = source;
        _reason = message;
    }

    /// <summary>Gets the format that was being read.</summary>
    public string FormatId { get; }

    /// <summary>Gets the file that was read, when the reader knew it; otherwise <see langword="null"/>.</summary>
    public new string? Source { get; }

    /// <summary>The file a stream reads, when it is a <see cref="FileStream"/>; otherwise <see langword="null"/>.</summary>
    /// <param name="stream">The stream a model is read from.</param>
    /// <returns>The stream's full path, or <see langword="null"/>.</returns>
    public static string? SourceOf(Stream? stream) => (stream as FileStream)?.Name;

    /// <summary>Returns the exception naming the file it came from (this one as its inner exception), or this one when it already names a file.</summary>
    /// <param name="source">The file that was read.</param>
    /// <returns>An exception whose message names <paramref name="source"/>.</returns>
    public ModelFormatException WithSource(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        return Source is not null ? this : new ModelFormatException(FormatId, _reason, this, source);
    }
}
