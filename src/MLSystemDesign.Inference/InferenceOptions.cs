using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Inference;

/// <summary>
/// Options of compiled models. Defaults suit a request path: one thread per call, no allocation. Validated by
/// <see cref="InferenceOptionsValidator"/> when the host starts (<c>AddInference</c>) and when a model is compiled or a
/// format is created with them.
/// </summary>
public sealed class InferenceOptions
{
    /// <summary>The largest accepted <see cref="DegreeOfParallelism"/>.</summary>
    public const int MaxDegreeOfParallelism = 256;

    /// <summary>
    /// Gets or sets how many threads a batch may use. Default 1: a batch runs on the calling thread and allocates nothing.
    /// Above 1, batches of at least <see cref="MinRowsPerThread"/> rows per thread are split over the thread pool
    /// (which allocates a little per call). 1 to <see cref="MaxDegreeOfParallelism"/>.
    /// </summary>
    [Range(1, MaxDegreeOfParallelism)]
    public int DegreeOfParallelism { get; set; } = 1;

    /// <summary>Gets or sets the fewest rows each thread of a parallel batch gets. Default 2048; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int MinRowsPerThread { get; set; } = 2048;

    /// <summary>The default <see cref="MaxInputWidth"/>: 2^20 features, scikit-learn's default for hashed feature spaces (<c>HashingVectorizer.n_features</c>).</summary>
    public const int DefaultMaxInputWidth = 1 << 20;

    /// <summary>The default <see cref="MaxOutputWidth"/>: 2^16 outputs, three times the 21,841 classes of ImageNet-21k.</summary>
    public const int DefaultMaxOutputWidth = 1 << 16;

    /// <summary>
    /// Gets or sets the widest input a loaded or compiled model may declare. A model file declares its input width, and
    /// every caller sizes its rows by it, so a forged width must not reach them. Default
    /// <see cref="DefaultMaxInputWidth"/>; at least 1.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxInputWidth { get; set; } = DefaultMaxInputWidth;

    /// <summary>
    /// Gets or sets the most outputs (classes) a loaded or compiled model may declare; the compiled model keeps per-output
    /// state and every caller sizes its output rows by it. Default <see cref="DefaultMaxOutputWidth"/>; at least 1.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxOutputWidth { get; set; } = DefaultMaxOutputWidth;

    /// <summary>
    /// Gets or sets the tree kernel a compiled tree ensemble runs. Default <see cref="TreeKernel.Auto"/>: chosen per model
    /// when it is compiled, by calibration (<see cref="CalibrateTreeKernel"/>) or by the CPU table. Any other value pins
    /// that kernel (a kernel the CPU does not support falls back to <see cref="TreeKernel.Scalar"/>). Every kernel gives
    /// the same results; only speed differs. The choice and why are in the compiled model's <c>ToString()</c>.
    /// </summary>
    [EnumDataType(typeof(TreeKernel))]
    public TreeKernel TreeKernel { get; set; } = TreeKernel.Auto;

    /// <summary>
    /// Gets or sets whether <see cref="TreeKernel.Auto"/> times the supported kernels on 64 deterministic synthetic rows
    /// when a tree ensemble is compiled (about 250 µs per kernel, a few milliseconds in all) and keeps the fastest.
    /// Models of more than 16 targets are not calibrated. Default <see langword="false"/>: the kernel comes from a table
    /// keyed on the CPU's instruction sets, measured on Intel (Sapphire Rapids) and AMD (Zen 4) in docs/benchmarks.md,
    /// so no timing runs at compile time and every compile on a machine runs the same kernel. Kernels add leaves in
    /// different orders, so two kernels agree to float rounding, not bit for bit: turn calibration on where speed
    /// matters more than bit-identical outputs across processes.
    /// </summary>
    public bool CalibrateTreeKernel { get; set; }

    /// <summary>Checks declared widths against <see cref="MaxInputWidth"/> and <see cref="MaxOutputWidth"/>; the message names the option to raise.</summary>
    /// <exception cref="ArgumentException">A width is above its limit.</exception>
    internal void CheckWidths(long inputWidth, long outputWidth)
    {
        if (inputWidth > MaxInputWidth)
        {
            throw new ArgumentException($"the model declares {inputWidth} features; {nameof(InferenceOptions)}.{nameof(MaxInputWidth)} allows {MaxInputWidth}.");
        }

        if (outputWidth > MaxOutputWidth)
        {
            throw new ArgumentException($"the model declares {outputWidth} outputs; {nameof(InferenceOptions)}.{nameof(MaxOutputWidth)} allows {MaxOutputWidth}.");
        }
    }

    /// <summary>Gets or sets the widest vectors the dense kernels may use, in bits (0: the widest the CPU accelerates); tests and benchmarks force the narrower rungs with it.</summary>
    internal int DenseVectorBits { get; set; }

    internal InferenceOptions Clone() => new()
    {
        DegreeOfParallelism = DegreeOfParallelism,
        MinRowsPerThread = MinRowsPerThread,
        MaxInputWidth = MaxInputWidth,
        MaxOutputWidth = MaxOutputWidth,
        TreeKernel = TreeKernel,
        CalibrateTreeKernel = CalibrateTreeKernel,
        DenseVectorBits = DenseVectorBits,
    };
}

/// <summary>Validates <see cref="InferenceOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class InferenceOptionsValidator : IValidateOptions<InferenceOptions>;

/// <summary>The tree-walking kernels of compiled tree ensembles; chosen per model (<see cref="InferenceOptions.TreeKernel"/>), or pinned.</summary>
public enum TreeKernel
{
    /// <summary>The fastest kernel the CPU supports.</summary>
    Auto,

    /// <summary>One tree (one row) at a time with a data-dependent loop: the reference and the fallback without SIMD.</summary>
    Scalar,

    /// <summary>Four trees (single row) or four rows (batch) walked together in scalar registers, branch-free.</summary>
    Interleaved,

    /// <summary>AVX2: eight lanes per vector, node data and features fetched with hardware gathers.</summary>
    Avx2Gather,

    /// <summary>AVX2 with the features of a single row held in a register and fetched by permute (rows of at most 8 features).</summary>
    Avx2Permute,

    /// <summary>AVX-512: sixteen lanes per vector; features by permute (up to 32 features), node data by paired AVX2 gathers.</summary>
    Avx512,

    /// <summary>AVX-512 with lane refill: a lane that reaches a leaf takes the next tree's root at once; four independent 16-lane walks (quarters of the trees, or four rows); one 64-bit gather per node.</summary>
    Avx512Refill,

    /// <summary>As <see cref="Avx512Refill"/> with two independent walks (halves of the trees, or two rows).</summary>
    Avx512Refill2,

    /// <summary>Lane refill with four independent walks of 8 lanes (AVX-512VL on 256-bit vectors): the same lanes as two 16-lane walks, twice the independent gathers in flight.</summary>
    Avx512Refill8,

    /// <summary>The 128-bit rung (NEON on Arm64, SSE on x64): four lanes per vector, node data and features by scalar loads (no hardware gather); a group's 16 trees as four vectors (one row) or four rows in the lanes (batch).</summary>
    Vector128,
}
