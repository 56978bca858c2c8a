using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLSystemDesign.Inference.Trees;

/// <summary>
/// The 128-bit walks (NEON on Arm64, SSE on x64 without AVX2): four lanes per vector with no hardware gather, so each
/// step loads a lane's node and feature with scalar loads and decides all four lanes' moves in one vector step. One row
/// walks a group's 16 trees as four vectors (four independent chains of loads in flight); a batch walks four rows in
/// the lanes of one vector, tree by tree.
/// </summary>
internal static unsafe class Vector128TreeWalks
{
    /// <summary>One row: a group's 16 trees as four 4-lane vectors, a fixed step count per group with early exit.</summary>
    public static void RowVector128(TreeLayout layout, float* x, float* sums)
    {
        var dmask = Vector128.Create(layout.DeltaMask);
        int fbits = layout.FeatureBits, fmask = layout.FeatureMask;
        fixed (int* packed = layout.Packed, groupRoots = layout.GroupRoots)
        fixed (float* threshold = layout.Threshold)
        {
            for (var g = 0; g < layout.GroupCount; g++)
            {
                var r = groupRoots + (g * TreeLayout.GroupLanes);
                var a = Vector128.Load(r);
                var b = Vector128.Load(r + 4);
                var c = Vector128.Load(r + 8);
                var d = Vector128.Load(r + 12);
                var depth = layout.GroupDepths[g];
                for (var s = 0; s < depth; s++)
                {
                    var sa = Step(packed, threshold, x, x, x, x, a, fmask, fbits, dmask);
                    var sb = Step(packed, threshold, x, x, x, x, b, fmask, fbits, dmask);
                    var sc = Step(packed, threshold, x, x, x, x, c, fmask, fbits, dmask);
                    var sd = Step(packed, threshold, x, x, x, x, d, fmask, fbits, dmask);
                    a += sa;
                    b += sb;
                    c += sc;
                    d += sd;
                    if ((sa | sb | sc | sd) == Vector128<int>.Zero)
                    {
                        break; // every lane is on its leaf
                    }
                }

                var leaves = (Leaves(threshold, a) + Leaves(threshold, b)) + (Leaves(threshold, c) + Leaves(threshold, d));
                sums[layout.GroupTargets[g]] += Vector128.Sum(leaves);
            }
        }
    }

    /// <summary>Four rows in the four lanes of one vector, tree by tree (a fixed step count per tree with early exit).</summary>
    public static void BlockVector128(TreeLayout layout, float* x, float* sums)
    {
        var dmask = Vector128.Create(layout.DeltaMask);
        int fbits = layout.FeatureBits, fmask = layout.FeatureMask;
        int w = layout.Width, k = layout.Targets;
        float* x0 = x, x1 = x + w, x2 = x + (2 * w), x3 = x + (3 * w);
        fixed (int* packed = layout.Packed)
        fixed (float* threshold = layout.Threshold)
        {
            for (var t = 0; t < layout.Roots.Length; t++)
            {
                var a = Vector128.Create(layout.Roots[t]);
                var depth = layout.Depths[t];
                for (var s = 0; s < depth; s++)
                {
                    var step = Step(packed, threshold, x0, x1, x2, x3, a, fmask, fbits, dmask);
                    a += step;
                    if (step == Vector128<int>.Zero)
                    {
                        break;
                    }
                }

                var target = layout.TreeTargets[t];
                sums[target] += threshold[a.GetElement(0)];
                sums[k + target] += threshold[a.GetElement(1)];
                sums[(2 * k) + target] += threshold[a.GetElement(2)];
                sums[(3 * k) + target] += threshold[a.GetElement(3)];
            }
        }
    }

    /// <summary>One step of four lanes; lane j reads its feature from row <c>xj</c> (the same row four times for one row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Step(int* packed, float* threshold, float* x0, float* x1, float* x2, float* x3, Vector128<int> index, int fmask, int fbits, Vector128<int> dmask)
    {
        int i0 = index.GetElement(0), i1 = index.GetElement(1), i2 = index.GetElement(2), i3 = index.GetElement(3);
        int p0 = packed[i0], p1 = packed[i1], p2 = packed[i2], p3 = packed[i3];
        var p = Vector128.Create(p0, p1, p2, p3);
        var t = Vector128.Create(threshold[i0], threshold[i1], threshold[i2], threshold[i3]);
        var v = Vector128.Create(x0[p0 & fmask], x1[p1 & fmask], x2[p2 & fmask], x3[p3 & fmask]);
        return TreeSteps.StepVector(v, t, p, fbits, dmask, Vector128<int>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Leaves(float* threshold, Vector128<int> index) =>
        Vector128.Create(threshold[index.GetElement(0)], threshold[index.GetElement(1)], threshold[index.GetElement(2)], threshold[index.GetElement(3)]);
}
