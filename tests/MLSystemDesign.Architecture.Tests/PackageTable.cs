namespace MLSystemDesign.Architecture.Tests;

/// <summary>
/// Reads a package table from a Markdown document: rows <c>| `Package` | references | holds |</c> under a heading. A
/// references cell is a comma-separated list of assembly names, with <c>Prefix.{A, B}</c> for several under one prefix,
/// and backticks ignored; "the .NET runtime only" means none.
/// </summary>
internal static class PackageTable
{
    public static Dictionary<string, HashSet<string>> Read(string path, string section)
    {
        var lines = File.ReadAllLines(path);
        var start = Array.FindIndex(lines, l => l.Trim() == section);
        Assert.True(start >= 0, $"{path} has no section '{section}'.");
        var rows = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            var cells = line.Split('|');
            rows.Add(cells[1].Trim().Trim('`').Split(' ')[0], ParseCell(cells[2]).ToHashSet(StringComparer.Ordinal));
        }

        return rows;
    }

    public static List<string> ParseCell(string cell)
    {
        var text = cell.Replace("`", string.Empty, StringComparison.Ordinal).Trim();
        if (text == "the .NET runtime only")
        {
            return [];
        }

        var names = new List<string>();
        var depth = 0;
        var from = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                names.AddRange(Expand(text[from..i].Trim()));
                from = i + 1;
            }
            else if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}')
            {
                depth--;
            }
        }

        return names;
    }

    private static IEnumerable<string> Expand(string item)
    {
        var open = item.IndexOf('{', StringComparison.Ordinal);
        return open < 0
            ? [item]
            : item[(open + 1)..item.IndexOf('}', StringComparison.Ordinal)].Split(',').Select(part => item[..open] + part.Trim());
    }
}
