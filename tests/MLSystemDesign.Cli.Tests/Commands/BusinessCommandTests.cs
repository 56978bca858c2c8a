using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLSystemDesign.Cli.Tests.Commands;

public sealed class BusinessCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Threshold_FindsTheBestDistinctScore_AndItsValuePerRecord()
    {
        // Four records: flagging the top two (threshold 0.7) catches one late flight for 80 and pays 20 for the other;
        // the late flight at 0.3 costs 300 missed, or 80 caught at the price of flagging the 0.5 one too (20).
        var path = _dir.File("scored.csv", "id,score,late\n1,0.9,1\n2,0.7,0\n3,0.5,0\n4,0.3,1\n");
        var (exit, output, error) = await Mlsd.RunAsync("business", "threshold", "--data", path, "--score", "score", "--label", "late", "--matrix", "0,-20,-300,-80", "--json");
        Assert.True(exit == 0, error);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["threshold", "value_per_record", "ci_low", "ci_high", "records"], root.EnumerateObject().Select(p => p.Name));
        // Thresholds: >0.9 → −600; 0.9 → −380; 0.7 → −400; 0.5 → −420; 0.3 → −200 (everything flagged).
        Assert.Equal(0.3, root.GetProperty("threshold").GetDouble());
        Assert.Equal(-50, root.GetProperty("value_per_record").GetDouble(), 12);
        Assert.Equal(4, root.GetProperty("records").GetInt32());
        Assert.True(root.GetProperty("ci_low").GetDouble() <= -50 && root.GetProperty("ci_high").GetDouble() >= -50);
    }

    [Fact]
    public async Task Threshold_Table_NamesTheMatrixLayout()
    {
        var random = new Random(1);
        var text = new StringBuilder("score,late\n");
        for (var i = 0; i < 500; i++)
        {
            var s = random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{s:0.0000},{(random.NextDouble() < s ? 1 : 0)}\n");
        }

        var (exit, output, error) = await Mlsd.RunAsync("business", "threshold", "--data", _dir.File("scores.csv", text.ToString()), "--score", "score", "--label", "late", "--matrix=-1,-20,-300,-80");
        Assert.True(exit == 0, error);
        Assert.Contains("Matrix TN -1, FP -20, FN -300, TP -80", output, StringComparison.Ordinal);
        Assert.Contains("per record at 0.5", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Threshold_BadInput_ExitCode2()
    {
        var path = _dir.File("scored.csv", "score,late,text\n0.9,1,a\n0.2,2,b\n");
        (string[] Args, string Message)[] cases =
        [
            (["--score", "score", "--label", "late", "--matrix", "1,2,3"], "four numbers in the order tn,fp,fn,tp"),
            (["--score", "score", "--label", "late", "--matrix", "1,2,x,4"], "The fn value 'x'"),
            (["--score", "prob", "--label", "late", "--matrix", "0,-1,-1,0"], "has no column 'prob' (--score)"),
            (["--score", "text", "--label", "late", "--matrix", "0,-1,-1,0"], "column 'text' holds 'a', which is not a number"),
            (["--score", "score", "--label", "late", "--matrix", "0,-1,-1,0"], "data row 2: column 'late' holds 2, not 0 or 1"),
        ];
        foreach (var (args, message) in cases)
        {
            var (exit, _, error) = await Mlsd.RunAsync(["business", "threshold", "--data", path, .. args]);
            Assert.True(exit == 2, $"{string.Join(' ', args)} exited {exit}: {error}");
            Assert.Contains(message, error, StringComparison.Ordinal);
        }
    }
}
