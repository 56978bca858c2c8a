using MLSystemDesign.Inference;
using MLSystemDesign.Models;
using MLSystemDesign.Onnx.Proto;
using static MLSystemDesign.Onnx.OnnxGraph;

namespace MLSystemDesign.Onnx;

/// <summary>
/// Turns an ONNX graph into a core definition, with ONNX Runtime's semantics: thresholds compared as floats, every
/// node mode (<c>BRANCH_LEQ</c>, <c>BRANCH_LT</c>, <c>BRANCH_GTE</c>, <c>BRANCH_GT</c>) rewritten as <c>x &lt;= t</c>
/// with the children swapped where needed, and a missing value sent to the true branch when the node's
/// <c>nodes_missing_value_tracks_true</c> is set and to the false branch otherwise.
/// </summary>
internal static class OnnxImporter
{
    private static readonly string[] DenseOperators = ["MatMul", "Gemm", "Add", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax"];

    public static ModelDefinition Import(ModelProto model)
    {
        var graph = model.Graph;
        var (input, width) = Input(graph);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            var known = node.Domain is "" or "ai.onnx" ? DenseOperators.Contains(node.OpType)
                : node.Domain == "ai.onnx.ml" && node.OpType is "TreeEnsembleRegressor" or "TreeEnsembleClassifier" or "LinearRegressor" or "LinearClassifier";
            if (!known)
            {
                throw new NotSupportedException($"Node {i} '{node.Name}' uses the operator {(node.Domain.Length > 0 ? node.Domain + "." : string.Empty)}{node.OpType}, which the inference core does not compile; run this graph with the onnxruntime engine.");
            }
        }

        if (graph.Node.Count == 1 && graph.Node[0].Domain == "ai.onnx.ml")
        {
            var node = graph.Node[0];
            if (node.Input.Count != 1 || node.Input[0] != input)
            {
                throw Malformed($"{Describe(node)} does not read the graph input '{input}'.");
            }

            return node.OpType switch
            {
                "TreeEnsembleRegressor" => TreeRegressor(node, width),
                "TreeEnsembleClassifier" => TreeClassifier(node, width),
                "LinearRegressor" => LinearRegressor(node, width),
                _ => LinearClassifier(node, width),
            };
        }

        if (graph.Node.Any(n => n.Domain == "ai.onnx.ml"))
        {
            throw new NotSupportedException("An ONNX-ML operator is compiled only when it is the graph's single node.");
        }

        return Mlp(graph, input, width);
    }

    // ------------------------------------------------------------------ trees

    private static TreeEnsembleDefinition TreeRegressor(NodeProto node, int width)
    {
        if (Int(node, "n_targets", 1) != 1)
        {
            throw new NotSupportedException($"{Describe(node)} has {Int(node, "n_targets", 1)} targets; single-target regressors are supported.");
        }

        var aggregation = String(node, "aggregate_function", "SUM") switch
        {
            "SUM" => TreeAggregation.Sum,
            "AVERAGE" => TreeAggregation.Average,
            var other => throw new NotSupportedException($"{Describe(node)} aggregates with {other}; SUM and AVERAGE are supported."),
        };
        RequirePostTransform(node, "NONE");
        var baseValues = Floats(node, "base_values", required: false);
        var trees = Trees(node, width, "target", 1, t => t == 0 ? 0 : throw Malformed($"{Describe(node)} has a weight for target {t} of a single-target regressor."), aggregation);
        return new TreeEnsembleDefinition(ModelSignature.Regression(width), trees, OutputTransform.Identity, SplitComparison.LessOrEqual, aggregation, [baseValues.Length > 0 ? baseValues[0] : 0]);
    }

