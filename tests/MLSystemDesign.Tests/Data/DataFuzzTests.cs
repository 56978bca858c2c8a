using System.Globalization;
using System.Text;
using MLSystemDesign.Data;
using MLSystemDesign.Testing.Fuzzing;
using Parquet;
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
        var valid = await SliceAsync(TestData.Flights, rowGroups: 2, rowsPerGroup: 250);
        var offsets = await StructuralOffsetsAsync(valid);
        var report = await Fuzzer.RunAsync("parquet", "flights.parquet", valid, Mutations.Binary(valid, seed: 2003, count: 300, offsets), ReadAsync, string.Equals);
        Check(report);
    }

    /// <summary>The first flights of the test data written again as the test data was (same schema and writer), in a few row groups: a small valid file.</summary>
    internal static async Task<byte[]> SliceAsync(string path, int rowGroups, int rowsPerGroup)
    {
        var flights = await DataSource.Parquet<Flight>(path).ToListAsync();
        var schema = new Parquet.Schema.ParquetSchema(
            new Parquet.Schema.DataField<DateTime>("date"),
            new Parquet.Schema.DataField<long>("delay"),
            new Parquet.Schema.DataField<long>("distance"),
            new Parquet.Schema.DataField<string>("origin"),
            new Parquet.Schema.DataField<string>("destination"));
        using var target = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, target))
        {
            for (var g = 0; g < rowGroups; g++)
            {
                var chunk = flights.Skip(g * rowsPerGroup).Take(rowsPerGroup).ToList();
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(schema.DataFields[0], new ReadOnlyMemory<DateTime>(chunk.Select(r => r.Date).ToArray()));
                await group.WriteAsync(schema.DataFields[1], new ReadOnlyMemory<long>(chunk.Select(r => r.Delay).ToArray()));
                await group.WriteAsync(schema.DataFields[2], new ReadOnlyMemory<long>(chunk.Select(r => r.Distance).ToArray()));
                await group.WriteAsync(schema.DataFields[3], chunk.Select(r => r.Origin).ToArray());
                await group.WriteAsync(schema.DataFields[4], chunk.Select(r => r.Destination).ToArray());
            }
        }

        return target.ToArray();
    }

    /// <summary>The magic numbers, the footer and its length field, and where each column chunk's pages start.</summary>
    internal static async Task<IReadOnlyList<int>> StructuralOffsetsAsync(byte[] valid)
    {
        var length = valid.Length;
        var offsets = new List<int> { 0, 4, length - 8, length - 4, length - 8 - BitConverter.ToInt32(valid, length - 8) };
        using var stream = new MemoryStream(valid);
        await using var reader = await ParquetReader.CreateAsync(stream);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in reader.Schema.GetDataFields())
            {
                var chunk = group.GetMetadata(field)!.MetaData!;
                offsets.Add((int)chunk.DataPageOffset);
                if (chunk.DictionaryPageOffset is { } dictionary)
                {
                    offsets.Add((int)dictionary);
                }
            }
        }

        return offsets;
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
