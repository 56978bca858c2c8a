using Microsoft.Extensions.Options;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MLSystemDesign.Benchmarks.Inference;
using MLSystemDesign.Inference;
using MLSystemDesign.Inference.Tests;
using MLSystemDesign.Models;
using MLSystemDesign.Onnx.Proto;
using MLSystemDesign.Testing;

namespace MLSystemDesign.Onnx.Tests;

/// <summary>
/// Sizes an ONNX file declares (input width, output columns, weight targets) are checked against what the file holds
/// and against the limits of the options before anything is sized by them, on both engines.
/// </summary>
public sealed class OnnxDeclaredSizeTests
{
    private static byte[] TreeGraph(Action<ModelProto> change)
    {
        var proto = ModelProto.Parser.ParseFrom(OnnxGraphs.TreeRegressor(RandomModels.Trees(1, ModelTask.Regression, width: 4)));
        change(proto);
        return proto.ToByteArray();
    }

    private static byte[] WithInputWidth(long width) => TreeGraph(p => p.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = width);

    public static TheoryData<long, OnnxEngine> Widths => new()
    {
        { int.MaxValue, OnnxEngine.Core },
        { int.MaxValue, OnnxEngine.OnnxRuntime },
        { 1_000_000_000, OnnxEngine.Core },
        { 1_000_000_000, OnnxEngine.OnnxRuntime },
        { 1_000_000_000, OnnxEngine.Auto },
    };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task DeclaredInputWidth_AboveTheLimit_IsRefusedAtLoad_NamingTheFileAndTheOption(long width, OnnxEngine engine)
    {
        using var folder = new TempFolder();
        var path = folder.Write("wide.onnx", WithInputWidth(width));
        var format = new OnnxModelFormat(new OnnxFormatOptions { Engine = engine }, new InferenceOptions());
        await using var file = File.OpenRead(path);
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await format.LoadAsync(file));
        Assert.StartsWith($"{path} (onnx): ", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{width} features", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxInputWidth allows 1048576", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnnxRuntime_DeclaredInputWidth_IsCheckedAgainstItsOwnOption()
    {
        var bytes = WithInputWidth(4);
        var ex = Assert.Throws<ModelFormatException>(() => OnnxRuntimeModels.Load(bytes, new OnnxRuntimeOptions { MaxInputWidth = 3 }));
        Assert.Contains("OnnxRuntimeOptions.MaxInputWidth allows 3", ex.Message, StringComparison.Ordinal);
        using var model = (IDisposable)OnnxRuntimeModels.Load(bytes, new OnnxRuntimeOptions { MaxInputWidth = 4 });
    }

    [Fact]
    public void OnnxRuntime_DeclaredOutputColumns_AboveTheLimit_AreRefused()
    {
        // A graph the core does not compile that expands its one input column to a billion output columns.
        var graph = new GraphProto { Name = "g" };
        var shape = new TensorProto { Name = "shape", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(2);
        shape.Int64Data.Add([1, 1_000_000_000]);
        graph.Initializer.Add(shape);
        graph.Node.Add(OnnxGraphs.Op("Expand", "widen", ["input", "shape"], "probabilities"));
        graph.Input.Add(OnnxGraphs.Value("input", -1, 1));
        graph.Output.Add(OnnxGraphs.Value("probabilities", -1, 1_000_000_000));
        var ex = Assert.Throws<ModelFormatException>(() => OnnxRuntimeModels.Load(OnnxGraphs.Wrap(graph)));
        Assert.Contains("1000000000 columns", ex.Message, StringComparison.Ordinal);
        Assert.Contains("OnnxRuntimeOptions.MaxOutputWidth allows 65536", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeOptions_OutOfRange_AreRefused()
    {
        Assert.Contains("OnnxRuntimeOptions.MaxInputWidth must be between 1 and", Assert.Throws<OptionsValidationException>(() => OnnxRuntimeModels.Load(WithInputWidth(4), new OnnxRuntimeOptions { MaxInputWidth = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("OnnxRuntimeOptions.MaxOutputWidth must be between 1 and", Assert.Throws<OptionsValidationException>(() => OnnxRuntimeModels.Load(WithInputWidth(4), new OnnxRuntimeOptions { MaxOutputWidth = 0 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightOnANodeIdTheTreeDoesNotHave_IsRefused_AsOnnxRuntimeRefusesIt()
    {
        var bytes = TreeGraph(p => p.Graph.Node[0].Attribute.First(a => a.Name == "target_nodeids").Ints[0] = 999);

        // The oracle: ONNX Runtime itself refuses the graph.
        Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(bytes).Dispose());

        var ex = Assert.Throws<ModelFormatException>(() => OnnxInference.Compile(bytes));
        Assert.Contains("weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("node 999", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightOnATreeIdTheGraphDoesNotHave_IsRefused_AsOnnxRuntimeRefusesIt()
    {
        var bytes = TreeGraph(p => p.Graph.Node[0].Attribute.First(a => a.Name == "target_treeids").Ints[0] = 12345);
        Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(bytes).Dispose());
        var ex = Assert.Throws<ModelFormatException>(() => OnnxInference.Compile(bytes));
        Assert.Contains("tree 12345", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightOnASplitNode_IsRefused_WhereOnnxRuntimeDropsItSilently()
    {
        var bytes = TreeGraph(p =>
        {
            var n = p.Graph.Node[0];
            var modes = n.Attribute.First(a => a.Name == "nodes_modes").Strings;
            var split = Enumerable.Range(0, modes.Count).First(i => modes[i].ToStringUtf8() != "LEAF");
            var a = n.Attribute;
            a.First(x => x.Name == "target_treeids").Ints[0] = a.First(x => x.Name == "nodes_treeids").Ints[split];
            a.First(x => x.Name == "target_nodeids").Ints[0] = a.First(x => x.Name == "nodes_nodeids").Ints[split];
        });
        // ONNX Runtime loads the graph and never reads the weight (no walk ends on a split); the core refuses a weight
        // no input can reach, as damage, rather than drop it.
        new InferenceSession(bytes).Dispose();
        Assert.Contains("not a leaf", Assert.Throws<ModelFormatException>(() => OnnxInference.Compile(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyRefusal_ReadFromAFile_NamesTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.Write("garbage.onnx", [1, 2, 3, 4]);
        foreach (var engine in new[] { OnnxEngine.Auto, OnnxEngine.Core, OnnxEngine.OnnxRuntime })
        {
            await using var file = File.OpenRead(path);
            var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await new OnnxModelFormat(new OnnxFormatOptions { Engine = engine }, new InferenceOptions()).LoadAsync(file));
            Assert.StartsWith($"{path} (onnx): ", ex.Message, StringComparison.Ordinal);
        }
    }
}
