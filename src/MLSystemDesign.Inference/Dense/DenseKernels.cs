using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLSystemDesign.Inference.Dense;

/// <summary>
/// The dense-layer kernels: <c>C = activation(A · Wᵀ + b)</c> for a block of rows. Batches use a register-blocked GEMM
/// micro-kernel (8 rows × 32 outputs in 16 AVX-512 registers, or 6 rows × 16 outputs in 12 AVX2 registers) that
/// streams one weight panel and broadcasts one input per row per step; a single row uses a GEMV over the same panels
/// with four independent partial sums per output vector to hide the FMA latency. Without SIMD a plain loop runs.
/// </summary>
internal static unsafe partial class DenseKernels
{
    /// <summary>Computes <paramref name="rows"/> rows of one layer: <c>a</c> is read with stride <paramref name="lda"/>, <c>c</c> written with stride <paramref name="ldc"/> (at least <see cref="PackedLayer.PaddedN"/>).</summary>
    public static void Forward(PackedLayer layer, float* a, int lda, int rows, float* c, int ldc)
    {
        if (layer.UsesDot)
        {
            Dot(layer, a, lda, rows, c, ldc);
        }
        else
        {
            fixed (float* panels = layer.Panels, bias = layer.Bias)
            {
                var done = 0;
                if (layer.VectorBits == 512)
                {
                    // Panel by panel, K in blocks of KBlock inputs (a 32 KiB slice of the panel, which stays in L1
                    // while every 8-row group of the tile uses it); the first block starts from the bias, the others
                    // add to what the previous blocks left in C.
                    done = rows - (rows % 8);
                    for (var p = 0; p < layer.PaddedN; p += 32)
                    {
                        var panel = panels + ((long)p * layer.K);
                        for (var k0 = 0; k0 < layer.K; k0 += KBlock)
                        {
                            var kc = Math.Min(KBlock, layer.K - k0);
                            for (var r = 0; r < done; r += 8)
                            {
                                Micro512x8(a + ((long)r * lda) + k0, lda, panel + ((long)k0 * 32), kc, bias + p, c + ((long)r * ldc) + p, ldc, k0 == 0);
                            }
                        }
                    }

                    for (var r = done; r < rows; r++)
                    {
                        Gemv512(a + ((long)r * lda), panels, layer.K, layer.PaddedN, bias, c + ((long)r * ldc), layer.FiniteWeights);
                    }
                }
                else if (layer.VectorBits == 256)
                {
                    done = rows - (rows % 6);
                    for (var r = 0; r < done; r += 6)
                    {
                        for (var p = 0; p < layer.PaddedN; p += 16)
                        {
                            Micro256x6(a + ((long)r * lda), lda, panels + ((long)p * layer.K), layer.K, bias + p, c + ((long)r * ldc) + p, ldc);
                        }
                    }

                    for (var r = done; r < rows; r++)
                    {
                        Gemv256(a + ((long)r * lda), panels, layer.K, layer.PaddedN, bias, c + ((long)r * ldc));
                    }
                }
                else if (layer.VectorBits == 128)
                {
                    done = rows - (rows % 4);
                    for (var r = 0; r < done; r += 4)
                    {
                        for (var p = 0; p < layer.PaddedN; p += 8)
                        {
                            Micro128x4(a + ((long)r * lda), lda, panels + ((long)p * layer.K), layer.K, bias + p, c + ((long)r * ldc) + p, ldc);
                        }
                    }

                    for (var r = done; r < rows; r++)
                    {
                        Gemv128(a + ((long)r * lda), panels, layer.K, layer.PaddedN, bias, c + ((long)r * ldc));
                    }
                }
                else
                {
                    for (var r = 0; r < rows; r++)
                    {
                        GemvScalar(a + ((long)r * lda), panels, layer.K, layer.PaddedN, layer.NR, bias, c + ((long)r * ldc));
                    }
                }
            }
        }

        Activate(layer, c, ldc, rows);
    }

