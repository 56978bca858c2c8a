using System.Text;
using Microsoft.Data.Sqlite;
using MLSystemDesign.Data;
using Parquet;

namespace MLSystemDesign.Tests.Data;

/// <summary>Files a hostile or careless user hands the readers: each is a clear project exception naming the file, never the library's own.</summary>
public sealed class HostileFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public sealed record Row(int Id, double Value, string Name);

    public void Dispose() => _dir.Dispose();

    private string Bytes(string name, byte[] content)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public async Task Csv_EmptyFile_IsASchemaErrorNamingTheFile()
    {
        var path = _dir.File("empty.csv", string.Empty);
        var tabular = await Assert.ThrowsAsync<DataSchemaException>(() => DataSource.Csv<TabularRecord>(path).ToListAsync());
        Assert.Contains(path, tabular.Message);
        Assert.Contains("the file is empty", tabular.Message);
        var typed = await Assert.ThrowsAsync<DataSchemaException>(() => DataSource.Csv<Row>(path).ToListAsync());
        Assert.Contains(path, typed.Message);
    }

    [Fact]
    public async Task Csv_HeaderOf100000Columns_IsRefusedNamingTheLineAndTheLimit()
    {
        var path = _dir.File("wide.csv", string.Join(',', Enumerable.Range(0, 100_000).Select(i => $"column_{i:D6}")) + "\n" + string.Join(',', Enumerable.Range(0, 100_000).Select(_ => "1")) + "\n");
        var ex = await Assert.ThrowsAsync<DataSchemaException>(() => DataSource.Csv<TabularRecord>(path).ToListAsync());
        Assert.Contains(path, ex.Message);
        Assert.Contains("line 1 (the header)", ex.Message);
        Assert.Contains("MaxRecordLength", ex.Message);
    }

    [Fact]
    public async Task Csv_RecordLongerThanTheLimit_IsABadRecordNamingItsLine_AndARaisedLimitReadsIt()
    {
        var path = _dir.File("long.csv", "Id,Value,Name\n1,2,a\n2,3," + new string('x', 5000) + "\n");
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.Csv<Row>(path, new CsvSourceOptions { MaxRecordLength = 2048 }).ToListAsync());
        Assert.Equal((path, 3L), (ex.Record.Source, ex.Record.LineNumber!.Value));
        Assert.Contains("longer than 2,048 characters", ex.Message);

        var rows = await DataSource.Csv<Row>(path, new CsvSourceOptions { MaxRecordLength = 8192 }).ToListAsync();
        Assert.Equal(5000, rows[1].Name.Length);
    }

    [Fact]
    public void Csv_MaxRecordLengthOutOfRange_IsRefused() =>
        Assert.Contains("CsvSourceOptions.MaxRecordLength must be between 1024 and", Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => DataSource.Csv<Row>("x.csv", new CsvSourceOptions { MaxRecordLength = 10 })).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("a,,c\n1,2,3\n", "column 2 of the header (line 1) has no name")]
    [InlineData("a,b, \n1,2,3\n", "column 3 of the header (line 1) has no name")]
    [InlineData("a,b,A\n1,2,3\n", "names column 'A' twice (columns 1 and 3)")]
    public async Task Csv_HeaderNameEmptyOrRepeated_IsRefused(string content, string expected)
    {
        var path = _dir.File("header.csv", content);
        var ex = await Assert.ThrowsAsync<DataSchemaException>(() => DataSource.Csv<TabularRecord>(path).ToListAsync());
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public async Task Csv_InvalidUtf8_IsReadAsReplacementCharacter_CountedWithLineAndByteOffset()
    {
        byte[] content = [.. "name,x\ncaf\u00e9,1\nca"u8, 0xFF, .. "f,2\nok,3\n"u8];
        var path = Bytes("utf8.csv", content);
        var report = new DataReadReport();
        var rows = await DataSource.Csv<TabularRecord>(path).ToListAsync(report);
        Assert.Equal("ca\uFFFDf", rows[1]["name"].Text);
        Assert.Equal(1, report.InvalidUtf8Replaced);
        var where = Assert.Single(report.InvalidUtf8Examples);
        Assert.Equal((path, 2L, 3L), (where.Source, where.RecordNumber, where.LineNumber!.Value));
        Assert.Contains("invalid UTF-8 (byte FF) at byte offset 17", where.Reason);
        Assert.Contains("1 invalid UTF-8 sequences replaced", report.ToString());
    }

    [Fact]
    public async Task Csv_InvalidUtf8_WithoutAReportOrRefused_IsABadRecordNamingLineAndOffset()
    {
        byte[] content = [.. "Id,Value,Name\n1,2,a\n2,3,b"u8, 0xC3, .. "\n3,4,c\n"u8];
        var path = Bytes("utf8.csv", content);
        var noReport = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.Csv<Row>(path).ToListAsync());
        Assert.Equal((2L, 3L), (noReport.Record.RecordNumber, noReport.Record.LineNumber!.Value));
        Assert.Contains("invalid UTF-8 (byte C3) at byte offset 25", noReport.Message);

        var refused = new DataReadReport();
        var rows = await DataSource.Csv<Row>(path, new CsvSourceOptions { InvalidUtf8 = InvalidUtf8Handling.Refuse, OnBadRecord = BadRecordPolicy.Skip }).ToListAsync(refused);
        Assert.Equal([1, 3], rows.Select(r => r.Id));
        Assert.Equal(1, refused.RecordsSkipped);
        Assert.Equal(0, refused.InvalidUtf8Replaced);
        Assert.Contains("invalid UTF-8", refused.SkippedExamples[0].Reason);
    }

    [Fact]
    public async Task Csv_InvalidUtf8InTheHeader_IsRefusedUnderRefuse()
    {
        byte[] content = [.. "na"u8, 0xFF, .. "me,x\na,1\n"u8];
        var path = Bytes("header.csv", content);
        var ex = await Assert.ThrowsAsync<DataSchemaException>(() => DataSource.Csv<TabularRecord>(path, new CsvSourceOptions { InvalidUtf8 = InvalidUtf8Handling.Refuse }).ToListAsync(new DataReadReport()));
        Assert.Contains("line 1 (the header) holds invalid UTF-8 (byte FF) at byte offset 2", ex.Message);
    }

    [Fact]
    public async Task Csv_ValidReplacementCharacterAndSplitSequences_AreNotCounted()
    {
        // A genuine U+FFFD (EF BF BD) is text, and multi-byte characters across the 64 KiB read boundary are whole.
        var text = new StringBuilder("name\n\uFFFD\n");
        while (text.Length < 200_000)
        {
            text.Append("\u00e9\u20ac\U0001F600\n");
        }

        var path = _dir.File("valid.csv", text.ToString());
        var report = new DataReadReport();
        var rows = await DataSource.Csv<TabularRecord>(path).ToListAsync(report);
        Assert.Equal("\uFFFD", rows[0]["name"].Text);
        Assert.Equal(0, report.InvalidUtf8Replaced);
    }

    [Fact]
    public async Task Csv_TruncatedMultiByteCharacterAtTheEnd_IsCounted()
    {
        byte[] content = [.. "name\nab"u8, 0xE2, 0x82];
        var path = Bytes("cut.csv", content);
        var report = new DataReadReport();
        await DataSource.Csv<TabularRecord>(path).ToListAsync(report);
        Assert.Equal(1, report.InvalidUtf8Replaced);
        Assert.Contains("bytes E282", report.InvalidUtf8Examples[0].Reason);
    }

    [Fact]
    public async Task JsonLines_InvalidUtf8_IsReplacedAndCounted_OrABadRecordNamingTheLine()
    {
        byte[] content = [.. "{\"Id\":1,\"Value\":2,\"Name\":\"a\"}\n{\"Id\":2,\"Value\":3,\"Name\":\"b"u8, 0xFF, .. "\"}\n"u8];
        var path = Bytes("utf8.jsonl", content);
        var report = new DataReadReport();
        var rows = await DataSource.JsonLines<Row>(path).ToListAsync(report);
        Assert.Equal("b\uFFFD", rows[1].Name);
        var where = Assert.Single(report.InvalidUtf8Examples);
        Assert.Equal((2L, 2L), (where.RecordNumber, where.LineNumber!.Value));
        Assert.Contains("at byte offset 57", where.Reason);

        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.JsonLines<Row>(path, new JsonLinesSourceOptions { InvalidUtf8 = InvalidUtf8Handling.Refuse }).ToListAsync(new DataReadReport()));
        Assert.Equal((path, 2L), (ex.Record.Source, ex.Record.LineNumber!.Value));
        Assert.Contains("invalid UTF-8 (byte FF) at byte offset 57", ex.Message);

        var tabular = await DataSource.JsonLines<TabularRecord>(path).ToListAsync(new DataReadReport());
        Assert.Equal("b\uFFFD", tabular[1]["Name"].Text);
    }

    [Fact]
    public async Task Parquet_ZeroedDataPages_IsADataRecordExceptionNamingTheFileAndColumn()
    {
        var bytes = await File.ReadAllBytesAsync(TestData.Flights);
        long start, length;
        using (var stream = File.OpenRead(TestData.Flights))
        {
            await using var reader = await ParquetReader.CreateAsync(stream);
            using var group = reader.OpenRowGroupReader(0);
            var chunk = group.GetMetadata(reader.Schema.GetDataFields().Single(f => f.Name == "delay"))!.MetaData!;
            start = chunk.DictionaryPageOffset ?? chunk.DataPageOffset;
            length = chunk.TotalCompressedSize;
        }

        // Keep the page header, zero the compressed data after it.
        bytes.AsSpan((int)start + 32, (int)length - 32).Clear();
        var path = Bytes("zeroed.parquet", bytes);
        var ex = await Assert.ThrowsAsync<DataRecordException>(() => DataSource.Parquet<TabularRecord>(path).ToListAsync());
        Assert.Equal((path, "delay"), (ex.Record.Source, ex.Record.Column));
        Assert.Contains("row group 1 of 1 (records 1–30,000) cannot be read", ex.Message);
    }

    [Fact]
    public async Task Parquet_EveryFlippedFooterByte_IsReadIdenticallyOrRefusedNamingTheFile()
    {
        var valid = await File.ReadAllBytesAsync(TestData.Flights);
        var footer = BitConverter.ToInt32(valid, valid.Length - 8);
        var failures = new List<string>();
        var refused = 0;
        for (var at = valid.Length - 8 - footer; at < valid.Length; at += 7)
        {
            var bytes = (byte[])valid.Clone();
            bytes[at] ^= 0x5A;
            var path = Bytes("flipped.parquet", bytes);
            try
            {
                await DataSource.Parquet<TabularRecord>(path).ToListAsync();
            }
            catch (Exception ex) when (ex is DataSchemaException or DataRecordException && ex.Message.Contains(path, StringComparison.Ordinal))
            {
                refused++;
            }
            catch (Exception ex)
            {
                failures.Add($"byte {at}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        Assert.True(refused > 0);
    }

    [Fact]
    public async Task Sql_QueryThatCannotRun_IsASchemaErrorNamingTheSource()
    {
        var db = Path.Combine(_dir.Path, "data.db");
        var ex = await Assert.ThrowsAsync<DataSchemaException>(() => DataSource.Sql<Row>(() => new SqliteConnection($"Data Source={db};Pooling=False"), "SELECT Id, Value, Name FROM missing_table").ToListAsync());
        Assert.Contains("SELECT Id, Value, Name FROM missing_table", ex.Message);
        Assert.Contains("no such table", ex.Message);
        Assert.IsType<SqliteException>(ex.InnerException);
    }
}
