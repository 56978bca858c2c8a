using PackageConsumer;

namespace MLSystemDesign.Architecture.Tests.Readme;

/// <summary>How README blocks become programs: as pasted alone, and put together in the order C# requires when one continues another.</summary>
public sealed class ProgramComposerTests
{
    private static readonly ReadmeBlock First = new("first", "csharp", null, 10,
    [
        "using System.Text;",
        "using MLSystemDesign.Data;",
        "",
        "// Read the data.",
        "var text = new StringBuilder(\"a\");",
        "Console.WriteLine(text);",
        "",
        "public sealed record Flight(DateTime Date);",
    ]);

    private static readonly ReadmeBlock Second = new("second", "csharp", "first", 30,
    [
        "using MLSystemDesign.Data;",
        "using Registry = MLSystemDesign.Registry;",
        "using var stream = new MemoryStream();",
        "Console.WriteLine(text.Length + Helper.Two());",
        "",
        "internal static class Helper",
        "{",
        "    public static int Two() => 2;",
        "}",
    ]);

    [Fact]
    public void CSharp_OneBlock_IsTheBlockAsPastedMappedToItsReadmeLines()
    {
        var source = ProgramComposer.CSharp([First], "/repo/README.md");

        Assert.Equal(["#line 10 \"/repo/README.md\"", .. First.Lines], Lines(source));
    }

    [Fact]
    public void CSharp_Chain_PutsEveryUsingFirstOnceThenStatementsInOrderThenTypes()
    {
        var source = ProgramComposer.CSharp([First, Second], "README.md");

        Assert.Equal(
        [
            "#line 10 \"README.md\"",
            "using System.Text;",
            "#line 11 \"README.md\"",
            "using MLSystemDesign.Data;",
            "#line 31 \"README.md\"",
            "using Registry = MLSystemDesign.Registry;",
            "#line 12 \"README.md\"",
            "",
            "// Read the data.",
            "var text = new StringBuilder(\"a\");",
            "Console.WriteLine(text);",
            "",
            "#line 32 \"README.md\"",
            "using var stream = new MemoryStream();",
            "Console.WriteLine(text.Length + Helper.Two());",
            "",
            "#line 17 \"README.md\"",
            "public sealed record Flight(DateTime Date);",
            "#line 35 \"README.md\"",
            "internal static class Helper",
            "{",
            "    public static int Two() => 2;",
            "}",
        ], Lines(source));
    }

    [Fact]
    public void Split_UsingDeclarationOfAVariable_IsAStatementNotADirective()
    {
        var (statements, declarations) = ProgramComposer.Split(Second);

        Assert.Equal(2, statements);
        Assert.Equal(5, declarations);
    }

    [Fact]
    public void Split_CommentBeforeTheFirstStatement_StaysWithTheStatements()
    {
        var (statements, _) = ProgramComposer.Split(First);

        Assert.Equal(2, statements);
    }

    [Fact]
    public void Split_NoTypeDeclaration_LeavesTheDeclarationsEmpty()
    {
        var block = new ReadmeBlock("b", "csharp", null, 1, ["var x = 1;", "    record = 2;"]);

        Assert.Equal((0, 2), ProgramComposer.Split(block));
    }

    [Fact]
    public void Bash_Chain_IsTheBlocksInOrderEachHeadedByItsOrigin()
    {
        var train = new ReadmeBlock("train", "bash", null, 5, ["mlsd train --out m.zip"]);
        var predict = new ReadmeBlock("predict", "bash", "train", 20, ["mlsd predict --model m.zip"]);

        Assert.Equal(
            ["# README.md:5 (train)", "mlsd train --out m.zip", "# README.md:20 (predict)", "mlsd predict --model m.zip"],
            Lines(ProgramComposer.Bash([train, predict])));
    }

    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');
}
