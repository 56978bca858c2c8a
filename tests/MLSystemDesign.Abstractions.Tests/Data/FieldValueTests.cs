using FsCheck;
using FsCheck.Fluent;
using MLSystemDesign.Data;

namespace MLSystemDesign.Abstractions.Tests.Data;

public sealed class FieldValueTests
{
    [FsCheck.Xunit.Property]
    public Property Number_RoundTrips_AndNaNIsMissing(double value) =>
        (double.IsNaN(value)
            ? FieldValue.FromNumber(value).IsMissing
            : FieldValue.FromNumber(value).Number.Equals(value) && FieldValue.FromNumber(value).Kind == FieldValueKind.Number).ToProperty();

    [Fact]
    public void Kinds_HoldTheirValues_AndOthersAreNeutral()
    {
        var t = new DateTime(2001, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        Assert.Equal(t, FieldValue.FromTimestamp(t).Timestamp);
        Assert.Equal("x", FieldValue.FromText("x").Text);
        Assert.True(FieldValue.FromBoolean(true).Boolean);
        Assert.True(FieldValue.FromText(null).IsMissing);
        Assert.True(double.IsNaN(FieldValue.FromText("1").Number));
        Assert.Null(FieldValue.FromNumber(1).Text);
        Assert.Equal(1, FieldValue.FromBoolean(true).AsDouble());
        Assert.Equal(t.Ticks, FieldValue.FromTimestamp(t).AsDouble());
        Assert.Equal("2001-03-04T05:06:07.0000000", FieldValue.FromTimestamp(t).ToString());
        Assert.Equal("0.1", FieldValue.FromNumber(0.1).ToString());
        Assert.Equal(string.Empty, FieldValue.Missing.ToString());
        Assert.Equal(FieldValue.FromText("a"), FieldValue.FromText(new string('a', 1)));
        Assert.NotEqual(FieldValue.FromText("1"), FieldValue.FromNumber(1));
    }

    [Fact]
    public void TabularRecord_FindsColumnsByName_AndChecksWidth()
    {
        var schema = new RecordSchema([new RecordField("A", FieldKind.Numeric, true), new RecordField("b", FieldKind.Text, true)]);
        var record = new TabularRecord(schema, [FieldValue.FromNumber(1), FieldValue.FromText("x")]);
        Assert.Equal(1, record["a"].Number);
        Assert.Equal("x", record[1].Text);
        Assert.Contains("A:Numeric?", Assert.Throws<KeyNotFoundException>(() => record["c"]).Message);
        Assert.Throws<ArgumentException>(() => new TabularRecord(schema, [FieldValue.Missing]));
        Assert.Throws<ArgumentException>(() => new RecordSchema([new RecordField("a", FieldKind.Text, true), new RecordField("A", FieldKind.Text, true)]));
    }

    [Fact]
    public void DataReadReport_CountsEverySkip_ButKeepsFew()
    {
        var report = new DataReadReport(maxExamples: 2);
        Parallel.For(0, 1000, i => report.AddSkipped(new BadRecord("f", i, null, "c", "v", "bad")));
        report.AddRead();
        Assert.Equal(1000, report.RecordsSkipped);
        Assert.Equal(1, report.RecordsRead);
        Assert.Equal(2, report.SkippedExamples.Count);
        Assert.Equal("1 read, 1000 skipped", report.ToString());
    }

    [Fact]
    public void BadRecord_DescribesWhereAndWhy()
    {
        Assert.Equal("a.csv, line 4 (record 3), column 'x', value 'abc': not a number", new BadRecord("a.csv", 3, 4, "x", "abc", "not a number").ToString());
        Assert.Equal("db, record 7: null", new BadRecord("db", 7, null, null, null, "null").ToString());
    }
}
