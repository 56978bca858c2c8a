using MLSystemDesign.Cli.Output;

namespace MLSystemDesign.Cli.Tests.Output;

public sealed class TerminalSafeWriterTests
{
    [Fact]
    public void TerminalSafeWriter_KeepsLineBreaks_EscapesLoneCarriageReturnsAndControls()
    {
        var inner = new StringWriter();
        using (var writer = new TerminalSafeWriter(inner))
        {
            writer.Write("a\r\nb\rc\u0000d\u009be\t");
            writer.Write('\r');
            writer.Write('\n');
            writer.WriteLine("\u2066f");
        }

        Assert.Equal("a\r\nb\\x0Dc\\x00d\\x9Be\t\r\n\\u2066f" + Environment.NewLine, inner.ToString());
        Assert.Equal(new StringWriter().Encoding.CodePage, new TerminalSafeWriter(new StringWriter()).Encoding.CodePage);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("tab\tand\nnewline", "tab\tand\nnewline")]
    [InlineData("\u001b[2J", @"\x1B[2J")]
    [InlineData("bidi \u202eevil", @"bidi \u202Eevil")]
    [InlineData("del \u007f c1 \u0085", @"del \x7F c1 \x85")]
    public void Safe_EscapesWhatCouldControlTheTerminal(string text, string expected) => Assert.Equal(expected, TerminalText.Safe(text));

    [Fact]
    public void OneLine_And_Markup_EscapeLineBreaksAndBrackets()
    {
        Assert.Equal(@"a b \x1B", TerminalText.OneLine("a\r\nb\n\u001b"));
        Assert.Equal(@"[[x]] \x1B", TerminalText.Markup("[x] \u001b"));
    }
}
