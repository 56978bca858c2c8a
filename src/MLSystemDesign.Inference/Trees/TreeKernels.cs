using System.Numerics;
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
/// goes left; otherwise move <c>delta</c> nodes on (right). A leaf has delta 0 and is never left, so further steps leave
/// the lane where it is and its value (kept in the threshold slot) is read at the end: a fixed step count equal to the
/// depth is enough, and the kernels stop early once a whole vector of lanes has stopped moving. The refill kernel
/// instead gives a lane the next tree's root as soon as it reaches a leaf, so no lane idles until the queue is empty.
/// </remarks>
internal static unsafe class TreeKernels
{
    /// <summary>Rows per batch block: the accumulators of one block live on the stack.</summary>
    public const int BlockRows = 64;

    public static bool IsSupported(TreeKernel kernel) => kernel switch
    {
        TreeKernel.Scalar or TreeKernel.Interleaved or TreeKernel.Auto => true,
        TreeKernel.Avx2Gather or TreeKernel.Avx2Permute => Avx2.IsSupported,
        TreeKernel.Avx512 or TreeKernel.Avx512Refill or TreeKernel.Avx512Refill2 => Avx512F.IsSupported && Avx2.IsSupported,
        TreeKernel.Avx512Refill8 => Avx512F.VL.IsSupported && Avx2.IsSupported,
        _ => false,
    };

    /// <summary>Resolves <see cref="TreeKernel.Auto"/> for one row: the choice measured fastest (docs/benchmarks.md): 8-lane refill walks on AVX-512VL, 16-lane ones on AVX-512F, else AVX2 (features by permute up to 8), else scalar.</summary>
    public static TreeKernel ResolveRow(TreeKernel requested, TreeLayout layout)
    {
        if (requested != TreeKernel.Auto)
        {
            return IsSupported(requested) && (requested != TreeKernel.Avx2Permute || layout.Width <= 8) ? requested : TreeKernel.Scalar;
        }

        if (Avx512F.VL.IsSupported && Avx2.IsSupported)
        {
            return TreeKernel.Avx512Refill8;
        }

        if (Avx512F.IsSupported && Avx2.IsSupported)
        {
            return TreeKernel.Avx512Refill;
        }

        if (Avx2.IsSupported)
        {
            return layout.Width <= 8 ? TreeKernel.Avx2Permute : TreeKernel.Avx2Gather;
        }

        return TreeKernel.Scalar; // measured faster than the interleaved walk, whose fixed step count wastes steps
    }

    /// <summary>Resolves <see cref="TreeKernel.Auto"/> for batches: four rows at a time with lane refill on AVX-512, else rows in AVX2 lanes (measured: docs/benchmarks.md).</summary>
    public static TreeKernel ResolveBatch(TreeKernel requested)
    {
        if (requested is TreeKernel.Scalar or TreeKernel.Interleaved)
        {
            return requested;
        }

        if (requested is TreeKernel.Auto or TreeKernel.Avx512Refill8 && Avx512F.VL.IsSupported && Avx2.IsSupported)
        {
            return TreeKernel.Avx512Refill8;
        }

        if (requested is TreeKernel.Auto or TreeKernel.Avx512Refill or TreeKernel.Avx512Refill2 && Avx512F.IsSupported && Avx2.IsSupported)
        {
            return requested == TreeKernel.Avx512Refill2 ? requested : TreeKernel.Avx512Refill;
        }

        return Avx2.IsSupported ? TreeKernel.Avx2Gather : TreeKernel.Scalar;
    }

    // ---------------------------------------------------------------- single row

