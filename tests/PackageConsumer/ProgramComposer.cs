using System.Text;
using System.Text.RegularExpressions;

namespace PackageConsumer;

/// <summary>
/// Turns a README block, and the blocks it continues, into the source of one program. A C# block alone is its program,
/// as pasted. A C# block that continues others (<c>after=</c>) is the chain put together the only way C# allows: the
/// <c>using</c> directives of every block first (each once), then every block's statements in chain order, then every
/// block's type declarations. A bash chain is its blocks one after the other. <c>#line</c> directives map the C# back
/// to the README, so a compiler error names the README's line.
/// </summary>
internal static partial class ProgramComposer
{
    [GeneratedRegex(@"^\s*(global\s+)?using\s+((static\s+)?[A-Za-z_][\w.]*|[A-Za-z_]\w*\s*=\s*[A-Za-z_][\w.<>, ]*)\s*;\s*(//.*)?$")]
    private static partial Regex UsingDirective();

    // A type declaration at the start of a line: what ends the top-level statements of a C# file.
    [GeneratedRegex(@"^((public|internal|file|sealed|abstract|static|readonly|partial|ref|unsafe)\s+)*(class|record|struct|interface|enum|delegate)\b")]
    private static partial Regex TypeDeclaration();

    /// <summary>The C# program of a chain (the last block continues the ones before it).</summary>
    /// <param name="chain">The blocks, first first.</param>
    /// <param name="readmePath">The README's path, for <c>#line</c>.</param>
    /// <returns>The source of Program.cs.</returns>
    public static string CSharp(IReadOnlyList<ReadmeBlock> chain, string readmePath)
    {
        ArgumentOutOfRangeException.ThrowIfZero(chain.Count);
        var file = readmePath.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        var source = new StringBuilder();
        if (chain.Count == 1)
        {
            Append(source, file, chain[0].FirstLine, chain[0].Lines);
            return source.ToString();
        }

        var parts = chain.Select(Split).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var b = 0; b < chain.Count; b++)
        {
            for (var i = 0; i < parts[b].Statements; i++)
            {
                var line = chain[b].Lines[i];
                if (UsingDirective().IsMatch(line) && seen.Add(line.Trim()))
                {
                    Append(source, file, chain[b].FirstLine + i, [line]);
                }
            }
        }

        for (var b = 0; b < chain.Count; b++)
        {
            var (statements, declarations) = parts[b];
            Append(source, file, chain[b].FirstLine + statements, chain[b].Lines.Skip(statements).Take(declarations - statements).ToList());
        }

        for (var b = 0; b < chain.Count; b++)
        {
            var declarations = parts[b].Declarations;
            Append(source, file, chain[b].FirstLine + declarations, chain[b].Lines.Skip(declarations).ToList());
        }

        return source.ToString();
    }

    /// <summary>The bash script of a chain: its blocks in order, each headed by where it comes from.</summary>
    /// <param name="chain">The blocks, first first.</param>
    /// <returns>The script.</returns>
    public static string Bash(IReadOnlyList<ReadmeBlock> chain)
    {
        var script = new StringBuilder();
        foreach (var block in chain)
        {
            script.Append("# README.md:").Append(block.FirstLine).Append(" (").Append(block.Name).Append(")\n");
            foreach (var line in block.Lines)
            {
                script.Append(line).Append('\n');
            }
        }

        return script.ToString();
    }

    /// <summary>
    /// Where a C# block's statements and its type declarations start: the statements after the leading run of using
    /// directives, comments and blank lines; the declarations at the first line that starts (unindented) a type.
    /// </summary>
    internal static (int Statements, int Declarations) Split(ReadmeBlock block)
    {
        var lines = block.Lines;
        var statements = 0;
        while (statements < lines.Count)
        {
            var trimmed = lines[statements].Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("//", StringComparison.Ordinal) || UsingDirective().IsMatch(lines[statements]))
            {
                statements++;
            }
            else
            {
                break;
            }
        }

        // Comments and blank lines just before the first statement belong to it, not to the usings.
        while (statements > 0 && !UsingDirective().IsMatch(lines[statements - 1]))
        {
            statements--;
        }

        var declarations = statements;
        while (declarations < lines.Count && !TypeDeclaration().IsMatch(lines[declarations]))
        {
            declarations++;
        }

        return (statements, declarations);
    }

    private static void Append(StringBuilder source, string file, int firstLine, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        source.Append("#line ").Append(firstLine).Append(" \"").Append(file).Append("\"\n");
        foreach (var line in lines)
        {
            source.Append(line).Append('\n');
        }
    }
}
