using System.Globalization;
using System.Text;
using MLSystemDesign.Data;
using MLSystemDesign.Testing.Fuzzing;
using Xunit.Abstractions;

namespace MLSystemDesign.Tests.Data;

/// <summary>
/// A few hundred deterministic mutations of a valid file per format, each read completely as tabular records: every
/// outcome is a project exception naming the file, or a result (identical or, for formats without a checksum, changed).
/// Zero crashes, zero hangs.
/// </summary>
public sealed class DataFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Csv_Mutations_AreRefusedNamingTheFileOrRead_NeverCrashOrHang()
    {
        var valid = Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(TestData.Weather).Take(80)) + "\n");
        var report = await Fuzzer.RunAsync("csv", "weather.csv", valid, Mutations.Text(valid, seed: 2001, count: 400), ReadAsync, string.Equals);
        Check(report);
    }

    [Fact]
    public async Task JsonLines_Mutations_AreRefusedNamingTheFileOrRead_NeverCrashOrHang()
    {
        var valid = Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(TestData.Penguins).Take(60)) + "\n");
        var report = await Fuzzer.RunAsync("jsonl", "penguins.jsonl", valid, Mutations.Text(valid, seed: 2002, count: 400), ReadAsync, string.Equals);
        Check(report);
    }

    [Fact]
    public async Task Parquet_Mutations_AreRefusedNamingTheFileOrRead_NeverCrashOrHang()
    {
        var valid = await ParquetFixtures.SliceAsync(TestData.Flights, rowGroups: 2, rowsPerGroup: 250);
        var offsets = await ParquetFixtures.StructuralOffsetsAsync(valid);
        var report = await Fuzzer.RunAsync("parquet", "flights.parquet", valid, Mutations.Binary(valid, seed: 2003, count: 300, offsets), ReadAsync, string.Equals);
        Check(report);
    }

    /// <summary>Reads a whole file as tabular records (invalid UTF-8 replaced and counted) into one comparable text.</summary>
    internal static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var records = await DataSource.Open<TabularRecord>(path).ToListAsync(new DataReadReport(), cancellationToken);
        var text = new StringBuilder();
        if (records.Count > 0)
        {
            text.AppendLine(records[0].Schema.ToString());
        }

        foreach (var record in records)
        {
            foreach (var value in record.Values)
            {
                text.Append(CultureInfo.InvariantCulture, $"{value.Kind}:{value}|");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private void Check(FuzzReport report)
    {
        output.WriteLine(report.ToString());
        foreach (var refused in report.With(FuzzOutcome.Refused).Take(5))
        {
            output.WriteLine($"  e.g. {refused.Mutation}: {refused.Detail}");
        }

        Assert.True(report.Count(FuzzOutcome.Crashed) == 0 && report.Count(FuzzOutcome.Hung) == 0, report.Describe(allowDifferent: true));
        Assert.True(report.Count(FuzzOutcome.Refused) > 0, report.ToString());
    }
}
