using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLSystemDesign.Inference.Trees;

/// <summary>The AVX2 walks: eight lanes per vector, node data by hardware gather, a fixed step count per group (one row) or tree (16 rows).</summary>
internal static unsafe class Avx2TreeWalks
{
    /// <summary>AVX2: a group's 16 trees as two vectors of 8 lanes; node data by gather, features by gather or permute.</summary>
    public static void RowAvx2(TreeLayout layout, float* x, float* sums, bool permute)
    {
        // Features of a row with at most 8 of them sit in one register; lanes past the width read 0 and are never used.
        var row = stackalloc float[8];
        for (var j = 0; j < 8; j++)
        {
            row[j] = j < layout.Width ? x[j] : 0f;
        }

        var xs = Vector256.Load(row);
        var fmask = Vector256.Create(layout.FeatureMask);
        var dmask = Vector256.Create(layout.DeltaMask);
        var one = Vector256<int>.One;
        var fbits = layout.FeatureBits;
        fixed (int* packed = layout.Packed, groupRoots = layout.GroupRoots)
        fixed (float* threshold = layout.Threshold)
        {
            for (var g = 0; g < layout.GroupCount; g++)
            {
                var a = Vector256.Load(groupRoots + (g * TreeLayout.GroupLanes));
                var b = Vector256.Load(groupRoots + (g * TreeLayout.GroupLanes) + 8);
                var depth = layout.GroupDepths[g];
                for (var s = 0; s < depth; s++)
                {
                    var pa = Avx2.GatherVector256(packed, a, 4);
                    var pb = Avx2.GatherVector256(packed, b, 4);
                    var ta = Avx2.GatherVector256(threshold, a, 4);
                    var tb = Avx2.GatherVector256(threshold, b, 4);
                    var fa = pa & fmask;
                    var fb = pb & fmask;
                    var va = permute ? Avx2.PermuteVar8x32(xs, fa) : Avx2.GatherVector256(x, fa, 4);
                    var vb = permute ? Avx2.PermuteVar8x32(xs, fb) : Avx2.GatherVector256(x, fb, 4);
                    var sa = TreeSteps.StepVector(va, ta, pa, fbits, dmask, one);
                    var sb = TreeSteps.StepVector(vb, tb, pb, fbits, dmask, one);
                    a += sa;
                    b += sb;
                    if ((sa | sb) == Vector256<int>.Zero)
                    {
                        break; // every lane is on its leaf
                    }
                }

                var leaves = Avx2.GatherVector256(threshold, a, 4) + Avx2.GatherVector256(threshold, b, 4);
                sums[layout.GroupTargets[g]] += Vector256.Sum(leaves);
            }
        }
    }

    /// <summary>AVX2: 16 rows as two vectors of 8 lanes, tree by tree; node data and features by gather.</summary>
    public static void BlockAvx2(TreeLayout layout, float* x, float* sums)
    {
        var w = layout.Width;
        var k = layout.Targets;

        // Lane j of vector a reads row j, of vector b row 8 + j: the row offsets added to each feature index.
        var offA = Vector256.Create(0, w, 2 * w, 3 * w, 4 * w, 5 * w, 6 * w, 7 * w);
        var offB = offA + Vector256.Create(8 * w);
        var fmask = Vector256.Create(layout.FeatureMask);
        var dmask = Vector256.Create(layout.DeltaMask);
        var one = Vector256<int>.One;
        var fbits = layout.FeatureBits;
        var accA = Vector256<float>.Zero;
        var accB = Vector256<float>.Zero;
        var multi = k > 1;
        // Block sends only models whose 16 rows of sums fit its stack block (at most 1,024 targets) here.
        var accSize = multi ? k * 16 : 1;
        var accSpan = accSize <= 16_384 ? stackalloc float[accSize] : throw new ArgumentOutOfRangeException(nameof(layout), k, "The AVX2 block kernel takes at most 1,024 targets.");
        accSpan.Clear();
        fixed (float* acc = accSpan)
        fixed (int* packed = layout.Packed)
        fixed (float* threshold = layout.Threshold)
        {
            for (var t = 0; t < layout.Roots.Length; t++)
            {
                var a = Vector256.Create(layout.Roots[t]);
                var b = a;
                var depth = layout.Depths[t];
                for (var s = 0; s < depth; s++)
                {
                    var pa = Avx2.GatherVector256(packed, a, 4);
                    var pb = Avx2.GatherVector256(packed, b, 4);
                    var ta = Avx2.GatherVector256(threshold, a, 4);
                    var tb = Avx2.GatherVector256(threshold, b, 4);
                    var va = Avx2.GatherVector256(x, offA + (pa & fmask), 4);
                    var vb = Avx2.GatherVector256(x, offB + (pb & fmask), 4);
                    var sa = TreeSteps.StepVector(va, ta, pa, fbits, dmask, one);
                    var sb = TreeSteps.StepVector(vb, tb, pb, fbits, dmask, one);
                    a += sa;
                    b += sb;
                    if ((sa | sb) == Vector256<int>.Zero)
                    {
                        break;
                    }
                }

                var la = Avx2.GatherVector256(threshold, a, 4);
                var lb = Avx2.GatherVector256(threshold, b, 4);
                if (multi)
                {
                    var slot = acc + (layout.TreeTargets[t] * 16);
                    (Vector256.Load(slot) + la).Store(slot);
                    (Vector256.Load(slot + 8) + lb).Store(slot + 8);
                }
                else
                {
                    accA += la;
                    accB += lb;
                }
            }
        }

        if (!multi)
        {
            for (var j = 0; j < 8; j++)
            {
                sums[j] += accA.GetElement(j);
                sums[8 + j] += accB.GetElement(j);
            }

            return;
        }

        for (var target = 0; target < k; target++)
        {
            for (var j = 0; j < 16; j++)
            {
                sums[(j * k) + target] += accSpan[(target * 16) + j];
            }
        }
    }
}