    /// <summary>Adds, for one row, every tree's leaf to <paramref name="sums"/>[target].</summary>
    public static void Row(TreeKernel kernel, TreeLayout layout, float* x, float* sums)
    {
        switch (kernel)
        {
            case TreeKernel.Avx512Refill:
                RowRefill(layout, x, sums, four: true);
                break;
            case TreeKernel.Avx512Refill2:
                RowRefill(layout, x, sums, four: false);
                break;
            case TreeKernel.Avx512Refill8:
                RowRefill8(layout, x, sums);
                break;
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
                    i = Step(i, x[p & fmask], p, threshold[i], fbits, dmask);
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
                        i0 = Step(i0, x[p0 & fmask], p0, threshold[i0], fbits, dmask);
                        i1 = Step(i1, x[p1 & fmask], p1, threshold[i1], fbits, dmask);
                        i2 = Step(i2, x[p2 & fmask], p2, threshold[i2], fbits, dmask);
                        i3 = Step(i3, x[p3 & fmask], p3, threshold[i3], fbits, dmask);
                    }

                    sum += threshold[i0] + threshold[i1] + threshold[i2] + threshold[i3];
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
                    var sa = StepVector(va, ta, pa, fbits, dmask, one);
                    var sb = StepVector(vb, tb, pb, fbits, dmask, one);
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
                    var step = StepVector(v, t, p, fbits, dmask, one);
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

    // ---------------------------------------------------------------- batch

    /// <summary>Adds, for <paramref name="rows"/> rows (at most <see cref="BlockRows"/>), every tree's leaf to <c>sums[row * targets + target]</c>.</summary>
    public static void Block(TreeKernel kernel, TreeLayout layout, float* x, int rows, float* sums)
    {
        var done = 0;
        if (kernel == TreeKernel.Avx512Refill8)
        {
            done = rows - (rows % 4);
            for (var r = 0; r < done; r += 4)
            {
                BlockRefill8(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
            }

            for (; done < rows; done++)
            {
                RowRefill8(layout, x + ((long)done * layout.Width), sums + ((long)done * layout.Targets));
            }
        }
        else if (kernel is TreeKernel.Avx512Refill or TreeKernel.Avx512Refill2)
        {
            done = kernel == TreeKernel.Avx512Refill ? rows - (rows % 4) : 0;
            for (var r = 0; r < done; r += 4)
            {
                BlockRefill4(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
            }

            for (; done + 2 <= rows; done += 2)
            {
                BlockRefill(layout, x + ((long)done * layout.Width), sums + ((long)done * layout.Targets));
            }

            if (done < rows)
            {
                RowRefill(layout, x + ((long)done * layout.Width), sums + ((long)done * layout.Targets), kernel == TreeKernel.Avx512Refill);
                done = rows;
            }
        }
        else if (kernel == TreeKernel.Avx2Gather)
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
                    i0 = Step(i0, x0[p0 & fmask], p0, threshold[i0], fbits, dmask);
                    i1 = Step(i1, x1[p1 & fmask], p1, threshold[i1], fbits, dmask);
                    i2 = Step(i2, x2[p2 & fmask], p2, threshold[i2], fbits, dmask);
                    i3 = Step(i3, x3[p3 & fmask], p3, threshold[i3], fbits, dmask);
                }

                var target = layout.TreeTargets[t];
                sums[target] += threshold[i0];
                sums[k + target] += threshold[i1];
                sums[(2 * k) + target] += threshold[i2];
                sums[(3 * k) + target] += threshold[i3];
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
                    var sa = StepVector(va, ta, pa, fbits, dmask, one);
                    var sb = StepVector(vb, tb, pb, fbits, dmask, one);
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

    // ---------------------------------------------------------------- lane refill (AVX-512)

    /// <summary>One row: each target's trees split in two queues walked as two independent 16-lane vectors.</summary>
    public static void RowRefill(TreeLayout layout, float* x, float* sums, bool four)
    {
        var row = stackalloc float[32];
        for (var j = 0; j < 32; j++)
        {
            row[j] = j < layout.Width ? x[j] : 0f;
        }

        var x0 = Vector512.Load(row);
        var x1 = Vector512.Load(row + 16);
        fixed (long* nodes = layout.Nodes)
        fixed (int* queue = layout.Queue, offsets = layout.QueueOffsets)
        {
            for (var k = 0; k < layout.Targets; k++)
            {
                var o = offsets + (k * TreeLayout.QueueOffsetsPerTarget);
                if (four && o[1] >= 64)
                {
                    // Enough trees to keep four walks busy: more independent gathers in flight.
                    Walk4(layout, nodes, queue + o[6], o[7], queue + o[8], o[9], queue + o[10], o[11], queue + o[12], o[13], x0, x1, x, x0, x1, x, x0, x1, x, x0, x1, x, out var a, out var b, out var c, out var d);
                    sums[k] += (a + b) + (c + d);
                }
                else
                {
                    Walk2(layout, nodes, queue + o[2], o[3], queue + o[4], o[5], x0, x1, x, x0, x1, x, out var a, out var b);
                    sums[k] += a + b;
                }
            }
        }
    }

    /// <summary>Two rows: each walks all of a target's trees in its own 16-lane vector.</summary>
    public static void BlockRefill(TreeLayout layout, float* x, float* sums)
    {
        var w = layout.Width;
        var rows = stackalloc float[64];
        for (var j = 0; j < 32; j++)
        {
            rows[j] = j < w ? x[j] : 0f;
            rows[32 + j] = j < w ? x[w + j] : 0f;
        }

        var a0 = Vector512.Load(rows);
        var a1 = Vector512.Load(rows + 16);
        var b0 = Vector512.Load(rows + 32);
        var b1 = Vector512.Load(rows + 48);
        var k = layout.Targets;
        fixed (long* nodes = layout.Nodes)
        fixed (int* queue = layout.Queue, offsets = layout.QueueOffsets)
        {
            for (var t = 0; t < k; t++)
            {
                var o = offsets + (t * TreeLayout.QueueOffsetsPerTarget);
                Walk2(layout, nodes, queue + o[0], o[1], queue + o[0], o[1], a0, a1, x, b0, b1, x + w, out var first, out var second);
                sums[t] += first;
                sums[k + t] += second;
            }
        }
    }

    /// <summary>
    /// Two independent walks (A and B) of 16 lanes each. Every step a lane fetches its node with one 64-bit gather
    /// (packed word and threshold together), its feature by permute from the row held in registers (by gather past 32
    /// features), and moves left, right or, at a leaf, adds the leaf's value and takes the next root from its queue
    /// (an expand-load fills exactly the lanes that finished). Queues end with 16 zeros: node 0 is a zero leaf, so an
    /// exhausted lane idles at 0 and the walk ends when every lane is there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Walk2(TreeLayout layout, long* nodes, int* qa, int na, int* qb, int nb,
        Vector512<float> xa0, Vector512<float> xa1, float* xa, Vector512<float> xb0, Vector512<float> xb1, float* xb, out float sumA, out float sumB)
    {
        var fmask = Vector512.Create(layout.FeatureMask);
        var dmask = Vector512.Create(layout.DeltaMask);
        var one = Vector512<int>.One;
        var fbits = layout.FeatureBits;
        var mode = layout.Width <= 16 ? 0 : layout.Width <= 32 ? 1 : 2;
        var a = Vector512.Load(qa);
        var b = Vector512.Load(qb);
        int pa = Math.Min(16, na), pb = Math.Min(16, nb);
        var accA = Vector512<float>.Zero;
        var accB = Vector512<float>.Zero;
        while (true)
        {
            Fetch(nodes, a, out var packA, out var thrA);
            Fetch(nodes, b, out var packB, out var thrB);
            var vA = Feature(packA & fmask, mode, xa0, xa1, xa);
            var vB = Feature(packB & fmask, mode, xb0, xb1, xb);
            var dA = Vector512.ShiftRightArithmetic(packA, fbits) & dmask;
            var dB = Vector512.ShiftRightArithmetic(packB, fbits) & dmask;
            var leafA = Vector512.Equals(dA, Vector512<int>.Zero);
            var leafB = Vector512.Equals(dB, Vector512<int>.Zero);
            var leftA = (Vector512.LessThanOrEqual(vA, thrA).AsInt32() | (~Vector512.Equals(vA, vA).AsInt32() & Vector512.ShiftRightArithmetic(packA, 31))) & ~leafA;
            var leftB = (Vector512.LessThanOrEqual(vB, thrB).AsInt32() | (~Vector512.Equals(vB, vB).AsInt32() & Vector512.ShiftRightArithmetic(packB, 31))) & ~leafB;
            a += Vector512.ConditionalSelect(leftA, one, dA);
            b += Vector512.ConditionalSelect(leftB, one, dB);
            accA += (thrA.AsInt32() & leafA).AsSingle(); // a leaf's value sits in its threshold slot
            accB += (thrB.AsInt32() & leafB).AsSingle();
            a = Avx512F.ExpandLoad(qa + pa, leafA, a);
            b = Avx512F.ExpandLoad(qb + pb, leafB, b);
            pa = Math.Min(pa + BitOperations.PopCount(leafA.ExtractMostSignificantBits()), na);
            pb = Math.Min(pb + BitOperations.PopCount(leafB.ExtractMostSignificantBits()), nb);

            if (pa == na && pb == nb && (a | b) == Vector512<int>.Zero)
            {
                break;
            }
        }

        sumA = Vector512.Sum(accA);
        sumB = Vector512.Sum(accB);
    }

    /// <summary>Four rows: each walks all of a target's trees in its own 16-lane vector.</summary>
    public static void BlockRefill4(TreeLayout layout, float* x, float* sums)
    {
        var w = layout.Width;
        var rows = stackalloc float[128];
        for (var r = 0; r < 4; r++)
        {
            for (var j = 0; j < 32; j++)
            {
                rows[(r * 32) + j] = j < w ? x[(r * w) + j] : 0f;
            }
        }

        var k = layout.Targets;
        fixed (long* nodes = layout.Nodes)
        fixed (int* queue = layout.Queue, offsets = layout.QueueOffsets)
        {
            for (var t = 0; t < k; t++)
            {
                var o = offsets + (t * TreeLayout.QueueOffsetsPerTarget);
                Walk4(layout, nodes, queue + o[0], o[1], queue + o[0], o[1], queue + o[0], o[1], queue + o[0], o[1],
                    Vector512.Load(rows), Vector512.Load(rows + 16), x,
                    Vector512.Load(rows + 32), Vector512.Load(rows + 48), x + w,
                    Vector512.Load(rows + 64), Vector512.Load(rows + 80), x + (2 * w),
                    Vector512.Load(rows + 96), Vector512.Load(rows + 112), x + (3 * w),
                    out var s0, out var s1, out var s2, out var s3);
                sums[t] += s0;
                sums[k + t] += s1;
                sums[(2 * k) + t] += s2;
                sums[(3 * k) + t] += s3;
            }
        }
    }

    /// <summary>Four independent walks, as <see cref="Walk2"/>: twice the gathers in flight to hide their latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Walk4(TreeLayout layout, long* nodes, int* qa, int na, int* qb, int nb, int* qc, int nc, int* qd, int nd,
        Vector512<float> xa0, Vector512<float> xa1, float* xa, Vector512<float> xb0, Vector512<float> xb1, float* xb,
        Vector512<float> xc0, Vector512<float> xc1, float* xc, Vector512<float> xd0, Vector512<float> xd1, float* xd,
        out float sumA, out float sumB, out float sumC, out float sumD)
    {
        var fmask = Vector512.Create(layout.FeatureMask);
        var dmask = Vector512.Create(layout.DeltaMask);
        var fbits = layout.FeatureBits;
        var mode = layout.Width <= 16 ? 0 : layout.Width <= 32 ? 1 : 2;
        var a = Vector512.Load(qa);
        var b = Vector512.Load(qb);
        var c = Vector512.Load(qc);
        var d = Vector512.Load(qd);
        int pa = Math.Min(16, na), pb = Math.Min(16, nb), pc = Math.Min(16, nc), pd = Math.Min(16, nd);
        Vector512<float> accA = default, accB = default, accC = default, accD = default;
        while (true)
        {
            a = Advance(nodes, a, fmask, dmask, fbits, mode, xa0, xa1, xa, ref accA, out var leafA);
            b = Advance(nodes, b, fmask, dmask, fbits, mode, xb0, xb1, xb, ref accB, out var leafB);
            c = Advance(nodes, c, fmask, dmask, fbits, mode, xc0, xc1, xc, ref accC, out var leafC);
            d = Advance(nodes, d, fmask, dmask, fbits, mode, xd0, xd1, xd, ref accD, out var leafD);
            a = Avx512F.ExpandLoad(qa + pa, leafA, a);
            b = Avx512F.ExpandLoad(qb + pb, leafB, b);
            c = Avx512F.ExpandLoad(qc + pc, leafC, c);
            d = Avx512F.ExpandLoad(qd + pd, leafD, d);
            pa = Math.Min(pa + BitOperations.PopCount(leafA.ExtractMostSignificantBits()), na);
            pb = Math.Min(pb + BitOperations.PopCount(leafB.ExtractMostSignificantBits()), nb);
            pc = Math.Min(pc + BitOperations.PopCount(leafC.ExtractMostSignificantBits()), nc);
            pd = Math.Min(pd + BitOperations.PopCount(leafD.ExtractMostSignificantBits()), nd);
            if (pa == na && pb == nb && pc == nc && pd == nd && (a | b | c | d) == Vector512<int>.Zero)
            {
                break;
            }
        }

        sumA = Vector512.Sum(accA);
        sumB = Vector512.Sum(accB);
        sumC = Vector512.Sum(accC);
        sumD = Vector512.Sum(accD);
    }

    /// <summary>One refill step of 16 lanes without the refill: the next indices, the leaf values added, and the lanes that were at a leaf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Advance(long* nodes, Vector512<int> index, Vector512<int> fmask, Vector512<int> dmask, int fbits, int mode,
        Vector512<float> x0, Vector512<float> x1, float* x, ref Vector512<float> acc, out Vector512<int> leaf)
    {
        Fetch(nodes, index, out var packed, out var threshold);
        var v = Feature(packed & fmask, mode, x0, x1, x);
        var delta = Vector512.ShiftRightArithmetic(packed, fbits) & dmask;
        leaf = Vector512.Equals(delta, Vector512<int>.Zero);
        var left = (Vector512.LessThanOrEqual(v, threshold).AsInt32() | (~Vector512.Equals(v, v).AsInt32() & Vector512.ShiftRightArithmetic(packed, 31))) & ~leaf;
        acc += (threshold.AsInt32() & leaf).AsSingle();
        return index + Vector512.ConditionalSelect(left, Vector512<int>.One, delta);
    }

