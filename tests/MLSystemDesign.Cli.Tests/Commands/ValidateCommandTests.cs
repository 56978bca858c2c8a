using System.Text.Json;
using MLSystemDesign.Tests;

namespace MLSystemDesign.Cli.Tests.Commands;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Validate_InferredFromItself_Passes_AndWritesTheSuite()
    {
        var suite = _dir.File("suite.json");
        var (exit, output, _) = await Mlsd.RunAsync("validate", "--data", TestData.Weather, "--write-expectations", suite);
        Assert.Equal(0, exit);
        Assert.Contains("all 17 rules passed", output);
        Assert.Contains("\"allowedCategories\"", File.ReadAllText(suite));
    }

    [Fact]
    public async Task Validate_AgainstSuite_FailsWithExitCode1_AndNamesTheRecords()
    {
        var suite = _dir.File("suite.json", """{"name":"strict","fields":[{"field":"wind","max":5},{"field":"weather","allowedCategories":["sun","rain"]}]}""");
        var (exit, output, _) = await Mlsd.RunAsync("validate", "--data", TestData.Weather, "--expectations", suite, "--json");
        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal(1461, root.GetProperty("record_count").GetInt32());
        var range = root.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "range");
        Assert.True(range.GetProperty("violations").GetInt32() > 0);
        Assert.True(range.GetProperty("examples")[0].GetProperty("record_number").GetInt64() > 0);
        var categories = root.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "categories");
        Assert.Contains(categories.GetProperty("examples").EnumerateArray(), e => e.GetProperty("value").GetString() == "drizzle");
    }

    [Fact]
    public async Task Validate_InferFromReference_CatchesShiftedData()
    {
        var reference = _dir.File("ref.csv", "x,c\n1,a\n2,b\n3,a\n");
        var current = _dir.File("cur.csv", "x,c\n1,a\n9,z\n,a\n");
        var (exit, output, _) = await Mlsd.RunAsync("validate", "--data", current, "--infer-from", reference);
        Assert.Equal(1, exit);
        Assert.Contains("FAIL", output);
        Assert.Contains("'9'", output);
        Assert.Contains("'z'", output);
    }

    [Fact]
    public async Task Validate_OneBadCell_IsOneViolationNamingTheRecordAndLine_TheOtherValuesPass()
    {
        var good = _dir.File("good.csv", "delay,x\n5,1\n6,2\n7,3\n");
        var bad = _dir.File("bad.csv", "delay,x\n5,1\nabc,2\n7,3\n");
        var (exit, output, _) = await Mlsd.RunAsync("validate", "--data", bad, "--infer-from", good);
        Assert.Equal(1, exit);
        Assert.Contains("record 2 (line 3)='abc'", output);
        Assert.DoesNotContain("'5'", output);
        Assert.DoesNotContain("'7'", output);
        Assert.Contains("1 of 6 rules failed", output);

        (exit, output, _) = await Mlsd.RunAsync("validate", "--data", bad, "--infer-from", good, "--json");
        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(output);
        var kind = doc.RootElement.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "kind" && r.GetProperty("field").GetString() == "delay");
        Assert.Equal(1, kind.GetProperty("violations").GetInt32());
        var example = kind.GetProperty("examples")[0];
        Assert.Equal((2, 3, "abc"), (example.GetProperty("record_number").GetInt32(), example.GetProperty("line").GetInt32(), example.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task Validate_BadSuiteJson_IsAnErrorWithExitCode2()
    {
        var suite = _dir.File("suite.json", """{"fields":[{"field":"wind","maximum":5}]}""");
        var (exit, _, error) = await Mlsd.RunAsync("validate", "--data", TestData.Weather, "--expectations", suite);
        Assert.Equal(2, exit);
        Assert.Contains("maximum", error);
    }

    [Fact]
    public async Task Validate_MissingFile_IsAnErrorWithExitCode2()
    {
        var (exit, _, error) = await Mlsd.RunAsync("validate", "--data", _dir.File("nope.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("nope.csv", error);
    }

    [Fact]
    public async Task Validate_BadRows_FailOrAreSkippedAndCounted()
    {
        var data = _dir.File("bad.csv", "a,b\n1,2\n3\n4,5\n");
        var (failExit, _, failError) = await Mlsd.RunAsync("validate", "--data", data);
        Assert.Equal(2, failExit);
        Assert.Contains("line 3", failError);
        var (skipExit, output, skipError) = await Mlsd.RunAsync("validate", "--data", data, "--skip-bad-records", "--json");
        Assert.Equal(0, skipExit);
        Assert.Contains("skipped 1 unreadable rows", skipError);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(1, doc.RootElement.GetProperty("records_skipped").GetInt32());
    }
}
