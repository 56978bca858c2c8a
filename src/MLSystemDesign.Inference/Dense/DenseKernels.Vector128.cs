using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLSystemDesign.Inference.Dense;

/// <summary>
/// The 128-bit rung of the dense kernels (NEON on Arm64, SSE on x64 without AVX2): 8-wide panels as two vectors.
/// Multiply-adds are <c>MultiplyAddEstimate</c>: fused where the CPU has FMA (NEON, x64 with FMA), multiply then add
/// where it does not, instead of the slow software fused fallback.
/// </summary>
internal static unsafe partial class DenseKernels
{
    /// <summary>4 rows × 8 outputs: 8 accumulators (rows × two 4-lane halves), as <see cref="Micro256x6"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro128x4(float* a, int lda, float* b, int kCount, float* bias, float* c, int ldc)
    {
        var bias0 = Vector128.Load(bias);
        var bias1 = Vector128.Load(bias + 4);
        Vector128<float> c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1, c30 = bias0, c31 = bias1;
        float* a0 = a, a1 = a + lda, a2 = a + (2 * lda), a3 = a + (3 * lda);
        for (var k = 0; k < kCount; k++, b += 8)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + 4);
            var x = Vector128.Create(a0[k]);
            c00 = Vector128.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector128.MultiplyAddEstimate(x, b1, c01);
            x = Vector128.Create(a1[k]);
            c10 = Vector128.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector128.MultiplyAddEstimate(x, b1, c11);
            x = Vector128.Create(a2[k]);
            c20 = Vector128.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector128.MultiplyAddEstimate(x, b1, c21);
            x = Vector128.Create(a3[k]);
            c30 = Vector128.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector128.MultiplyAddEstimate(x, b1, c31);
        }

        c00.Store(c);
        c01.Store(c + 4);
        c10.Store(c + ldc);
        c11.Store(c + ldc + 4);
        c20.Store(c + (2 * ldc));
        c21.Store(c + (2 * ldc) + 4);
        c30.Store(c + (3 * ldc));
        c31.Store(c + (3 * ldc) + 4);
    }

    /// <summary>One row against every 8-wide panel, as <see cref="Gemv256"/> with 128-bit registers (four inputs per step).</summary>
    private static void Gemv128(float* a, float* panels, int kCount, int paddedN, float* bias, float* c)
    {
        for (var p = 0; p < paddedN; p += 8)
        {
            var b = panels + ((long)p * kCount);
            Vector128<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            var k = 0;
            for (; k + 4 <= kCount; k += 4, b += 32)
            {
                var x0 = Vector128.Create(a[k]);
                var x1 = Vector128.Create(a[k + 1]);
                var x2 = Vector128.Create(a[k + 2]);
                var x3 = Vector128.Create(a[k + 3]);
                s0 = Vector128.MultiplyAddEstimate(x0, Vector128.Load(b), s0);
                s1 = Vector128.MultiplyAddEstimate(x0, Vector128.Load(b + 4), s1);
                s2 = Vector128.MultiplyAddEstimate(x1, Vector128.Load(b + 8), s2);
                s3 = Vector128.MultiplyAddEstimate(x1, Vector128.Load(b + 12), s3);
                s4 = Vector128.MultiplyAddEstimate(x2, Vector128.Load(b + 16), s4);
                s5 = Vector128.MultiplyAddEstimate(x2, Vector128.Load(b + 20), s5);
                s6 = Vector128.MultiplyAddEstimate(x3, Vector128.Load(b + 24), s6);
                s7 = Vector128.MultiplyAddEstimate(x3, Vector128.Load(b + 28), s7);
            }

            for (; k < kCount; k++, b += 8)
            {
                var x = Vector128.Create(a[k]);
                s0 = Vector128.MultiplyAddEstimate(x, Vector128.Load(b), s0);
                s1 = Vector128.MultiplyAddEstimate(x, Vector128.Load(b + 4), s1);
            }

            (Vector128.Load(bias + p) + ((s0 + s2) + (s4 + s6))).Store(c + p);
            (Vector128.Load(bias + p + 4) + ((s1 + s3) + (s5 + s7))).Store(c + p + 4);
        }
    }

    /// <summary>Narrow layers on the 128-bit rung: two 4-lane accumulators per dot product, the last k mod 8 inputs in scalar (no read past the row).</summary>
    private static void Dot128(PackedLayer layer, float* w, float* bias, float* a, int lda, int rows, float* c, int ldc)
    {
        var k = layer.K;
        var full = k - (k % 8);
        for (var r = 0; r < rows; r++)
        {
            var x = a + ((long)r * lda);
            for (var n = 0; n < layer.N; n++)
            {
                var wn = w + ((long)n * k);
                Vector128<float> acc0 = default, acc1 = default;
                for (var j = 0; j < full; j += 8)
                {
                    acc0 = Vector128.MultiplyAddEstimate(Vector128.Load(x + j), Vector128.Load(wn + j), acc0);
                    acc1 = Vector128.MultiplyAddEstimate(Vector128.Load(x + j + 4), Vector128.Load(wn + j + 4), acc1);
                }

                var sum = Vector128.Sum(acc0 + acc1);
                for (var j = full; j < k; j++)
                {
                    sum += x[j] * wn[j];
                }

                c[((long)r * ldc) + n] = sum + bias[n];
            }
        }
    }
}
