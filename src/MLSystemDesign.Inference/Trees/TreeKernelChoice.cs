using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLSystemDesign.Inference.Trees;

/// <summary>The tree kernels a compiled ensemble runs, single row and batch, and why they were chosen.</summary>
/// <param name="Row">The kernel for one row.</param>
/// <param name="Batch">The kernel for batches.</param>
/// <param name="Reason">How the choice was made, in words (pinned, calibrated with the timings, or the CPU table).</param>
internal readonly record struct TreeKernelChoice(TreeKernel Row, TreeKernel Batch, string Reason)
{
    /// <summary>Synthetic rows walked per calibration round.</summary>
    private const int CalibrationRows = 64;

    /// <summary>The budget of one candidate's timing, in microseconds; with at most seven candidates per mode and two modes a calibration stays within a few milliseconds.</summary>
    private const long CandidateBudgetMicroseconds = 250;

    /// <summary>Models with more targets take the table: a calibration pass would walk every target's trees.</summary>
    private const int MaxCalibratedTargets = 16;

    private static readonly TreeKernel[] RowCandidates = [TreeKernel.Avx512Refill8, TreeKernel.Avx512Refill, TreeKernel.Avx512Refill2, TreeKernel.Avx2Permute, TreeKernel.Avx2Gather, TreeKernel.Vector128, TreeKernel.Scalar];

    private static readonly TreeKernel[] BatchCandidates = [TreeKernel.Avx512Refill8, TreeKernel.Avx512Refill, TreeKernel.Avx512Refill2, TreeKernel.Avx2Gather, TreeKernel.Vector128, TreeKernel.Interleaved, TreeKernel.Scalar];

    /// <summary>Chooses: a pinned kernel as asked (or scalar where the CPU lacks it), else a calibration on synthetic rows, else the CPU table.</summary>
    public static TreeKernelChoice Choose(TreeLayout layout, InferenceOptions options)
    {
        if (options.TreeKernel != TreeKernel.Auto)
        {
            var row = TreeKernels.ResolveRow(options.TreeKernel, layout);
            var batch = TreeKernels.ResolveBatch(options.TreeKernel);
            return new(row, batch, row == options.TreeKernel ? $"pinned to {options.TreeKernel}" : $"pinned to {options.TreeKernel}, which this CPU does not support: {row}");
        }

        if (!options.CalibrateTreeKernel || layout.Targets > MaxCalibratedTargets)
        {
            var why = options.CalibrateTreeKernel ? $"more than {MaxCalibratedTargets} targets, not calibrated" : "calibration off";
            return new(TreeKernels.ResolveRow(TreeKernel.Auto, layout), TreeKernels.ResolveBatch(TreeKernel.Auto), $"CPU table ({Cpu()}), {why}");
        }

        return Calibrate(layout);
    }

    /// <summary>The CPU's vendor and family as the table keys them, e.g. <c>AuthenticAMD family 0x19</c>.</summary>
    internal static string Cpu()
    {
        if (!X86Base.IsSupported)
        {
            return Vector128.IsHardwareAccelerated ? "Arm64, 128-bit vectors" : "no vector unit";
        }

        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<int> vendor = [ebx, edx, ecx];
        var name = System.Text.Encoding.ASCII.GetString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vendor));
        var eax = X86Base.CpuId(1, 0).Eax;
        var family = ((eax >> 8) & 0xF) + ((eax >> 20) & 0xFF);
        return $"{name} family 0x{family:x}";
    }

    /// <summary>
    /// Times every supported candidate on the same deterministic synthetic rows (features drawn from the model's own
    /// thresholds, so walks take both branches) and keeps the fastest: each candidate gets one warm-up pass and
    /// passes until <see cref="CandidateBudgetMicroseconds"/> has passed. Every kernel gives the same sums, so the
    /// choice changes speed only.
    /// </summary>
    private static unsafe TreeKernelChoice Calibrate(TreeLayout layout)
    {
        var rows = SyntheticRows(layout);
        var sums = new float[CalibrationRows * layout.Targets];
        var start = Stopwatch.GetTimestamp();
        fixed (float* x = rows, s = sums)
        {
            var (row, rowNs) = Fastest(layout, RowCandidates.Where(k => TreeKernels.ResolveRow(k, layout) == k), batch: false, x, s);
            var (batch, batchNs) = Fastest(layout, BatchCandidates.Where(k => TreeKernels.ResolveBatch(k) == k), batch: true, x, s);
            var took = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            return new(row, batch, $"calibrated in {took:0.0} ms on {Cpu()}: row {row} ({rowNs / CalibrationRows:0} ns per row), batch {batch} ({batchNs / CalibrationRows:0} ns per row)");
        }
    }

    private static unsafe (TreeKernel Kernel, double Nanoseconds) Fastest(TreeLayout layout, IEnumerable<TreeKernel> candidates, bool batch, float* x, float* sums)
    {
        void Pass(TreeKernel kernel)
        {
            if (batch)
            {
                TreeKernels.Block(kernel, layout, x, CalibrationRows, sums);
                return;
            }

            for (var r = 0; r < CalibrationRows; r++)
            {
                TreeKernels.Row(kernel, layout, x + ((long)r * layout.Width), sums);
            }
        }

        var best = (Kernel: TreeKernel.Scalar, Nanoseconds: double.MaxValue);
        foreach (var kernel in candidates)
        {
            Pass(kernel); // warm-up: the first call compiles the kernel
            var passes = 0;
            var start = Stopwatch.GetTimestamp();
            TimeSpan elapsed;
            do
            {
                Pass(kernel);
                passes++;
                elapsed = Stopwatch.GetElapsedTime(start);
            }
            while (elapsed.TotalMicroseconds < CandidateBudgetMicroseconds);

            var ns = elapsed.TotalNanoseconds / passes;
            if (ns < best.Nanoseconds)
            {
                best = (kernel, ns);
            }
        }

        return best;
    }

    /// <summary>Deterministic rows: each feature a threshold of the model's nodes, picked by a fixed seed.</summary>
    private static float[] SyntheticRows(TreeLayout layout)
    {
        var random = new Random(0x5EED);
        var thresholds = layout.Threshold;
        var rows = new float[CalibrationRows * layout.Width];
        for (var i = 0; i < rows.Length; i++)
        {
            var t = thresholds[random.Next(thresholds.Length)];
            rows[i] = float.IsFinite(t) ? t + (random.Next(2) == 0 ? -1e-3f : 1e-3f) : 0f;
        }

        return rows;
    }
}
