namespace MLSystemDesign.Architecture.Tests;

/// <summary>
/// Compares a code block of the README (between <c>&lt;!-- name:start --&gt;</c> and <c>&lt;!-- name:end --&gt;</c>) with
/// the lines of a test file between <c>// name:begin</c> and <c>// name:end</c> (indentation aside), so README examples
/// are compiled and run.
/// </summary>
internal static class ReadmeSnippets
{
    public static List<string> FromReadme(string name)
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var start = readme.IndexOf($"<!-- {name}:start -->", StringComparison.Ordinal);
        var end = readme.IndexOf($"<!-- {name}:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no {name} markers.");
        return Lines(readme[start..end]).Where(l => !l.StartsWith("```", StringComparison.Ordinal) && !l.StartsWith("<!--", StringComparison.Ordinal)).ToList();
    }

    public static List<string> FromSource(string path, string name)
    {
        var marked = new List<string>();
        var inside = false;
        foreach (var line in Lines(File.ReadAllText(path)))
        {
            if (line == $"// {name}:begin")
            {
                inside = true;
            }
            else if (line == $"// {name}:end")
            {
                inside = false;
            }
            else if (inside)
            {
                marked.Add(line);
            }
        }

        return marked;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
}
