using System.CommandLine;
using System.Globalization;
using MLSystemDesign.Data;

namespace MLSystemDesign.Cli.Commands;

/// <summary>Options several commands share, so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Write machine-readable JSON instead of a table." };

    public static Option<bool> SkipBadRecords() => new("--skip-bad-records")
    {
        Description = "Skip rows that cannot be read (they are counted and reported) instead of stopping at the first.",
    };

    public static Option<FileInfo> ExistingFile(string name, string description, bool required = true) =>
        new Option<FileInfo>(name) { Description = description, Required = required }.AcceptExistingOnly();

    /// <summary>Reads a whole file as tabular records, reporting skipped rows and invalid UTF-8 read as U+FFFD on the error writer.</summary>
    public static async Task<(List<TabularRecord> Records, DataReadReport Report)> ReadTabularAsync(CliContext context, string path, bool skipBad, CancellationToken cancellationToken)
    {
        var factory = (IDataSourceFactory)context.Services.GetService(typeof(IDataSourceFactory))!;
        var source = factory.Open<TabularRecord>(path, skipBad ? BadRecordPolicy.Skip : BadRecordPolicy.Fail);
        var report = new DataReadReport(maxExamples: 5);
        var records = await source.ToListAsync(report, cancellationToken).ConfigureAwait(false);
        if (report.RecordsSkipped > 0)
        {
            await context.Error.WriteLineAsync($"warning: {path}: skipped {report.RecordsSkipped} unreadable rows, e.g. {report.SkippedExamples[0]}").ConfigureAwait(false);
        }

        if (report.InvalidUtf8Replaced > 0)
        {
            var first = report.InvalidUtf8Examples[0];
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"warning: {path}: {report.InvalidUtf8Replaced} invalid UTF-8 sequences read as U+FFFD (a changed value each), the first at line {first.LineNumber}: {first.Reason}")).ConfigureAwait(false);
        }

        return (records, report);
    }
}
