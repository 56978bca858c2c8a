using System.Collections.Concurrent;
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
    private readonly ConcurrentBag<ParallelBatch> _jobs = [];

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

        fixed (float* f = features, o = output)
        {
            if (!_jobs.TryTake(out var job))
            {
                job = new ParallelBatch(this);
            }

            job.Run((nint)f, (nint)o, rows, chunks);
            _jobs.Add(job);
        }
    }

    /// <summary>Predicts one row; the spans have been checked.</summary>
    protected abstract void PredictRow(ReadOnlySpan<float> features, Span<float> output);

    /// <summary>Predicts <paramref name="rows"/> rows on the calling thread; the spans have been checked.</summary>
    protected abstract void PredictRows(ReadOnlySpan<float> features, Span<float> output, int rows);

    /// <summary>
    /// One parallel batch, reused across calls so a parallel batch allocates nothing: the caller and up to
    /// <c>chunks - 1</c> thread-pool workers take chunk numbers from a shared counter until none are left; the caller
    /// waits until every queued worker has finished before the job goes back to the pool.
    /// </summary>
    private sealed class ParallelBatch(CompiledModel model) : IThreadPoolWorkItem, IDisposable
    {
        private readonly CountdownEvent _workersDone = new(1);
        private nint _features;
        private nint _output;
        private int _rows;
        private int _chunks;
        private int _perChunk;
        private int _next;

        public void Run(nint features, nint output, int rows, int chunks)
        {
            _features = features;
            _output = output;
            _rows = rows;
            _chunks = chunks;
            _perChunk = (rows + chunks - 1) / chunks;
            _next = 0;
            _workersDone.Reset(chunks - 1);
            for (var i = 1; i < chunks; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }

            TakeChunks();
            _workersDone.Wait();
        }

        public void Execute()
        {
            try
            {
                TakeChunks();
            }
            finally
            {
                _workersDone.Signal();
            }
        }

        public void Dispose() => _workersDone.Dispose();

        private void TakeChunks()
        {
            var width = model.Signature.InputWidth;
            var outWidth = model.Signature.OutputWidth;
            int c;
            while ((c = Interlocked.Increment(ref _next) - 1) < _chunks)
            {
                var start = c * _perChunk;
                var n = Math.Min(_perChunk, _rows - start);
                if (n > 0)
                {
                    model.PredictRows(
                        new ReadOnlySpan<float>((float*)_features + ((long)start * width), n * width),
                        new Span<float>((float*)_output + ((long)start * outWidth), n * outWidth),
                        n);
                }
            }
        }
    }
}