    private static TreeEnsembleDefinition TreeClassifier(NodeProto node, int width)
    {
        var labels = ClassLabels(node);
        var post = String(node, "post_transform", "NONE");
        var baseValues = Floats(node, "base_values", required: false);
        if (labels.Length == 2)
        {
            // ONNX Runtime's binary case: the class-1 score (or, when only class 0 carries weights, that score) is the margin.
            var classIds = Ints(node, "class_ids");
            var positive = classIds.Contains(1) ? 1 : 0;
            var transform = BinaryTransform(node, post);
            var trees = Trees(node, width, "class", 1, c => c == positive ? 0 : c is 0 or 1 ? -1 : throw Malformed($"{Describe(node)} has a weight for class {c} of a binary classifier."), TreeAggregation.Sum);
            var baseScore = baseValues.Length == 2 ? baseValues[1] : baseValues.Length == 1 ? baseValues[0] : 0;
            return new TreeEnsembleDefinition(new ModelSignature(width, ModelTask.BinaryClassification, [ModelSignature.ScoreOutput, ModelSignature.ProbabilityOutput], null, labels), trees, transform, SplitComparison.LessOrEqual, TreeAggregation.Sum, [baseScore]);
        }

        var k = labels.Length;
        var multi = Trees(node, width, "class", k, c => c >= 0 && c < k ? (int)c : throw Malformed($"{Describe(node)} has a weight for class {c}, outside its {k} classes."), TreeAggregation.Sum);
        if (baseValues.Length is not (0 or 1) && baseValues.Length != k)
        {
            throw Malformed($"{Describe(node)} has {baseValues.Length} base values for {k} classes.");
        }

        var bases = Enumerable.Range(0, k).Select(c => (double)(baseValues.Length == k ? baseValues[c] : baseValues.Length == 1 ? baseValues[0] : 0)).ToArray();
        return new TreeEnsembleDefinition(ModelSignature.Multiclass(width, k, null, labels), multi, MulticlassTransform(node, post), SplitComparison.LessOrEqual, TreeAggregation.Sum, bases);
    }

