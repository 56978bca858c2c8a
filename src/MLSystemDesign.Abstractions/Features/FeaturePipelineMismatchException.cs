namespace MLSystemDesign.Features;

/// <summary>A saved fitted pipeline does not match the definition it is being bound to, or its file is not a pipeline this version reads.</summary>
public sealed class FeaturePipelineMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What differs: the feature, and the saved and defined values.</param>
    public FeaturePipelineMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What differs.</param>
    /// <param name="innerException">The cause.</param>
    public FeaturePipelineMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
