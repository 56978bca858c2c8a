using System.Buffers;

namespace MLSystemDesign.Inference.Dense;

/// <summary>A compiled linear model or MLP: a chain of <see cref="PackedLayer"/>s and an output head.</summary>
internal sealed unsafe class DenseModel : CompiledModel
{
    /// <summary>Rows pushed through all layers together in a batch: their activations stay in cache.</summary>
    private const int TileRows = 48;

    /// <summary>Rows per tile of a model made only of dot-product layers (a linear model): no activations to keep.</summary>
    private const int DotTileRows = OutputHead.MaxBlockRows;

    private readonly PackedLayer[] _layers;
    private readonly OutputHead _head;
    private readonly int _maxPadded;
    private readonly int _tileRows;

    public DenseModel(ModelDefinition definition, IReadOnlyList<DenseLayer> layers, InferenceOptions options)
        : base(definition, options)
    {
        _layers = layers.Select(l => new PackedLayer(l, options.DenseVectorBits)).ToArray();
        _head = new OutputHead(definition.Signature, definition.Output, definition.TargetCount);
        _maxPadded = _layers.Max(l => l.PaddedN);
        _tileRows = _layers.All(l => l.UsesDot) ? DotTileRows : TileRows;
    }

    public IReadOnlyList<PackedLayer> Layers => _layers;

    protected override void PredictRow(ReadOnlySpan<float> features, Span<float> output)
    {
        var size = 2 * _maxPadded;
        float[]? rented = null;
        var scratch = size <= 4096 ? stackalloc float[size] : (rented = ArrayPool<float>.Shared.Rent(size));
        try
        {
            fixed (float* x = features, s = scratch)
            {
                var margins = Run(x, features.Length, 1, s, _maxPadded);
                _head.Apply(new ReadOnlySpan<float>(margins, _head.Targets), output);
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

    protected override void PredictRows(ReadOnlySpan<float> features, Span<float> output, int rows)
    {
        var width = Signature.InputWidth;
        var outWidth = Signature.OutputWidth;
        var k = _head.Targets;
        var tile = Math.Min(_tileRows, rows);
        var stride = tile * _maxPadded;
        var rented = ArrayPool<float>.Shared.Rent((2 * stride) + (tile * k));
        try
        {
            fixed (float* x = features, s = rented)
            {
                var compact = s + (2 * stride);
                for (var start = 0; start < rows; start += tile)
                {
                    var n = Math.Min(tile, rows - start);
                    var margins = Run(x + ((long)start * width), width, n, s, stride);
                    var ldm = _layers[^1].PaddedN;
                    if (ldm != k)
                    {
                        // Drop the padding columns of the last layer's panels: the head reads k margins per row.
                        for (var r = 0; r < n; r++)
                        {
                            for (var j = 0; j < k; j++)
                            {
                                compact[(r * k) + j] = margins[((long)r * ldm) + j];
                            }
                        }

                        margins = compact;
                    }

                    _head.ApplyBlock(new ReadOnlySpan<float>(margins, n * k), output.Slice(start * outWidth, n * outWidth), n);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>Pushes <paramref name="rows"/> rows through every layer, ping-ponging between two scratch areas; returns the last layer's output (row stride = its padded width).</summary>
    private float* Run(float* x, int lda, int rows, float* scratch, int areaSize)
    {
        var src = x;
        var ld = lda;
        for (var i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            var dst = scratch + ((i & 1) * areaSize);
            DenseKernels.Forward(layer, src, ld, rows, dst, layer.PaddedN);
            src = dst;
            ld = layer.PaddedN;
        }

        return src;
    }
}
