namespace MLSystemDesign.Testing.Fuzzing;

/// <summary>What a reader did with one mutated file.</summary>
public enum FuzzOutcome
{
    /// <summary>A clear project exception that names the file.</summary>
    Refused,

    /// <summary>A result equal to the valid file's result.</summary>
    Identical,

    /// <summary>A result that differs from the valid file's result (a silent change).</summary>
    Different,

    /// <summary>Any other exception: a library's own, or a project exception that does not name the file.</summary>
    Crashed,

    /// <summary>No answer within the case's time limit.</summary>
    Hung,
}

/// <summary>One mutation and what the reader did with it.</summary>
/// <param name="Mutation">The mutation.</param>
/// <param name="Outcome">The outcome.</param>
/// <param name="Detail">The exception's type and message for refusals and crashes.</param>
public sealed record FuzzCase(Mutation Mutation, FuzzOutcome Outcome, string? Detail);

/// <summary>Everything one fuzz run saw, with the counts per outcome.</summary>
public sealed class FuzzReport
{
    internal FuzzReport(string format, IReadOnlyList<FuzzCase> cases)
    {
        Format = format;
        Cases = cases;
    }

    /// <summary>The format's name as the report prints it.</summary>
    public string Format { get; }

    /// <summary>Every case, in mutation order.</summary>
    public IReadOnlyList<FuzzCase> Cases { get; }

    /// <summary>How many cases had this outcome.</summary>
    /// <param name="outcome">The outcome.</param>
    public int Count(FuzzOutcome outcome) => Cases.Count(c => c.Outcome == outcome);

    /// <summary>The cases with this outcome.</summary>
    /// <param name="outcome">The outcome.</param>
    public IEnumerable<FuzzCase> With(FuzzOutcome outcome) => Cases.Where(c => c.Outcome == outcome);

    /// <summary>The one-line summary, e.g. <c>mlsd: 400 mutations, 238 refused, 162 identical, 0 different, 0 crashes, 0 hangs</c>.</summary>
    public override string ToString() =>
        $"{Format}: {Cases.Count} mutations, {Count(FuzzOutcome.Refused)} refused, {Count(FuzzOutcome.Identical)} identical, " +
        $"{Count(FuzzOutcome.Different)} different, {Count(FuzzOutcome.Crashed)} crashes, {Count(FuzzOutcome.Hung)} hangs";

    /// <summary>The summary and the first few cases of each bad outcome, for a failing assertion's message.</summary>
    /// <param name="allowDifferent">Whether silent changes are acceptable (formats without a checksum).</param>
    public string Describe(bool allowDifferent)
    {
        var bad = Cases.Where(c => c.Outcome is FuzzOutcome.Crashed or FuzzOutcome.Hung || (!allowDifferent && c.Outcome == FuzzOutcome.Different));
        return string.Join(Environment.NewLine, bad.Take(12).Select(c => $"  {c.Outcome}: {c.Mutation} -> {c.Detail}").Prepend(ToString()));
    }
}

/// <summary>
/// Runs a reader over mutated copies of a valid file and classifies each outcome. Each case is written to its own
/// file (so an error can be checked for naming it) and bounded by a time limit.
/// </summary>
public static class Fuzzer
{
    /// <summary>Runs every mutation through <paramref name="read"/> and compares each result with the valid file's.</summary>
    /// <typeparam name="TResult">What the reader produces (compared with <paramref name="equal"/>).</typeparam>
    /// <param name="format">The format's name for the report.</param>
    /// <param name="fileName">The file name each case is written under (its extension may matter to the reader).</param>
    /// <param name="valid">The valid file.</param>
    /// <param name="mutations">The mutations.</param>
    /// <param name="read">Reads a file completely (path, cancellation) into a comparable result.</param>
    /// <param name="equal">Whether two results are the same.</param>
    /// <param name="isClearError">
    /// Whether an exception is a clear refusal of the file at the path; by default a project exception (its type in a
    /// <c>MLSystemDesign</c> namespace, or <see cref="InvalidDataException"/> / <see cref="IOException"/> subclasses the
    /// project throws) whose message, or an inner exception's, names the file.
    /// </param>
    /// <param name="timeout">The time limit per case (2 s by default).</param>
    public static async Task<FuzzReport> RunAsync<TResult>(
        string format,
        string fileName,
        byte[] valid,
        IEnumerable<Mutation> mutations,
        Func<string, CancellationToken, Task<TResult>> read,
        Func<TResult, TResult, bool> equal,
        Func<Exception, string, bool>? isClearError = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(mutations);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(equal);
        isClearError ??= IsProjectErrorNamingFile;
        var limit = timeout ?? TimeSpan.FromSeconds(2);
        var directory = Directory.CreateTempSubdirectory("mlsd-fuzz-");
        try
        {
            var validPath = Path.Combine(directory.FullName, "valid", fileName);
            Directory.CreateDirectory(Path.GetDirectoryName(validPath)!);
            await File.WriteAllBytesAsync(validPath, valid);
            var baseline = await read(validPath, CancellationToken.None);

            var cases = new List<FuzzCase>();
            var index = 0;
            foreach (var mutation in mutations)
            {
                var casePath = Path.Combine(directory.FullName, $"case-{index++:D4}", fileName);
                Directory.CreateDirectory(Path.GetDirectoryName(casePath)!);
                await File.WriteAllBytesAsync(casePath, mutation.Bytes);
                cases.Add(await RunOneAsync(mutation, casePath, baseline, read, equal, isClearError, limit));
            }

            return new FuzzReport(format, cases);
        }
        finally
        {
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A hung case may still hold its file open; the temporary folder is left for the OS to clear.
            }
        }
    }

    /// <summary>
    /// The default clear-error rule: the exception (or one it wraps) is thrown by the project — its type lives in a
    /// <c>MLSystemDesign</c> namespace — and its message names the file (its full path or its file name).
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="path">The path of the file that was read.</param>
    public static bool IsProjectErrorNamingFile(Exception exception, string path)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var name = Path.GetFileName(path);
        var isProject = exception.GetType().Namespace?.StartsWith("MLSystemDesign", StringComparison.Ordinal) == true;
        var namesFile = false;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            namesFile |= e.Message.Contains(path, StringComparison.Ordinal) || e.Message.Contains(name, StringComparison.Ordinal);
        }

        return isProject && namesFile;
    }

    private static async Task<FuzzCase> RunOneAsync<TResult>(
        Mutation mutation,
        string path,
        TResult baseline,
        Func<string, CancellationToken, Task<TResult>> read,
        Func<TResult, TResult, bool> equal,
        Func<Exception, string, bool> isClearError,
        TimeSpan limit)
    {
        using var cts = new CancellationTokenSource();
        var work = Task.Run(() => read(path, cts.Token));
        try
        {
            var result = await work.WaitAsync(limit);
            return equal(result, baseline)
                ? new FuzzCase(mutation, FuzzOutcome.Identical, null)
                : new FuzzCase(mutation, FuzzOutcome.Different, "result differs from the valid file's");
        }
        catch (TimeoutException) when (!work.IsCompleted)
        {
            await cts.CancelAsync();
            return new FuzzCase(mutation, FuzzOutcome.Hung, $"no answer within {limit.TotalMilliseconds:F0} ms");
        }
        catch (Exception e)
        {
            var detail = $"{e.GetType().Name}: {e.Message}";
            return isClearError(e, path)
                ? new FuzzCase(mutation, FuzzOutcome.Refused, detail)
                : new FuzzCase(mutation, FuzzOutcome.Crashed, detail);
        }
    }
}
