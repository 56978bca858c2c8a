using Google.Protobuf;
using MLSystemDesign.Inference;
using MLSystemDesign.Onnx.Proto;

namespace MLSystemDesign.Benchmarks.Inference;

/// <summary>
/// Writes ONNX graphs for ONNX Runtime baselines and parity tests: a lean graph holding only a tree-ensemble operator,
/// MLP and linear graphs, and any single ONNX-ML node.
/// </summary>
internal static class OnnxGraphs
{
    /// <summary>A graph whose only node is a TreeEnsembleRegressor computing the ensemble's raw score (no calibrator, casts or identities).</summary>
    public static byte[] TreeRegressor(TreeEnsembleDefinition d)
    {
        if (d.TargetCount != 1)
        {
            throw new ArgumentException("A regressor graph holds a single-target ensemble.", nameof(d));
        }

        var node = TreeNode("TreeEnsembleRegressor", d, "target", t => 0);
        node.Attribute.Add(new AttributeProto { Name = "n_targets", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        node.Attribute.Add(Str("aggregate_function", d.Aggregation == TreeAggregation.Average ? "AVERAGE" : "SUM"));
        node.Attribute.Add(Floats("base_values", (float)d.BaseScores[0]));
        node.Output.Add("score");
        return Model(node, d.Signature.InputWidth, ("score", 1));
    }

    /// <summary>A single-node TreeEnsembleClassifier graph for a multiclass ensemble, with a softmax or no post transform.</summary>
    public static byte[] TreeClassifier(TreeEnsembleDefinition d, string postTransform)
    {
        var node = TreeNode("TreeEnsembleClassifier", d, "class", t => t);
        node.Attribute.Add(Ints("classlabels_int64s", Enumerable.Range(0, d.TargetCount).Select(i => (long)i).ToArray()));
        node.Attribute.Add(Floats("base_values", d.BaseScores.Select(b => (float)b).ToArray()));
        node.Attribute.Add(Str("post_transform", postTransform));
        node.Output.Add("label");
        node.Output.Add("probabilities");
        return Model(node, d.Signature.InputWidth, ("probabilities", d.TargetCount), labelOutput: true);
    }

    /// <summary>An MLP graph: MatMul + Add + activation per layer, and a final Softmax.</summary>
    public static byte[] Mlp(MlpDefinition d, bool gemm = false)
    {
        var graph = new GraphProto { Name = "mlp" };
        var current = "input";
        for (var i = 0; i < d.Layers.Count; i++)
        {
            var layer = d.Layers[i];
            var w = layer.Weights.Span;
            if (gemm)
            {
                graph.Initializer.Add(Tensor($"W{i}", w.ToArray(), layer.Outputs, layer.Inputs));
                graph.Initializer.Add(Tensor($"b{i}", layer.Bias.ToArray(), layer.Outputs));
                var g = new NodeProto { OpType = "Gemm", Name = $"gemm{i}" };
                g.Input.Add(current);
                g.Input.Add($"W{i}");
                g.Input.Add($"b{i}");
                g.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                g.Output.Add(current = $"h{i}");
                graph.Node.Add(g);
            }
            else
            {
                var t = new float[w.Length];
                for (var n = 0; n < layer.Outputs; n++)
                {
                    for (var k = 0; k < layer.Inputs; k++)
                    {
                        t[(k * layer.Outputs) + n] = w[(n * layer.Inputs) + k];
                    }
                }

                graph.Initializer.Add(Tensor($"W{i}", t, layer.Inputs, layer.Outputs));
                graph.Initializer.Add(Tensor($"b{i}", layer.Bias.ToArray(), layer.Outputs));
                graph.Node.Add(Op("MatMul", $"matmul{i}", [current, $"W{i}"], current = $"m{i}"));
                graph.Node.Add(Op("Add", $"add{i}", [current, $"b{i}"], current = $"h{i}"));
            }

            if (layer.Activation != Activation.Identity)
            {
                var op = Op(layer.Activation switch { Activation.Relu => "Relu", Activation.LeakyRelu => "LeakyRelu", Activation.Tanh => "Tanh", _ => "Sigmoid" }, $"act{i}", [current], current = $"a{i}");
                if (layer.Activation == Activation.LeakyRelu)
                {
                    op.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = layer.Alpha });
                }

                graph.Node.Add(op);
            }
        }

        if (d.Output.Kind == OutputTransformKind.Softmax)
        {
            graph.Node.Add(Op("Softmax", "softmax", [current], current = "probabilities"));
        }

        graph.Input.Add(Value("input", -1, d.Signature.InputWidth));
        graph.Output.Add(Value(current, -1, d.TargetCount));
        return Wrap(graph);
    }

