using System.ComponentModel.DataAnnotations.Schema;
using MLSystemDesign.Data;

namespace MLSystemDesign.Tests.Data;

public sealed class MappingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public enum Colour
    {
        Red,
        Green,
    }

    public sealed class Mutable
    {
        [Column("item_id")]
        public int Id { get; set; }

        public Colour Colour { get; set; }

        public DateOnly Day { get; set; }

        public decimal Price { get; set; }

        public bool? Active { get; set; }

        [NotMapped]
        public string Computed => $"{Id}-{Colour}";

        public string? Note { get; set; }
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Conventions_ColumnAttribute_Enum_DateOnly_Decimal_NullableBool()
    {
        var path = _dir.File("m.csv", "ITEM_ID,colour,day,price,active,note\n7,green,2024-02-29,12.50,,hi\n8,1,2024-03-01,0.1,yes,\n");
        var rows = await DataSource.Csv<Mutable>(path).ToListAsync();
        Assert.Equal(7, rows[0].Id);
        Assert.Equal(Colour.Green, rows[0].Colour);
        Assert.Equal(Colour.Green, rows[1].Colour);
        Assert.Equal(new DateOnly(2024, 2, 29), rows[0].Day);
        Assert.Equal(12.50m, rows[0].Price);
        Assert.Null(rows[0].Active);
        Assert.True(rows[1].Active);
        Assert.Null(rows[1].Note);
    }

    [Fact]
    public async Task Enum_UnknownValue_ListsTheNames()
    {
        var path = _dir.File("e.csv", "item_id,colour,day,price,active,note\n7,blue,2024-02-29,1,,\n");
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.Csv<Mutable>(path).ToListAsync());
        Assert.Equal("colour", ex.Record.Column);
        Assert.Contains("Red, Green", ex.Message);
    }

    [Fact]
    public async Task ExplicitMap_RenamesIgnoresAndMakesOptional()
    {
        var path = _dir.File("x.csv", "code,colour,day,price\n3,red,2020-01-01,1\n");
        var map = RecordMap.For<Mutable>()
            .Column(m => m.Id, "code")
            .Ignore(m => m.Note)
            .Optional(m => m.Active);
        var row = Assert.Single(await DataSource.Csv(path, map: map).ToListAsync());
        Assert.Equal(3, row.Id);
        Assert.Null(row.Active);
        Assert.Equal(["code", "Colour", "Day", "Price", "Active"], map.ToSchema().Fields.Select(f => f.Name));
    }

    [Fact]
    public void ExplicitMap_NotAProperty_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => RecordMap.For<Mutable>().Column(m => m.Id + 1, "x"));
        Assert.Contains("r => r.Property", ex.Message);
    }

    public sealed record Positional(string? Name, double Score, int? Rank);

    [Fact]
    public async Task PositionalRecords_AreBuiltThroughTheirConstructor()
    {
        var path = _dir.File("p.jsonl", "{\"name\":\"a\",\"score\":1.5,\"rank\":2}\n{\"name\":\"b\",\"score\":null}\n");
        var rows = await DataSource.JsonLines<Positional>(path).ToListAsync();
        Assert.Equal(new Positional("a", 1.5, 2), rows[0]);
        Assert.True(double.IsNaN(rows[1].Score));
        Assert.Null(rows[1].Rank);
    }

    [Fact]
    public void Schema_ReportsKindsAndNullability()
    {
        var schema = RecordMap.For<Mutable>().ToSchema();
        Assert.Equal(new RecordField("item_id", FieldKind.Numeric, false), schema.Fields[0]);
        Assert.Equal(new RecordField("Colour", FieldKind.Text, false), schema.Fields[1]);
        Assert.Equal(new RecordField("Day", FieldKind.Timestamp, false), schema.Fields[2]);
        Assert.Equal(new RecordField("Active", FieldKind.Boolean, true), schema.Fields[4]);
        Assert.Equal(new RecordField("Note", FieldKind.Text, true), schema.Fields[5]);
    }

    [Fact]
    public async Task Tabular_Csv_InfersKinds()
    {
        var rows = await DataSource.Csv<TabularRecord>(TestData.Weather).ToListAsync();
        Assert.Equal(1461, rows.Count);
        var schema = rows[0].Schema;
        Assert.Equal(["date", "precipitation", "temp_max", "temp_min", "wind", "weather"], schema.Fields.Select(f => f.Name));
        Assert.Equal([FieldKind.Timestamp, FieldKind.Numeric, FieldKind.Numeric, FieldKind.Numeric, FieldKind.Numeric, FieldKind.Text], schema.Fields.Select(f => f.Kind));
        Assert.Equal(12.8, rows[0]["temp_max"].Number);
        Assert.Equal("drizzle", rows[0]["weather"].Text);
        Assert.Equal(new DateTime(2012, 1, 1), rows[0]["date"].Timestamp);
    }

    [Fact]
    public async Task Tabular_JsonLines_KeepsMissingValues()
    {
        var rows = await DataSource.JsonLines<TabularRecord>(TestData.Penguins).ToListAsync();
        Assert.Equal(344, rows.Count);
        Assert.Equal(FieldKind.Numeric, rows[0].Schema.Fields[rows[0].Schema.IndexOf("Body Mass (g)")].Kind);
        Assert.Contains(rows, r => r["Body Mass (g)"].IsMissing);
        Assert.Contains(rows, r => r["Sex"].IsMissing);
    }

    [Fact]
    public async Task Tabular_Parquet_ReadsEveryColumn()
    {
        var rows = await DataSource.Parquet<TabularRecord>(TestData.Flights).TakeAsync(3);
        Assert.Equal(5, rows[0].Schema.Count);
        Assert.Equal(FieldKind.Timestamp, rows[0].Schema.Fields[0].Kind);
        Assert.Equal(FieldValueKind.Text, rows[0]["origin"].Kind);
    }

    [Fact]
    public async Task Tabular_CsvTypeViolation_IsKeptAsText()
    {
        var path = _dir.File("t.csv", "a,b\n1,x\n2,y\nthree,z\n");
        var rows = await DataSource.Csv<TabularRecord>(path, new CsvSourceOptions { SchemaInferenceRows = 2 }).ToListAsync();
        Assert.Equal(FieldKind.Numeric, rows[0].Schema.Fields[0].Kind);
        Assert.Equal(FieldValueKind.Text, rows[2]["a"].Kind);
    }

    [Fact]
    public async Task Csv_Culture_Delimiter_NoHeader_MissingMarkers()
    {
        var path = _dir.File("de.csv", "1;2,5;NA\n2;3,25;x\n");
        var options = new CsvSourceOptions
        {
            Delimiter = ';',
            HasHeader = false,
            ColumnNames = ["Id", "Value", "Name"],
            Culture = System.Globalization.CultureInfo.GetCultureInfo("de-DE"),
            MissingValues = ["", "NA"],
        };
        var rows = await DataSource.Csv<Positional>(path, options, RecordMap.For<Positional>().Column(p => p.Name, "Name").Column(p => p.Score, "Value").Column(p => p.Rank, "Id")).ToListAsync();
        Assert.Equal(3.25, rows[1].Score);
        Assert.Equal(2.5, rows[0].Score);
        Assert.Null(rows[0].Name);
        var tabular = await DataSource.Csv<TabularRecord>(path, options).ToListAsync();
        Assert.True(tabular[0]["Name"].IsMissing);
    }
}

