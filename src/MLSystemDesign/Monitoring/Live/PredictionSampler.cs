using System.Runtime.CompilerServices;

namespace MLSystemDesign.Monitoring.Live;

/// <summary>
/// The request-path half of a monitor: counts every observed prediction, keeps every k-th (k = 1/sample rate), and
/// queues it with its clock timestamp into a bounded lock-free ring; when the ring is full the sample is dropped and
/// counted. Never blocks and allocates nothing. The monitor drains the ring off the request path.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class PredictionSampler<T>
{
    private readonly SampleRing<T> _ring;
    private readonly TimeProvider _time;
    private readonly long _sampleEvery;
    private long _observed;
    private long _dropped;

    public PredictionSampler(double sampleRate, int capacity, int outputWidth, TimeProvider time)
    {
        _ring = new SampleRing<T>(capacity, outputWidth);
        _time = time;
        _sampleEvery = Math.Max(1, (long)Math.Round(1 / sampleRate));
    }

    /// <summary>Gets how many predictions were observed, sampled or not.</summary>
    public long ObservedCount => Volatile.Read(ref _observed);

    /// <summary>Gets how many sampled predictions were dropped because the ring was full.</summary>
    public long DroppedCount => Volatile.Read(ref _dropped);

    /// <summary>Observes one prediction; returns whether it was sampled and queued.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Observe(T record, ReadOnlySpan<float> outputs, Guid predictionId, string? modelVersion)
    {
        var n = Interlocked.Increment(ref _observed);
        if (_sampleEvery > 1 && n % _sampleEvery != 0)
        {
            return false;
        }

        if (_ring.TryEnqueue(record, outputs, predictionId, modelVersion, _time.GetTimestamp()))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Takes the oldest queued sample (one consumer at a time); its outputs are copied into <paramref name="outputs"/>.</summary>
    public bool TryTake(out T record, Span<float> outputs, out Guid predictionId, out string? modelVersion, out long timestamp) =>
        _ring.TryDequeue(out record, outputs, out predictionId, out modelVersion, out timestamp);
}
