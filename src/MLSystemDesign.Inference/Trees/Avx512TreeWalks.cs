using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLSystemDesign.Inference.Trees;

/// <summary>The plain AVX-512 walk: a group's 16 trees in one 16-lane vector with a fixed step count.</summary>
internal static unsafe class Avx512TreeWalks
{
    /// <summary>AVX-512: a group's 16 trees in one vector; features by permute from one or two registers (by gather past 32 features), node data by paired AVX2 gathers (.NET exposes no 512-bit gather).</summary>
    public static void RowAvx512(TreeLayout layout, float* x, float* sums)
    {
        var row = stackalloc float[32];
        for (var j = 0; j < 32; j++)
        {
            row[j] = j < layout.Width ? x[j] : 0f;
        }

        var x0 = Vector512.Load(row);
        var x1 = Vector512.Load(row + 16);
        var wide = layout.Width > 16;
        var gather = layout.Width > 32;
        var fmask = Vector512.Create(layout.FeatureMask);
        var dmask = Vector512.Create(layout.DeltaMask);
        var one = Vector512<int>.One;
        var fbits = layout.FeatureBits;
        fixed (int* packed = layout.Packed, groupRoots = layout.GroupRoots)
        fixed (float* threshold = layout.Threshold)
        {
            for (var g = 0; g < layout.GroupCount; g++)
            {
                var a = Vector512.Load(groupRoots + (g * TreeLayout.GroupLanes));
                var depth = layout.GroupDepths[g];
                for (var s = 0; s < depth; s++)
                {
                    var lo = a.GetLower();
                    var hi = a.GetUpper();
                    var p = Vector512.Create(Avx2.GatherVector256(packed, lo, 4), Avx2.GatherVector256(packed, hi, 4));
                    var t = Vector512.Create(Avx2.GatherVector256(threshold, lo, 4), Avx2.GatherVector256(threshold, hi, 4));
                    var f = p & fmask;
                    var v = gather ? Vector512.Create(Avx2.GatherVector256(x, f.GetLower(), 4), Avx2.GatherVector256(x, f.GetUpper(), 4))
                        : wide ? Avx512F.PermuteVar16x32x2(x0, f, x1)
                        : Avx512F.PermuteVar16x32(x0, f);
                    var step = TreeSteps.StepVector(v, t, p, fbits, dmask, one);
                    a += step;
                    if (step == Vector512<int>.Zero)
                    {
                        break;
                    }
                }

                var leaves = Vector512.Create(Avx2.GatherVector256(threshold, a.GetLower(), 4), Avx2.GatherVector256(threshold, a.GetUpper(), 4));
                sums[layout.GroupTargets[g]] += Vector512.Sum(leaves);
            }
        }
    }
}
