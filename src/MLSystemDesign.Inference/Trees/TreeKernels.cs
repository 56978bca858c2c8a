using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLSystemDesign.Inference.Trees;

/// <summary>
/// The tree-walking kernels. Each adds the leaf values a row reaches to per-target sums; the caller turns sums into
/// margins. All kernels read the same <see cref="TreeLayout"/>, whose compiler has checked every feature index and child
/// offset, so the kernels read without bounds checks.
/// </summary>
/// <remarks>
/// One step of a walk, per lane: fetch the node's packed word and threshold, fetch the row's feature, and move to
/// <c>index + 1</c> (left) when <c>x &lt;= threshold</c> or when <c>x</c> is NaN and the node's sign bit says missing
/// goes left; otherwise move <c>delta</c> nodes on (right). At a leaf the threshold is NaN (no comparison holds) and
/// delta is 0, so further steps leave the lane where it is: a fixed step count equal to the depth is enough, and the
/// kernels stop early once a whole vector of lanes has stopped moving.
/// </remarks>
internal static unsafe class TreeKernels
{
    /// <summary>Rows per batch block: the accumulators of one block live on the stack.</summary>
    public const int BlockRows = 64;

    public static bool IsSupported(TreeKernel kernel) => kernel switch
    {
        TreeKernel.Scalar or TreeKernel.Interleaved or TreeKernel.Auto => true,
        TreeKernel.Avx2Gather or TreeKernel.Avx2Permute => Avx2.IsSupported,
        TreeKernel.Avx512 => Avx512F.IsSupported && Avx2.IsSupported,
        _ => false,
    };

    /// <summary>Resolves <see cref="TreeKernel.Auto"/> for one row: the choice measured fastest (docs/benchmarks.md).</summary>
    public static TreeKernel ResolveRow(TreeKernel requested, TreeLayout layout)
    {
        if (requested != TreeKernel.Auto)
        {
            return IsSupported(requested) && (requested != TreeKernel.Avx2Permute || layout.Width <= 8) ? requested : TreeKernel.Scalar;
        }

        if (Avx512F.IsSupported && Avx2.IsSupported && layout.Width <= 32)
        {
            return TreeKernel.Avx512;
        }

        if (Avx2.IsSupported)
        {
            return layout.Width <= 8 ? TreeKernel.Avx2Permute : TreeKernel.Avx2Gather;
        }

        return TreeKernel.Interleaved;
    }

    /// <summary>Resolves <see cref="TreeKernel.Auto"/> for batches: rows in lanes need gathers for features, so AVX2 gathers.</summary>
    public static TreeKernel ResolveBatch(TreeKernel requested)
    {
        if (requested is TreeKernel.Scalar or TreeKernel.Interleaved)
        {
            return requested;
        }

        return Avx2.IsSupported ? TreeKernel.Avx2Gather : TreeKernel.Interleaved;
    }

    // ---------------------------------------------------------------- single row

    /// <summary>Adds, for one row, every tree's leaf to <paramref name="sums"/>[target].</summary>
    public static void Row(TreeKernel kernel, TreeLayout layout, float* x, float* sums)
    {
        switch (kernel)
        {
            case TreeKernel.Avx512:
                RowAvx512(layout, x, sums);
                break;
            case TreeKernel.Avx2Gather:
                RowAvx2(layout, x, sums, permute: false);
                break;
            case TreeKernel.Avx2Permute:
                RowAvx2(layout, x, sums, permute: true);
                break;
            case TreeKernel.Interleaved:
                RowInterleaved(layout, x, sums);
                break;
            default:
                RowScalar(layout, x, sums);
                break;
        }
    }

    /// <summary>The reference: one tree at a time, looping until the leaf.</summary>
    public static void RowScalar(TreeLayout layout, float* x, float* sums)
    {
        fixed (int* packed = layout.Packed)
        fixed (float* threshold = layout.Threshold, leaf = layout.Leaf)
        {
            var roots = layout.Roots;
            var targets = layout.TreeTargets;
            int fbits = layout.FeatureBits, fmask = layout.FeatureMask, dmask = layout.DeltaMask;
            for (var t = 0; t < roots.Length; t++)
            {
                var i = roots[t];
                float thr;
                while (!float.IsNaN(thr = threshold[i]))
                {
                    var p = packed[i];
                    i = Step(i, x[p & fmask], p, thr, fbits, dmask);
                }

                sums[targets[t]] += leaf[i];
            }
        }
    }

    /// <summary>Four trees of a group at a time in scalar registers: a fixed number of branch-free steps per tree.</summary>
    public static void RowInterleaved(TreeLayout layout, float* x, float* sums)
    {
        fixed (int* packed = layout.Packed, groupRoots = layout.GroupRoots)
        fixed (float* threshold = layout.Threshold, leaf = layout.Leaf)
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
                        i0 = Step(i0, x[p0 & fmask], p0, threshold[i0], fbits, dmask);
                        i1 = Step(i1, x[p1 & fmask], p1, threshold[i1], fbits, dmask);
                        i2 = Step(i2, x[p2 & fmask], p2, threshold[i2], fbits, dmask);
                        i3 = Step(i3, x[p3 & fmask], p3, threshold[i3], fbits, dmask);
                    }