    /// <summary>Builds one <see cref="DecisionTree"/> per (ONNX tree, target it feeds).</summary>
    private static List<DecisionTree> Trees(NodeProto node, int width, string prefix, int targets, Func<long, int> mapTarget, TreeAggregation aggregation)
    {
        var treeIds = Ints(node, "nodes_treeids");
        var nodeIds = Ints(node, "nodes_nodeids");
        var features = Ints(node, "nodes_featureids");
        var modes = Strings(node, "nodes_modes");
        var values = Floats(node, "nodes_values");
        var trueIds = Ints(node, "nodes_truenodeids");
        var falseIds = Ints(node, "nodes_falsenodeids");
        var tracks = Ints(node, "nodes_missing_value_tracks_true", required: false);
        var n = treeIds.Length;
        if (nodeIds.Length != n || features.Length != n || modes.Length != n || values.Length != n || trueIds.Length != n || falseIds.Length != n || (tracks.Length != 0 && tracks.Length != n))
        {
            throw Malformed($"{Describe(node)}: the nodes_* attributes have different lengths.");
        }

        var wTrees = Ints(node, $"{prefix}_treeids");
        var wNodes = Ints(node, $"{prefix}_nodeids");
        var wIds = Ints(node, $"{prefix}_ids");
        var wValues = Floats(node, $"{prefix}_weights");
        if (wNodes.Length != wTrees.Length || wIds.Length != wTrees.Length || wValues.Length != wTrees.Length)
        {
            throw Malformed($"{Describe(node)}: the {prefix}_* attributes have different lengths.");
        }

        // Nodes of each tree, in order of first appearance (ONNX Runtime takes a tree's first node as its root).
        var order = new List<long>();
        var byTree = new Dictionary<long, List<int>>();
        for (var i = 0; i < n; i++)
        {
            if (!byTree.TryGetValue(treeIds[i], out var list))
            {
                byTree[treeIds[i]] = list = [];
                order.Add(treeIds[i]);
            }

            list.Add(i);
        }

        var nodeIndex = new Dictionary<(long Tree, long Node), int>(n);
        for (var i = 0; i < n; i++)
        {
            if (!nodeIndex.TryAdd((treeIds[i], nodeIds[i]), i))
            {
                throw Malformed($"{Describe(node)}: tree {treeIds[i]} lists node {nodeIds[i]} twice.");
            }
        }

        var weights = new Dictionary<(long Tree, long Node), List<(int Target, float Weight)>>();
        for (var i = 0; i < wTrees.Length; i++)
        {
            // ONNX Runtime refuses a weight on a node the trees do not have; so does the core. A weight on a split, which
            // ONNX Runtime never reads (no walk ends there), is refused too: no converter writes one, so it is damage.
            if (!nodeIndex.TryGetValue((wTrees[i], wNodes[i]), out var weighted))
            {
                throw Malformed($"{Describe(node)}: {prefix} weight {i} is for tree {wTrees[i]} node {wNodes[i]}, which the graph does not have{(byTree.ContainsKey(wTrees[i]) ? string.Empty : $" (it has no tree {wTrees[i]})")}.");
            }

            if (modes[weighted] != "LEAF")
            {
                throw Malformed($"{Describe(node)}: {prefix} weight {i} is for tree {wTrees[i]} node {wNodes[i]}, which is a {modes[weighted]} node, not a leaf.");
            }

            var target = mapTarget(wIds[i]);
            if (target < 0)
            {
                continue;
            }

            var key = (wTrees[i], wNodes[i]);
            if (!weights.TryGetValue(key, out var list))
            {
                weights[key] = list = [];
            }

            list.Add((target, wValues[i]));
        }

        var result = new List<DecisionTree>();
        foreach (var treeId in order)
        {
            var entries = byTree[treeId];
            var local = new Dictionary<long, int>();
            foreach (var e in entries)
            {
                local.Add(nodeIds[e], local.Count); // unique: checked above
            }

            var used = aggregation == TreeAggregation.Average
                ? Enumerable.Range(0, targets).ToHashSet()
                : entries.SelectMany(e => weights.TryGetValue((treeId, nodeIds[e]), out var w) ? w.Select(x => x.Target) : []).ToHashSet();
            foreach (var target in used.Order())
            {
                var nodes = new TreeNode[entries.Count];
                for (var j = 0; j < entries.Count; j++)
                {
                    var e = entries[j];
                    var mode = modes[e];
                    if (mode == "LEAF")
                    {
                        var value = weights.TryGetValue((treeId, nodeIds[e]), out var w) ? w.Where(x => x.Target == target).Sum(x => (double)x.Weight) : 0;
                        nodes[j] = TreeNode.Leaf(value);
                        continue;
                    }

                    int Child(long id) => local.TryGetValue(id, out var c) ? c : throw Malformed($"{Describe(node)}: tree {treeId} node {nodeIds[e]} points to node {id}, which the tree does not have.");
                    var whenTrue = Child(trueIds[e]);
                    var whenFalse = Child(falseIds[e]);
                    var missingTrue = tracks.Length > 0 && tracks[e] == 1;
                    var t = values[e];
                    if (features[e] < 0 || features[e] >= width)
                    {
                        throw Malformed($"{Describe(node)}: tree {treeId} node {nodeIds[e]} tests feature {features[e]}, outside the input's {width}.");
                    }

                    var f = (int)features[e];
                    nodes[j] = mode switch
                    {
                        "BRANCH_LEQ" => TreeNode.Split(f, t, whenTrue, whenFalse, missingTrue),
                        "BRANCH_LT" => TreeNode.Split(f, Below(t, node, treeId, nodeIds[e]), whenTrue, whenFalse, missingTrue),
                        "BRANCH_GT" => TreeNode.Split(f, t, whenFalse, whenTrue, !missingTrue), // x > t  ⇔  !(x <= t)
                        "BRANCH_GTE" => TreeNode.Split(f, Below(t, node, treeId, nodeIds[e]), whenFalse, whenTrue, !missingTrue), // x >= t  ⇔  !(x <= nextDown(t))
                        _ => throw new NotSupportedException($"{Describe(node)}: tree {treeId} node {nodeIds[e]} uses the mode {mode}; BRANCH_LEQ, BRANCH_LT, BRANCH_GT, BRANCH_GTE and LEAF are supported."),
                    };
                }

                result.Add(new DecisionTree(nodes, target));
            }
        }

        return result;
    }

