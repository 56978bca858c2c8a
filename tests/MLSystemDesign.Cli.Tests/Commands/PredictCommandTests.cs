using System.Globalization;
using MLSystemDesign.Benchmarks.Inference;
using MLSystemDesign.Inference;
using MLSystemDesign.MLNet;
using MLSystemDesign.MLNet.Models;
using MLSystemDesign.Models;
using MLSystemDesign.Testing;
using MLSystemDesign.Training;

namespace MLSystemDesign.Cli.Tests.Commands;

public sealed class PredictCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static TreeEnsembleDefinition Stumps(IReadOnlyList<string>? names) => new(
        ModelSignature.Binary(2, names),
        [
            new DecisionTree([TreeNode.Split(0, 1f, 1, 2, missingGoesLeft: true), TreeNode.Leaf(-1), TreeNode.Leaf(1)]),
            new DecisionTree([TreeNode.Split(1, 0f, 1, 2, missingGoesLeft: false), TreeNode.Leaf(-0.5), TreeNode.Leaf(0.5)]),
        ],
        OutputTransform.Sigmoid);

    private static float[][] ReadCsv(string path, out string header)
    {
        var lines = File.ReadAllLines(path);
        header = lines[0];
        return lines.Skip(1).Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    }

    [Fact]
    public async Task Mlsd_MatchesColumnsByName_InAnyOrder_WithMissingValues()
    {
        var model = _dir.File("m.mlsd");
        await using (var file = File.Create(model))
        {
            await new MlsdModelFormat().SaveAsync(InferenceModel.Compile(Stumps(["distance", "hour"])), file);
        }

        var input = _dir.File("in.csv", "label,hour,distance\n1,5,0.5\n0,-1,\n1,NaN,3\n");
        var output = _dir.File("out.csv");
        var (exit, stdout, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", input, "--output", output);
        Assert.True(exit == 0, error);
        Assert.Contains("Scored 3 rows", stdout);
        var rows = ReadCsv(output, out var header);
        Assert.Equal("score,probability", header);
        Assert.Equal([-1f + 0.5f, -1f - 0.5f, 1f + 0.5f], rows.Select(r => r[0]));
        Assert.Equal(1 / (1 + MathF.Exp(0.5f)), rows[0][1], 5);
    }

    [Fact]
    public async Task Onnx_CoreAndOnnxRuntime_GiveTheSameScores_ByPositionalColumns()
    {
        var d = new TreeEnsembleDefinition(ModelSignature.Regression(2), Stumps(null).Trees, OutputTransform.Identity);
        var model = _dir.File("m.onnx");
        await File.WriteAllBytesAsync(model, OnnxGraphs.TreeRegressor(d));
        var input = _dir.File("in.csv", "f1,f0\n0.5,5\n,-1\n3,\n");
        var core = _dir.File("core.csv");
        var ort = _dir.File("ort.csv");
        var (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", input, "--output", core);
        Assert.True(exit == 0, error);
        (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--engine", "onnxruntime", "--input", input, "--output", ort);
        Assert.True(exit == 0, error);
        Assert.Equal(File.ReadAllText(core), File.ReadAllText(ort));
        Assert.Equal([1.5f, -0.5f, -0.5f], ReadCsv(core, out var header).Select(r => r[0]));
        Assert.Equal("score", header);
    }

    [Fact]
    public async Task MLNetZip_CoreAgreesWithMLNet()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 400 * 3).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 400).Select(r => x[r * 3] > 0.5 ? 1f : 0f).ToArray();
        var trained = await MLNetTrainers.FastTree(ModelTask.BinaryClassification, new TreeTrainerSettings { Trees = 5, Threads = 1 }).TrainAsync(new TrainingSet(ModelTask.BinaryClassification, x, 3, y));
        var model = _dir.File("m.zip");
        await using (var file = File.Create(model))
        {
            await new MLNetZipFormat().SaveAsync(trained, file);
        }

        var input = _dir.File("in.csv", "f0,f1,f2\n" + string.Join('\n', Enumerable.Range(0, 50).Select(r => string.Join(',', x.Skip(r * 3).Take(3).Select(v => v.ToString(CultureInfo.InvariantCulture))))) + "\n");
        var core = _dir.File("core.csv");
        var mlnet = _dir.File("mlnet.csv");
        Assert.Equal(0, (await Mlsd.RunAsync("predict", "--model", model, "--input", input, "--output", core)).Exit);
        Assert.Equal(0, (await Mlsd.RunAsync("predict", "--model", model, "--format", "mlnet-zip", "--engine", "mlnet", "--input", input, "--output", mlnet)).Exit);
        var a = ReadCsv(core, out _);
        var b = ReadCsv(mlnet, out _);
        Assert.Equal(50, a.Length);
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(b[i][1], a[i][1], 5);
        }
    }

    [Fact]
    public async Task XGBoostJson_IsDetectedAndScored()
    {
        var model = Path.Combine(AppContext.BaseDirectory, "xgb-regression.model.json");
        var input = _dir.File("in.csv", "f0,f1,f2,f3\n0,10,3,7\n,,,\n");
        var output = _dir.File("out.csv");
        var (exit, stdout, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", input, "--output", output);
        Assert.True(exit == 0, error);
        Assert.Contains("xgboost-json", stdout);
        Assert.Equal(2, ReadCsv(output, out _).Length);
    }

    [Fact]
    public async Task MissingFeatureColumn_IsAClearError()
    {
        var model = _dir.File("m.mlsd");
        await using (var file = File.Create(model))
        {
            await new MlsdModelFormat().SaveAsync(InferenceModel.Compile(Stumps(["distance", "hour"])), file);
        }

        var (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", _dir.File("in.csv", "hour,other\n1,2\n"), "--output", _dir.File("o.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("distance", error);
    }

    [Fact]
    public async Task TextInAFeatureColumn_NamesTheRowAndColumn()
    {
        var model = _dir.File("m.mlsd");
        await using (var file = File.Create(model))
        {
            await new MlsdModelFormat().SaveAsync(InferenceModel.Compile(Stumps(["a", "b"])), file);
        }

        var input = _dir.File("in.csv", "a,b\n1,2\n3,abc\n");
        var (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", input, "--output", _dir.File("o.csv"));
        Assert.Equal(2, exit);
        Assert.Contains($"{input}, record 2, column 'b', value 'abc'", error);
    }

    [Fact]
    public async Task EngineThatCannotRunTheFormat_IsAClearError()
    {
        var model = _dir.File("m.mlsd");
        await using (var file = File.Create(model))
        {
            await new MlsdModelFormat().SaveAsync(InferenceModel.Compile(Stumps(null)), file);
        }

        var (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--engine", "onnxruntime", "--input", _dir.File("in.csv", "f0,f1\n1,2\n"), "--output", _dir.File("o.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("onnxruntime engine runs ONNX models", error);
    }

    [Fact]
    public async Task CorruptModel_IsAClearError()
    {
        var model = _dir.File("m.mlsd");
        await File.WriteAllBytesAsync(model, "MLSD\u0001"u8.ToArray());
        var (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", _dir.File("in.csv", "f0\n1\n"), "--output", _dir.File("o.csv"));
        Assert.Equal(2, exit);
        Assert.Contains($"{model} (mlsd): ", error);
    }

    [Theory]
    [InlineData("1e39")]
    [InlineData("-3.5e38")]
    [InlineData("1e300")]
    public async Task ValueOutsideTheFloatRange_IsAnErrorNamingFileRowAndColumn(string value)
    {
        var model = await MlsdModelAsync(Stumps(["a", "b"]));
        var input = _dir.File("in.csv", $"a,b\n1,2\n3,{value}\n");
        var (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", input, "--output", _dir.File("o.csv"));
        Assert.Equal(2, exit);
        Assert.Contains($"{input}, record 2, column 'b', value '", error);
        Assert.Contains("outside the range of a float", error);
    }

    [Fact]
    public async Task ExplicitInfinity_IsAValue_NotAnError()
    {
        var model = await MlsdModelAsync(Stumps(["a", "b"]));
        var (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", _dir.File("in.csv", "a,b\n1,Infinity\n"), "--output", _dir.File("o.csv"));
        Assert.True(exit == 0, error);
    }

    [Theory]
    [InlineData("MLS")]
    [InlineData("M")]
    [InlineData("MLSD")]
    [InlineData("MLSD\u0002\0")]
    public async Task TruncatedMlsdFile_IsRefusedAsATruncatedMlsdFile_NamingIt(string content)
    {
        var model = _dir.File("short.model", content);
        var (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", _dir.File("in.csv", "f0\n1\n"), "--output", _dir.File("o.csv"));
        Assert.Equal(2, exit);
        Assert.Contains($"{model} (mlsd): the file is truncated", error);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("\u0001\u0002")]
    public async Task FileThatStartsLikeNoModel_IsRefused_AskingForTheFormat(string content)
    {
        var model = _dir.File("unknown.bin", content);
        var (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", _dir.File("in.csv", "f0\n1\n"), "--output", _dir.File("o.csv"));
        Assert.Equal(2, exit);
        Assert.Contains($"Cannot tell the format of {model}", error);
        Assert.Contains("--format", error);
    }

    [Fact]
    public async Task DamagedModel_NamesTheModelFile()
    {
        var model = await MlsdModelAsync(Stumps(null));
        var bytes = await File.ReadAllBytesAsync(model);
        bytes[20] ^= 1;
        await File.WriteAllBytesAsync(model, bytes);
        var (exit, _, error) = await Mlsd.RunAsync("predict", "--model", model, "--input", _dir.File("in.csv", "f0,f1\n1,2\n"), "--output", _dir.File("o.csv"));
        Assert.Equal(2, exit);
        Assert.Contains($"{model} (mlsd): the checksum does not match", error);
    }

    [Fact]
    public async Task XGBoostModelDeclaringMillionsOfClasses_IsRefusedAtOnce_WithoutCrashingTheProcess()
    {
        // Before the class count was bounded, this file overflowed the stack of the process that scored it: run it in a child.
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "xgb-multiclass.model.json")).Replace("\"num_class\":\"5\"", "\"num_class\":\"3000000\"", StringComparison.Ordinal);
        var model = _dir.File("many.json", json);
        var result = await ChildProcess.RunDotnetAsync(
            Path.Combine(AppContext.BaseDirectory, "mlsd.dll"),
            ["predict", "--model", model, "--input", _dir.File("in.csv", "f0,f1,f2,f3\n1,2,3,4\n"), "--output", _dir.File("o.csv")],
            TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{model} (xgboost-json): learner_model_param.num_class is 3000000", result.Error);
    }

    [Theory]
    [InlineData(1_000_000_000, "core")]
    [InlineData(1_000_000_000, "onnxruntime")]
    [InlineData(int.MaxValue, "onnxruntime")]
    public async Task OnnxModelDeclaringAHugeInputWidth_IsRefusedAtOnce(long width, string engine)
    {
        // Before the width was bounded: "Out of memory." at 2^31-1 and no end at 10^9; run it in a child.
        var proto = MLSystemDesign.Onnx.Proto.ModelProto.Parser.ParseFrom(OnnxGraphs.TreeRegressor(new TreeEnsembleDefinition(ModelSignature.Regression(2), Stumps(null).Trees, OutputTransform.Identity)));
        proto.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = width;
        var model = _dir.File("wide.onnx");
        await File.WriteAllBytesAsync(model, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        var result = await ChildProcess.RunDotnetAsync(
            Path.Combine(AppContext.BaseDirectory, "mlsd.dll"),
            ["predict", "--model", model, "--engine", engine, "--input", _dir.File("in.csv", "f0,f1\n1,2\n"), "--output", _dir.File("o.csv")],
            TimeSpan.FromSeconds(60),
            new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x40000000" });
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{model} (onnx): the ", result.Error);
        Assert.Contains($"{width} features", result.Error);
    }

    private async Task<string> MlsdModelAsync(TreeEnsembleDefinition definition)
    {
        var model = _dir.File($"m{Guid.NewGuid():N}.mlsd");
        await using var file = File.Create(model);
        await new MlsdModelFormat().SaveAsync(InferenceModel.Compile(definition), file);
        return model;
    }
}
