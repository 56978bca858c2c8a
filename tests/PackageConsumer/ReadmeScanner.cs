using System.Text.RegularExpressions;

namespace PackageConsumer;

/// <summary>
/// Finds the README's consumer blocks. A block is one fenced code block between
/// <c>&lt;!-- consumer:NAME:start --&gt;</c> (or <c>&lt;!-- consumer:NAME:start after=OTHER --&gt;</c>) and
/// <c>&lt;!-- consumer:NAME:end --&gt;</c>. Every C# block of the README must be inside markers or follow a
/// <c>&lt;!-- consumer:skip REASON --&gt;</c> line; anything else is a problem the consumer test fails on.
/// </summary>
internal static partial class ReadmeScanner
{
    [GeneratedRegex(@"^<!--\s*consumer:(?<name>[a-z0-9][a-z0-9-]*):(?<kind>start|end)(?:\s+after=(?<after>[a-z0-9][a-z0-9-]*))?\s*-->$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^<!--\s*consumer:skip\b\s*(?<reason>.*?)\s*-->$")]
    private static partial Regex SkipMarker();

    [GeneratedRegex(@"^<!--\s*consumer:")]
    private static partial Regex AnyConsumerComment();

    /// <summary>Scans README text.</summary>
    /// <param name="text">The README.</param>
    /// <returns>The blocks, the skipped C# blocks and every problem found.</returns>
    public static ReadmeScan Scan(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<ReadmeBlock>();
        var skipped = new List<SkippedBlock>();
        var problems = new List<string>();
        string? open = null;
        string? after = null;
        var openLine = 0;
        string? language = null;
        var fenceLine = 0;
        List<string>? code = null;
        var fencesInBlock = 0;
        string? skipReason = null;
        var skipLine = 0;

        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i];
            var trimmed = line.Trim();

            if (code is not null)
            {
                if (trimmed.StartsWith("```", StringComparison.Ordinal))
                {
                    if (open is not null && language is not null)
                    {
                        blocks.Add(new ReadmeBlock(open, language, after, fenceLine + 1, code));
                    }

                    code = null;
                }
                else
                {
                    code.Add(line);
                }

                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                var fence = NormalizeLanguage(trimmed[3..].Trim());
                if (open is not null)
                {
                    fencesInBlock++;
                    if (fencesInBlock > 1)
                    {
                        problems.Add($"README.md:{number}: the block '{open}' (line {openLine}) holds a second code block; one block per pair of markers.");
                        language = null;
                    }
                    else if (fence is null)
                    {
                        problems.Add($"README.md:{number}: the block '{open}' is a '{trimmed[3..].Trim()}' block; consumer blocks are csharp or bash.");
                    }
                    else
                    {
                        language = fence;
                        fenceLine = number;
                    }
                }
                else if (fence == "csharp")
                {
                    if (skipReason is not null && skipLine == PreviousNonBlank(lines, i))
                    {
                        skipped.Add(new SkippedBlock(number, skipReason));
                    }
                    else
                    {
                        problems.Add($"README.md:{number}: a C# block outside consumer markers; put it between <!-- consumer:NAME:start --> and <!-- consumer:NAME:end --> (or mark it <!-- consumer:skip REASON -->).");
                    }
                }

                code = [];
                continue;
            }

            var skip = SkipMarker().Match(trimmed);
            if (skip.Success)
            {
                skipReason = skip.Groups["reason"].Value.Length > 0 ? skip.Groups["reason"].Value : "no reason given";
                skipLine = number;
                if (skip.Groups["reason"].Value.Length == 0)
                {
                    problems.Add($"README.md:{number}: consumer:skip needs a reason.");
                }

                continue;
            }

            var marker = Marker().Match(trimmed);
            if (!marker.Success)
            {
                if (AnyConsumerComment().IsMatch(trimmed))
                {
                    problems.Add($"README.md:{number}: '{trimmed}' is not a consumer marker (<!-- consumer:NAME:start [after=OTHER] -->, <!-- consumer:NAME:end -->, <!-- consumer:skip REASON -->).");
                }
                else if (open is not null && trimmed.Length > 0)
                {
                    problems.Add($"README.md:{number}: text inside the block '{open}' outside its code fence.");
                }

                continue;
            }

            var name = marker.Groups["name"].Value;
            if (marker.Groups["kind"].Value == "start")
            {
                if (open is not null)
                {
                    problems.Add($"README.md:{number}: the block '{name}' starts inside the block '{open}' (line {openLine}), which has no end marker before it.");
                }

                open = name;
                openLine = number;
                after = marker.Groups["after"].Success ? marker.Groups["after"].Value : null;
                language = null;
                fencesInBlock = 0;
            }
            else if (marker.Groups["after"].Success)
            {
                problems.Add($"README.md:{number}: after= belongs on the start marker of '{name}'.");
            }
            else if (open != name)
            {
                problems.Add(open is null
                    ? $"README.md:{number}: the end marker of '{name}' has no start marker."
                    : $"README.md:{number}: the end marker of '{name}' closes the block '{open}' (line {openLine}).");
                open = null;
            }
            else
            {
                if (fencesInBlock == 0)
                {
                    problems.Add($"README.md:{openLine}: the block '{name}' holds no code block.");
                }

                open = null;
            }
        }

        if (code is not null)
        {
            problems.Add($"README.md: a code fence is not closed before the end of the file.");
        }

        if (open is not null)
        {
            problems.Add($"README.md:{openLine}: the block '{open}' has no end marker.");
        }

        CheckNamesAndChains(blocks, problems);
        return new ReadmeScan(blocks, skipped, problems);
    }

    private static void CheckNamesAndChains(List<ReadmeBlock> blocks, List<string> problems)
    {
        foreach (var duplicate in blocks.GroupBy(b => b.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"README.md:{duplicate.Last().FirstLine - 1}: the block name '{duplicate.Key}' is used {duplicate.Count()} times.");
        }

        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block.After is null)
            {
                continue;
            }

            var previous = blocks.Take(i).FirstOrDefault(b => b.Name == block.After);
            if (previous is null)
            {
                problems.Add(blocks.Any(b => b.Name == block.After)
                    ? $"README.md:{block.FirstLine - 1}: '{block.Name}' continues '{block.After}', which comes later in the README; a block continues one above it."
                    : $"README.md:{block.FirstLine - 1}: '{block.Name}' continues '{block.After}', which is no block of the README.");
            }
            else if (previous.Language != block.Language)
            {
                problems.Add($"README.md:{block.FirstLine - 1}: '{block.Name}' ({block.Language}) continues '{previous.Name}' ({previous.Language}); a block continues one of its own language.");
            }
        }
    }

    private static int PreviousNonBlank(string[] lines, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (lines[i].Trim().Length > 0)
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static string? NormalizeLanguage(string fence) => fence.ToLowerInvariant() switch
    {
        "csharp" or "cs" or "c#" => "csharp",
        "bash" or "sh" or "shell" => "bash",
        _ => null,
    };
}
