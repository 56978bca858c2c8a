using System.Diagnostics;
using System.Text;

namespace MLSystemDesign.Testing;

/// <summary>What a child process did: its exit code (or that it was stopped at the time limit) and what it wrote.</summary>
/// <param name="ExitCode">The exit code; -1 when it was killed at the time limit.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="TimedOut">Whether it was still running at the time limit (and was killed).</param>
public sealed record ChildProcessResult(int ExitCode, string Output, string Error, bool TimedOut)
{
    /// <inheritdoc />
    public override string ToString() => TimedOut ? $"killed at the time limit; stderr: {Error}" : $"exit {ExitCode}; stderr: {Error}";
}

/// <summary>
/// Runs a .NET program of the test output in a child process: for reproductions that, before a fix, end a process in
/// a way no test host survives (a stack overflow, an out-of-memory kill) or never end.
/// </summary>
public static class ChildProcess
{
    /// <summary>Runs <c>dotnet &lt;assembly&gt; args…</c> and waits at most <paramref name="timeout"/>.</summary>
    /// <param name="assembly">The program's path (a .dll next to its .runtimeconfig.json).</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="timeout">The time limit; the process tree is killed after it.</param>
    /// <param name="environment">Extra environment variables (e.g. <c>DOTNET_GCHeapHardLimit</c> to bound its memory).</param>
    public static async Task<ChildProcessResult> RunDotnetAsync(string assembly, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var output = new StringBuilder();
        var error = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new ChildProcessResult(-1, Text(output), Text(error), TimedOut: true);
        }

        process.WaitForExit(); // drains the redirected output
        return new ChildProcessResult(process.ExitCode, Text(output), Text(error), TimedOut: false);
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.Append(line).Append('\n');
            }
        }
    }

    private static string Text(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}
