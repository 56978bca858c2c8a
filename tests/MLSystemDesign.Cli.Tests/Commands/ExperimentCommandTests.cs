using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLSystemDesign.Cli.Tests.Commands;

public sealed class ExperimentCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Analyze_ZTest_PrintsTheIssuesJsonShape_WithStatsmodelsValues()
    {
        // 65/1000 conversions in the treatment, 50/1000 in the control: statsmodels' proportions_ztest gives
        // z = 1.440793230951582, p = 0.14964310637037262 (experiments.fixture.json, case "typical").
        var path = _dir.File("outcomes.csv", Outcomes(("treatment", 65, 1000), ("control", 50, 1000)));
        var (exit, output, error) = await Mlsd.RunAsync("experiment", "analyze", "--data", path, "--arm", "arm", "--metric", "converted", "--test", "ztest", "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(["test", "arms", "statistic", "p_value", "effect", "ci_low", "ci_high", "srm_p_value"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ztest", root.GetProperty("test").GetString());
        Assert.Equal(["arm", "n", "mean"], root.GetProperty("arms")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("control", root.GetProperty("arms")[0].GetProperty("arm").GetString()); // the control first
        Assert.Equal(1000, root.GetProperty("arms")[1].GetProperty("n").GetInt64());
        Assert.Equal(1.440793230951582, root.GetProperty("statistic").GetDouble(), 1e-12);
        Assert.Equal(0.14964310637037262, root.GetProperty("p_value").GetDouble(), 1e-12);
        Assert.Equal(0.015, root.GetProperty("effect").GetDouble(), 1e-12);
        Assert.Equal(-0.005394458899678035, root.GetProperty("ci_low").GetDouble(), 1e-12);
        Assert.Equal(1.0, root.GetProperty("srm_p_value").GetDouble(), 1e-12);
    }

    [Fact]
    public async Task Analyze_UnequalSplit_SrmFails_ExitCode1_UnlessTheWeightsSaySo()
    {
        var path = _dir.File("skewed.csv", Outcomes(("control", 600, 6000), ("treatment", 480, 4000)));
        var (exit, output, error) = await Mlsd.RunAsync("experiment", "analyze", "--data", path, "--arm", "arm", "--metric", "converted", "--json");
        Assert.Equal(1, exit);
        Assert.Contains("sample ratio mismatch", error, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("srm_p_value").GetDouble() < 0.001);
        var weighted = await Mlsd.RunAsync("experiment", "analyze", "--data", path, "--arm", "arm", "--metric", "converted", "--weights", "control=0.6,treatment=0.4", "--json");
        Assert.True(weighted.Exit == 0, weighted.Error);
        Assert.Equal("welch", JsonDocument.Parse(weighted.Output).RootElement.GetProperty("test").GetString());
    }

    [Theory]
    [InlineData("welch")]
    [InlineData("student")]
    [InlineData("ztest-unpooled")]
    [InlineData("mannwhitney")]
    [InlineData("bootstrap")]
    public async Task Analyze_EveryTest_Runs_AndTheTableShowsTheEffect(string test)
    {
        var path = _dir.File($"{test}.csv", Outcomes(("control", 40, 400), ("treatment", 60, 410)));
        var (exit, output, error) = await Mlsd.RunAsync("experiment", "analyze", "--data", path, "--arm", "arm", "--metric", "converted", "--test", test, "--control", "control");
        Assert.True(exit == 0, error);
        Assert.Contains($"{test}: treatment − control", output, StringComparison.Ordinal);
        Assert.Contains("sample ratio ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_Bootstrap_HasNoPValue_InJson()
    {
        var path = _dir.File("boot.csv", Outcomes(("control", 40, 400), ("treatment", 60, 410)));
        var (exit, output, _) = await Mlsd.RunAsync("experiment", "analyze", "--data", path, "--arm", "arm", "--metric", "converted", "--test", "bootstrap", "--json");
        Assert.Equal(0, exit);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("p_value").ValueKind);
        Assert.True(root.GetProperty("ci_low").GetDouble() < root.GetProperty("effect").GetDouble());
    }

    [Fact]
    public async Task Analyze_BadInput_ExitCode2_WithAClearMessage()
    {
        var good = _dir.File("good.csv", Outcomes(("control", 4, 40), ("treatment", 6, 41)));
        var one = _dir.File("one.csv", Outcomes(("control", 4, 40)));
        var three = _dir.File("three.csv", Outcomes(("a", 4, 40), ("b", 6, 41), ("c", 5, 40)));
        var text = _dir.File("text.csv", "arm,converted\ncontrol,1\ntreatment,yes\n");
        var revenue = _dir.File("revenue.csv", "arm,converted\ncontrol,1\ntreatment,2.5\n");
        var missing = _dir.File("missing.csv", "arm,converted\ncontrol,1\ntreatment,\n");
        (string[] Args, string Message)[] cases =
        [
            (["--data", good, "--arm", "group", "--metric", "converted"], "has no column 'group' (--arm). Columns: arm, converted"),
            (["--data", good, "--arm", "arm", "--metric", "revenue"], "has no column 'revenue' (--metric)"),
            (["--data", one, "--arm", "arm", "--metric", "converted"], "has one arm only (control)"),
            (["--data", three, "--arm", "arm", "--metric", "converted"], "has 3 arms (a, b, c)"),
            (["--data", text, "--arm", "arm", "--metric", "converted"], "data row 2: column 'converted' holds 'yes', which is not a number"),
            (["--data", missing, "--arm", "arm", "--metric", "converted"], "data row 2 has no value in column 'converted'"),
            (["--data", revenue, "--arm", "arm", "--metric", "converted", "--test", "ztest"], "data row 2: column 'converted' holds 2.5, not 0 or 1"),
            (["--data", good, "--arm", "arm", "--metric", "converted", "--control", "baseline"], "There is no arm 'baseline'"),
            (["--data", good, "--arm", "arm", "--metric", "converted", "--weights", "control:1"], "--weights takes arm=share pairs"),
            (["--data", good, "--arm", "arm", "--metric", "converted", "--weights", "control=1"], "no share for arm 'treatment'"),
        ];
        foreach (var (args, message) in cases)
        {
            var (exit, _, error) = await Mlsd.RunAsync(["experiment", "analyze", .. args]);
            Assert.True(exit == 2, $"{string.Join(' ', args)} exited {exit}: {error}");
            Assert.Contains(message, error, StringComparison.Ordinal);
        }

        Assert.Equal(2, (await Mlsd.RunAsync("experiment", "analyze", "--data", good, "--arm", "arm", "--metric", "converted", "--test", "chi")).Exit);
        Assert.Equal(2, (await Mlsd.RunAsync("experiment", "analyze", "--data", _dir.File("absent.csv"), "--arm", "arm", "--metric", "converted")).Exit);
    }

    [Fact]
    public async Task Size_Proportions_IsStatsmodelsNormalIndPower()
    {
        // NormalIndPower().solve_power(effect_size=proportion_effectsize(0.11, 0.10), alpha=0.05, power=0.8, ratio=1) = 14744.104836925611
        var (exit, output, error) = await Mlsd.RunAsync("experiment", "size", "--baseline", "0.10", "--mde", "0.01", "--json");
        Assert.True(exit == 0, error);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["n_per_arm", "n_per_arm_ceil"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(14744.104836925611, root.GetProperty("n_per_arm").GetDouble(), 14744.104836925611 * 1e-9);
        Assert.Equal(14745, root.GetProperty("n_per_arm_ceil").GetInt64());
    }

    [Fact]
    public async Task Size_MeansWithRatio_AndAlpha()
    {
        // NormalIndPower().solve_power(effect_size=0.2/3.5, alpha=0.01, power=0.9, ratio=1.5) = 7594.687199587603
        var (exit, output, _) = await Mlsd.RunAsync("experiment", "size", "--sd", "3.5", "--mde", "0.2", "--alpha", "0.01", "--power", "0.9", "--ratio", "1.5", "--json");
        Assert.Equal(0, exit);
        Assert.Equal(7594.687199587603, JsonDocument.Parse(output).RootElement.GetProperty("n_per_arm").GetDouble(), 7594.687199587603 * 1e-9);
        var table = await Mlsd.RunAsync("experiment", "size", "--baseline", "0.1", "--mde", "0.02");
        Assert.Contains("units per arm", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Size_BadInput_ExitCode2()
    {
        Assert.Contains("Give --baseline", (await Mlsd.RunAsync("experiment", "size", "--mde", "0.01")).Error, StringComparison.Ordinal);
        Assert.Contains("effect of 0", (await Mlsd.RunAsync("experiment", "size", "--baseline", "0.1", "--mde", "0")).Error, StringComparison.Ordinal);
        Assert.Contains("not a proportion", (await Mlsd.RunAsync("experiment", "size", "--baseline", "0.95", "--mde", "0.1")).Error, StringComparison.Ordinal);
        Assert.Equal(2, (await Mlsd.RunAsync("experiment", "size", "--baseline", "0.1", "--mde", "0.01", "--power", "1.2")).Exit);
        Assert.Equal(2, (await Mlsd.RunAsync("experiment", "size", "--baseline", "0.1")).Exit);
    }

    /// <summary>One row per unit: the arm, and 1 for the first <c>successes</c> units of each arm, interleaved.</summary>
    private static string Outcomes(params (string Arm, int Successes, int Count)[] arms)
    {
        var text = new StringBuilder("arm,converted\n");
        var max = arms.Max(a => a.Count);
        for (var i = 0; i < max; i++)
        {
            foreach (var (arm, successes, count) in arms)
            {
                if (i < count)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{arm},{(i < successes ? 1 : 0)}\n");
                }
            }
        }

        return text.ToString();
    }
}
