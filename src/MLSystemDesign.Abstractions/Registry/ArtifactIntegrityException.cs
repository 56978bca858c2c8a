namespace MLSystemDesign.Registry;

/// <summary>What is wrong with a stored artifact.</summary>
public enum ArtifactProblem
{
    /// <summary>The artifact's file is not in the store.</summary>
    Missing,

    /// <summary>The file is shorter or longer than when it was stored.</summary>
    WrongLength,

    /// <summary>The file has the stored length but its content hashes to a different value.</summary>
    Altered,
}

/// <summary>
/// A stored artifact is missing, truncated or altered: its content no longer hashes to the SHA-256 recorded when it
/// was stored. Raised on every read of a damaged artifact, so that a wrong model is never used.
/// </summary>
public sealed class ArtifactIntegrityException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <param name="expectedSha256">The recorded hash (lower-case hex).</param>
    /// <param name="actualSha256">The hash of what is stored now; <see langword="null"/> when nothing is stored or the length already differs.</param>
    /// <param name="expectedLength">The recorded length in bytes.</param>
    /// <param name="actualLength">The stored length in bytes; <see langword="null"/> when nothing is stored.</param>
    /// <param name="model">The model whose artifact it is, when known.</param>
    /// <param name="version">The model version, when known.</param>
    /// <param name="artifact">The artifact's name within the version, when known.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ArtifactIntegrityException(
        ArtifactProblem problem,
        string expectedSha256,
        string? actualSha256,
        long expectedLength,
        long? actualLength,
        string? model = null,
        int? version = null,
        string? artifact = null,
        Exception? innerException = null)
        : base(Describe(problem, expectedSha256, actualSha256, expectedLength, actualLength, model, version, artifact), innerException)
    {
        Problem = problem;
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
        ExpectedLength = expectedLength;
        ActualLength = actualLength;
        Model = model;
        Version = version;
        Artifact = artifact;
    }

    /// <summary>Gets what is wrong.</summary>
    public ArtifactProblem Problem { get; }

    /// <summary>Gets the recorded SHA-256 (lower-case hex).</summary>
    public string ExpectedSha256 { get; }

    /// <summary>Gets the SHA-256 of what is stored now, when it was computed.</summary>
    public string? ActualSha256 { get; }

    /// <summary>Gets the recorded length in bytes.</summary>
    public long ExpectedLength { get; }

    /// <summary>Gets the stored length in bytes, when a file is there.</summary>
    public long? ActualLength { get; }

    /// <summary>Gets the model name, when known.</summary>
    public string? Model { get; }

    /// <summary>Gets the model version, when known.</summary>
    public int? Version { get; }

    /// <summary>Gets the artifact name, when known.</summary>
    public string? Artifact { get; }

    /// <summary>Returns a copy that names the model version and artifact the damaged content belongs to.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="artifact">The artifact name.</param>
    /// <returns>The exception with context; this one becomes its inner exception.</returns>
    public ArtifactIntegrityException WithContext(string model, int version, string artifact) =>
        new(Problem, ExpectedSha256, ActualSha256, ExpectedLength, ActualLength, model, version, artifact, this);

    private static string Describe(ArtifactProblem problem, string expected, string? actual, long expectedLength, long? actualLength, string? model, int? version, string? artifact)
    {
        var where = model is null ? "Artifact" : $"Artifact '{artifact}' of {model}:{version}";
        return problem switch
        {
            ArtifactProblem.Missing => $"{where} is missing from the store: expected sha256 {expected} ({expectedLength} bytes).",
            ArtifactProblem.WrongLength => $"{where} is damaged: expected {expectedLength} bytes with sha256 {expected}, found {actualLength} bytes{(actual is null ? string.Empty : $" with sha256 {actual}")}.",
            _ => $"{where} is damaged: expected sha256 {expected}, found sha256 {actual} ({actualLength} bytes).",
        };
    }
}
