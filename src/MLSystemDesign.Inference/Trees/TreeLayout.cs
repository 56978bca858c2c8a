using System.Numerics;

namespace MLSystemDesign.Inference.Trees;

/// <summary>
/// A tree ensemble compiled for fast walking. Every tree is stored depth-first in three parallel arrays shared by all
/// trees: a node's left child is the next node (implicit), its right child is <c>delta</c> nodes further on, and a leaf
/// is a node whose delta is 0 (it keeps its value in the threshold slot), so a walk that reaches it stays there. That makes a fixed
/// number of branch-free steps per tree (its depth) land every lane on its leaf, which is what the SIMD kernels need.
/// </summary>
/// <remarks>
/// <para><see cref="Packed"/> holds, for each node, <c>feature | delta &lt;&lt; FeatureBits | missingGoesLeft &lt;&lt; 31</c>:
/// the feature index in the low <see cref="FeatureBits"/> bits, the right-child offset in the bits above, and the sign
/// bit set when a missing value goes left. One 32-bit gather thus fetches all the integer data of a node.</para>
/// <para>Every split is normalised to <c>x &lt;= threshold</c> goes left: a source's <c>x &lt; t</c> becomes
/// <c>x &lt;= nextDown(t)</c>, which is the same test for every float <c>x</c>.</para>
/// <para>Node 0 is a shared leaf of value 0 that pads SIMD groups. Trees are also arranged in <see cref="GroupLanes"/>-wide
/// groups that share one target and are sorted by depth, so a single row walks 16 trees per step.</para>
/// </remarks>
internal sealed class TreeLayout
{
    /// <summary>The number of trees walked together by the single-row SIMD kernels.</summary>
    public const int GroupLanes = 16;

    /// <summary>The most nodes the layout holds, all trees together.</summary>
    public const int MaxNodes = 1 << 27;

    private TreeLayout(int width, int targets, int featureBits, int[] packed, float[] threshold,
        int[] roots, int[] depths, int[] treeTargets, int[] groupRoots, int[] groupDepths, int[] groupTargets, float[] baseScores, float[] scales,
        int[] queue, int[] queueOffsets)
    {
        Width = width;
        Targets = targets;
        FeatureBits = featureBits;
        FeatureMask = (1 << featureBits) - 1;
        DeltaMask = (int)((1u << (31 - featureBits)) - 1);
        Packed = packed;
        Threshold = threshold;
        Nodes = new long[packed.Length];
        for (var i = 0; i < packed.Length; i++)
        {
            Nodes[i] = (uint)packed[i] | ((long)BitConverter.SingleToInt32Bits(threshold[i]) << 32);
        }

        Queue = queue;
        QueueOffsets = queueOffsets;
        Roots = roots;
        Depths = depths;
        TreeTargets = treeTargets;
        GroupRoots = groupRoots;
        GroupDepths = groupDepths;
        GroupTargets = groupTargets;
        BaseScores = baseScores;
        Scales = scales;
        MaxDepth = depths.Length == 0 ? 0 : depths.Max();
    }

    public int Width { get; }

    public int Targets { get; }

    public int FeatureBits { get; }

    public int FeatureMask { get; }

    public int DeltaMask { get; }

    public int[] Packed { get; }

    public float[] Threshold { get; }

    /// <summary>Gets each node's packed word (low half) and threshold or leaf value (high half): one 64-bit gather fetches a node.</summary>
    public long[] Nodes { get; }

    /// <summary>Gets the refill queues of roots: per target, all its trees, then split in halves, then in quarters (by rank), each followed by <see cref="GroupLanes"/> zeros.</summary>
    public int[] Queue { get; }

    /// <summary>Gets, per target, <see cref="QueueOffsetsPerTarget"/> numbers: start and count of the full queue, of each half and of each quarter.</summary>
    public int[] QueueOffsets { get; }

    /// <summary>The offsets stored per target in <see cref="QueueOffsets"/>.</summary>
    public const int QueueOffsetsPerTarget = 14;

    public int[] Roots { get; }

    public int[] Depths { get; }

    public int[] TreeTargets { get; }

    public int[] GroupRoots { get; }

    public int[] GroupDepths { get; }

    public int[] GroupTargets { get; }

    public int GroupCount => GroupDepths.Length;

    public float[] BaseScores { get; }

    public float[] Scales { get; }

    public int MaxDepth { get; }

    public int TreeCount => Roots.Length;

