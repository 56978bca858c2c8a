using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MLSystemDesign.Data;
using MLSystemDesign.Expectations;

namespace MLSystemDesign.Tests.Expectations;

public sealed class DataValidatorTests
{
    public sealed record Order(string Id, double Amount, string? Country, bool Paid);

    private static readonly Order[] Orders =
    [
        new("o1", 10, "DE", true),
        new("o2", 25.5, "FR", false),
        new("o3", -4, "DE", true),
        new("o4", double.NaN, null, true),
        new("o2", 1000, "XX", false),
    ];

    private static ExpectationSuite Suite => Expect.For<Order>()
        .Field(o => o.Id, e => e.Required().Unique())
        .Field(o => o.Amount, e => e.Between(0, 500).MaxMissingRate(0.1))
        .Field(o => o.Country, e => e.OneOf("DE", "FR").MaxMissingRate(0.5))
        .Build("orders");

    [Fact]
    public void Validate_CountsEveryViolation_WithExamplesAndRates()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var report = new DataValidator(time).Validate(Orders, Suite, "orders.csv");
        Assert.False(report.Passed);
        Assert.Equal(5, report.RecordCount);
        Assert.Equal(time.GetUtcNow(), report.ValidatedAt);
        Assert.Equal("orders", report.Suite);

        var unique = report.Results.Single(r => r.Rule == "unique");
        Assert.False(unique.Passed);
        Assert.Equal(1, unique.Violations);
        Assert.Equal(new OffendingRecord(5, "o2"), Assert.Single(unique.Examples));

        var range = report.Results.Single(r => r.Field == "Amount" && r.Rule == "range");
        Assert.Equal(2, range.Violations);
        Assert.Equal([3L, 5L], range.Examples.Select(e => e.RecordNumber));
        Assert.Equal(0.4, range.ViolationRate);

        var missing = report.Results.Single(r => r.Field == "Amount" && r.Rule == "missing-rate");
        Assert.False(missing.Passed);
        Assert.Equal(1, missing.Violations);

