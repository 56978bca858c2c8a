using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace MLSystemDesign.Architecture.Tests;

/// <summary>
/// No <c>stackalloc</c> in the shipped code is sized by a value a file, a caller or a model declares: a stack overflow
/// cannot be caught and ends the process. Every one is either a constant size or guarded on the same line by a constant
/// bound (<c>n &lt;= Bound ? stackalloc T[n] : …</c>).
/// </summary>
public sealed partial class StackAllocationTests
{
    [Fact]
    public void EveryStackAlloc_InSrc_HasAConstantBound()
    {
        var src = Path.GetFullPath(Path.Combine(Folder(), "..", "..", "src"));
        var sites = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(src, f), Line: i + 1, Text: line)))
            .Where(l => l.Text.Contains("stackalloc", StringComparison.Ordinal) && !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(sites);

        var unbounded = sites.Where(s => !Bounded(s.Text)).Select(s => $"{s.File}:{s.Line}: {s.Text.Trim()}").ToList();
        Assert.True(unbounded.Count == 0, "stackalloc sized by a value without a constant bound:\n" + string.Join('\n', unbounded));
    }

    [Theory]
    [InlineData("var row = stackalloc float[32];", true)]
    [InlineData("Span<int> counts = stackalloc int[8 * 256];", true)]
    [InlineData("Span<char> buffer = stackalloc char[StringPool.MaxLength];", true)]
    [InlineData("var sums = k <= 256 ? stackalloc float[k] : rented;", true)]
    [InlineData("var acc = accSize <= 16_384 ? stackalloc float[accSize] : throw new X();", true)]
    [InlineData("Span<float> sums = stackalloc float[block * k];", false)]
    [InlineData("var nonZero = stackalloc int[kCount + 16];", false)]
    [InlineData("var s = n <= 256 ? stackalloc float[m] : rented;", false)]
    [InlineData("var s = skip && n <= Max + 16 ? stackalloc int[n] : default;", true)]
    [InlineData("var s = n <= limit ? stackalloc int[n] : default;", false)]
    public void Bounded_TellsConstantAndGuardedSizesFromOthers(string line, bool bounded) => Assert.Equal(bounded, Bounded(line));

    /// <summary>Every <c>stackalloc T[size]</c> on the line has a constant size, or is guarded on that line by <c>size &lt;= Constant ?</c>.</summary>
    private static bool Bounded(string line) => StackAlloc().Matches(line).All(m =>
    {
        var size = m.Groups["size"].Value.Trim();
        if (ConstantExpression().IsMatch(size))
        {
            return true;
        }

        var guard = Regex.Match(line, $@"\b{Regex.Escape(size)}\s*<=\s*(?<bound>[A-Za-z0-9_.+*\s]+?)\s*\?\s*stackalloc\s+\w+\s*\[\s*{Regex.Escape(size)}\s*\]");
        return guard.Success && ConstantExpression().IsMatch(guard.Groups["bound"].Value);
    });

    [GeneratedRegex(@"stackalloc\s+\w+\s*\[(?<size>[^\]]+)\]")]
    private static partial Regex StackAlloc();

    /// <summary>Literals, operators and PascalCase names (constants such as <c>MaxBlockRows</c> or <c>StringPool.MaxLength</c>).</summary>
    [GeneratedRegex(@"^(?:[0-9_]+|[A-Z][A-Za-z0-9_]*(?:\.[A-Z][A-Za-z0-9_]*)*|[\s+*()-])+$")]
    private static partial Regex ConstantExpression();

    private static string Folder([CallerFilePath] string source = "") => Path.GetDirectoryName(source)!;
}
