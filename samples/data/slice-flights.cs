// Makes the data slices the sample, the tests and the benchmarks read from the full flights file.
// Run from the repository root: dotnet run samples/data/slice-flights.cs -- <path to flights-3m.parquet>
// Each slice takes, per calendar month, a uniform random sample without replacement (seed 2001), keeping file order.
#:package Parquet.Net@6.1.0
#:property ManagePackageVersionsCentrally=false
#:property TreatWarningsAsErrors=false

using Parquet;
using Parquet.Schema;

var source = args.Length > 0 ? args[0] : "../shared/data/flights-3m.parquet";
var rows = await ReadAll(source);
Console.WriteLine($"read {rows.Count} flights from {source}");
await Write("samples/data/flights-2001h1-100k-per-month.parquet", Sample(rows, 100_000, months: 6));
await Write("tests/data/flights-5k-per-month.parquet", Sample(rows, 5_000, months: 6));

static List<Flight> Sample(List<Flight> rows, int perMonth, int months)
{
    var random = new Random(2001);
    var picked = new List<Flight>();
    foreach (var month in rows.GroupBy(r => r.Date.Month).Where(g => g.Key <= months).OrderBy(g => g.Key))
    {
        var indices = month.Select((_, i) => i).ToArray();
        random.Shuffle(indices);
        var chosen = indices.Take(perMonth).Order().ToArray();
        var list = month.ToList();
        picked.AddRange(chosen.Select(i => list[i]));
    }

    return picked;
}

static async Task<List<Flight>> ReadAll(string path)
{
    await using var reader = await ParquetReader.CreateAsync(path);
    var fields = reader.Schema.DataFields;
    var result = new List<Flight>();
    for (var g = 0; g < reader.RowGroupCount; g++)
    {
        using var group = reader.OpenRowGroupReader(g);
        var n = (int)group.RowCount;
        var date = new DateTime?[n];
        var delay = new long?[n];
        var distance = new long?[n];
        var origin = new string?[n];
        var destination = new string?[n];
        await group.ReadAsync(fields[0], date.AsMemory());
        await group.ReadAsync(fields[1], delay.AsMemory());
        await group.ReadAsync(fields[2], distance.AsMemory());
        await group.ReadAsync(fields[3], origin.AsMemory());
        await group.ReadAsync(fields[4], destination.AsMemory());
        for (var i = 0; i < n; i++)
        {
            result.Add(new Flight(DateTime.SpecifyKind(date[i]!.Value, DateTimeKind.Utc), delay[i]!.Value, distance[i]!.Value, origin[i]!, destination[i]!));
        }
    }

    return result;
}

static async Task Write(string path, List<Flight> rows)
{
    var schema = new ParquetSchema(
        new DataField<DateTime>("date"),
        new DataField<long>("delay"),
        new DataField<long>("distance"),
        new DataField<string>("origin"),
        new DataField<string>("destination"));
    await using var stream = File.Create(path);
    await using var writer = await ParquetWriter.CreateAsync(schema, stream);
    const int groupSize = 100_000;
    for (var start = 0; start < rows.Count; start += groupSize)
    {
        var chunk = rows.Skip(start).Take(groupSize).ToList();
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(schema.DataFields[0], new ReadOnlyMemory<DateTime>(chunk.Select(r => r.Date).ToArray()));
        await group.WriteAsync(schema.DataFields[1], new ReadOnlyMemory<long>(chunk.Select(r => r.Delay).ToArray()));
        await group.WriteAsync(schema.DataFields[2], new ReadOnlyMemory<long>(chunk.Select(r => r.Distance).ToArray()));
        await group.WriteAsync(schema.DataFields[3], chunk.Select(r => r.Origin).ToArray());
        await group.WriteAsync(schema.DataFields[4], chunk.Select(r => r.Destination).ToArray());
    }

    Console.WriteLine($"wrote {rows.Count} flights to {path} ({new FileInfo(path).Length / 1024} KiB)");
}

record Flight(DateTime Date, long Delay, long Distance, string Origin, string Destination);
