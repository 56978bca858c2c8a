using System.Globalization;
using MLSystemDesign.Benchmarks.Inference;
using MLSystemDesign.Inference;
using MLSystemDesign.Models;

namespace MLSystemDesign.Cli.Tests.Commands;

public sealed class ConvertCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", "models", file);

    /// <summary>Scores the same rows with two model files through <c>mlsd predict</c> and returns both outputs.</summary>
    private async Task<(string Before, string After)> PredictBothAsync(string before, string after, int width)
    {
        var rng = new Random(width);
        var header = string.Join(',', Enumerable.Range(0, width).Select(i => $"f{i}"));
        var rows = Enumerable.Range(0, 40).Select(_ => string.Join(',', Enumerable.Range(0, width).Select(_ => (rng.NextDouble() * 30).ToString("R", CultureInfo.InvariantCulture))));
        var input = _dir.File("rows.csv", header + "\n" + string.Join('\n', rows) + "\n");
        var a = _dir.File("a.csv");
        var b = _dir.File("b.csv");
        var first = await Mlsd.RunAsync("predict", "--model", before, "--input", input, "--output", a);
        Assert.True(first.Exit == 0, first.Error);
        var second = await Mlsd.RunAsync("predict", "--model", after, "--input", input, "--output", b);
        Assert.True(second.Exit == 0, second.Error);
        return (File.ReadAllText(a), File.ReadAllText(b));
    }

    [Theory]
    [InlineData("cancer-fasttree.zip", 30)]
    [InlineData("xgb-regression.model.json", 4)]
    public async Task Convert_WritesAnMlsdFile_ThatPredictsTheSame_AndPrintsSignatureAndSize(string source, int width)
    {
        var model = File.Exists(Data(source)) ? Data(source) : Path.Combine(AppContext.BaseDirectory, source);
        var output = _dir.File("model.mlsd");
        var (exit, stdout, error) = await Mlsd.RunAsync("convert", "--model", model, "--out", output);
        Assert.True(exit == 0, error);
        var written = new FileInfo(output);
        Assert.Equal(MlsdModelFormat.CurrentVersion, MlsdModelFormat.ReadVersion(File.ReadAllBytes(output)));
        Assert.Contains($"{width} features", stdout);
        Assert.Contains($"{written.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes", stdout);
        Assert.Contains(output, stdout);
        var (before, after) = await PredictBothAsync(model, output, width);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Convert_Onnx_CompilesTheGraphIntoMlsd()
    {
        var d = new TreeEnsembleDefinition(ModelSignature.Regression(3), [new DecisionTree([TreeNode.Split(1, 10f, 1, 2, false), TreeNode.Leaf(-1.5), TreeNode.Leaf(2.25)])], OutputTransform.Identity);
        var model = _dir.File("m.onnx");
        await File.WriteAllBytesAsync(model, OnnxGraphs.TreeRegressor(d));
        var output = _dir.File("m.mlsd");
        var (exit, stdout, error) = await Mlsd.RunAsync("convert", "--model", model, "--format", "onnx", "--out", output);
        Assert.True(exit == 0, error);
        Assert.Contains("(onnx)", stdout);
        var (before, after) = await PredictBothAsync(model, output, 3);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Convert_Version1Mlsd_UpgradesIt_WithAWarning()
    {
        var output = _dir.File("upgraded.mlsd");
        var (exit, stdout, error) = await Mlsd.RunAsync("convert", "--model", Data("cancer-xgb.v1.mlsd"), "--out", output);
        Assert.True(exit == 0, error);
        Assert.Contains("warning:", error);
        Assert.Contains("version 1", error);
        Assert.Contains("30 features", stdout);
        var (before, after) = await PredictBothAsync(Path.Combine(AppContext.BaseDirectory, "xgb-binary.model.json"), output, 30);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Convert_GraphTheCoreCannotCompile_IsAClearError_AndWritesNothing()
    {
        var graph = new MLSystemDesign.Onnx.Proto.GraphProto { Name = "g" };
        graph.Node.Add(OnnxGraphs.Op("Identity", "copy", ["input"], "out"));
        graph.Input.Add(OnnxGraphs.Value("input", -1, 3));
        graph.Output.Add(OnnxGraphs.Value("out", -1, 3));
        var model = _dir.File("identity.onnx");
        await File.WriteAllBytesAsync(model, OnnxGraphs.Wrap(graph));
        var output = _dir.File("never.mlsd");
        var (exit, _, error) = await Mlsd.RunAsync("convert", "--model", model, "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains("Identity", error);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "never.mlsd*"));
    }

    [Fact]
    public async Task Convert_DamagedModel_NamesTheFile_AndLeavesAnExistingOutputAlone()
    {
        var model = _dir.File("broken.json", "{\"learner\":{}}");
        var output = _dir.File("kept.mlsd", "previous content");
        var (exit, _, error) = await Mlsd.RunAsync("convert", "--model", model, "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains($"{model} (xgboost-json): the member 'learner_model_param' is missing.", error);
        Assert.Equal("previous content", File.ReadAllText(output));
    }

    [Fact]
    public async Task Convert_MissingModelFile_IsAnArgumentError()
    {
        var (exit, _, error) = await Mlsd.RunAsync("convert", "--model", _dir.File("absent.onnx"), "--out", _dir.File("o.mlsd"));
        Assert.Equal(2, exit);
        Assert.Contains("absent.onnx", error);
    }
}
