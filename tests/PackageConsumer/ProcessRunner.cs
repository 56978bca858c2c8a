using System.Diagnostics;
using System.Text;

namespace PackageConsumer;

/// <summary>The end of a child process: its exit code (null when it was stopped at its time limit) and its output.</summary>
/// <param name="ExitCode">The exit code, or null when the process outlived its time limit and was killed.</param>
/// <param name="Output">Standard output and standard error, interleaved as they arrived.</param>
/// <param name="Elapsed">How long it ran.</param>
internal sealed record ProcessResult(int? ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>Gets whether the process exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last <paramref name="count"/> lines of the output.</summary>
    public string Tail(int count)
    {
        var lines = Output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - count)));
    }
}

/// <summary>Runs child processes with a time limit, capturing their output.</summary>
internal static class ProcessRunner
{
    /// <summary>Environment every child gets: no first-run banner, no telemetry, no MSBuild nodes left behind.</summary>
    private static readonly Dictionary<string, string> Quiet = new()
    {
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_UI_LANGUAGE"] = "en",
    };

    /// <summary>Runs a program to its end or to its time limit.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="timeout">How long it may run before it is killed with its children.</param>
    /// <param name="environment">Variables to add or override.</param>
    /// <returns>How it ended.</returns>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Quiet.Concat(environment ?? new Dictionary<string, string>()))
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Collect(output, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return new ProcessResult(null, Text(output), clock.Elapsed);
        }

        // The asynchronous readers may still hold the last lines; the parameterless wait drains them.
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return new ProcessResult(process.ExitCode, Text(output), clock.Elapsed);
    }

    private static void Collect(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