    /// <summary>
    /// Narrow layers: one dot product per output and row. With AVX-512 (AVX2, 128-bit) the row is read 16 (8, 4) floats at a
    /// time into one FMA accumulator; the last partial vector is a masked load, so no lane reads past the row (or past
    /// the end of the batch), and the masked-off lanes contribute 0 (the 128-bit path, without masked loads on NEON, adds its tail in scalar). Without SIMD, TensorPrimitives.Dot.
    /// </summary>
    private static void Dot(PackedLayer layer, float* a, int lda, int rows, float* c, int ldc)
    {
        var k = layer.K;
        fixed (float* w = layer.RowMajor, bias = layer.Bias)
        {
            if (layer.VectorBits == 512 && Avx512F.IsSupported)
            {
                var tail = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(k % 16)).AsSingle();
                var full = k - (k % 16);
                var groups = rows - (rows % 16);
                var sums = stackalloc float[16];
                for (var r = 0; r < groups; r += 16)
                {
                    var x = a + ((long)r * lda);
                    for (var n = 0; n < layer.N; n++)
                    {
                        var dots = Dot16Rows(x, lda, w + ((long)n * k), full, k, tail) + Vector512.Create(bias[n]);
                        if (ldc == 1)
                        {
                            dots.Store(c + r);
                        }
                        else
                        {
                            dots.Store(sums);
                            for (var i = 0; i < 16; i++)
                            {
                                c[((long)(r + i) * ldc) + n] = sums[i];
                            }
                        }
                    }
                }

                for (var r = groups; r < rows; r++)
                {
                    var x = a + ((long)r * lda);
                    for (var n = 0; n < layer.N; n++)
                    {
                        var wn = w + ((long)n * k);
                        var acc = Vector512<float>.Zero;
                        for (var j = 0; j < full; j += 16)
                        {
                            acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + j), Vector512.Load(wn + j), acc);
                        }

                        if (full < k)
                        {
                            acc = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(x + full, tail, Vector512<float>.Zero), Avx512F.MaskLoad(wn + full, tail, Vector512<float>.Zero), acc);
                        }

                        c[((long)r * ldc) + n] = Vector512.Sum(acc) + bias[n];
                    }
                }

                return;
            }

            if (layer.VectorBits == 256 && Avx.IsSupported)
            {
                var tail = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(k % 8)).AsSingle();
                var full = k - (k % 8);
                for (var r = 0; r < rows; r++)
                {
                    var x = a + ((long)r * lda);
                    for (var n = 0; n < layer.N; n++)
                    {
                        var wn = w + ((long)n * k);
                        var acc = Vector256<float>.Zero;
                        for (var j = 0; j < full; j += 8)
                        {
                            acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + j), Vector256.Load(wn + j), acc);
                        }

                        if (full < k)
                        {
                            acc = Vector256.FusedMultiplyAdd(Avx.MaskLoad(x + full, tail), Avx.MaskLoad(wn + full, tail), acc);
                        }

                        c[((long)r * ldc) + n] = Vector256.Sum(acc) + bias[n];
                    }
                }

                return;
            }

            if (layer.VectorBits >= 128)
            {
                Dot128(layer, w, bias, a, lda, rows, c, ldc);
                return;
            }

            for (var r = 0; r < rows; r++)
            {
                var x = new ReadOnlySpan<float>(a + ((long)r * lda), k);
                for (var n = 0; n < layer.N; n++)
                {
                    c[((long)r * ldc) + n] = TensorPrimitives.Dot(x, new ReadOnlySpan<float>(w + ((long)n * k), k)) + bias[n];
                }
            }
        }
    }

    /// <summary>
    /// Sixteen dot products <c>x_r · w</c> (rows <c>r = 0 … 15</c> of <paramref name="x"/>, stride <paramref name="lda"/>)
    /// returned as one vector, lane r = row r. Each row accumulates 16 lanes of partial sums in its own register (the
    /// last partial vector by masked loads, as in <see cref="Dot"/>); four shuffle-and-add levels then fold the 16
    /// registers into one, about 3 operations per row instead of a full horizontal sum each.
    /// </summary>
    /// <remarks>
    /// The fold: level 1 adds the 256-bit halves of register pairs (8 registers: lanes 0–7 one row, 8–15 the next),
    /// level 2 adds 128-bit quarters (4 registers: one row per quarter), levels 3 and 4 add within quarters by
    /// <c>vshufps</c>. It leaves accumulator <c>s = 4m + j</c> in lane <c>4j + m</c>, so accumulator s is given row
    /// <c>4(s mod 4) + s / 4</c> (a 4 × 4 transpose of the indices): lane r then holds row r with no final permute.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector512<float> Dot16Rows(float* x, int lda, float* w, int full, int k, Vector512<float> tail)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        Vector512<float> s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
        var j = 0;
        for (; j < full; j += 16)
        {
            var wv = Vector512.Load(w + j);
            var p = x + j;
            s0 = Vector512.FusedMultiplyAdd(Vector512.Load(p), wv, s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (4L * lda)), wv, s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (8L * lda)), wv, s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (12L * lda)), wv, s3);
            s4 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (1L * lda)), wv, s4);
            s5 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (5L * lda)), wv, s5);
            s6 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (9L * lda)), wv, s6);
            s7 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (13L * lda)), wv, s7);
            s8 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (2L * lda)), wv, s8);
            s9 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (6L * lda)), wv, s9);
            s10 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (10L * lda)), wv, s10);
            s11 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (14L * lda)), wv, s11);
            s12 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (3L * lda)), wv, s12);
            s13 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (7L * lda)), wv, s13);
            s14 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (11L * lda)), wv, s14);
            s15 = Vector512.FusedMultiplyAdd(Vector512.Load(p + (15L * lda)), wv, s15);
        }

        if (full < k)
        {
            // Masked-off lanes load nothing (no read past a row, or past the batch on the last row) and add 0.
            var wv = Avx512F.MaskLoad(w + full, tail, Vector512<float>.Zero);
            var p = x + full;
            var zero = Vector512<float>.Zero;
            s0 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p, tail, zero), wv, s0);
            s1 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (4L * lda), tail, zero), wv, s1);
            s2 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (8L * lda), tail, zero), wv, s2);
            s3 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (12L * lda), tail, zero), wv, s3);
            s4 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (1L * lda), tail, zero), wv, s4);
            s5 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (5L * lda), tail, zero), wv, s5);
            s6 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (9L * lda), tail, zero), wv, s6);
            s7 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (13L * lda), tail, zero), wv, s7);
            s8 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (2L * lda), tail, zero), wv, s8);
            s9 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (6L * lda), tail, zero), wv, s9);
            s10 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (10L * lda), tail, zero), wv, s10);
            s11 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (14L * lda), tail, zero), wv, s11);
            s12 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (3L * lda), tail, zero), wv, s12);
            s13 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (7L * lda), tail, zero), wv, s13);
            s14 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (11L * lda), tail, zero), wv, s14);
            s15 = Vector512.FusedMultiplyAdd(Avx512F.MaskLoad(p + (15L * lda), tail, zero), wv, s15);
        }

        // Level 1, halves: [a.lo + a.hi | b.lo + b.hi] (vshuff32x4 0x44 takes quarters 0,1 of each, 0xEE quarters 2,3).
        var b0 = Fold256(s0, s1);
        var b1 = Fold256(s2, s3);
        var b2 = Fold256(s4, s5);
        var b3 = Fold256(s6, s7);
        var b4 = Fold256(s8, s9);
        var b5 = Fold256(s10, s11);
        var b6 = Fold256(s12, s13);
        var b7 = Fold256(s14, s15);

        // Level 2, quarters: quarter q of the result is one accumulator's four partial sums (0x88: quarters 0,2; 0xDD: 1,3).
        var c0 = Avx512F.Shuffle4x128(b0, b1, 0x88) + Avx512F.Shuffle4x128(b0, b1, 0xDD);
        var c1 = Avx512F.Shuffle4x128(b2, b3, 0x88) + Avx512F.Shuffle4x128(b2, b3, 0xDD);
        var c2 = Avx512F.Shuffle4x128(b4, b5, 0x88) + Avx512F.Shuffle4x128(b4, b5, 0xDD);
        var c3 = Avx512F.Shuffle4x128(b6, b7, 0x88) + Avx512F.Shuffle4x128(b6, b7, 0xDD);

        // Levels 3 and 4, within each quarter: even elements plus odd elements (vshufps 0x88 / 0xDD), twice.
        var d0 = Avx512F.Shuffle(c0, c1, 0x88) + Avx512F.Shuffle(c0, c1, 0xDD);
        var d1 = Avx512F.Shuffle(c2, c3, 0x88) + Avx512F.Shuffle(c2, c3, 0xDD);
        return Avx512F.Shuffle(d0, d1, 0x88) + Avx512F.Shuffle(d0, d1, 0xDD);

        static Vector512<float> Fold256(Vector512<float> a, Vector512<float> b) =>
            Avx512F.Shuffle4x128(a, b, 0x44) + Avx512F.Shuffle4x128(a, b, 0xEE);
    }

    /// <summary>
    /// 8 rows × 32 outputs over one K block: 16 accumulators (rows × two 16-lane halves) start at the bias for the first
    /// block (<paramref name="first"/>) or at what C holds from the previous blocks; each step loads the panel's two
    /// vectors for input k and adds input k of every row (broadcast) times them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro512x8(float* a, int lda, float* b, int kCount, float* bias, float* c, int ldc, bool first)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (first)
        {
            var bias0 = Vector512.Load(bias);
            var bias1 = Vector512.Load(bias + 16);
            c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = bias0;
            c01 = c11 = c21 = c31 = c41 = c51 = c61 = c71 = bias1;
        }
        else
        {
            c00 = Vector512.Load(c);
            c01 = Vector512.Load(c + 16);
            c10 = Vector512.Load(c + ldc);
            c11 = Vector512.Load(c + ldc + 16);
            c20 = Vector512.Load(c + (2 * ldc));
            c21 = Vector512.Load(c + (2 * ldc) + 16);
            c30 = Vector512.Load(c + (3 * ldc));
            c31 = Vector512.Load(c + (3 * ldc) + 16);
            c40 = Vector512.Load(c + (4 * ldc));
            c41 = Vector512.Load(c + (4 * ldc) + 16);
            c50 = Vector512.Load(c + (5 * ldc));
            c51 = Vector512.Load(c + (5 * ldc) + 16);
            c60 = Vector512.Load(c + (6 * ldc));
            c61 = Vector512.Load(c + (6 * ldc) + 16);
            c70 = Vector512.Load(c + (7 * ldc));
            c71 = Vector512.Load(c + (7 * ldc) + 16);
        }

        float* a0 = a, a1 = a + lda, a2 = a + (2 * lda), a3 = a + (3 * lda), a4 = a + (4 * lda), a5 = a + (5 * lda), a6 = a + (6 * lda), a7 = a + (7 * lda);
        for (var k = 0; k < kCount; k++, b += 32)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a0[k]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a1[k]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a2[k]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a3[k]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a4[k]);
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a5[k]);
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a6[k]);
            c60 = Vector512.FusedMultiplyAdd(x, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a7[k]);
            c70 = Vector512.FusedMultiplyAdd(x, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
        }

        c00.Store(c);
        c01.Store(c + 16);
        c10.Store(c + ldc);
        c11.Store(c + ldc + 16);
        c20.Store(c + (2 * ldc));
        c21.Store(c + (2 * ldc) + 16);
        c30.Store(c + (3 * ldc));
        c31.Store(c + (3 * ldc) + 16);
        c40.Store(c + (4 * ldc));
        c41.Store(c + (4 * ldc) + 16);
        c50.Store(c + (5 * ldc));
        c51.Store(c + (5 * ldc) + 16);
        c60.Store(c + (6 * ldc));
        c61.Store(c + (6 * ldc) + 16);
        c70.Store(c + (7 * ldc));
        c71.Store(c + (7 * ldc) + 16);
    }

    /// <summary>6 rows × 16 outputs: 12 AVX2 accumulators (rows × two 8-lane halves), as <see cref="Micro512x8"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro256x6(float* a, int lda, float* b, int kCount, float* bias, float* c, int ldc)
    {
        var bias0 = Vector256.Load(bias);
        var bias1 = Vector256.Load(bias + 8);
        Vector256<float> c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1;
        Vector256<float> c30 = bias0, c31 = bias1, c40 = bias0, c41 = bias1, c50 = bias0, c51 = bias1;
        float* a0 = a, a1 = a + lda, a2 = a + (2 * lda), a3 = a + (3 * lda), a4 = a + (4 * lda), a5 = a + (5 * lda);
        for (var k = 0; k < kCount; k++, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a0[k]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[k]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[k]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[k]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[k]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[k]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
        }

        c00.Store(c);
        c01.Store(c + 8);
        c10.Store(c + ldc);
        c11.Store(c + ldc + 8);
        c20.Store(c + (2 * ldc));
        c21.Store(c + (2 * ldc) + 8);
        c30.Store(c + (3 * ldc));
        c31.Store(c + (3 * ldc) + 8);
        c40.Store(c + (4 * ldc));
        c41.Store(c + (4 * ldc) + 8);
        c50.Store(c + (5 * ldc));
        c51.Store(c + (5 * ldc) + 8);
    }

    /// <summary>Inputs per K block of the AVX-512 GEMM: 256 × 32 floats of a panel = 32 KiB, within L1.</summary>
    private const int KBlock = 256;

    /// <summary>Inputs up to this width are scanned for zeros before a GEMV (their indices fit on the stack).</summary>
    private const int MaxSparseInputs = 8192;

    /// <summary>
    /// One row against every 32-wide panel; inputs k, k+1, k+2, k+3 feed four separate accumulator pairs. When the
    /// weights are all finite, zero inputs contribute exactly nothing, so the row is first scanned for its non-zero
    /// inputs and, if at most three quarters are non-zero (one-hot features, ReLU outputs, image background), only
    /// their weight rows are read: a single row is bound by streaming the weights, and this streams fewer of them.
    /// </summary>
    private static void Gemv512(float* a, float* panels, int kCount, int paddedN, float* bias, float* c, bool skipZeros)
    {
        var slots = kCount + 16; // the index scan writes whole vectors past the last non-zero input
        var indices = skipZeros && slots <= MaxSparseInputs + 16 ? stackalloc int[slots] : default;
        if (!indices.IsEmpty)
        {
            fixed (int* nonZero = indices)
            {
                var count = NonZeroInputs(a, kCount, nonZero);
                if (count * 4 <= kCount * 3)
                {
                    GemvSparse512(a, panels, kCount, paddedN, bias, c, nonZero, count);
                    return;
                }
            }
        }

        for (var p = 0; p < paddedN; p += 32)
        {
            var b = panels + ((long)p * kCount);
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            var k = 0;
            for (; k + 4 <= kCount; k += 4, b += 128)
            {
                var x0 = Vector512.Create(a[k]);
                var x1 = Vector512.Create(a[k + 1]);
                var x2 = Vector512.Create(a[k + 2]);
                var x3 = Vector512.Create(a[k + 3]);
                s0 = Vector512.FusedMultiplyAdd(x0, Vector512.Load(b), s0);
                s1 = Vector512.FusedMultiplyAdd(x0, Vector512.Load(b + 16), s1);
                s2 = Vector512.FusedMultiplyAdd(x1, Vector512.Load(b + 32), s2);
                s3 = Vector512.FusedMultiplyAdd(x1, Vector512.Load(b + 48), s3);
                s4 = Vector512.FusedMultiplyAdd(x2, Vector512.Load(b + 64), s4);
                s5 = Vector512.FusedMultiplyAdd(x2, Vector512.Load(b + 80), s5);
                s6 = Vector512.FusedMultiplyAdd(x3, Vector512.Load(b + 96), s6);
                s7 = Vector512.FusedMultiplyAdd(x3, Vector512.Load(b + 112), s7);
            }

            for (; k < kCount; k++, b += 32)
            {
                var x = Vector512.Create(a[k]);
                s0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b), s0);
                s1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + 16), s1);
            }

            (Vector512.Load(bias + p) + ((s0 + s2) + (s4 + s6))).Store(c + p);
            (Vector512.Load(bias + p + 16) + ((s1 + s3) + (s5 + s7))).Store(c + p + 16);
        }
    }

    /// <summary>
    /// Writes the indices of the non-zero inputs (NaN included: it must propagate) to <paramref name="indices"/>, which
    /// has room for 16 more than <paramref name="kCount"/>: each step stores a whole compressed vector of 16 indices
    /// of which only the first popcount(mask) count, the next step overwriting the rest.
    /// </summary>
    private static int NonZeroInputs(float* a, int kCount, int* indices)
    {
        var count = 0;
        var k = 0;
        var step = Vector512.Create(16);
        var lanes = Vector512<int>.Indices;
        for (; k + 16 <= kCount; k += 16, lanes += step)
        {
            var keep = ~Vector512.Equals(Vector512.Load(a + k), Vector512<float>.Zero).AsInt32();
            Avx512F.Compress(Vector512<int>.Zero, keep, lanes).Store(indices + count);
            count += BitOperations.PopCount(keep.ExtractMostSignificantBits());
        }

        for (; k < kCount; k++)
        {
            if (a[k] != 0f) // true for NaN
            {
                indices[count++] = k;
            }
        }

        return count;
    }

    /// <summary>
    /// <see cref="Gemv512"/> over the listed inputs only. Four panels (128 outputs) at a time: each listed input is
    /// broadcast once and feeds eight accumulators, one per 16 outputs, and two inputs go per step into two sets (sixteen
    /// independent FMA chains); the panels left over go one at a time, four inputs per step, each with its own
    /// accumulator pair.
    /// </summary>
    private static void GemvSparse512(float* a, float* panels, int kCount, int paddedN, float* bias, float* c, int* nonZero, int count)
    {
        var p = 0;
        for (; p + 128 <= paddedN; p += 128)
        {
            var b0 = panels + ((long)p * kCount);
            var b1 = b0 + (32L * kCount);
            var b2 = b0 + (64L * kCount);
            var b3 = b0 + (96L * kCount);
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            Vector512<float> t0 = default, t1 = default, t2 = default, t3 = default, t4 = default, t5 = default, t6 = default, t7 = default;
            var i = 0;
            for (; i + 2 <= count; i += 2)
            {
                // Two inputs per step into two accumulator sets: sixteen FMA chains in flight.
                var x = Vector512.Create(a[nonZero[i]]);
                var y = Vector512.Create(a[nonZero[i + 1]]);
                var o = (long)nonZero[i] * 32;
                var q = (long)nonZero[i + 1] * 32;
                s0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b0 + o), s0);
                s1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b0 + o + 16), s1);
                s2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b1 + o), s2);
                s3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b1 + o + 16), s3);
                s4 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b2 + o), s4);
                s5 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b2 + o + 16), s5);
                s6 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b3 + o), s6);
                s7 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b3 + o + 16), s7);
                t0 = Vector512.FusedMultiplyAdd(y, Vector512.Load(b0 + q), t0);
                t1 = Vector512.FusedMultiplyAdd(y, Vector512.Load(b0 + q + 16), t1);
                t2 = Vector512.FusedMultiplyAdd(y, Vector512.Load(b1 + q), t2);
                t3 = Vector512.FusedMultiplyAdd(y, Vector512.Load(b1 + q + 16), t3);
                t4 = Vector512.FusedMultiplyAdd(y, Vector512.Load(b2 + q), t4);
                t5 = Vector512.FusedMultiplyAdd(y, Vector512.Load(b2 + q + 16), t5);
                t6 = Vector512.FusedMultiplyAdd(y, Vector512.Load(b3 + q), t6);
                t7 = Vector512.FusedMultiplyAdd(y, Vector512.Load(b3 + q + 16), t7);
            }

            if (i < count)
            {
                var x = Vector512.Create(a[nonZero[i]]);
                var o = (long)nonZero[i] * 32;
                s0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b0 + o), s0);
                s1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b0 + o + 16), s1);
                s2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b1 + o), s2);
                s3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b1 + o + 16), s3);
                s4 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b2 + o), s4);
                s5 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b2 + o + 16), s5);
                s6 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b3 + o), s6);
                s7 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b3 + o + 16), s7);
            }

            (Vector512.Load(bias + p) + (s0 + t0)).Store(c + p);
            (Vector512.Load(bias + p + 16) + (s1 + t1)).Store(c + p + 16);
            (Vector512.Load(bias + p + 32) + (s2 + t2)).Store(c + p + 32);
            (Vector512.Load(bias + p + 48) + (s3 + t3)).Store(c + p + 48);
            (Vector512.Load(bias + p + 64) + (s4 + t4)).Store(c + p + 64);
            (Vector512.Load(bias + p + 80) + (s5 + t5)).Store(c + p + 80);
            (Vector512.Load(bias + p + 96) + (s6 + t6)).Store(c + p + 96);
            (Vector512.Load(bias + p + 112) + (s7 + t7)).Store(c + p + 112);
        }

        for (; p < paddedN; p += 32)
        {
            var b = panels + ((long)p * kCount);
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            var i = 0;
            for (; i + 4 <= count; i += 4)
            {
                int k0 = nonZero[i], k1 = nonZero[i + 1], k2 = nonZero[i + 2], k3 = nonZero[i + 3];
                var w0 = b + ((long)k0 * 32);
                var w1 = b + ((long)k1 * 32);
                var w2 = b + ((long)k2 * 32);
                var w3 = b + ((long)k3 * 32);
                var x0 = Vector512.Create(a[k0]);
                var x1 = Vector512.Create(a[k1]);
                var x2 = Vector512.Create(a[k2]);
                var x3 = Vector512.Create(a[k3]);
                s0 = Vector512.FusedMultiplyAdd(x0, Vector512.Load(w0), s0);
                s1 = Vector512.FusedMultiplyAdd(x0, Vector512.Load(w0 + 16), s1);
                s2 = Vector512.FusedMultiplyAdd(x1, Vector512.Load(w1), s2);
                s3 = Vector512.FusedMultiplyAdd(x1, Vector512.Load(w1 + 16), s3);
                s4 = Vector512.FusedMultiplyAdd(x2, Vector512.Load(w2), s4);
                s5 = Vector512.FusedMultiplyAdd(x2, Vector512.Load(w2 + 16), s5);
                s6 = Vector512.FusedMultiplyAdd(x3, Vector512.Load(w3), s6);
                s7 = Vector512.FusedMultiplyAdd(x3, Vector512.Load(w3 + 16), s7);
            }

            for (; i < count; i++)
            {
                var k = nonZero[i];
                var x = Vector512.Create(a[k]);
                s0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + ((long)k * 32)), s0);
                s1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + ((long)k * 32) + 16), s1);
            }

            (Vector512.Load(bias + p) + ((s0 + s2) + (s4 + s6))).Store(c + p);
            (Vector512.Load(bias + p + 16) + ((s1 + s3) + (s5 + s7))).Store(c + p + 16);
        }
    }

    /// <summary>One row against every 16-wide panel, as <see cref="Gemv512"/> with AVX2 registers.</summary>
    private static void Gemv256(float* a, float* panels, int kCount, int paddedN, float* bias, float* c)
    {
        for (var p = 0; p < paddedN; p += 16)
        {
            var b = panels + ((long)p * kCount);
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            var k = 0;
            for (; k + 4 <= kCount; k += 4, b += 64)
            {
                var x0 = Vector256.Create(a[k]);
                var x1 = Vector256.Create(a[k + 1]);
                var x2 = Vector256.Create(a[k + 2]);
                var x3 = Vector256.Create(a[k + 3]);
                s0 = Vector256.FusedMultiplyAdd(x0, Vector256.Load(b), s0);
                s1 = Vector256.FusedMultiplyAdd(x0, Vector256.Load(b + 8), s1);
                s2 = Vector256.FusedMultiplyAdd(x1, Vector256.Load(b + 16), s2);
                s3 = Vector256.FusedMultiplyAdd(x1, Vector256.Load(b + 24), s3);
                s4 = Vector256.FusedMultiplyAdd(x2, Vector256.Load(b + 32), s4);
                s5 = Vector256.FusedMultiplyAdd(x2, Vector256.Load(b + 40), s5);
                s6 = Vector256.FusedMultiplyAdd(x3, Vector256.Load(b + 48), s6);
                s7 = Vector256.FusedMultiplyAdd(x3, Vector256.Load(b + 56), s7);
            }

            for (; k < kCount; k++, b += 16)
            {
                var x = Vector256.Create(a[k]);
                s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b), s0);
                s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b + 8), s1);
            }

            (Vector256.Load(bias + p) + ((s0 + s2) + (s4 + s6))).Store(c + p);
            (Vector256.Load(bias + p + 8) + ((s1 + s3) + (s5 + s7))).Store(c + p + 8);
        }
    }

    /// <summary>The fallback without SIMD: the same panels, one output lane at a time.</summary>
    private static void GemvScalar(float* a, float* panels, int kCount, int paddedN, int nr, float* bias, float* c)
    {
        for (var p = 0; p < paddedN; p += nr)
        {
            var b = panels + ((long)p * kCount);
            for (var j = 0; j < nr; j++)
            {
                var sum = 0f;
                for (var k = 0; k < kCount; k++)
                {
                    sum += a[k] * b[((long)k * nr) + j];
                }

                c[p + j] = bias[p + j] + sum;
            }
        }
    }

    /// <summary>Applies the activation to the <see cref="PackedLayer.N"/> real outputs of each row.</summary>
    private static void Activate(PackedLayer layer, float* c, int ldc, int rows)
    {
        if (layer.Activation == Activation.Identity)
        {
            return;
        }

        for (var r = 0; r < rows; r++)
        {
            var row = new Span<float>(c + ((long)r * ldc), layer.N);
            switch (layer.Activation)
            {
                case Activation.Relu:
                    TensorPrimitives.Max(row, 0f, row);
                    break;
                case Activation.LeakyRelu:
                    LeakyRelu(row, layer.Alpha);
                    break;
                case Activation.Tanh:
                    TensorPrimitives.Tanh(row, row);
                    break;
                case Activation.Sigmoid:
                    TensorPrimitives.Sigmoid(row, row);
                    break;
            }
        }
    }

    /// <summary><c>x &gt; 0 ? x : alpha·x</c>, widest vectors first, then a scalar tail.</summary>
    private static void LeakyRelu(Span<float> row, float alpha)
    {
        var i = 0;
        fixed (float* p = row)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                var a = Vector256.Create(alpha);
                for (; i + 8 <= row.Length; i += 8)
                {
                    var v = Vector256.Load(p + i);
                    Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v, v * a).Store(p + i);
                }
            }
        }

        for (; i < row.Length; i++)
        {
            row[i] = row[i] > 0 ? row[i] : row[i] * alpha;
        }
    }
}
