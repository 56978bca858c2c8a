using System.Diagnostics;

namespace MLSystemDesign.Benchmarks;

/// <summary>
/// Runs benchmarks/scipy/scipy_worker.py beside the benchmark: started once with the benchmark's own data, it runs one
/// SciPy call per command, so SciPy is timed by BenchmarkDotNet in the same run, on the same data.
/// </summary>
public sealed class SciPyWorker : IDisposable
{
    private readonly Process _process;

    private SciPyWorker(Process process) => _process = process;

    /// <summary>Starts the worker; throws when /usr/bin/python3 with SciPy is not installed.</summary>
    public static SciPyWorker Start(params string[] arguments)
    {
        var script = BenchmarkData.Path(Path.Combine("..", "scipy", "scipy_worker.py"));
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start /usr/bin/python3.");
        var ready = process.StandardOutput.ReadLine();
        if (ready != "ready")
        {
            throw new InvalidOperationException($"The SciPy worker did not start (it said '{ready}'); install python3-scipy and python3-pandas.");
        }

        return new SciPyWorker(process);
    }

    /// <summary>Runs one command and waits for it to finish.</summary>
    public void Run(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        var answer = _process.StandardOutput.ReadLine();
        if (answer != "done")
        {
            throw new InvalidOperationException($"The SciPy worker answered '{answer}' to '{command}'.");
        }
    }

    /// <summary>Writes doubles as raw little-endian float64, as numpy.fromfile reads them.</summary>
    public static void WriteDoubles(string path, ReadOnlySpan<double> values) =>
        File.WriteAllBytes(path, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray());

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Flush();
            _process.WaitForExit(5000);
        }
        catch (IOException)
        {
        }

        _process.Dispose();
    }
}