    /// <summary>Validates a definition and compiles it; every structural problem is an <see cref="ArgumentException"/> naming the tree and node.</summary>
    public static TreeLayout Compile(TreeEnsembleDefinition definition)
    {
        var width = definition.Signature.InputWidth;
        var featureBits = Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)(width - 1)));
        if (featureBits > 24)
        {
            throw new ArgumentException($"A tree ensemble takes at most 2^24 features; this one takes {width}.");
        }

        var deltaMax = (int)((1u << (31 - featureBits)) - 1);
        var total = 1L;
        foreach (var tree in definition.Trees)
        {
            total += tree.Nodes.Count;
        }

        if (total > MaxNodes)
        {
            throw new ArgumentException($"The ensemble has {total} nodes; at most {MaxNodes} are supported.");
        }

        var packed = new int[total];
        var threshold = new float[total];
        // Node 0 is the shared leaf of value 0 (packed word 0: offset 0) that pads SIMD groups and ends refill queues.
        var trees = definition.Trees;
        var roots = new int[trees.Count];
        var depths = new int[trees.Count];
        var targets = new int[trees.Count];
        var smallestLeaf = new double[trees.Count];
        var largestLeaf = new double[trees.Count];
        var next = 1;
        var stack = new Stack<(int Node, int Parent, int Depth)>();
        for (var t = 0; t < trees.Count; t++)
        {
            var nodes = trees[t].Nodes;
            if (nodes.Count == 0)
            {
                throw new ArgumentException($"Tree {t} has no nodes.");
            }

            var seen = new bool[nodes.Count];
            var position = new int[nodes.Count];
            roots[t] = next;
            targets[t] = trees[t].Target;
            smallestLeaf[t] = double.PositiveInfinity; // every tree that compiles reaches at least one leaf
            largestLeaf[t] = double.NegativeInfinity;
            var maxDepth = 0;
            stack.Clear();
            stack.Push((0, -1, 0));
            while (stack.Count > 0)
            {
                var (n, parent, depth) = stack.Pop();
                if (seen[n])
                {
                    throw new ArgumentException($"Tree {t}: node {n} is reached twice (the nodes form a cycle or share a child).");
                }

                seen[n] = true;
                var pos = next++;
                position[n] = pos;
                if (parent >= 0)
                {
                    // n is the right child of the node at list index `parent`: store its offset.
                    var delta = pos - position[parent];
                    if (delta > deltaMax)
                    {
                        throw new ArgumentException($"Tree {t}: node {parent}'s right subtree starts {delta} nodes after it; with {width} features the compact layout allows {deltaMax}.");
                    }

                    packed[position[parent]] |= delta << featureBits;
                }

                var node = nodes[n];
                if (node.IsLeaf)
                {
                    var value = (float)node.Value;
                    if (!float.IsFinite(value))
                    {
                        throw new ArgumentException($"Tree {t}: leaf {n} has the value {node.Value}, which is not a finite float.");
                    }

                    threshold[pos] = value; // a leaf keeps its value where a split keeps its threshold; its offset 0 marks it
                    smallestLeaf[t] = Math.Min(smallestLeaf[t], value);
                    largestLeaf[t] = Math.Max(largestLeaf[t], value);
                    maxDepth = Math.Max(maxDepth, depth);
                    continue;
                }

                if ((uint)node.Feature >= (uint)width)
                {
                    throw new ArgumentException($"Tree {t}: node {n} splits on feature {node.Feature}, outside the model's {width} features.");
                }

                if ((uint)node.Left >= (uint)nodes.Count || (uint)node.Right >= (uint)nodes.Count || node.Left == n || node.Right == n || node.Left == node.Right)
                {
                    throw new ArgumentException($"Tree {t}: node {n} has children {node.Left} and {node.Right}; they must be two different nodes among the tree's {nodes.Count}, not the node itself.");
                }

                threshold[pos] = NormaliseThreshold(node.Threshold, definition.Comparison, t, n);
                packed[pos] = node.Feature | (node.MissingGoesLeft ? int.MinValue : 0);

                // Depth-first: the left subtree follows its parent directly, the right subtree after it.
                stack.Push((node.Right, n, depth + 1));
                stack.Push((node.Left, -1, depth + 1));
            }

            // Nodes never reached from the root are not stored: no walk can reach them.
            depths[t] = maxDepth;
        }

        Array.Resize(ref packed, next);
        Array.Resize(ref threshold, next);

        var targetCount = definition.TargetCount;
        var baseScores = definition.BaseScores.Select(b => (float)b).ToArray();
        foreach (var b in baseScores)
        {
            if (!float.IsFinite(b))
            {
                throw new ArgumentException($"A base score of {b} is not a finite float.");
            }
        }

        // The trees of each target, deepest first (ties in tree order): one counting pass, so the work is linear in
        // trees + targets however many targets a model declares.
        var starts = new int[targetCount + 1];
        foreach (var target in targets)
        {
            starts[target + 1]++;
        }

        for (var k = 0; k < targetCount; k++)
        {
            starts[k + 1] += starts[k];
        }

        var byTarget = new int[trees.Count];
        var fill = starts[..^1];
        for (var t = 0; t < trees.Count; t++)
        {
            byTarget[fill[targets[t]]++] = t;
        }

        var deepestFirst = Comparer<int>.Create((a, b) => depths[a] != depths[b] ? depths[b].CompareTo(depths[a]) : a.CompareTo(b));
        for (var k = 0; k < targetCount; k++)
        {
            Array.Sort(byTarget, starts[k], starts[k + 1] - starts[k], deepestFirst);
        }

        var scales = new float[targetCount];
        for (var k = 0; k < targetCount; k++)
        {
            var count = starts[k + 1] - starts[k];
            scales[k] = definition.Aggregation == TreeAggregation.Average && count > 0 ? 1f / count : 1f;
        }

        CheckMarginsStayFinite(smallestLeaf, largestLeaf, byTarget, starts, baseScores, scales);

        // Single-row groups: the trees of one target, deepest first, GroupLanes at a time, padded with the zero leaf.
        var groupRoots = new List<int>();
        var groupDepths = new List<int>();
        var groupTargets = new List<int>();
        for (var k = 0; k < targetCount; k++)
        {
            var ofTarget = byTarget.AsSpan(starts[k], starts[k + 1] - starts[k]);
            for (var start = 0; start < ofTarget.Length; start += GroupLanes)
            {
                var depth = 0;
                for (var lane = 0; lane < GroupLanes; lane++)
                {
                    var i = start + lane;
                    groupRoots.Add(i < ofTarget.Length ? roots[ofTarget[i]] : 0);
                    depth = Math.Max(depth, i < ofTarget.Length ? depths[ofTarget[i]] : 0);
                }

                groupDepths.Add(depth);
                groupTargets.Add(k);
            }
        }

        // Refill queues: per target, the roots deepest first (so long walks start early), whole and split in two halves.
        var queue = new List<int>();
        var offsets = new List<int>();
        for (var k = 0; k < targetCount; k++)
        {
            var ofTarget = byTarget[starts[k]..starts[k + 1]].Select(i => roots[i]).ToArray();
            var parts = new[] { ofTarget }
                .Concat(Enumerable.Range(0, 2).Select(h => ofTarget.Where((_, i) => i % 2 == h).ToArray()))
                .Concat(Enumerable.Range(0, 4).Select(q => ofTarget.Where((_, i) => i % 4 == q).ToArray()));
            foreach (var part in parts)
            {
                offsets.Add(queue.Count);
                offsets.Add(part.Length);
                queue.AddRange(part);
                queue.AddRange(new int[GroupLanes]);
            }
        }

        return new TreeLayout(width, targetCount, featureBits, packed, threshold, roots, depths, targets,
            [.. groupRoots], [.. groupDepths], [.. groupTargets], baseScores, scales, [.. queue], [.. offsets]);
    }

    /// <summary>
    /// Refuses an ensemble whose margins can overflow a float. Per target, a kernel's running sum over any subset of
    /// its trees, in any order, lies between the sum of the trees' negative smallest leaves and the sum of their positive
    /// largest leaves; the margin (base + scale · sum) between base + scale · Σ smallest and base + scale · Σ largest.
    /// Both ranges, widened by the rounding of that many float additions, must stay within ±<see cref="float.MaxValue"/>,
    /// so no input can make a score infinite.
    /// </summary>
    private static void CheckMarginsStayFinite(double[] smallestLeaf, double[] largestLeaf, int[] byTarget, int[] starts, float[] baseScores, float[] scales)
    {
        for (var k = 0; k < baseScores.Length; k++)
        {
            double below = 0, above = 0, low = 0, high = 0;
            for (var j = starts[k]; j < starts[k + 1]; j++)
            {
                var t = byTarget[j];
                below += Math.Min(0, smallestLeaf[t]);
                above += Math.Max(0, largestLeaf[t]);
                low += smallestLeaf[t];
                high += largestLeaf[t];
            }

            var count = starts[k + 1] - starts[k];
            var rounding = Math.Pow(1 + Math.ScaleB(1, -24), count + 2);
            var partial = Math.Max(-below, above) * rounding;
            var margin = Math.Max(Math.Abs(baseScores[k] + (scales[k] * low)), Math.Abs(baseScores[k] + (scales[k] * high))) * rounding;
            if (partial > float.MaxValue || margin > float.MaxValue)
            {
                throw new ArgumentException($"Target {k}'s score can overflow a float: over its {count} trees the leaves sum to between {low:G4} and {high:G4}, with base score {baseScores[k]:G4} (a float holds at most ±{float.MaxValue:G4}).");
            }
        }
    }

    private static float NormaliseThreshold(float threshold, SplitComparison comparison, int tree, int node)
    {
        if (float.IsNaN(threshold))
        {
            throw new ArgumentException($"Tree {tree}: node {node} has a NaN threshold.");
        }

        if (comparison == SplitComparison.LessOrEqual)
        {
            return threshold;
        }

        // x < t  <=>  x <= the largest float below t, for every float x (NaN is routed separately).
        if (float.IsNegativeInfinity(threshold))
        {
            throw new ArgumentException($"Tree {tree}: node {node} tests x < -infinity, which no value passes; such a split is not supported.");
        }

        return float.BitDecrement(threshold);
    }
}
