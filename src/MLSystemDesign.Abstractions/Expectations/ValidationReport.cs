using System.Globalization;
using System.Text;

namespace MLSystemDesign.Expectations;

/// <summary>The outcome of validating a data set against an <see cref="ExpectationSuite"/>.</summary>
/// <param name="Suite">The suite's name, if it has one.</param>
/// <param name="Source">What was validated (a file path or source description).</param>
/// <param name="RecordCount">How many records were checked.</param>
/// <param name="Results">One result per rule, in suite order.</param>
/// <param name="ValidatedAt">When the validation ran.</param>
public sealed record ValidationReport(string? Suite, string Source, long RecordCount, IReadOnlyList<RuleResult> Results, DateTimeOffset ValidatedAt)
{
    /// <summary>Gets whether every rule passed.</summary>
    public bool Passed => Results.All(r => r.Passed);

    /// <summary>Gets the rules that failed.</summary>
    public IEnumerable<RuleResult> Failures => Results.Where(r => !r.Passed);

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Source}: {RecordCount} records, {Results.Count(r => r.Passed)}/{Results.Count} rules passed");
        foreach (var failure in Failures)
        {
            sb.AppendLine().Append("  FAIL ").Append(failure);
        }

        return sb.ToString();
    }
}

/// <summary>The outcome of one rule on one field.</summary>
/// <param name="Field">The field.</param>
/// <param name="Rule">The rule: <c>present</c>, <c>kind</c>, <c>required</c>, <c>missing-rate</c>, <c>range</c>, <c>categories</c> or <c>unique</c>.</param>
/// <param name="Expected">The rule in words, e.g. <c>in [0, 100]</c>.</param>
/// <param name="Passed">Whether the rule held.</param>
/// <param name="Violations">How many records broke the rule (for <c>missing-rate</c>: how many were missing).</param>
/// <param name="ViolationRate">Violations divided by the records checked.</param>
/// <param name="Examples">The first offending records.</param>
public sealed record RuleResult(
    string Field,
    string Rule,
    string Expected,
    bool Passed,
    long Violations,
    double ViolationRate,
    IReadOnlyList<OffendingRecord> Examples)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var examples = Examples.Count == 0
            ? string.Empty
            : " e.g. " + string.Join(", ", Examples.Take(3).Select(e => e.ToString()));
        return string.Create(CultureInfo.InvariantCulture, $"{Field} {Rule} ({Expected}): {Violations} violations ({ViolationRate:P2}){examples}");
    }
}

/// <summary>A record that broke a rule.</summary>
/// <param name="RecordNumber">The 1-based record number in the data set.</param>
/// <param name="Value">The offending value as text (empty when missing).</param>
public sealed record OffendingRecord(long RecordNumber, string Value)
{
    /// <inheritdoc />
    public override string ToString() => $"#{RecordNumber}='{Value}'";
}
