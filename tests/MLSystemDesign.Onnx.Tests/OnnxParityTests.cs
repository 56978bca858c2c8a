using MLSystemDesign.Benchmarks.Inference;
using MLSystemDesign.Inference;
using MLSystemDesign.Inference.Tests;
using MLSystemDesign.Models;
using MLSystemDesign.Onnx.Proto;

namespace MLSystemDesign.Onnx.Tests;

/// <summary>ONNX graphs compiled by the core predict what ONNX Runtime predicts for the same graph.</summary>
public sealed class OnnxParityTests
{
    private static void AssertSame(byte[] graph, float[] rows, double tolerance = 2e-5, bool probabilityOnly = false)
    {
        var core = OnnxInference.Compile(graph);
        using var ort = (OnnxRuntimeModel)OnnxRuntimeModels.Load(graph);
        Assert.Equal(core.Signature.Task, ort.Signature.Task);
        var n = rows.Length / core.Signature.InputWidth;
        var expected = new float[n * core.Signature.OutputWidth];
        var actual = new float[expected.Length];
        ort.PredictBatch(rows, expected);
        core.PredictBatch(rows, actual);
        var binary = core.Signature.Task == ModelTask.BinaryClassification;
        for (var i = 0; i < expected.Length; i++)
        {
            if (binary && (probabilityOnly || i % 2 == 0))
            {
                continue; // ONNX Runtime gives probabilities; its "score" is recovered as a logit, so compare the probability
            }

            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"value {i} (row {i / core.Signature.OutputWidth}): core {actual[i]}, ONNX Runtime {expected[i]}");
        }
    }

    [Theory]
    [InlineData(1, SplitComparison.LessOrEqual, TreeAggregation.Sum)]
    [InlineData(2, SplitComparison.Less, TreeAggregation.Sum)]
    [InlineData(3, SplitComparison.LessOrEqual, TreeAggregation.Average)]
    [InlineData(4, SplitComparison.Less, TreeAggregation.Average)]
    [InlineData(5, SplitComparison.LessOrEqual, TreeAggregation.Sum)]
    public void TreeRegressor_MatchesOnnxRuntime_IncludingMissingValuesAndTies(int seed, SplitComparison comparison, TreeAggregation aggregation)
    {
        var d = RandomModels.Trees(seed, ModelTask.Regression, comparison: comparison, aggregation: aggregation, integerLeaves: false);
        AssertSame(OnnxGraphs.TreeRegressor(d), RandomModels.Rows(seed, d.Signature.InputWidth, 300));
    }

    [Theory]
    [InlineData("SOFTMAX")]
    [InlineData("NONE")]
    [InlineData("LOGISTIC")]
    public void TreeClassifier_Multiclass_MatchesOnnxRuntime(string post)
    {
        var d = RandomModels.Trees(6, ModelTask.MulticlassClassification, integerLeaves: false);
        AssertSame(OnnxGraphs.TreeClassifier(d, post), RandomModels.Rows(7, d.Signature.InputWidth, 200));
    }

    [Theory]
    [InlineData(1, "LOGISTIC")]
    [InlineData(0, "LOGISTIC")]
    [InlineData(1, "NONE")]
    public void TreeClassifier_Binary_MatchesOnnxRuntime(int weightClass, string post)
    {
        var d = RandomModels.Trees(8, ModelTask.Regression, width: 5, integerLeaves: false);
        var graph = OnnxGraphs.TreeClassifier(new TreeEnsembleDefinition(ModelSignature.Multiclass(5, 2), d.Trees, OutputTransform.Identity), post);
        var proto = ModelProto.Parser.ParseFrom(graph);
        var ids = proto.Graph.Node[0].Attribute.First(a => a.Name == "class_ids");
        for (var i = 0; i < ids.Ints.Count; i++)
        {
            ids.Ints[i] = weightClass;
        }

        proto.Graph.Node[0].Attribute.Remove(proto.Graph.Node[0].Attribute.First(a => a.Name == "base_values"));
        AssertSame(Google.Protobuf.MessageExtensions.ToByteArray(proto), RandomModels.Rows(9, 5, 200), probabilityOnly: true);
    }

    [Fact]
    public void TreeModes_GreaterThanAndGreaterOrEqual_MatchOnnxRuntime()
    {
        var d = RandomModels.Trees(10, ModelTask.Regression, width: 6, integerLeaves: false);
        var proto = ModelProto.Parser.ParseFrom(OnnxGraphs.TreeRegressor(d));
        var modes = proto.Graph.Node[0].Attribute.First(a => a.Name == "nodes_modes");
        var rng = new Random(1);
        for (var i = 0; i < modes.Strings.Count; i++)
        {
            if (modes.Strings[i].ToStringUtf8() != "LEAF")
            {
                modes.Strings[i] = Google.Protobuf.ByteString.CopyFromUtf8(rng.Next(4) switch { 0 => "BRANCH_GT", 1 => "BRANCH_GTE", 2 => "BRANCH_LT", _ => "BRANCH_LEQ" });
            }
        }

        AssertSame(Google.Protobuf.MessageExtensions.ToByteArray(proto), RandomModels.Rows(11, 6, 400));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mlp_MatchesOnnxRuntime(bool gemm)
    {
        var rng = new Random(12);
        float[] V(int n) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        var d = new MlpDefinition(ModelSignature.Multiclass(20, 4),
        [
            new DenseLayer(20, 33, V(660), V(33), Activation.Relu),
            new DenseLayer(33, 17, V(561), V(17), Activation.Tanh),
            new DenseLayer(17, 9, V(153), V(9), Activation.LeakyRelu, 0.2f),
            new DenseLayer(9, 8, V(72), V(8), Activation.Sigmoid),
            new DenseLayer(8, 4, V(32), V(4)),
        ], OutputTransform.Softmax);
        AssertSame(OnnxGraphs.Mlp(d, gemm), V(20 * 61), tolerance: 1e-5);
    }

    [Theory]
    [InlineData("LOGISTIC", 1)]
    [InlineData("SOFTMAX", 3)]
    [InlineData("NONE", 3)]
    public void LinearClassifier_MatchesOnnxRuntime(string post, int rows)
    {
        var rng = new Random(13);
        float[] V(int n) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        var signature = rows == 1 ? ModelSignature.Binary(30) : ModelSignature.Multiclass(30, rows);
        var d = new LinearModelDefinition(signature, V(30 * rows), V(rows), rows == 1 ? OutputTransform.Sigmoid : OutputTransform.Softmax);
        AssertSame(OnnxGraphs.LinearClassifier(d, post), V(30 * 50), probabilityOnly: true);
    }

    [Fact]
    public void LinearRegressor_MatchesOnnxRuntime()
    {
        var node = new NodeProto { OpType = "LinearRegressor", Domain = "ai.onnx.ml", Name = "lr" };
        node.Input.Add("input");
        node.Output.Add("variable");
        node.Attribute.Add(OnnxGraphs.Floats("coefficients", 0.5f, -2f, 3f));
        node.Attribute.Add(OnnxGraphs.Floats("intercepts", 1.5f));
        AssertSame(OnnxGraphs.Model(node, 3, ("variable", 1)), RandomModels.Rows(14, 3, 30).Select(v => float.IsFinite(v) ? v : 1f).ToArray());
    }
}
