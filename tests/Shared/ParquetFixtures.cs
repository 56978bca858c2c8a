using MLSystemDesign.Data;
using Parquet;

namespace MLSystemDesign.Tests;

/// <summary>Small valid Parquet files cut from the test data, and where their structure lies, for the readers' fuzz tests.</summary>
internal static class ParquetFixtures
{
    /// <summary>The first flights of the test data written again as the test data was (same schema and writer), in a few row groups: a small valid file.</summary>
    public static async Task<byte[]> SliceAsync(string path, int rowGroups, int rowsPerGroup)
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
    public static async Task<IReadOnlyList<int>> StructuralOffsetsAsync(byte[] valid)
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
}
