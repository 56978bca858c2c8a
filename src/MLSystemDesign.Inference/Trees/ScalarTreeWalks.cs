namespace MLSystemDesign.Inference.Trees;

/// <summary>The walks in scalar registers: the reference (one tree at a time) and the interleaved walks (four trees, or four rows, together, branch-free).</summary>
internal static unsafe class ScalarTreeWalks
{
    /// <summary>The reference: one tree at a time, looping until the leaf.</summary>
    public static void RowScalar(TreeLayout layout, float* x, float* sums)
    {
        fixed (int* packed = layout.Packed)
        fixed (float* threshold = layout.Threshold)
        {
            var roots = layout.Roots;
            var targets = layout.TreeTargets;
            int fbits = layout.FeatureBits, fmask = layout.FeatureMask, dmask = layout.DeltaMask;
            for (var t = 0; t < roots.Length; t++)
            {
                var i = roots[t];
                int p;
                while (((p = packed[i]) >> fbits & dmask) != 0)
                {
                    i = TreeSteps.Step(i, x[p & fmask], p, threshold[i], fbits, dmask);
                }

                sums[targets[t]] += threshold[i];
            }
        }
    }

    /// <summary>Four trees of a group at a time in scalar registers: a fixed number of branch-free steps per tree.</summary>
    public static void RowInterleaved(TreeLayout layout, float* x, float* sums)
    {
        fixed (int* packed = layout.Packed, groupRoots = layout.GroupRoots)
        fixed (float* threshold = layout.Threshold)
        {
            int fbits = layout.FeatureBits, fmask = layout.FeatureMask, dmask = layout.DeltaMask;
            for (var g = 0; g < layout.GroupCount; g++)
            {
                var depth = layout.GroupDepths[g];
                var sum = 0f;
                for (var q = 0; q < TreeLayout.GroupLanes; q += 4)
                {
                    var r = groupRoots + (g * TreeLayout.GroupLanes) + q;
                    int i0 = r[0], i1 = r[1], i2 = r[2], i3 = r[3];
                    for (var s = 0; s < depth; s++)
                    {
                        int p0 = packed[i0], p1 = packed[i1], p2 = packed[i2], p3 = packed[i3];
                        i0 = TreeSteps.Step(i0, x[p0 & fmask], p0, threshold[i0], fbits, dmask);
                        i1 = TreeSteps.Step(i1, x[p1 & fmask], p1, threshold[i1], fbits, dmask);
                        i2 = TreeSteps.Step(i2, x[p2 & fmask], p2, threshold[i2], fbits, dmask);
                        i3 = TreeSteps.Step(i3, x[p3 & fmask], p3, threshold[i3], fbits, dmask);
                    }

                    sum += threshold[i0] + threshold[i1] + threshold[i2] + threshold[i3];
                }

                sums[layout.GroupTargets[g]] += sum;
            }
        }
    }

    /// <summary>Four rows at a time, tree by tree, in scalar registers.</summary>
    public static void BlockInterleaved(TreeLayout layout, float* x, float* sums)
    {
        fixed (int* packed = layout.Packed)
        fixed (float* threshold = layout.Threshold)
        {
            int fbits = layout.FeatureBits, fmask = layout.FeatureMask, dmask = layout.DeltaMask;
            int w = layout.Width, k = layout.Targets;
            float* x0 = x, x1 = x + w, x2 = x + (2 * w), x3 = x + (3 * w);
            for (var t = 0; t < layout.Roots.Length; t++)
            {
                int i0 = layout.Roots[t], i1 = i0, i2 = i0, i3 = i0;
                var depth = layout.Depths[t];
                for (var s = 0; s < depth; s++)
                {
                    int p0 = packed[i0], p1 = packed[i1], p2 = packed[i2], p3 = packed[i3];
                    i0 = TreeSteps.Step(i0, x0[p0 & fmask], p0, threshold[i0], fbits, dmask);
                    i1 = TreeSteps.Step(i1, x1[p1 & fmask], p1, threshold[i1], fbits, dmask);
                    i2 = TreeSteps.Step(i2, x2[p2 & fmask], p2, threshold[i2], fbits, dmask);
                    i3 = TreeSteps.Step(i3, x3[p3 & fmask], p3, threshold[i3], fbits, dmask);
                }

                var target = layout.TreeTargets[t];
                sums[target] += threshold[i0];
                sums[k + target] += threshold[i1];
                sums[(2 * k) + target] += threshold[i2];
                sums[(3 * k) + target] += threshold[i3];
            }
        }
    }
}
