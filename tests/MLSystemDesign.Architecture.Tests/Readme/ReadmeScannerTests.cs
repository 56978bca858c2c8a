using PackageConsumer;

namespace MLSystemDesign.Architecture.Tests.Readme;

/// <summary>How the consumer test finds the README's blocks, and every marker mistake it refuses.</summary>
public sealed class ReadmeScannerTests
{
    private const string Fence = "```";

    [Fact]
    public void Scan_MarkedBlocks_ReturnsEachWithItsLanguageLinesAndPredecessor()
    {
        var scan = ReadmeScanner.Scan(Lines(
            "# Title",
            "<!-- consumer:first:start -->",
            Fence + "csharp",
            "using System;",
            "Console.WriteLine(1);",
            Fence,
            "<!-- consumer:first:end -->",
            "text",
            "<!-- consumer:second:start after=first -->",
            Fence + "cs",
            "Console.WriteLine(2);",
            Fence,
            "<!-- consumer:second:end -->",
            "<!-- consumer:cli:start -->",
            Fence + "bash",
            "mlsd --help",
            Fence,
            "<!-- consumer:cli:end -->"));

        Assert.Empty(scan.Problems);
        Assert.Equal(["first", "second", "cli"], scan.Blocks.Select(b => b.Name));
        Assert.Equal(["csharp", "csharp", "bash"], scan.Blocks.Select(b => b.Language));
        var first = scan.Blocks[0];
        Assert.Equal(4, first.FirstLine);
        Assert.Equal(["using System;", "Console.WriteLine(1);"], first.Lines);
        Assert.Equal("first", scan.Blocks[1].After);
        Assert.Equal(["first", "second"], scan.Chain(scan.Blocks[1]).Select(b => b.Name));
    }

    [Fact]
    public void Scan_CSharpBlockOutsideMarkers_IsAProblemNamingItsLine()
    {
        var scan = ReadmeScanner.Scan(Lines("text", Fence + "csharp", "var x = 1;", Fence, Fence + "bash", "ls", Fence));

        var problem = Assert.Single(scan.Problems);
        Assert.StartsWith("README.md:2: a C# block outside consumer markers", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_SkipMarkerOnTheLineBefore_CountsTheBlockAsSkippedWithItsReason()
    {
        var scan = ReadmeScanner.Scan(Lines("<!-- consumer:skip needs an ASP.NET Core host -->", "", Fence + "csharp", "app.MapGet();", Fence));

        Assert.Empty(scan.Problems);
        var skipped = Assert.Single(scan.Skipped);
        Assert.Equal(3, skipped.Line);
        Assert.Equal("needs an ASP.NET Core host", skipped.Reason);
    }

    [Fact]
    public void Scan_SkipMarkerNotRightBeforeTheBlock_DoesNotSkipIt()
    {
        var scan = ReadmeScanner.Scan(Lines("<!-- consumer:skip a reason -->", "some prose", Fence + "csharp", "x();", Fence));

        Assert.Contains(scan.Problems, p => p.StartsWith("README.md:3: a C# block outside", StringComparison.Ordinal));
        Assert.Empty(scan.Skipped);
    }

    [Fact]
    public void Scan_SkipWithoutReason_IsAProblem()
    {
        var scan = ReadmeScanner.Scan(Lines("<!-- consumer:skip -->", Fence + "csharp", "x();", Fence));

        Assert.Contains(scan.Problems, p => p.Contains("needs a reason", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<!-- consumer:a:start -->|```csharp|x();|```", "README.md:1: the block 'a' has no end marker.")]
    [InlineData("<!-- consumer:a:end -->", "README.md:1: the end marker of 'a' has no start marker.")]
    [InlineData("<!-- consumer:a:start -->|```csharp|x();|```|<!-- consumer:b:end -->", "README.md:5: the end marker of 'b' closes the block 'a' (line 1).")]
    [InlineData("<!-- consumer:a:start -->|<!-- consumer:a:end -->", "README.md:1: the block 'a' holds no code block.")]
    [InlineData("<!-- consumer:a:start -->|```python|x()|```|<!-- consumer:a:end -->", "README.md:2: the block 'a' is a 'python' block; consumer blocks are csharp or bash.")]
    [InlineData("<!-- consumer:a:start -->|```csharp|x();|```|```csharp|y();|```|<!-- consumer:a:end -->", "README.md:5: the block 'a' (line 1) holds a second code block; one block per pair of markers.")]
    [InlineData("<!-- consumer:a:start -->|prose|```csharp|x();|```|<!-- consumer:a:end -->", "README.md:2: text inside the block 'a' outside its code fence.")]
    [InlineData("<!-- consumer:A:start -->", "README.md:1: '<!-- consumer:A:start -->' is not a consumer marker (<!-- consumer:NAME:start [after=OTHER] -->, <!-- consumer:NAME:end -->, <!-- consumer:skip REASON -->).")]
    [InlineData("```csharp|x();", "README.md: a code fence is not closed before the end of the file.")]
    public void Scan_BrokenMarkers_AreProblemsNamingTheLine(string readme, string expected)
    {
        var scan = ReadmeScanner.Scan(readme.Replace('|', '\n'));

        Assert.Contains(expected, scan.Problems);
    }

    [Fact]
    public void Scan_AfterABlockThatIsMissingOrLater_IsAProblem()
    {
        var scan = ReadmeScanner.Scan(Lines(
            Block("early", "csharp", "x();", after: "late"),
            Block("late", "csharp", "y();"),
            Block("orphan", "csharp", "z();", after: "nowhere")));

        Assert.Contains(scan.Problems, p => p.EndsWith("'early' continues 'late', which comes later in the README; a block continues one above it.", StringComparison.Ordinal));
        Assert.Contains(scan.Problems, p => p.EndsWith("'orphan' continues 'nowhere', which is no block of the README.", StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_AfterABlockOfAnotherLanguage_IsAProblem()
    {
        var scan = ReadmeScanner.Scan(Lines(Block("cli", "bash", "mlsd --help"), Block("code", "csharp", "x();", after: "cli")));

        Assert.Contains(scan.Problems, p => p.EndsWith("'code' (csharp) continues 'cli' (bash); a block continues one of its own language.", StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_SameNameTwice_IsAProblem()
    {
        var scan = ReadmeScanner.Scan(Lines(Block("a", "csharp", "x();"), Block("a", "csharp", "y();")));

        Assert.Contains(scan.Problems, p => p.EndsWith("the block name 'a' is used 2 times.", StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_TheRepositoryReadme_HasNoMarkerProblems()
    {
        var scan = ReadmeScanner.Scan(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md")));

        Assert.Empty(scan.Problems);
        Assert.Contains(scan.Blocks, b => b.Name == "setup");
        Assert.Contains(scan.Blocks, b => b.Name == "quickstart" && b.IsCSharp && b.After is null);
    }

    private static string Block(string name, string language, string code, string? after = null) => Lines(
        after is null ? $"<!-- consumer:{name}:start -->" : $"<!-- consumer:{name}:start after={after} -->",
        Fence + language,
        code,
        Fence,
        $"<!-- consumer:{name}:end -->");

    private static string Lines(params string[] lines) => string.Join('\n', lines);
}
