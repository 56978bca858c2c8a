namespace MLSystemDesign.Benchmarks;

/// <summary>Finds the repository's benchmark data from wherever BenchmarkDotNet runs the benchmark process.</summary>
public static class BenchmarkData
{
    /// <summary>Gets the full path of a file in <c>benchmarks/data</c>.</summary>
    /// <param name="file">The file name.</param>
    /// <returns>The path.</returns>
    public static string Path(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "benchmarks", "data", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"benchmarks/data/{file} was not found above {AppContext.BaseDirectory}.", file);
    }
}