    /// <summary>The largest float below t: <c>x &lt; t</c> ⇔ <c>x &lt;= Below(t)</c> for every float x.</summary>
    private static float Below(float t, NodeProto node, long tree, long id) =>
        float.IsNegativeInfinity(t) || float.IsNaN(t)
            ? throw new NotSupportedException($"{Describe(node)}: tree {tree} node {id} has the threshold {t}, which a strict comparison cannot use.")
            : float.BitDecrement(t);

    // ------------------------------------------------------------------ linear

    private static LinearModelDefinition LinearRegressor(NodeProto node, int width)
    {
        if (Int(node, "targets", 1) != 1)
        {
            throw new NotSupportedException($"{Describe(node)} has {Int(node, "targets", 1)} targets; single-target regressors are supported.");
        }

        RequirePostTransform(node, "NONE");
        var coefficients = Floats(node, "coefficients");
        if (coefficients.Length != width)
        {
            throw Malformed($"{Describe(node)} has {coefficients.Length} coefficients for {width} inputs.");
        }

        var intercepts = Floats(node, "intercepts", required: false);
        return new LinearModelDefinition(ModelSignature.Regression(width), coefficients, new[] { intercepts.Length > 0 ? intercepts[0] : 0f }, OutputTransform.Identity);
    }

    private static LinearModelDefinition LinearClassifier(NodeProto node, int width)
    {
        var labels = ClassLabels(node);
        var coefficients = Floats(node, "coefficients");
        var intercepts = Floats(node, "intercepts", required: false);
        var post = String(node, "post_transform", "NONE");
        if (coefficients.Length % width != 0 || coefficients.Length == 0)
        {
            throw Malformed($"{Describe(node)} has {coefficients.Length} coefficients, not a multiple of its {width} inputs.");
        }

        var rows = coefficients.Length / width;
        if (intercepts.Length is not 0 && intercepts.Length != rows)
        {
            throw Malformed($"{Describe(node)} has {intercepts.Length} intercepts for {rows} coefficient rows.");
        }

        float Intercept(int r) => intercepts.Length == 0 ? 0 : intercepts[r];
        if (labels.Length == 2)
        {
            var signature = new ModelSignature(width, ModelTask.BinaryClassification, [ModelSignature.ScoreOutput, ModelSignature.ProbabilityOutput], null, labels);
            if (rows == 1)
            {
                return new LinearModelDefinition(signature, coefficients, new[] { Intercept(0) }, BinaryTransform(node, post));
            }

            if (rows == 2 && post == "SOFTMAX")
            {
                // softmax([s0, s1])[1] = sigmoid(s1 - s0).
                var diff = Enumerable.Range(0, width).Select(j => coefficients[width + j] - coefficients[j]).ToArray();
                return new LinearModelDefinition(signature, diff, new[] { Intercept(1) - Intercept(0) }, OutputTransform.Sigmoid);
            }

            if (rows == 2)
            {
                return new LinearModelDefinition(signature, coefficients.AsSpan(width).ToArray(), new[] { Intercept(1) }, BinaryTransform(node, post));
            }
        }

        if (rows != labels.Length)
        {
            throw Malformed($"{Describe(node)} has {rows} coefficient rows for {labels.Length} classes.");
        }

        return new LinearModelDefinition(ModelSignature.Multiclass(width, rows, null, labels), coefficients, Enumerable.Range(0, rows).Select(Intercept).ToArray(), MulticlassTransform(node, post));
    }

    // ------------------------------------------------------------------ MLP