        var categories = report.Results.Single(r => r.Rule == "categories");
        Assert.Equal("XX", Assert.Single(categories.Examples).Value);
        Assert.True(report.Results.Single(r => r.Field == "Country" && r.Rule == "missing-rate").Passed);
        Assert.True(report.Results.Single(r => r.Rule == "required").Passed);
        Assert.Contains("FAIL Amount range", report.ToString());
    }

    [Fact]
    public void Validate_FieldAbsentFromData_FailsPresence()
    {
        var suite = new ExpectationSuite();
        suite.For("Discount").Required = true;
        var result = Assert.Single(new DataValidator().Validate(Orders, suite).Results);
        Assert.Equal("present", result.Rule);
        Assert.False(result.Passed);
    }

    [Fact]
    public async Task Validate_Kind_CatchesTextInANumericColumn()
    {
        var rows = await DataSource.Csv<TabularRecord>(WriteTemp("a\n1\n2\nthree\n"), new CsvSourceOptions { SchemaInferenceRows = 2 }).ToListAsync();
        var suite = new ExpectationSuite();
        suite.For("a").Kind = FieldKind.Numeric;
        var result = Assert.Single(new DataValidator().Validate(rows, suite).Results);
        Assert.Equal(1, result.Violations);
        Assert.Equal(new OffendingRecord(3, "three"), result.Examples[0]);
    }

    [Fact]
    public async Task Infer_ThenValidate_TheReferenceItselfPasses_AndShiftedDataFails()
    {
        var reference = await DataSource.Csv<TabularRecord>(TestData.Weather).ToListAsync();
        var suite = DataValidator.Infer(reference);
        Assert.True(new DataValidator().Validate(reference, suite).Passed);
        var weather = suite.Fields.Single(f => f.Field == "weather");
        Assert.Equal(["drizzle", "fog", "rain", "snow", "sun"], weather.AllowedCategories);
        Assert.True(weather.Required);
        var wind = suite.Fields.Single(f => f.Field == "wind");
        Assert.Equal(FieldKind.Numeric, wind.Kind);
        Assert.Equal(0.4, wind.Min);
        Assert.Equal(9.5, wind.Max);

        var penguins = await DataSource.JsonLines<TabularRecord>(TestData.Penguins).ToListAsync();
        var penguinSuite = DataValidator.Infer(penguins);
        var sex = penguinSuite.Fields.Single(f => f.Field == "Sex");
        Assert.False(sex.Required);
        Assert.Equal(0.0291, sex.MaxMissingRate); // 10 of 344, rounded up to 4 decimals

        var shifted = reference.Select(r => r["wind"].Number > 6
            ? new TabularRecord(r.Schema, [r[0], r[1], r[2], r[3], FieldValue.FromNumber(r["wind"].Number * 3), FieldValue.FromText("hail")])
            : r).ToList();
        var report = new DataValidator().Validate(shifted, suite);
        Assert.Equal(["wind range", "weather categories"], report.Failures.Select(f => $"{f.Field} {f.Rule}"));
    }

    [Fact]
    public void Infer_TextKeys_BecomeUnique()
    {
        var rows = Enumerable.Range(0, 100).Select(i => new Order($"id-{i}", i, i % 2 == 0 ? "DE" : "FR", true)).ToList();
        var suite = DataValidator.Infer(rows, new ExpectationInferenceOptions { MaxCategories = 10 });
        Assert.True(suite.Fields.Single(f => f.Field == "Id").Unique);
        Assert.Equal(["DE", "FR"], suite.Fields.Single(f => f.Field == "Country").AllowedCategories);
        Assert.False(suite.Fields.Single(f => f.Field == "Amount").Unique);
    }

    [Fact]
    public void Quarantine_SplitsRowsByRowLevelRules()
    {
        var result = DataValidator.Quarantine(Orders, Suite);
        Assert.Equal(["o1", "o2", "o4"], result.Accepted.Select(o => o.Id));
        Assert.Equal([3L, 5L], result.Rejected.Select(r => r.RecordNumber));
        Assert.Equal(["Amount range: '1000'", "Country categories: 'XX'"], result.Rejected[1].Violations);
    }

    [Fact]
    public void SuiteJson_RoundTrips_AndRejectsUnknownRules()
    {
        var json = ExpectationSuiteJson.Serialize(Suite);
        var back = ExpectationSuiteJson.Deserialize(json);
        Assert.Equal(json, ExpectationSuiteJson.Serialize(back));
        var ex = Assert.Throws<JsonException>(() => ExpectationSuiteJson.Deserialize("""{"fields":[{"field":"a","maximum":3}]}"""));
        Assert.Contains("maximum", ex.Message);
    }

    [Fact]
    public async Task ValidateAsync_ReadsTheSource()
    {
        var report = await new DataValidator().ValidateAsync(DataSource.InMemory(Orders, "orders"), Suite);
        Assert.Equal("orders", report.Source);
        Assert.Equal(5, report.RecordCount);
    }

    [Fact]
    public async Task Validate_OneBadCellInATextFile_IsOneKindViolation_AndTheOtherValuesPass()
    {
        // 'abc' makes the text column's inferred kind text, so every value arrives as text: each is judged on its own.
        var good = await DataSource.Csv<TabularRecord>(WriteTemp("delay,x\n5,1\n6,2\n7,3\n")).ToListAsync();
        var bad = await DataSource.Csv<TabularRecord>(WriteTemp("delay,x\n5,1\nabc,2\n7,3\n")).ToListAsync();
        var suite = DataValidator.Infer(good);
        var report = new DataValidator().Validate(bad, suite);

        var kind = report.Results.Single(r => r.Field == "delay" && r.Rule == "kind");
        Assert.Equal(1, kind.Violations);
        Assert.Equal(new OffendingRecord(2, "abc"), Assert.Single(kind.Examples));
        Assert.True(report.Results.Single(r => r.Field == "delay" && r.Rule == "range").Passed);
        Assert.Equal(1, report.Results.Count(r => !r.Passed));

        var quarantine = DataValidator.Quarantine(bad, suite);
        Assert.Equal([2L], quarantine.Rejected.Select(r => r.RecordNumber));
        Assert.Equal(["delay kind numeric: 'abc'"], quarantine.Rejected[0].Violations);
    }

    [Fact]
    public async Task Validate_TextThatReadsAsTheExpectedKind_IsCheckedAsThatKind()
    {
        var rows = await DataSource.Csv<TabularRecord>(WriteTemp("n,b,t\n5,true,2024-03-01\n900,false,x\nabc,maybe,2024-03-02T10:00:00\n")).ToListAsync();
        var suite = new ExpectationSuite();
        suite.For("n").Kind = FieldKind.Numeric;
        suite.For("n").Max = 100;
        suite.For("b").Kind = FieldKind.Boolean;
        suite.For("t").Kind = FieldKind.Timestamp;
        var results = new DataValidator().Validate(rows, suite).Results;
        Assert.Equal([3L], results.Single(r => r.Field == "n" && r.Rule == "kind").Examples.Select(e => e.RecordNumber));
        Assert.Equal([2L], results.Single(r => r.Field == "n" && r.Rule == "range").Examples.Select(e => e.RecordNumber));
        Assert.Equal([3L], results.Single(r => r.Field == "b").Examples.Select(e => e.RecordNumber));
        Assert.Equal([2L], results.Single(r => r.Field == "t").Examples.Select(e => e.RecordNumber));
    }

    private static string WriteTemp(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlsd-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }
}
