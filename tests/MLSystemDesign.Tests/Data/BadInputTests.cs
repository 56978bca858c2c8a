using Microsoft.Data.Sqlite;
using MLSystemDesign.Data;

namespace MLSystemDesign.Tests.Data;

public sealed class BadInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public sealed record Row(int Id, double Value, string Name);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Csv_WrongType_NamesFileLineColumnAndValue()
    {
        var path = _dir.File("bad.csv", "Id,Value,Name\n1,2.5,a\n2,abc,b\n3,4,c\n");
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.Csv<Row>(path).ToListAsync());
        Assert.Equal(path, ex.Record.Source);
        Assert.Equal(3, ex.Record.LineNumber);
        Assert.Equal(2, ex.Record.RecordNumber);
        Assert.Equal("Value", ex.Record.Column);
        Assert.Equal("abc", ex.Record.Value);
        Assert.Contains("bad.csv, line 3", ex.Message);
        Assert.Contains("'abc' is not a number", ex.Message);
    }

    [Fact]
    public async Task Csv_SkipPolicy_SkipsAndCountsBadRows()
    {
        var path = _dir.File("bad.csv", "Id,Value,Name\n1,2.5,a\n2,abc,b\n3,4\nx,5,d\n4,6,e\n");
        var report = new DataReadReport();
        var rows = await DataSource.Csv<Row>(path, new CsvSourceOptions { OnBadRecord = BadRecordPolicy.Skip }).ToListAsync(report);
        Assert.Equal([1, 4], rows.Select(r => r.Id));
        Assert.Equal(2, report.RecordsRead);
        Assert.Equal(3, report.RecordsSkipped);
        Assert.Equal(["Value", null, "Id"], report.SkippedExamples.Select(s => s.Column));
        Assert.Contains("expected 3 fields, found 2", report.SkippedExamples[1].Reason);
    }

    [Fact]
    public async Task SkipPolicy_WithoutReport_IsRefused()
    {
        var path = _dir.File("ok.csv", "Id,Value,Name\n1,2,a\n");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => DataSource.Csv<Row>(path, new CsvSourceOptions { OnBadRecord = BadRecordPolicy.Skip }).ToListAsync());
        Assert.Contains("DataReadReport", ex.Message);
    }

    [Fact]
    public async Task Csv_MissingRequiredColumn_ListsMissingAndPresent()
    {
        var path = _dir.File("cols.csv", "Id,Nom\n1,a\n");
        var ex = await Assert.ThrowsAsync<DataSchemaException>(() => DataSource.Csv<Row>(path).ToListAsync());
        Assert.Equal(["Value", "Name"], ex.MissingColumns);
        Assert.Contains("'Nom'", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public async Task Csv_EmptyValueInNonNullableInt_IsARequiredValueError()
    {
        var path = _dir.File("missing.csv", "Id,Value,Name\n,2,a\n");
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.Csv<Row>(path).ToListAsync());
        Assert.Equal("Id", ex.Record.Column);
        Assert.Contains("required", ex.Message);
    }

    [Fact]
    public async Task Csv_EmptyValueInNonNullableString_IsARequiredValueError_ButDoubleBecomesNaN()
    {
        var path = _dir.File("missing.csv", "Id,Value,Name\n1,,a\n2,3,\n");
        var report = new DataReadReport();
        var rows = await DataSource.Csv<Row>(path, new CsvSourceOptions { OnBadRecord = BadRecordPolicy.Skip }).ToListAsync(report);
        Assert.True(double.IsNaN(Assert.Single(rows).Value));
        Assert.Equal("Name", Assert.Single(report.SkippedExamples).Column);
    }

    [Fact]
    public async Task Csv_IntegerOverflow_IsABadRecord()
    {
        var path = _dir.File("big.csv", "Id,Value,Name\n99999999999,1,a\n");
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.Csv<Row>(path).ToListAsync());
        Assert.Equal("Id", ex.Record.Column);
    }

    [Fact]
    public async Task Csv_UnclosedQuote_IsMalformed()
    {
        var path = _dir.File("quote.csv", "Id,Value,Name\n1,2,\"abc\n");
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => DataSource.Csv<Row>(path).ToListAsync());
        Assert.True(ex is DataRecordException, $"{ex.GetType().Name}: {ex.Message}");
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    [InlineData("parquet")]
    public async Task MissingFile_NamesThePath(string ext)
    {
        var path = System.IO.Path.Combine(_dir.Path, "nope." + ext);
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => DataSource.Open<Row>(path).ToListAsync());
        Assert.Equal(System.IO.Path.GetFullPath(path), ex.FileName);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Open_UnknownExtension_ListsSupported()
    {
        var ex = Assert.Throws<NotSupportedException>(() => DataSource.Open<Row>("data.xlsx"));
        Assert.Contains(".parquet", ex.Message);
    }

    [Fact]
    public async Task JsonLines_InvalidJson_NamesTheLine()
    {
        var path = _dir.File("bad.jsonl", "{\"Id\":1,\"Value\":2,\"Name\":\"a\"}\n\n{\"Id\":2,\"Value\":\n");
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.JsonLines<Row>(path).ToListAsync());
        Assert.Equal(3, ex.Record.LineNumber);
        Assert.Equal(2, ex.Record.RecordNumber);
        Assert.Contains("invalid JSON", ex.Message);
    }

    [Fact]
    public async Task JsonLines_WrongType_NamesColumnAndValue()
    {
        var path = _dir.File("type.jsonl", "{\"Id\":1,\"Value\":\"high\",\"Name\":\"a\"}\n");
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.JsonLines<Row>(path).ToListAsync());
        Assert.Equal("Value", ex.Record.Column);
        Assert.Equal("high", ex.Record.Value);
        Assert.Contains("expected a number", ex.Message);
    }

    [Fact]
    public async Task JsonLines_NestedObject_AndNonObjectLine_AreBadRecords()
    {
        var path = _dir.File("nested.jsonl", "{\"Id\":1,\"Value\":{\"a\":1},\"Name\":\"a\"}\n[1,2]\n{\"Id\":3,\"Value\":1,\"Name\":\"c\",\"Extra\":[1,{\"b\":2}]}\n");
        var report = new DataReadReport();
        var rows = await DataSource.JsonLines<Row>(path, new JsonLinesSourceOptions { OnBadRecord = BadRecordPolicy.Skip }).ToListAsync(report);
        Assert.Equal(3, Assert.Single(rows).Id); // unmapped nested properties are skipped
        Assert.Contains("nested object", report.SkippedExamples[0].Reason);
        Assert.Contains("not a JSON object", report.SkippedExamples[1].Reason);
    }

    [Fact]
    public async Task JsonLines_AbsentPropertyForRequiredMember_IsARequiredValueError()
    {
        var path = _dir.File("absent.jsonl", "{\"Id\":1,\"Name\":\"a\"}\n{\"Value\":1,\"Name\":\"a\"}\n");
        var report = new DataReadReport();
        var rows = await DataSource.JsonLines<Row>(path, new JsonLinesSourceOptions { OnBadRecord = BadRecordPolicy.Skip }).ToListAsync(report);
        Assert.True(double.IsNaN(Assert.Single(rows).Value));
        Assert.Equal("Id", Assert.Single(report.SkippedExamples).Column);
    }

    [Fact]
    public async Task Parquet_NotAParquetFile_IsASchemaError()
    {
        var path = _dir.File("fake.parquet", "this is not parquet at all");
        var ex = await Assert.ThrowsAsync<DataSchemaException>(() => DataSource.Parquet<Row>(path).ToListAsync());
        Assert.Contains("not a readable Parquet file", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    public sealed record WrongFlight(DateTime Date, double Origin);

    [Fact]
    public async Task Parquet_TextColumnIntoNumber_NamesRowColumnAndValue()
    {
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.Parquet<WrongFlight>(TestData.Flights).ToListAsync());
        Assert.Equal(1, ex.Record.RecordNumber);
        Assert.Equal("origin", ex.Record.Column);
        Assert.Null(ex.Record.LineNumber);
        Assert.Contains("is not a number", ex.Message);
    }

    public sealed record MissingColumnFlight(DateTime Date, string Carrier);

    [Fact]
    public async Task Parquet_MissingColumn_ListsIt()
    {
        var ex = await Assert.ThrowsAsync<DataSchemaException>(() => DataSource.Parquet<MissingColumnFlight>(TestData.Flights).ToListAsync());
        Assert.Equal(["Carrier"], ex.MissingColumns);
    }

    [Fact]
    public async Task Sql_TextInNumericColumn_IsAnErrorNotZero()
    {
        var db = System.IO.Path.Combine(_dir.Path, "t.db");
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE t (Id INTEGER, Value REAL, Name TEXT); INSERT INTO t VALUES (1, 2.0, 'a'), (2, 'oops', 'b');";
            cmd.ExecuteNonQuery();
        }

        var source = DataSource.Sql<Row>(() => new SqliteConnection($"Data Source={db};Pooling=False"), "SELECT Id, Value, Name FROM t ORDER BY Id");
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => source.ToListAsync());
        Assert.Equal(2, ex.Record.RecordNumber);
        Assert.Equal("Value", ex.Record.Column);
        Assert.Equal("oops", ex.Record.Value);
        Assert.DoesNotContain("Data Source", source.Descriptor.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_ParametersAreValues_NeverSql()
    {
        var db = System.IO.Path.Combine(_dir.Path, "p.db");
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE t (Id INTEGER, Value REAL, Name TEXT); INSERT INTO t VALUES (1, 2.0, 'a'), (2, 3.0, 'b');";
            cmd.ExecuteNonQuery();
        }

        var hostile = DataSource.Sql<Row>(() => new SqliteConnection($"Data Source={db};Pooling=False"), "SELECT * FROM t WHERE Name = $name", new Dictionary<string, object?> { ["$name"] = "a' OR '1'='1" });
        Assert.Empty(await hostile.ToListAsync());
        var ok = DataSource.Sql<Row>(() => new SqliteConnection($"Data Source={db};Pooling=False"), "SELECT * FROM t WHERE Id >= $min", new Dictionary<string, object?> { ["$min"] = 2 });
        Assert.Equal("b", Assert.Single(await ok.ToListAsync()).Name);
    }

    [Fact]
    public async Task InMemory_NullRecord_NamesItsNumber()
    {
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.InMemory(new Row?[] { new(1, 1, "a"), null }).ToListAsync());
        Assert.Equal(2, ex.Record.RecordNumber);
    }

    public sealed class Unsupported
    {
        public Guid Key { get; set; }
    }

    [Fact]
    public void RecordType_WithUnsupportedProperty_IsRefusedClearly()
    {
        var ex = Assert.Throws<DataSchemaException>(() => DataSource.Csv<Unsupported>("x.csv"));
        Assert.Contains("Key", ex.Message);
        Assert.Contains("[NotMapped]", ex.Message);
    }
}