    private static MlpDefinition Mlp(GraphProto graph, string input, int width)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, t => t, StringComparer.Ordinal);
        var layers = new List<(float[] W, float[] B, int K, int N, Activation A, float Alpha)>();
        var current = input;
        var currentWidth = width;
        var softmax = false;
        float[] Const(NodeProto node, string name, out IReadOnlyList<long> dims)
        {
            if (!initializers.TryGetValue(name, out var tensor))
            {
                throw new NotSupportedException($"{Describe(node)} reads '{name}', which is not a constant (initializer); the core compiles graphs whose weights are constants.");
            }

            dims = tensor.Dims;
            return Tensor(tensor, $"initializer '{name}'");
        }

        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (softmax)
            {
                throw new NotSupportedException($"{Describe(node)} follows the Softmax; Softmax must be the last node.");
            }

            if (node.Input.Count == 0 || node.Input[0] != current || node.Output.Count != 1)
            {
                throw new NotSupportedException($"{Describe(node)} does not continue the chain from '{current}'; the core compiles chains of layers.");
            }

            switch (node.OpType)
            {
                case "MatMul":
                {
                    var w = Const(node, node.Input[1], out var dims);
                    if (dims.Count != 2 || dims[0] != currentWidth)
                    {
                        throw Malformed($"{Describe(node)} multiplies a {currentWidth}-wide input by a [{string.Join(", ", dims)}] matrix.");
                    }

                    var outputs = (int)dims[1];
                    layers.Add((Transpose(w, currentWidth, outputs), new float[outputs], currentWidth, outputs, Activation.Identity, 0));
                    currentWidth = outputs;
                    break;
                }

                case "Gemm":
                {
                    if (Int(node, "transA", 0) != 0)
                    {
                        throw new NotSupportedException($"{Describe(node)} transposes its input (transA=1).");
                    }

                    var alpha = Float(node, "alpha", 1f);
                    var beta = Float(node, "beta", 1f);
                    var b = Const(node, node.Input[1], out var dims);
                    var transB = Int(node, "transB", 0) != 0;
                    if (dims.Count != 2 || (transB ? dims[1] : dims[0]) != currentWidth)
                    {
                        throw Malformed($"{Describe(node)} multiplies a {currentWidth}-wide input by a [{string.Join(", ", dims)}] matrix (transB={(transB ? 1 : 0)}).");
                    }

                    var outputs = (int)(transB ? dims[0] : dims[1]);
                    var w = transB ? b : Transpose(b, currentWidth, outputs);
                    if (alpha != 1f)
                    {
                        w = w.Select(v => v * alpha).ToArray();
                    }

                    var bias = new float[outputs];
                    if (node.Input.Count > 2 && node.Input[2].Length > 0)
                    {
                        var c = Const(node, node.Input[2], out _);
                        bias = Broadcast(c, outputs, node).Select(v => v * beta).ToArray();
                    }

                    layers.Add((w, bias, currentWidth, outputs, Activation.Identity, 0));
                    currentWidth = outputs;
                    break;
                }

                case "Add":
                {
                    if (layers.Count == 0 || layers[^1].A != Activation.Identity)
                    {
                        throw new NotSupportedException($"{Describe(node)} adds a bias where no linear layer precedes it.");
                    }

                    var c = Broadcast(Const(node, node.Input[1], out _), currentWidth, node);
                    var last = layers[^1];
                    for (var j = 0; j < c.Length; j++)
                    {
                        last.B[j] += c[j];
                    }

                    break;
                }

                case "Softmax":
                {
                    var axis = Int(node, "axis", -1);
                    if (axis is not (-1 or 1))
                    {
                        throw new NotSupportedException($"{Describe(node)} takes the softmax over axis {axis}; over the last axis is supported.");
                    }

                    softmax = true;
                    break;
                }

                default:
                {
                    if (layers.Count == 0 || layers[^1].A != Activation.Identity)
                    {
                        throw new NotSupportedException($"{Describe(node)} applies an activation where no linear layer precedes it (or another activation already follows the layer).");
                    }

                    var activation = node.OpType switch
                    {
                        "Relu" => Activation.Relu,
                        "LeakyRelu" => Activation.LeakyRelu,
                        "Sigmoid" => Activation.Sigmoid,
                        _ => Activation.Tanh,
                    };
                    layers[^1] = layers[^1] with { A = activation, Alpha = Float(node, "alpha", 0.01f) };
                    break;
                }
            }

            current = node.Output[0];
        }

        if (layers.Count == 0)
        {
            throw new NotSupportedException("The graph has no linear layer.");
        }

        if (graph.Output.Count != 1 || graph.Output[0].Name != current)
        {
            throw new NotSupportedException($"The graph's output must be the end of the chain, '{current}'.");
        }

        // The last layer's activation becomes the output transform where the signature has one.
        var final = layers[^1];
        OutputTransform output;
        ModelSignature signature;
        if (softmax)
        {
            if (final.A != Activation.Identity || final.N < 2)
            {
                throw new NotSupportedException("A Softmax must follow a linear layer with at least two outputs.");
            }

            signature = ModelSignature.Multiclass(width, final.N);
            output = OutputTransform.Softmax;
        }
        else if (final.A == Activation.Sigmoid)
        {
            layers[^1] = final with { A = Activation.Identity };
            signature = final.N == 1 ? ModelSignature.Binary(width) : ModelSignature.Multiclass(width, final.N);
            output = OutputTransform.Sigmoid;
        }
        else
        {
            signature = final.N == 1 ? ModelSignature.Regression(width) : ModelSignature.Multiclass(width, final.N);
            output = OutputTransform.Identity;
        }

        return new MlpDefinition(signature, layers.Select(l => new DenseLayer(l.K, l.N, l.W, l.B, l.A, l.Alpha)).ToArray(), output);
    }

    /// <summary>[K × N] (ONNX MatMul) to [N × K] (the core's row-major weights).</summary>
    private static float[] Transpose(float[] w, int k, int n)
    {
        var t = new float[w.Length];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < n; j++)
            {
                t[(j * k) + i] = w[(i * n) + j];
            }
        }

        return t;
    }

    private static float[] Broadcast(float[] c, int n, NodeProto node) =>
        c.Length == n ? c : c.Length == 1 ? Enumerable.Repeat(c[0], n).ToArray()
            : throw new NotSupportedException($"{Describe(node)} adds {c.Length} values to a {n}-wide layer.");

    // ------------------------------------------------------------------ shared

    private static string[] ClassLabels(NodeProto node)
    {
        var labels = Ints(node, "classlabels_int64s", required: false).Concat(Ints(node, "classlabels_ints", required: false)).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (labels.Length == 0)
        {
            labels = Strings(node, "classlabels_strings");
        }

        return labels.Length >= 2 ? labels : throw Malformed($"{Describe(node)} lists {labels.Length} class labels; a classifier needs at least two.");
    }

    private static OutputTransform BinaryTransform(NodeProto node, string post) => post switch
    {
        "NONE" => OutputTransform.Identity,
        "LOGISTIC" => OutputTransform.Sigmoid,
        _ => throw new NotSupportedException($"{Describe(node)} uses post_transform {post}; a binary classifier supports NONE and LOGISTIC."),
    };

    private static OutputTransform MulticlassTransform(NodeProto node, string post) => post switch
    {
        "NONE" => OutputTransform.Identity,
        "LOGISTIC" => OutputTransform.Sigmoid,
        "SOFTMAX" => OutputTransform.Softmax,
        _ => throw new NotSupportedException($"{Describe(node)} uses post_transform {post}; NONE, LOGISTIC and SOFTMAX are supported."),
    };

    private static void RequirePostTransform(NodeProto node, string expected)
    {
        var post = String(node, "post_transform", "NONE");
        if (post != expected)
        {
            throw new NotSupportedException($"{Describe(node)} uses post_transform {post}; only {expected} is supported here.");
        }
    }
}
