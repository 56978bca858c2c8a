using MLSystemDesign.Tests;

namespace MLSystemDesign.Cli.Tests;

/// <summary>The top-level error handling: every bad input is exit code 2 and one escaped line naming it; <c>--verbose</c> adds the stack trace.</summary>
public sealed class MlsdAppTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Model => Path.Combine(AppContext.BaseDirectory, "xgb-regression.model.json");

    private static void AssertOneLineNaming(string error, string file)
    {
        var lines = error.TrimEnd().Split('\n');
        Assert.True(lines.Length == 1, error);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(file, lines[0]);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Help_TopLevel_DescribesEveryCommand()
    {
        var (exit, output, _) = await Mlsd.RunAsync("--help");
        Assert.Equal(0, exit);
        Assert.Contains("register and version them", output);
        foreach (var command in new[] { "validate", "train", "registry", "drift", "profile", "predict", "convert", "experiment", "business" })
        {
            Assert.Contains($"  {command} ", output);
        }

        (exit, output, _) = await Mlsd.RunAsync("train", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--register", output);
        Assert.Contains("--allow-duplicate", output);
    }

    [Fact]
    public async Task ZeroByteCsv_InValidateProfileDriftAndPredict_IsExitTwoWithOneLineNamingTheFile()
    {
        var empty = _dir.File("empty.csv", string.Empty);
        var good = _dir.File("good.csv", "x\n1\n2\n");
        string[][] commands =
        [
            ["validate", "--data", empty],
            ["validate", "--data", good, "--infer-from", empty],
            ["profile", "--data", empty, "--out", _dir.File("p.json")],
            ["drift", "--reference", good, "--current", empty],
            ["drift", "--reference", empty, "--current", good],
            ["predict", "--model", Model, "--input", empty, "--output", _dir.File("out.csv")],
        ];
        foreach (var args in commands)
        {
            var (exit, _, error) = await Mlsd.RunAsync(args);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: {exit} {error}");
            AssertOneLineNaming(error, empty);
            Assert.Contains("the file is empty", error);
        }
    }

    [Fact]
    public async Task CsvHeaderOf100000Columns_IsExitTwoWithOneLine()
    {
        var wide = _dir.File("wide.csv", string.Join(',', Enumerable.Range(0, 100_000).Select(i => $"column_{i:D6}")) + "\n");
        var (exit, _, error) = await Mlsd.RunAsync("profile", "--data", wide, "--out", _dir.File("p.json"));
        Assert.Equal(2, exit);
        AssertOneLineNaming(error, wide);
        Assert.Contains("MaxRecordLength", error);
    }

    [Fact]
    public async Task CorruptParquet_IsExitTwoNamingTheFile_AndVerboseAddsTheStackTrace()
    {
        var bytes = await File.ReadAllBytesAsync(TestData.Flights);
        bytes.AsSpan(bytes.Length / 3, 4096).Clear();
        var path = Path.Combine(_dir.Path, "zeroed.parquet");
        await File.WriteAllBytesAsync(path, bytes);

        var (exit, _, error) = await Mlsd.RunAsync("profile", "--data", path, "--out", _dir.File("p.json"));
        Assert.Equal(2, exit);
        AssertOneLineNaming(error, path);

        (exit, _, error) = await Mlsd.RunAsync("profile", "--data", path, "--out", _dir.File("p.json"), "--verbose");
        Assert.Equal(2, exit);
        Assert.Contains("MLSystemDesign.Data.DataRecordException", error);
        Assert.Contains("   at ", error);
    }

    [Fact]
    public async Task ControlCharactersInAnError_AreEscaped_OnOneLine()
    {
        var data = _dir.File("data.csv", "x,y\n1,2\n");
        var (exit, _, error) = await Mlsd.RunAsync("drift", "--reference", data, "--current", data, "--columns", "x\u001b[2J\u001b]0;pwned\u0007\nsecond");
        Assert.Equal(2, exit);
        Assert.DoesNotContain('\u001b', error);
        Assert.DoesNotContain('\u0007', error);
        Assert.Contains(@"has no column 'x\x1B[2J\x1B]0;pwned\x07", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ControlCharactersInData_AreEscapedInEveryOutput()
    {
        var data = _dir.File("hostile.csv", "a\u001b[2Jb,c\u202ed\nx\u001b[31m,1\ny,2\n");
        var (exit, output, error) = await Mlsd.RunAsync("profile", "--data", data, "--out", _dir.File("p.json"));
        Assert.True(exit == 0, error);
        Assert.Contains(@"a\x1B[2Jb", output);
        Assert.Contains(@"c\u202Ed", output);
        Assert.DoesNotContain('\u001b', output);

        (exit, output, error) = await Mlsd.RunAsync("validate", "--data", data);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u202e', output);
        Assert.Contains(@"a\x1B[2Jb", output);
    }

    [Fact]
    public async Task InvalidUtf8_IsReportedAsAWarning_NotHidden()
    {
        var path = Path.Combine(_dir.Path, "utf8.csv");
        await File.WriteAllBytesAsync(path, [.. "name,x\na,1\nb"u8, 0xFF, .. ",2\n"u8]);
        var (exit, output, error) = await Mlsd.RunAsync("validate", "--data", path, "--json");
        Assert.Equal(0, exit);
        Assert.Contains($"warning: {path}: 1 invalid UTF-8 sequences read as U+FFFD", error);
        Assert.Contains("line 3", error);
        Assert.Contains("\"invalid_utf8_replaced\": 1", output);
    }

    [Fact]
    public async Task BadArguments_StillExitTwo()
    {
        var (exit, _, error) = await Mlsd.RunAsync("profile", "--nope");
        Assert.Equal(2, exit);
        Assert.Contains("--nope", error);
    }
}