internal static class AsyncEnumerableTestExtensions
{
    public static async Task<List<T>> TakeAsync<T>(this IDataSource<T> source, int count)
    {
        var list = new List<T>();
        await foreach (var r in source.ReadAsync())
        {
            list.Add(r);
            if (list.Count == count)
            {
                break;
            }
        }

        return list;
    }
}

public sealed class StringPoolingTests
{
    [Fact]
    public async Task RepeatedCategories_ShareOneStringInstance_InEveryFormat()
    {
        var flights = await DataSource.Parquet<Flight>(TestData.Flights).ToListAsync();
        var atl = flights.Where(f => f.Origin == "ATL").Select(f => f.Origin).ToList();
        Assert.True(atl.Count > 100);
        Assert.All(atl, s => Assert.Same(atl[0], s));

        var weather = await DataSource.Csv<TabularRecord>(TestData.Weather).ToListAsync();
        var rain = weather.Select(r => r["weather"].Text).Where(t => t == "rain").ToList();
        Assert.All(rain, s => Assert.Same(rain[0], s));

        var penguins = await DataSource.JsonLines<Penguin>(TestData.Penguins).ToListAsync();
        var adelie = penguins.Select(p => p.Species).Where(s => s == "Adelie").ToList();
        Assert.All(adelie, s => Assert.Same(adelie[0], s));
    }
}
