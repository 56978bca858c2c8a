using FsCheck;
using FsCheck.Fluent;
using Microsoft.Data.Sqlite;
using MLSystemDesign.Data;

namespace MLSystemDesign.Tests.Data;

public sealed class CrossFormatTests
{
    private static readonly string[] Words = ["SEA", "a,b", "quote\"d", "ünïcödé", "line\nbreak", " padded ", "x"];

    private static Gen<Sample> SampleGen =>
        from id in Gen.Choose(-1000, 1000000)
        from value in Gen.OneOf(Gen.Constant(double.NaN), Gen.Choose(-100000, 100000).Select(i => i / 7.0), Gen.Elements(0.1, 1e-300, -2.5e17, double.Epsilon))
        from name in Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements(Words).Select(w => (string?)w))
        from flag in Gen.Elements(true, false)
        from seconds in Gen.Choose(0, 200_000_000)
        from count in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(-50, 50).Select(i => (int?)i))
        select new Sample
        {
            Id = id,
            Value = value,
            Name = name,
            Flag = flag,
            When = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(seconds),
            Count = count,
        };

    [FsCheck.Xunit.Property(MaxTest = 25)]
    public Property SameRecords_FromCsvJsonLinesParquetAndSqlite_AreEqual() =>
        Prop.ForAll(SampleGen.ListOf().Select(l => l.ToList()).ToArbitrary(), rows =>
        {
            using var dir = new TempDir();
            var csv = DataSource.Csv<Sample>(FormatWriters.Csv(dir.Path, rows)).ToListAsync().GetAwaiter().GetResult();
            var jsonl = DataSource.JsonLines<Sample>(FormatWriters.JsonLines(dir.Path, rows)).ToListAsync().GetAwaiter().GetResult();
            var parquet = DataSource.Parquet<Sample>(FormatWriters.ParquetAsync(dir.Path, rows).GetAwaiter().GetResult()).ToListAsync().GetAwaiter().GetResult();
            var db = FormatWriters.Sqlite(dir.Path, rows);
            var sql = DataSource.Sql<Sample>(() => new SqliteConnection($"Data Source={db};Pooling=False"), "SELECT * FROM samples ORDER BY rowid").ToListAsync().GetAwaiter().GetResult();
            return rows.SequenceEqual(csv) && rows.SequenceEqual(jsonl) && rows.SequenceEqual(parquet) && rows.SequenceEqual(sql);
        });

    [Fact]
    public async Task Fingerprint_IsTheSameForEveryFormat_AndChangesWithOneValue()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 200).Select(i => new Sample
        {
            Id = i,
            Value = i % 17 == 0 ? double.NaN : random.NextDouble() * 1000,
            Name = i % 13 == 0 ? null : Words[random.Next(Words.Length)],
            Flag = random.Next(2) == 1,
            When = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(100_000_000)),
            Count = i % 11 == 0 ? null : random.Next(100),
        }).ToList();
        using var dir = new TempDir();
        var db = FormatWriters.Sqlite(dir.Path, rows);
        var prints = new[]
        {
            await DataSource.Csv<Sample>(FormatWriters.Csv(dir.Path, rows)).ComputeFingerprintAsync(),
            await DataSource.JsonLines<Sample>(FormatWriters.JsonLines(dir.Path, rows)).ComputeFingerprintAsync(),
            await DataSource.Parquet<Sample>(await FormatWriters.ParquetAsync(dir.Path, rows)).ComputeFingerprintAsync(),
            await DataSource.Sql<Sample>(() => new SqliteConnection($"Data Source={db};Pooling=False"), "SELECT * FROM samples ORDER BY rowid").ComputeFingerprintAsync(),
            await DataSource.InMemory(rows).ComputeFingerprintAsync(),
            DatasetFingerprints.Compute(rows),
        };
        Assert.All(prints, p => Assert.Equal(prints[0], p));
        Assert.Equal(200, prints[0].RowCount);
        Assert.Matches("^[0-9a-f]{64}$", prints[0].ContentHash);

        var changed = rows.ToList();
        changed[137] = changed[137] with { Id = changed[137].Id + 1 };
        var other = DatasetFingerprints.Compute(changed);
        Assert.Equal(prints[0].SchemaHash, other.SchemaHash);
        Assert.NotEqual(prints[0].ContentHash, other.ContentHash);
        var reordered = DatasetFingerprints.Compute(rows.AsEnumerable().Reverse());
        Assert.NotEqual(prints[0].ContentHash, reordered.ContentHash);
    }

    [Fact]
    public async Task Flights_ParquetAndCsv_SameRecordsAndFingerprint()
    {
        var flights = (await TestData.LoadFlightsAsync()).Take(2000).ToList();
        using var dir = new TempDir();
        var csv = dir.File("flights.csv", "date,delay,distance,origin,destination\n" + string.Concat(flights.Select(f =>
            FormattableString.Invariant($"{f.Date:yyyy-MM-ddTHH:mm:ssZ},{f.Delay},{f.Distance},{f.Origin},{f.Destination}\n"))));
        var fromCsv = await DataSource.Csv<Flight>(csv).ToListAsync();
        Assert.Equal(flights, fromCsv);
        Assert.Equal(DatasetFingerprints.Compute(flights), await DataSource.Csv<Flight>(csv).ComputeFingerprintAsync());
    }
}
