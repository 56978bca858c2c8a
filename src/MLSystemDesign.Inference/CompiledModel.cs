using MLSystemDesign.Models;

namespace MLSystemDesign.Inference;

/// <summary>
/// The base of every compiled model: checks spans, and splits large batches over threads when
/// <see cref="InferenceOptions.DegreeOfParallelism"/> allows. Immutable and safe for concurrent calls.
/// </summary>
internal abstract unsafe class CompiledModel : IModel
{
    private readonly int _dop;
    private readonly int _minRows;

    protected CompiledModel(ModelDefinition definition, InferenceOptions options)
    {
        Definition = definition;
        _dop = options.DegreeOfParallelism;
        _minRows = options.MinRowsPerThread;
    }

    public ModelSignature Signature => Definition.Signature;

    /// <summary>Gets the definition the model was compiled from (what the <c>mlsd</c> format saves).</summary>
    public ModelDefinition Definition { get; }

    public void Predict(ReadOnlySpan<float> features, Span<float> output)
    {
        Signature.ValidateRow(features, output);
        PredictRow(features, output);
    }

    public void PredictBatch(ReadOnlySpan<float> features, Span<float> output)
    {
        var rows = Signature.ValidateBatch(features, output);
        if (rows == 0)
        {
            return;
        }

        var chunks = Math.Min(_dop, rows / _minRows);
        if (chunks < 2)
        {
            PredictRows(features, output, rows);
            return;
        }

        var width = Signature.InputWidth;
        var outWidth = Signature.OutputWidth;
        var perChunk = (rows + chunks - 1) / chunks;
        fixed (float* f = features, o = output)
        {
            var fp = (nint)f;
            var op = (nint)o;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _dop }, c =>
            {
                var start = c * perChunk;
                var n = Math.Min(perChunk, rows - start);
                if (n > 0)
                {
                    PredictRows(
                        new ReadOnlySpan<float>((float*)fp + ((long)start * width), n * width),
                        new Span<float>((float*)op + ((long)start * outWidth), n * outWidth),
                        n);
                }
            });
        }
    }

    /// <summary>Predicts one row; the spans have been checked.</summary>
    protected abstract void PredictRow(ReadOnlySpan<float> features, Span<float> output);

    /// <summary>Predicts <paramref name="rows"/> rows on the calling thread; the spans have been checked.</summary>
    protected abstract void PredictRows(ReadOnlySpan<float> features, Span<float> output, int rows);
}
