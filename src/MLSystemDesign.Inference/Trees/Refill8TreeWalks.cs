using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLSystemDesign.Inference.Trees;

/// <summary>The lane-refill walks of 8 lanes (AVX-512VL on 256-bit vectors): four independent walks per call.</summary>
internal static unsafe class Refill8TreeWalks
{
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

    /// <summary>One refill step of 8 lanes (see <c>RefillTreeWalks.Advance</c>): two 4-lane 64-bit gathers, split by a two-register permute.</summary>
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
}
