using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLSystemDesign.Inference.Trees;

/// <summary>The AVX-512 lane-refill walks of 16 lanes: a lane that reaches a leaf takes the next root from its queue.</summary>
internal static unsafe class RefillTreeWalks
{
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
}
