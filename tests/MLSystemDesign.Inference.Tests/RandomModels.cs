using MLSystemDesign.Models;

namespace MLSystemDesign.Inference.Tests;

/// <summary>Random tree ensembles, dense models and inputs from a seed, and an independent reference evaluator.</summary>
internal static class RandomModels
{
    /// <summary>Thresholds and inputs share a small grid, so inputs often equal a threshold exactly.</summary>
    private static readonly float[] Grid = [-2.5f, -1f, -float.Epsilon, 0f, float.Epsilon, 1e-40f, 0.5f, 1f, 3.25f, 1e30f];

    public static TreeEnsembleDefinition Trees(int seed, ModelTask task, int? width = null, SplitComparison comparison = SplitComparison.LessOrEqual, TreeAggregation aggregation = TreeAggregation.Sum, bool integerLeaves = true, OutputTransform? output = null)
    {
        var rng = new Random(seed);
        var w = width ?? rng.Next(1, 40);
        var classes = task == ModelTask.MulticlassClassification ? rng.Next(3, 6) : 1;
        var signature = task switch
        {
            ModelTask.Regression => ModelSignature.Regression(w),
            ModelTask.BinaryClassification => ModelSignature.Binary(w),
            _ => ModelSignature.Multiclass(w, classes),
        };
        var treeCount = rng.Next(0, 70);
        var trees = new List<DecisionTree>();
        for (var t = 0; t < treeCount; t++)
        {
            trees.Add(Tree(rng, w, rng.Next(0, 40), integerLeaves, t % classes));
        }

        output ??= task switch
        {
            ModelTask.Regression => OutputTransform.Identity,
            ModelTask.BinaryClassification => rng.Next(2) == 0 ? OutputTransform.Sigmoid : OutputTransform.PlattScaling(-1.5, 0.25),
            _ => OutputTransform.Softmax,
        };
        var baseScores = Enumerable.Range(0, classes).Select(_ => (double)rng.Next(-3, 4)).ToArray();
        return new TreeEnsembleDefinition(signature, trees, output, comparison, aggregation, baseScores);
    }

    /// <summary>A random binary tree with <paramref name="splits"/> internal nodes, its nodes listed in a shuffled order.</summary>
    public static DecisionTree Tree(Random rng, int width, int splits, bool integerLeaves, int target = 0)
    {
        // Grow by splitting random leaves; node ids are shuffled afterwards so the layout compiler cannot rely on order.
        var nodes = new List<(bool Leaf, int F, float T, int L, int R, bool M, double V)> { (true, 0, 0, -1, -1, false, 0) };
        for (var s = 0; s < splits; s++)
        {
            var leaves = Enumerable.Range(0, nodes.Count).Where(i => nodes[i].Leaf).ToArray();
            var at = leaves[rng.Next(leaves.Length)];
            var l = nodes.Count;
            nodes.Add((true, 0, 0, -1, -1, false, 0));
            nodes.Add((true, 0, 0, -1, -1, false, 0));
            nodes[at] = (false, rng.Next(width), Grid[rng.Next(Grid.Length)], l, l + 1, rng.Next(2) == 0, 0);
        }

        var order = Enumerable.Range(1, nodes.Count - 1).OrderBy(_ => rng.Next()).Prepend(0).ToArray();
        var newId = new int[nodes.Count];
        for (var i = 0; i < order.Length; i++)
        {
            newId[order[i]] = i;
        }

        var result = new TreeNode[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            var value = integerLeaves ? rng.Next(-8, 9) : (rng.NextDouble() * 2) - 1;
            result[newId[i]] = n.Leaf ? TreeNode.Leaf(value) : TreeNode.Split(n.F, n.T, newId[n.L], newId[n.R], n.M);
        }

        return new DecisionTree(result, target);
    }

    /// <summary>Rows mixing grid values, their float neighbours, NaN, infinities and denormals.</summary>
    public static float[] Rows(int seed, int width, int rows)
    {
        var rng = new Random(seed);
        var x = new float[width * rows];
        for (var i = 0; i < x.Length; i++)
        {
            var g = Grid[rng.Next(Grid.Length)];
            x[i] = rng.Next(12) switch
            {
                0 => float.NaN,
                1 => float.PositiveInfinity,
                2 => float.NegativeInfinity,
                3 => float.BitIncrement(g),
                4 => float.BitDecrement(g),
                5 => (float)((rng.NextDouble() * 8) - 4),
                _ => g,
            };
        }

        return x;
    }

    /// <summary>The reference: walks the definition itself (not the compiled layout) with the source semantics, summing in double.</summary>
    public static double[] Margins(TreeEnsembleDefinition d, ReadOnlySpan<float> x)
    {
        var sums = new double[d.TargetCount];
        var counts = new int[d.TargetCount];
        foreach (var tree in d.Trees)
        {
            var n = 0;
            while (!tree.Nodes[n].IsLeaf)
            {
                var node = tree.Nodes[n];
                var v = x[node.Feature];
                var left = float.IsNaN(v) ? node.MissingGoesLeft : d.Comparison == SplitComparison.LessOrEqual ? v <= node.Threshold : v < node.Threshold;
                n = left ? node.Left : node.Right;
            }

            sums[tree.Target] += (float)tree.Nodes[n].Value;
            counts[tree.Target]++;
        }

        for (var k = 0; k < sums.Length; k++)
        {
            var scale = d.Aggregation == TreeAggregation.Average && counts[k] > 0 ? 1.0 / counts[k] : 1.0;
            sums[k] = d.BaseScores[k] + (sums[k] * scale);
        }

        return sums;
    }

    /// <summary>The reference outputs of one row: margins through the transform, in double.</summary>
    public static double[] Outputs(ModelDefinition d, double[] margins)
    {
        var platt = d.Output.Kind == OutputTransformKind.Platt ? d.Output.Platt : new PlattCalibration(-1, 0);
        switch (d.Signature.Task)
        {
            case ModelTask.Regression:
                return [margins[0]];
            case ModelTask.BinaryClassification:
                var p = d.Output.Kind == OutputTransformKind.Identity ? margins[0] : 1 / (1 + Math.Exp((platt.Slope * margins[0]) + platt.Offset));
                return [margins[0], p];
            default:
                if (d.Output.Kind == OutputTransformKind.Softmax)
                {
                    var max = margins.Max();
                    var e = margins.Select(m => Math.Exp(m - max)).ToArray();
                    return e.Select(v => v / e.Sum()).ToArray();
                }

                if (d.Output.Kind == OutputTransformKind.Sigmoid)
                {
                    return margins.Select(m => 1 / (1 + Math.Exp(-m))).ToArray();
                }

                return margins;
        }
    }
}
