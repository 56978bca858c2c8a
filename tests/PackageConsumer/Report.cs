using System.Globalization;

namespace PackageConsumer;

/// <summary>
/// Prints each check as it ends (<c>consumer: PASS name …</c>, <c>consumer: FAIL name: why</c>) and, last, the totals
/// as <c>consumer: N passed, N failed[, N skipped]</c>, the line <c>.ci/run</c> adds to its own totals.
/// </summary>
internal sealed class Report(TextWriter output)
{
    private int passed;
    private int failed;
    private int skipped;

    /// <summary>Gets whether any check failed.</summary>
    public bool AnyFailed => failed > 0;

    /// <summary>Prints an informational line.</summary>
    public void Info(string line) => output.WriteLine($"consumer: {line}");

    /// <summary>Prints lines indented under the previous one (a program's output, compiler errors).</summary>
    public void Detail(string text)
    {
        foreach (var line in text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            output.WriteLine($"    | {line}");
        }
    }

    /// <summary>Records a passed check.</summary>
    public void Pass(string name, string? detail = null, TimeSpan? elapsed = null)
    {
        passed++;
        output.WriteLine($"consumer: PASS {name}{Suffix(detail, elapsed)}");
    }

    /// <summary>Records a failed check; <paramref name="why"/> says what went wrong and where.</summary>
    public void Fail(string name, string why, TimeSpan? elapsed = null)
    {
        failed++;
        output.WriteLine($"consumer: FAIL {name}: {why}{Suffix(null, elapsed)}");
    }

    /// <summary>Records a skipped check.</summary>
    public void Skip(string name, string why)
    {
        skipped++;
        output.WriteLine($"consumer: SKIP {name}: {why}");
    }

    /// <summary>Prints the totals line.</summary>
    public void Totals() =>
        output.WriteLine(skipped > 0
            ? $"consumer: {passed} passed, {failed} failed, {skipped} skipped"
            : $"consumer: {passed} passed, {failed} failed");

    private static string Suffix(string? detail, TimeSpan? elapsed)
    {
        var parts = new List<string>();
        if (detail is not null)
        {
            parts.Add(detail);
        }

        if (elapsed is { } e)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{e.TotalSeconds:0.0} s"));
        }

        return parts.Count == 0 ? string.Empty : $" ({string.Join(", ", parts)})";
    }
}
