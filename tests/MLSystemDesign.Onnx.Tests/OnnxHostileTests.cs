using Google.Protobuf;
using MLSystemDesign.Benchmarks.Inference;
using MLSystemDesign.Inference;
using MLSystemDesign.Inference.Tests;
using MLSystemDesign.Models;
using MLSystemDesign.Onnx.Proto;

namespace MLSystemDesign.Onnx.Tests;

/// <summary>Bad ONNX files fail fast with clear errors; unsupported graphs name the operator and node.</summary>
public sealed class OnnxHostileTests
{
    private static byte[] TreeGraph() => OnnxGraphs.TreeRegressor(RandomModels.Trees(1, ModelTask.Regression, width: 4));

    private static byte[] Mutated(Action<ModelProto> change)
    {
        var proto = ModelProto.Parser.ParseFrom(TreeGraph());
        change(proto);
        return proto.ToByteArray();
    }

    [Fact]
    public void RandomBytes_AreAFormatError()
    {
        var rng = new Random(1);
        for (var i = 0; i < 50; i++)
        {
            var bytes = new byte[rng.Next(1, 300)];
            rng.NextBytes(bytes);
            var ex = Record.Exception(() => OnnxInference.Compile(bytes));
            Assert.True(ex is ModelFormatException or NotSupportedException, $"{ex?.GetType().Name}: {ex?.Message}");
        }
    }

    [Fact]
    public void EveryTruncation_FailsCleanly()
    {
        var bytes = TreeGraph();
        for (var length = 0; length < bytes.Length; length += Math.Max(1, bytes.Length / 40))
        {
            var ex = Record.Exception(() => OnnxInference.Compile(bytes.AsSpan(0, length)));
            Assert.True(ex is ModelFormatException or NotSupportedException, $"length {length}: {ex?.GetType().Name}: {ex?.Message}");
        }
    }

    [Fact]
    public void UnsupportedOperator_NamesTheOperatorAndNode()
    {
        var graph = new GraphProto { Name = "g" };
        graph.Node.Add(OnnxGraphs.Op("Identity", "copy_features", ["input"], "out"));
        graph.Input.Add(OnnxGraphs.Value("input", -1, 3));
        graph.Output.Add(OnnxGraphs.Value("out", -1, 3));
        var ex = Assert.Throws<NotSupportedException>(() => OnnxInference.Compile(OnnxGraphs.Wrap(graph)));
        Assert.Contains("Identity", ex.Message);
        Assert.Contains("copy_features", ex.Message);
    }

    [Fact]
    public void AbsurdTensorDimensions_AreRefused()
    {
        var graph = new GraphProto { Name = "g" };
        var w = OnnxGraphs.Tensor("W", [1f, 2f], 2, 1);
        w.Dims[0] = 1L << 40;
        graph.Initializer.Add(w);
        graph.Node.Add(OnnxGraphs.Op("MatMul", "mm", ["input", "W"], "out"));
        graph.Input.Add(OnnxGraphs.Value("input", -1, 2));
        graph.Output.Add(OnnxGraphs.Value("out", -1, 1));
        Assert.Contains("too large", Assert.Throws<ModelFormatException>(() => OnnxInference.Compile(OnnxGraphs.Wrap(graph))).Message);
    }

    [Fact]
    public void TensorWithFewerValuesThanItsDimensions_IsRefused()
    {
        var graph = new GraphProto { Name = "g" };
        graph.Initializer.Add(OnnxGraphs.Tensor("W", [1f, 2f], 3, 1));
        graph.Node.Add(OnnxGraphs.Op("MatMul", "mm", ["input", "W"], "out"));
        graph.Input.Add(OnnxGraphs.Value("input", -1, 3));
        graph.Output.Add(OnnxGraphs.Value("out", -1, 1));
        Assert.Contains("holds 2", Assert.Throws<ModelFormatException>(() => OnnxInference.Compile(OnnxGraphs.Wrap(graph))).Message);
    }

    [Fact]
    public void ChildPointingOutsideItsTree_IsRefused()
    {
        var bytes = Mutated(p => p.Graph.Node[0].Attribute.First(a => a.Name == "nodes_truenodeids").Ints[0] = 999);
        Assert.Contains("node 999", Assert.Throws<ModelFormatException>(() => OnnxInference.Compile(bytes)).Message);
    }

    [Fact]
    public void CyclicTree_IsRefused()
    {
        var bytes = Mutated(p =>
        {
            var n = p.Graph.Node[0];
            var modes = n.Attribute.First(a => a.Name == "nodes_modes").Strings;
            var inner = Enumerable.Range(0, modes.Count).Skip(1).First(i => modes[i].ToStringUtf8() != "LEAF" && n.Attribute.First(a => a.Name == "nodes_treeids").Ints[i] == n.Attribute.First(a => a.Name == "nodes_treeids").Ints[0]);
            n.Attribute.First(a => a.Name == "nodes_falsenodeids").Ints[inner] = 0;
        });
        Assert.Contains("reached twice", Assert.Throws<ModelFormatException>(() => OnnxInference.Compile(bytes)).Message);
    }

    [Fact]
    public void FeatureOutOfRange_IsRefused()
    {
        var bytes = Mutated(p => p.Graph.Node[0].Attribute.First(a => a.Name == "nodes_featureids").Ints[0] = 50);
        Assert.Contains("feature 50", Assert.Throws<ModelFormatException>(() => OnnxInference.Compile(bytes)).Message);
    }

    [Fact]
    public void MismatchedAttributeLengths_AreRefused()
    {
        var bytes = Mutated(p => p.Graph.Node[0].Attribute.First(a => a.Name == "nodes_values").Floats.RemoveAt(0));
        Assert.Contains("different lengths", Assert.Throws<ModelFormatException>(() => OnnxInference.Compile(bytes)).Message);
    }

    [Fact]
    public void EqualityMode_IsNotSupported()
    {
        var bytes = Mutated(p =>
        {
            var modes = p.Graph.Node[0].Attribute.First(a => a.Name == "nodes_modes").Strings;
            modes[0] = ByteString.CopyFromUtf8("BRANCH_EQ");
        });
        Assert.Contains("BRANCH_EQ", Assert.Throws<NotSupportedException>(() => OnnxInference.Compile(bytes)).Message);
    }

    [Fact]
    public void WrongInputWidth_IsAnArgumentException()
    {
        var model = OnnxInference.Compile(TreeGraph());
        Assert.Throws<ArgumentException>(() => model.Predict(new float[5], new float[1]));
    }
}
