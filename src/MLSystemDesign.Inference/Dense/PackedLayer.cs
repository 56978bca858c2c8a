using System.Runtime.Intrinsics;

namespace MLSystemDesign.Inference.Dense;

/// <summary>
/// A dense layer laid out for the kernels. Wide layers (more than <see cref="DotMaxOutputs"/> outputs) store their
/// weights transposed in column panels: panel <c>p</c> holds <c>W[p·NR .. p·NR+NR-1, k]</c> for every input <c>k</c>
/// as <c>K × NR</c> contiguous floats, so a GEMM micro-kernel streams one panel while broadcasting inputs, and a
/// GEMV streams the same panels. NR is the register width chosen for this CPU (32 with AVX-512, 16 with AVX2, 8
/// with 128-bit vectors or none); outputs past <c>N</c> in the last panel have zero weights and biases. Narrow layers (a linear model's
/// one to four margins) keep <c>W</c> row-major and use dot products.
/// </summary>
internal sealed class PackedLayer
{
    /// <summary>Layers with at most this many outputs use dot products instead of panels.</summary>
    public const int DotMaxOutputs = 4;

    /// <summary>Packs <paramref name="layer"/> for the widest vectors the CPU accelerates, or at most <paramref name="maxVectorBits"/> (0: no cap; tests and benchmarks force the narrower rungs).</summary>
    public PackedLayer(DenseLayer layer, int maxVectorBits = 0)
    {
        var widest = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
        VectorBits = maxVectorBits > 0 ? Math.Min(widest, maxVectorBits) : widest;
        K = layer.Inputs;
        N = layer.Outputs;
        Activation = layer.Activation;
        Alpha = layer.Alpha;
        var weights = layer.Weights.Span;
        if (N <= DotMaxOutputs)
        {
            NR = 1;
            PaddedN = N;
            RowMajor = weights.ToArray();
            Bias = layer.Bias.ToArray();
            Panels = [];
            return;
        }

        NR = VectorBits == 512 ? 32 : VectorBits == 256 ? 16 : 8;
        PaddedN = (N + NR - 1) / NR * NR;
        Bias = new float[PaddedN];
        layer.Bias.Span.CopyTo(Bias);
        Panels = new float[(long)PaddedN * K];
        FiniteWeights = true;
        foreach (var weight in weights)
        {
            FiniteWeights &= float.IsFinite(weight);
        }

        for (var n = 0; n < N; n++)
        {
            var panel = n / NR;
            var lane = n % NR;
            var row = weights.Slice(n * K, K);
            var baseIndex = (long)panel * K * NR;
            for (var k = 0; k < K; k++)
            {
                Panels[baseIndex + ((long)k * NR) + lane] = row[k];
            }
        }
    }

    /// <summary>Gets the vector width the kernels use for this layer, in bits: 512, 256, 128, or 0 (scalar).</summary>
    public int VectorBits { get; }

    /// <summary>Gets the input width.</summary>
    public int K { get; }

    /// <summary>Gets the output width.</summary>
    public int N { get; }

    /// <summary>Gets the output width rounded up to whole panels: the row stride of this layer's outputs.</summary>
    public int PaddedN { get; }

    /// <summary>Gets the panel width (1 for dot-product layers).</summary>
    public int NR { get; }

    /// <summary>Gets the panel-packed weights (empty for dot-product layers).</summary>
    public float[] Panels { get; }

    /// <summary>Gets the row-major weights of a dot-product layer.</summary>
    public float[]? RowMajor { get; }

    /// <summary>Gets the biases, zero-padded to <see cref="PaddedN"/>.</summary>
    public float[] Bias { get; }

    /// <summary>Gets whether every weight is finite, so that a zero input contributes exactly zero and may be skipped.</summary>
    public bool FiniteWeights { get; }

    public Activation Activation { get; }

    public float Alpha { get; }

    public bool UsesDot => RowMajor is not null;
}
