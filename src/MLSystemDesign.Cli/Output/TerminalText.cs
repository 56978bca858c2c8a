using System.Globalization;
using System.Text;

namespace MLSystemDesign.Cli.Output;

/// <summary>
/// Makes text from files, registries and exceptions safe to print: control characters (C0 other than tab and line
/// breaks, DEL, C1) and the Unicode bidirectional overrides are shown as <c>\x1B</c> or <c>\u202E</c> instead of being
/// sent to the terminal, where they could clear the screen, set the title or reorder what is shown.
/// </summary>
internal static class TerminalText
{
    /// <summary>Whether a character must not reach the terminal as it is (tab and line feed may).</summary>
    public static bool IsUnsafe(char c) =>
        (c < ' ' && c is not ('\t' or '\n')) || c is >= '\u007f' and <= '\u009f'
        || c is '\u061c' or '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');

    /// <summary>The text with every unsafe character escaped (a carriage return too: a lone one would overwrite the line).</summary>
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var safe = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            Append(safe, text[i]);
        }

        return safe.ToString();
    }

    /// <summary>The text on one line: line breaks become spaces and every unsafe character is escaped.</summary>
    public static string OneLine(string? text) => Safe((text ?? string.Empty).ReplaceLineEndings(" ").TrimEnd());

    /// <summary>The text as Spectre.Console markup: escaped for the terminal, then for markup.</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(Safe(text));

    /// <summary>Appends a character, escaped when it is unsafe.</summary>
    public static void Append(StringBuilder builder, char c)
    {
        if (c == '\r' || IsUnsafe(c))
        {
            builder.Append(c <= '\u00ff' ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}") : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"));
        }
        else
        {
            builder.Append(c);
        }
    }

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r' || IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