                    sum += leaf[i0] + leaf[i1] + leaf[i2] + leaf[i3];
                }

                sums[layout.GroupTargets[g]] += sum;
            }
        }
    }

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
        fixed (float* threshold = layout.Threshold, leaf = layout.Leaf)
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
                    var sa = StepVector(va, ta, pa, fbits, dmask, one);
                    var sb = StepVector(vb, tb, pb, fbits, dmask, one);
                    a += sa;
                    b += sb;
                    if ((sa | sb) == Vector256<int>.Zero)
                    {
                        break; // every lane is on its leaf
                    }
                }

                var leaves = Avx2.GatherVector256(leaf, a, 4) + Avx2.GatherVector256(leaf, b, 4);
                sums[layout.GroupTargets[g]] += Vector256.Sum(leaves);
            }
        }
    }

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
        fixed (float* threshold = layout.Threshold, leaf = layout.Leaf)
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
                    var step = StepVector(v, t, p, fbits, dmask, one);
                    a += step;
                    if (step == Vector512<int>.Zero)
                    {
                        break;
                    }
                }

                var leaves = Vector512.Create(Avx2.GatherVector256(leaf, a.GetLower(), 4), Avx2.GatherVector256(leaf, a.GetUpper(), 4));
                sums[layout.GroupTargets[g]] += Vector512.Sum(leaves);
            }
        }
    }

    // ---------------------------------------------------------------- batch

    /// <summary>Adds, for <paramref name="rows"/> rows (at most <see cref="BlockRows"/>), every tree's leaf to <c>sums[row * targets + target]</c>.</summary>
    public static void Block(TreeKernel kernel, TreeLayout layout, float* x, int rows, float* sums)
    {
        var done = 0;
        if (kernel == TreeKernel.Avx2Gather)
        {
            done = rows - (rows % 16);
            for (var r = 0; r < done; r += 16)
            {
                BlockAvx2(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
            }
        }
        else if (kernel == TreeKernel.Interleaved)
        {
            done = rows - (rows % 4);
            for (var r = 0; r < done; r += 4)
            {
                BlockInterleaved(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
            }
        }

        for (var r = done; r < rows; r++)
        {
            RowScalar(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
        }
    }

    /// <summary>Four rows at a time, tree by tree, in scalar registers.</summary>
    public static void BlockInterleaved(TreeLayout layout, float* x, float* sums)
    {
        fixed (int* packed = layout.Packed)
        fixed (float* threshold = layout.Threshold, leaf = layout.Leaf)
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
                    i0 = Step(i0, x0[p0 & fmask], p0, threshold[i0], fbits, dmask);
                    i1 = Step(i1, x1[p1 & fmask], p1, threshold[i1], fbits, dmask);
                    i2 = Step(i2, x2[p2 & fmask], p2, threshold[i2], fbits, dmask);
                    i3 = Step(i3, x3[p3 & fmask], p3, threshold[i3], fbits, dmask);
                }

                var target = layout.TreeTargets[t];
                sums[target] += leaf[i0];
                sums[k + target] += leaf[i1];
                sums[(2 * k) + target] += leaf[i2];
                sums[(3 * k) + target] += leaf[i3];
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
        var acc = stackalloc float[multi ? k * 16 : 1];
        if (multi)
        {
            new Span<float>(acc, k * 16).Clear();
        }

        fixed (int* packed = layout.Packed)
        fixed (float* threshold = layout.Threshold, leaf = layout.Leaf)
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
                    var sa = StepVector(va, ta, pa, fbits, dmask, one);
                    var sb = StepVector(vb, tb, pb, fbits, dmask, one);
                    a += sa;
                    b += sb;
                    if ((sa | sb) == Vector256<int>.Zero)
                    {
                        break;
                    }
                }

                var la = Avx2.GatherVector256(leaf, a, 4);
                var lb = Avx2.GatherVector256(leaf, b, 4);
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
                sums[(j * k) + target] += acc[(target * 16) + j];
            }
        }
    }

    // ---------------------------------------------------------------- one step

    /// <summary>One branch-free step of one walk: the next node index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(int index, float value, int packed, float threshold, int featureBits, int deltaMask)
    {
        // Left when x <= t (false for NaN on either side), or when x is NaN and the sign bit says missing goes left.
        var left = value <= threshold | (float.IsNaN(value) & packed < 0);
        return index + (left ? 1 : (packed >> featureBits) & deltaMask);
    }

    /// <summary>The step of 8 lanes: 1 where the lane goes left, its right offset where it goes right (0 on a leaf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> StepVector(Vector256<float> value, Vector256<float> threshold, Vector256<int> packed, int featureBits, Vector256<int> deltaMask, Vector256<int> one)
    {
        var lessOrEqual = Vector256.LessThanOrEqual(value, threshold).AsInt32();          // all-ones lanes: x <= t (NaN: no)
        var missing = ~Vector256.Equals(value, value).AsInt32();                          // all-ones lanes: x is NaN
        var missingLeft = Vector256.ShiftRightArithmetic(packed, 31);                     // all-ones lanes: sign bit set
        var left = lessOrEqual | (missing & missingLeft);
        var delta = Vector256.ShiftRightArithmetic(packed, featureBits) & deltaMask;
        return Vector256.ConditionalSelect(left, one, delta);
    }

    /// <summary>The step of 16 lanes; see the 8-lane overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> StepVector(Vector512<float> value, Vector512<float> threshold, Vector512<int> packed, int featureBits, Vector512<int> deltaMask, Vector512<int> one)
    {
        var lessOrEqual = Vector512.LessThanOrEqual(value, threshold).AsInt32();
        var missing = ~Vector512.Equals(value, value).AsInt32();
        var missingLeft = Vector512.ShiftRightArithmetic(packed, 31);
        var left = lessOrEqual | (missing & missingLeft);
        var delta = Vector512.ShiftRightArithmetic(packed, featureBits) & deltaMask;
        return Vector512.ConditionalSelect(left, one, delta);
    }
}