    /// <summary>16 nodes by four 4-lane 64-bit gathers, split into packed words (even halves) and thresholds (odd halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fetch(long* nodes, Vector512<int> index, out Vector512<int> packed, out Vector512<float> threshold)
    {
        var lo = index.GetLower();
        var hi = index.GetUpper();
        var n0 = Vector512.Create(Avx2.GatherVector256(nodes, lo.GetLower(), 8), Avx2.GatherVector256(nodes, lo.GetUpper(), 8)).AsInt32();
        var n1 = Vector512.Create(Avx2.GatherVector256(nodes, hi.GetLower(), 8), Avx2.GatherVector256(nodes, hi.GetUpper(), 8)).AsInt32();
        packed = Avx512F.PermuteVar16x32x2(n0, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), n1);
        threshold = Avx512F.PermuteVar16x32x2(n0, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), n1).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Feature(Vector512<int> feature, int mode, Vector512<float> x0, Vector512<float> x1, float* x) => mode switch
    {
        0 => Avx512F.PermuteVar16x32(x0, feature),
        1 => Avx512F.PermuteVar16x32x2(x0, feature, x1),
        _ => Vector512.Create(Avx2.GatherVector256(x, feature.GetLower(), 4), Avx2.GatherVector256(x, feature.GetUpper(), 4)),
    };

    // ---------------------------------------------------------------- lane refill, 8-lane walks (AVX-512VL)

    /// <summary>One row: each target's trees in four queues (quarters), walked as four independent 8-lane vectors.</summary>
    public static void RowRefill8(TreeLayout layout, float* x, float* sums)
    {
        var row = stackalloc float[16];
        for (var j = 0; j < 16; j++)
        {
            row[j] = j < layout.Width ? x[j] : 0f;
        }

        var x0 = Vector256.Load(row);
        var x1 = Vector256.Load(row + 8);
        fixed (long* nodes = layout.Nodes)
        fixed (int* queue = layout.Queue, offsets = layout.QueueOffsets)
        {
            for (var k = 0; k < layout.Targets; k++)
            {
                var o = offsets + (k * TreeLayout.QueueOffsetsPerTarget);
                Walk8x4(layout, nodes, queue + o[6], o[7], queue + o[8], o[9], queue + o[10], o[11], queue + o[12], o[13], x0, x1, x, x0, x1, x, x0, x1, x, x0, x1, x, out var a, out var b, out var c, out var d);
                sums[k] += (a + b) + (c + d);
            }
        }
    }

    /// <summary>Four rows: each walks all of a target's trees in its own 8-lane vector (four independent walks).</summary>
    public static void BlockRefill8(TreeLayout layout, float* x, float* sums)
    {
        var w = layout.Width;
        var rows = stackalloc float[64];
        for (var r = 0; r < 4; r++)
        {
            for (var j = 0; j < 16; j++)
            {
                rows[(r * 16) + j] = j < w ? x[(r * w) + j] : 0f;
            }
        }

        var k = layout.Targets;
        fixed (long* nodes = layout.Nodes)
        fixed (int* queue = layout.Queue, offsets = layout.QueueOffsets)
        {
            for (var t = 0; t < k; t++)
            {
                var o = offsets + (t * TreeLayout.QueueOffsetsPerTarget);
                Walk8x4(layout, nodes, queue + o[0], o[1], queue + o[0], o[1], queue + o[0], o[1], queue + o[0], o[1],
                    Vector256.Load(rows), Vector256.Load(rows + 8), x,
                    Vector256.Load(rows + 16), Vector256.Load(rows + 24), x + w,
                    Vector256.Load(rows + 32), Vector256.Load(rows + 40), x + (2 * w),
                    Vector256.Load(rows + 48), Vector256.Load(rows + 56), x + (3 * w),
                    out var s0, out var s1, out var s2, out var s3);
                sums[t] += s0;
                sums[k + t] += s1;
                sums[(2 * k) + t] += s2;
                sums[(3 * k) + t] += s3;
            }
        }
    }

    /// <summary>
    /// Four independent 8-lane walks, each over its own queue and row (the same row four times for a single-row call).
    /// Features come by permute from 16 floats held in two registers (by gather past 16 features).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Walk8x4(TreeLayout layout, long* nodes, int* qa, int na, int* qb, int nb, int* qc, int nc, int* qd, int nd,
        Vector256<float> xa0, Vector256<float> xa1, float* xa, Vector256<float> xb0, Vector256<float> xb1, float* xb,
        Vector256<float> xc0, Vector256<float> xc1, float* xc, Vector256<float> xd0, Vector256<float> xd1, float* xd,
        out float sumA, out float sumB, out float sumC, out float sumD)
    {
        var fmask = Vector256.Create(layout.FeatureMask);
        var dmask = Vector256.Create(layout.DeltaMask);
        var fbits = layout.FeatureBits;
        var gather = layout.Width > 16;
        var a = Vector256.Load(qa);
        var b = Vector256.Load(qb);
        var c = Vector256.Load(qc);
        var d = Vector256.Load(qd);
        int pa = Math.Min(8, na), pb = Math.Min(8, nb), pc = Math.Min(8, nc), pd = Math.Min(8, nd);
        Vector256<float> accA = default, accB = default, accC = default, accD = default;
        while (true)
        {
            a = Advance8(nodes, a, fmask, dmask, fbits, gather, xa0, xa1, xa, ref accA, out var leafA);
            b = Advance8(nodes, b, fmask, dmask, fbits, gather, xb0, xb1, xb, ref accB, out var leafB);
            c = Advance8(nodes, c, fmask, dmask, fbits, gather, xc0, xc1, xc, ref accC, out var leafC);
            d = Advance8(nodes, d, fmask, dmask, fbits, gather, xd0, xd1, xd, ref accD, out var leafD);
            a = Avx512F.VL.ExpandLoad(qa + pa, leafA, a);
            b = Avx512F.VL.ExpandLoad(qb + pb, leafB, b);
            c = Avx512F.VL.ExpandLoad(qc + pc, leafC, c);
            d = Avx512F.VL.ExpandLoad(qd + pd, leafD, d);
            pa = Math.Min(pa + BitOperations.PopCount(leafA.ExtractMostSignificantBits()), na);
            pb = Math.Min(pb + BitOperations.PopCount(leafB.ExtractMostSignificantBits()), nb);
            pc = Math.Min(pc + BitOperations.PopCount(leafC.ExtractMostSignificantBits()), nc);
            pd = Math.Min(pd + BitOperations.PopCount(leafD.ExtractMostSignificantBits()), nd);
            if (pa == na && pb == nb && pc == nc && pd == nd && (a | b | c | d) == Vector256<int>.Zero)
            {
                break;
            }
        }

        sumA = Vector256.Sum(accA);
        sumB = Vector256.Sum(accB);
        sumC = Vector256.Sum(accC);
        sumD = Vector256.Sum(accD);
    }

    /// <summary>One refill step of 8 lanes (see <see cref="Advance"/>): two 4-lane 64-bit gathers, split by a two-register permute.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Advance8(long* nodes, Vector256<int> index, Vector256<int> fmask, Vector256<int> dmask, int fbits, bool gather,
        Vector256<float> x0, Vector256<float> x1, float* x, ref Vector256<float> acc, out Vector256<int> leaf)
    {
        var n0 = Avx2.GatherVector256(nodes, index.GetLower(), 8).AsInt32();
        var n1 = Avx2.GatherVector256(nodes, index.GetUpper(), 8).AsInt32();
        var packed = Avx512F.VL.PermuteVar8x32x2(n0, Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14), n1);
        var threshold = Avx512F.VL.PermuteVar8x32x2(n0, Vector256.Create(1, 3, 5, 7, 9, 11, 13, 15), n1).AsSingle();
        var f = packed & fmask;
        var v = gather ? Avx2.GatherVector256(x, f, 4) : Avx512F.VL.PermuteVar8x32x2(x0, f, x1);
        var delta = Vector256.ShiftRightArithmetic(packed, fbits) & dmask;
        leaf = Vector256.Equals(delta, Vector256<int>.Zero);
        var left = (Vector256.LessThanOrEqual(v, threshold).AsInt32() | (~Vector256.Equals(v, v).AsInt32() & Vector256.ShiftRightArithmetic(packed, 31))) & ~leaf;
        acc += (threshold.AsInt32() & leaf).AsSingle();
        return index + Vector256.ConditionalSelect(left, Vector256<int>.One, delta);
    }

    // ---------------------------------------------------------------- one step

    /// <summary>One branch-free step of one walk: the next node index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(int index, float value, int packed, float threshold, int featureBits, int deltaMask)
    {
        // Left when x <= t (false for NaN), or when x is NaN and the sign bit says missing goes left; never at a leaf (offset 0).
        var delta = (packed >> featureBits) & deltaMask;
        var left = (value <= threshold | (float.IsNaN(value) & packed < 0)) & delta != 0;
        return index + (left ? 1 : delta);
    }

    /// <summary>The step of 8 lanes: 1 where the lane goes left, its right offset where it goes right (0 on a leaf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> StepVector(Vector256<float> value, Vector256<float> threshold, Vector256<int> packed, int featureBits, Vector256<int> deltaMask, Vector256<int> one)
    {
        var lessOrEqual = Vector256.LessThanOrEqual(value, threshold).AsInt32();          // all-ones lanes: x <= t (NaN: no)
        var missing = ~Vector256.Equals(value, value).AsInt32();                          // all-ones lanes: x is NaN
        var missingLeft = Vector256.ShiftRightArithmetic(packed, 31);                     // all-ones lanes: sign bit set
        var delta = Vector256.ShiftRightArithmetic(packed, featureBits) & deltaMask;
        var left = (lessOrEqual | (missing & missingLeft)) & ~Vector256.Equals(delta, Vector256<int>.Zero); // a leaf (offset 0) stays
        return Vector256.ConditionalSelect(left, one, delta);
    }

    /// <summary>The step of 16 lanes; see the 8-lane overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> StepVector(Vector512<float> value, Vector512<float> threshold, Vector512<int> packed, int featureBits, Vector512<int> deltaMask, Vector512<int> one)
    {
        var lessOrEqual = Vector512.LessThanOrEqual(value, threshold).AsInt32();
        var missing = ~Vector512.Equals(value, value).AsInt32();
        var missingLeft = Vector512.ShiftRightArithmetic(packed, 31);
        var delta = Vector512.ShiftRightArithmetic(packed, featureBits) & deltaMask;
        var left = (lessOrEqual | (missing & missingLeft)) & ~Vector512.Equals(delta, Vector512<int>.Zero);
        return Vector512.ConditionalSelect(left, one, delta);
    }
}
