using System.Globalization;
using System.Text;
using System.Text.Json;
using MLSystemDesign.Tests;

namespace MLSystemDesign.Cli.Tests.Commands;

public sealed class DriftCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Drift_SameFile_NoDrift_ExitCode0_AndTheIssuesJsonShape()
    {
        var (exit, output, error) = await Mlsd.RunAsync("drift", "--reference", TestData.Flights, "--current", TestData.Flights, "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(["columns", "drift_share", "dataset_drift"], root.EnumerateObject().Select(p => p.Name));
        var first = root.GetProperty("columns")[0];
        Assert.Equal(["column", "test", "statistic", "p_value", "threshold", "drift"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(5, root.GetProperty("columns").GetArrayLength());
        Assert.Equal(0, root.GetProperty("drift_share").GetDouble());
        Assert.False(root.GetProperty("dataset_drift").GetBoolean());
    }

    [Fact]
    public async Task Drift_ShiftedCsv_ExitCode1_NamesTheDriftedColumns()
    {
        var reference = _dir.File("ref.csv", Csv(2000, seed: 1, shift: 0));
        var current = _dir.File("cur.csv", Csv(2000, seed: 2, shift: 1));
        var (exit, output, _) = await Mlsd.RunAsync("drift", "--reference", reference, "--current", current, "--json");
        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(output);
        var columns = doc.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal("wasserstein", columns["x"].GetProperty("test").GetString());
        Assert.Equal(JsonValueKind.Null, columns["x"].GetProperty("p_value").ValueKind);
        Assert.True(columns["x"].GetProperty("drift").GetBoolean());
        Assert.Equal("js", columns["c"].GetProperty("test").GetString());
        Assert.True(columns["c"].GetProperty("drift").GetBoolean());
        Assert.False(columns["stable"].GetProperty("drift").GetBoolean());
        Assert.True(doc.RootElement.GetProperty("dataset_drift").GetBoolean());
    }

    [Fact]
    public async Task Drift_ChosenTestAndColumns_TableOutput()
    {
        var reference = _dir.File("ref.csv", Csv(300, seed: 3, shift: 0));
        var current = _dir.File("cur.csv", Csv(300, seed: 4, shift: 1));
        var (exit, output, _) = await Mlsd.RunAsync("drift", "--reference", reference, "--current", current, "--columns", "x", "--test", "ks");
        Assert.Equal(1, exit);
        Assert.Contains("Kolmogorov–Smirnov", output);
        Assert.Contains("DRIFT", output);
        Assert.DoesNotContain("stable", output);
    }

    [Fact]
    public async Task Profile_ThenDriftAgainstTheProfile()
    {
        var profile = _dir.File("profile.json");
        var (exit, output, error) = await Mlsd.RunAsync("profile", "--data", TestData.Flights, "--out", profile);
        Assert.True(exit == 0, error);
        Assert.Contains("Profiled 30,000 rows, 5 columns", output);
        using (var doc = JsonDocument.Parse(File.ReadAllText(profile)))
        {
            Assert.Equal("mlsd-reference-profile", doc.RootElement.GetProperty("format").GetString());
        }

        (exit, output, error) = await Mlsd.RunAsync("drift", "--reference", profile, "--current", TestData.Flights, "--json");
        Assert.True(exit == 0, error + output);
        using var report = JsonDocument.Parse(output);
        Assert.False(report.RootElement.GetProperty("dataset_drift").GetBoolean());
    }

    [Fact]
    public async Task Drift_BadInput_ExitCode2_WithAOneLineMessage()
    {
        var reference = _dir.File("ref.csv", Csv(100, seed: 5, shift: 0));
        var (exit, _, error) = await Mlsd.RunAsync("drift", "--reference", reference, "--current", reference, "--columns", "nope");
        Assert.Equal(2, exit);
        Assert.Contains("no column 'nope'", error);

        (exit, _, error) = await Mlsd.RunAsync("drift", "--reference", reference, "--current", reference, "--columns", "c", "--test", "ks");
        Assert.Equal(2, exit);
        Assert.Contains("categorical", error);

        var textual = _dir.File("text.csv", "x,c,stable\nabc,a,1\n");
        (exit, _, error) = await Mlsd.RunAsync("drift", "--reference", reference, "--current", textual);
        Assert.Equal(2, exit);
        Assert.Contains("column 'x' is numeric in the reference but holds text 'abc'", error);

        (exit, _, _) = await Mlsd.RunAsync("drift", "--reference", reference, "--current", reference, "--test", "median");
        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task Drift_HeaderOnlyCurrent_SaysItHasZeroRows()
    {
        var reference = _dir.File("ref.csv", Csv(100, seed: 6, shift: 0));
        var current = _dir.File("cur.csv", "x,c,stable\n");
        var (exit, _, error) = await Mlsd.RunAsync("drift", "--reference", reference, "--current", current);
        Assert.Equal(2, exit);
        Assert.Contains($"{current} has 0 rows", error);
        Assert.DoesNotContain("no column", error);

        var profile = _dir.File("ref.json");
        Assert.Equal(0, (await Mlsd.RunAsync("profile", "--data", reference, "--out", profile)).Exit);
        (exit, _, error) = await Mlsd.RunAsync("drift", "--reference", profile, "--current", current);
        Assert.Equal(2, exit);
        Assert.Contains($"{current} has 0 rows", error);
    }

    [Theory]
    [InlineData(",")]
    [InlineData(" , ,")]
    public async Task Drift_ColumnsNamingNoColumn_IsExitTwo(string columns)
    {
        var reference = _dir.File("ref.csv", Csv(100, seed: 7, shift: 0));
        var (exit, output, error) = await Mlsd.RunAsync("drift", "--reference", reference, "--current", reference, "--columns", columns);
        Assert.Equal(2, exit);
        Assert.Contains("names no column", error);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Drift_AgainstAProfile_ReportsTheMissingValuesTheProfileRecorded()
    {
        var rows = new StringBuilder("x,y\n");
        for (var i = 0; i < 500; i++)
        {
            rows.Append(CultureInfo.InvariantCulture, $",{i % 10}\n");
        }

        var reference = _dir.File("ref.csv", rows.ToString());
        var profile = _dir.File("ref.json");
        Assert.Equal(0, (await Mlsd.RunAsync("profile", "--data", reference, "--out", profile)).Exit);
        var current = _dir.File("cur.csv", "x,y\n1,2\n3,4\n");
        var (exit, output, error) = await Mlsd.RunAsync("drift", "--reference", profile, "--current", current, "--columns", "x");
        Assert.True(exit is 0 or 1, error);
        Assert.Contains("(500 missing)", output);
        Assert.DoesNotContain("(0 missing)", output);
    }

    private static string Csv(int rows, int seed, double shift)
    {
        var random = new Random(seed);
        var text = new StringBuilder("x,c,stable\n");
        for (var i = 0; i < rows; i++)
        {
            var x = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) + shift;
            var c = random.NextDouble() < (shift > 0 ? 0.7 : 0.2) ? "a" : "b";
            text.Append(CultureInfo.InvariantCulture, $"{x:R},{c},{i % 7}\n");
        }

        return text.ToString();
    }
}
