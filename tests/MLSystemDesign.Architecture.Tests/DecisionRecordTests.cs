using System.Text.RegularExpressions;

namespace MLSystemDesign.Architecture.Tests;

/// <summary>Every decision record follows the one template of docs/decisions/README.md and is listed in its index.</summary>
public sealed partial class DecisionRecordTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "decisions");

    public static TheoryData<string> Records() => new(Directory.GetFiles(Folder, "*.md").Select(p => Path.GetFileName(p)).Where(f => RecordFile().IsMatch(f)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Records))]
    public void Record_FollowsTheTemplate(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, file));
        var title = Title().Match(lines[0]);
        Assert.True(title.Success, $"{file}: the first line must be '# NNNN — Title'; it is '{lines[0]}'.");
        Assert.Equal(file[..4], title.Groups[1].Value);
        var status = lines.Skip(1).First(l => l.Length > 0);
        Assert.True(Status().IsMatch(status), $"{file}: the line after the title must be 'Status: accepted' or 'Status: superseded by …'; it is '{status}'.");
        Assert.Contains("## Decision", lines);
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void Record_IsListedInTheIndexWithItsTitle(string file)
    {
        var index = File.ReadAllText(Path.Combine(Folder, "README.md"));
        var title = Title().Match(File.ReadAllLines(Path.Combine(Folder, file))[0]).Groups[2].Value;
        Assert.Contains($"| [{file[..4]}]({file}) | {title} |", index, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_ListsNoRecordThatDoesNotExist()
    {
        var index = File.ReadAllText(Path.Combine(Folder, "README.md"));
        var listed = IndexRow().Matches(index).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(listed);
        Assert.All(listed, f => Assert.True(File.Exists(Path.Combine(Folder, f)), $"the index lists {f}, which does not exist"));
        Assert.Equal(listed.Distinct().Count(), listed.Count);
    }

    [GeneratedRegex(@"^\d{4}-[a-z0-9-]+\.md$")]
    private static partial Regex RecordFile();

    [GeneratedRegex(@"^# (\d{4}) — (.+)$")]
    private static partial Regex Title();

    [GeneratedRegex(@"^Status: (accepted|superseded by \[\d{4}\])")]
    private static partial Regex Status();

    [GeneratedRegex(@"^\| \[\d{4}\]\(([^)]+)\) \|", RegexOptions.Multiline)]
    private static partial Regex IndexRow();
}