    /// <summary>A single-node LinearClassifier graph (binary: one coefficient row) with a logistic or softmax post transform.</summary>
    public static byte[] LinearClassifier(LinearModelDefinition d, string postTransform)
    {
        var node = new NodeProto { OpType = "LinearClassifier", Domain = "ai.onnx.ml", Name = "linear" };
        node.Input.Add("input");
        node.Attribute.Add(Floats("coefficients", d.Weights.ToArray()));
        node.Attribute.Add(Floats("intercepts", d.Bias.ToArray()));
        node.Attribute.Add(Ints("classlabels_ints", Enumerable.Range(0, Math.Max(2, d.TargetCount)).Select(i => (long)i).ToArray()));
        node.Attribute.Add(Str("post_transform", postTransform));
        node.Output.Add("label");
        node.Output.Add("probabilities");
        return Model(node, d.Signature.InputWidth, ("probabilities", Math.Max(2, d.TargetCount)), labelOutput: true);
    }

    /// <summary>A graph around one ONNX-ML node; the node must read "input".</summary>
    public static byte[] Model(NodeProto node, int width, (string Name, int Columns) output, bool labelOutput = false)
    {
        var graph = new GraphProto { Name = "lean" };
        graph.Node.Add(node);
        graph.Input.Add(Value("input", -1, width));
        if (labelOutput)
        {
            var label = new ValueInfoProto { Name = "label", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Int64, Shape = new TensorShapeProto() } } };
            label.Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
            graph.Output.Add(label);
        }

        graph.Output.Add(Value(output.Name, -1, output.Columns));
        return Wrap(graph);
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.Add(values);
        return a;
    }

    public static AttributeProto Floats(string name, params float[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        a.Floats.Add(values);
        return a;
    }

    public static AttributeProto Strs(string name, params string[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        a.Strings.Add(values.Select(ByteString.CopyFromUtf8));
        return a;
    }

    public static AttributeProto Str(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static NodeProto Op(string type, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = type, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }

    public static TensorProto Tensor(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(dims);
        t.FloatData.Add(values);
        return t;
    }

    public static ValueInfoProto Value(string name, long rows, long columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(rows < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = rows });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = columns });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }

    public static byte[] Wrap(GraphProto graph)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "MLSystemDesign", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx.ml", Version = 3 });
        return model.ToByteArray();
    }

    /// <summary>One TreeEnsemble node with every tree's nodes in list order and leaf weights for the tree's target.</summary>
    private static NodeProto TreeNode(string op, TreeEnsembleDefinition d, string prefix, Func<int, int> target)
    {
        var node = new NodeProto { OpType = op, Domain = "ai.onnx.ml", Name = "trees" };
        node.Input.Add("input");
        List<long> treeIds = [], nodeIds = [], features = [], trueIds = [], falseIds = [], tracks = [], wTrees = [], wNodes = [], wIds = [];
        List<float> values = [], weights = [];
        List<string> modes = [];
        for (var t = 0; t < d.Trees.Count; t++)
        {
            var tree = d.Trees[t];
            for (var n = 0; n < tree.Nodes.Count; n++)
            {
                var x = tree.Nodes[n];
                treeIds.Add(t);
                nodeIds.Add(n);
                features.Add(x.Feature);
                values.Add(x.Threshold);
                trueIds.Add(x.IsLeaf ? 0 : x.Left);
                falseIds.Add(x.IsLeaf ? 0 : x.Right);
                tracks.Add(x.MissingGoesLeft ? 1 : 0);
                modes.Add(x.IsLeaf ? "LEAF" : d.Comparison == SplitComparison.Less ? "BRANCH_LT" : "BRANCH_LEQ");
                if (x.IsLeaf)
                {
                    wTrees.Add(t);
                    wNodes.Add(n);
                    wIds.Add(target(tree.Target));
                    weights.Add((float)x.Value);
                }
            }
        }

        node.Attribute.Add(Ints("nodes_treeids", [.. treeIds]));
        node.Attribute.Add(Ints("nodes_nodeids", [.. nodeIds]));
        node.Attribute.Add(Ints("nodes_featureids", [.. features]));
        node.Attribute.Add(Floats("nodes_values", [.. values]));
        node.Attribute.Add(Strs("nodes_modes", [.. modes]));
        node.Attribute.Add(Ints("nodes_truenodeids", [.. trueIds]));
        node.Attribute.Add(Ints("nodes_falsenodeids", [.. falseIds]));
        node.Attribute.Add(Ints("nodes_missing_value_tracks_true", [.. tracks]));
        node.Attribute.Add(Ints($"{prefix}_treeids", [.. wTrees]));
        node.Attribute.Add(Ints($"{prefix}_nodeids", [.. wNodes]));
        node.Attribute.Add(Ints($"{prefix}_ids", [.. wIds]));
        node.Attribute.Add(Floats($"{prefix}_weights", [.. weights]));
        return node;
    }
}
