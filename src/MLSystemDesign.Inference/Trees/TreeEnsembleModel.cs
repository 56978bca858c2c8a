using System.Buffers;
using System.Numerics.Tensors;

namespace MLSystemDesign.Inference.Trees;

/// <summary>A compiled tree ensemble.</summary>
internal sealed unsafe class TreeEnsembleModel : CompiledModel
{
    /// <summary>The most per-target sums a call keeps on the stack (64 KiB).</summary>
    private const int StackSums = 16_384;

    private readonly OutputHead _head;
    private readonly int _blockRows;

    public TreeEnsembleModel(TreeEnsembleDefinition definition, InferenceOptions options)
        : base(definition, options)
    {
        Layout = TreeLayout.Compile(definition);
        _head = new OutputHead(definition.Signature, definition.Output, Layout.Targets);
        KernelChoice = TreeKernelChoice.Choose(Layout, options);

        // A block's sums live on the stack (at most StackSums floats); a model with more targets than that takes one
        // row per block and its sums from the array pool.
        _blockRows = Math.Clamp(StackSums / Layout.Targets / 16 * 16, 1, TreeKernels.BlockRows);
    }

    public TreeLayout Layout { get; }

    /// <summary>Gets the kernels this model runs and why they were chosen.</summary>
    public TreeKernelChoice KernelChoice { get; }

    public TreeKernel RowKernel => KernelChoice.Row;

    public TreeKernel BatchKernel => KernelChoice.Batch;

    /// <summary>Describes the model: its trees and the kernels chosen, with why.</summary>
    public override string ToString() =>
        $"tree ensemble: {Layout.Roots.Length} trees, {Layout.Width} features, {Layout.Targets} targets; row kernel {RowKernel}, batch kernel {BatchKernel} ({KernelChoice.Reason})";

    protected override void PredictRow(ReadOnlySpan<float> features, Span<float> output)
    {
        var k = Layout.Targets;
        float[]? rented = null;
        var sums = k <= 256 ? stackalloc float[k] : (rented = ArrayPool<float>.Shared.Rent(k)).AsSpan(0, k);
        try
        {
            sums.Clear();
            fixed (float* x = features, s = sums)
            {
                TreeKernels.Row(RowKernel, Layout, x, s);
            }

            ToMargins(sums, 1);
            _head.Apply(sums, output);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    protected override void PredictRows(ReadOnlySpan<float> features, Span<float> output, int rows)
    {
        var k = Layout.Targets;
        var width = Layout.Width;
        var outWidth = Signature.OutputWidth;
        var block = Math.Min(_blockRows, rows);
        var size = block * k;
        float[]? rented = null;
        var sums = size <= StackSums ? stackalloc float[size] : (rented = ArrayPool<float>.Shared.Rent(size)).AsSpan(0, size);
        try
        {
            fixed (float* x = features, s = sums)
            {
                for (var start = 0; start < rows; start += block)
                {
                    var n = Math.Min(block, rows - start);
                    var blockSums = sums[..(n * k)];
                    blockSums.Clear();
                    TreeKernels.Block(BatchKernel, Layout, x + ((long)start * width), n, s);
                    ToMargins(blockSums, n);
                    _head.ApplyBlock(blockSums, output.Slice(start * outWidth, n * outWidth), n);
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    /// <summary>margin = base + scale · sum, in place.</summary>
    private void ToMargins(Span<float> sums, int rows)
    {
        var k = Layout.Targets;
        if (k == 1)
        {
            if (Layout.Scales[0] != 1f)
            {
                TensorPrimitives.Multiply(sums, Layout.Scales[0], sums);
            }

            TensorPrimitives.Add(sums, Layout.BaseScores[0], sums);
            return;
        }

        for (var r = 0; r < rows; r++)
        {
            var row = sums.Slice(r * k, k);
            TensorPrimitives.MultiplyAdd(row, Layout.Scales, Layout.BaseScores, row);
        }
    }
}
