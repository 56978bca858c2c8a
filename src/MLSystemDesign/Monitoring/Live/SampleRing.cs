namespace MLSystemDesign.Monitoring.Live;

/// <summary>
/// A bounded lock-free queue of sampled predictions (Vyukov's bounded MPMC ring, used here with one consumer): many
/// request threads enqueue with one compare-and-swap and no allocation; when full, the enqueue fails at once.
/// </summary>
internal sealed class SampleRing<T>
{
    private readonly Slot[] _slots;
    private readonly float[] _outputs;
    private readonly int _width;
    private readonly long _mask;
    private long _enqueuePosition;
    private long _dequeuePosition;

    public SampleRing(int capacity, int outputWidth)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 2));
        _slots = new Slot[size];
        for (var i = 0; i < size; i++)
        {
            _slots[i].Sequence = i;
        }

        _width = outputWidth;
        _outputs = new float[size * outputWidth];
        _mask = size - 1;
    }

    public int Capacity => _slots.Length;

    public bool TryEnqueue(T record, ReadOnlySpan<float> outputs, Guid id, string? version, long timestamp)
    {
        var position = Volatile.Read(ref _enqueuePosition);
        while (true)
        {
            ref var slot = ref _slots[position & _mask];
            var difference = Volatile.Read(ref slot.Sequence) - position;
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _enqueuePosition, position + 1, position) == position)
                {
                    slot.Record = record;
                    slot.Id = id;
                    slot.Version = version;
                    slot.Timestamp = timestamp;
                    var n = Math.Min(outputs.Length, _width);
                    var target = _outputs.AsSpan((int)(position & _mask) * _width, _width);
                    outputs[..n].CopyTo(target);
                    target[n..].Fill(float.NaN);
                    Volatile.Write(ref slot.Sequence, position + 1);
                    return true;
                }
            }
            else if (difference < 0)
            {
                return false;
            }

            position = Volatile.Read(ref _enqueuePosition);
        }
    }

    /// <summary>Dequeues one item (single consumer). The outputs are copied into <paramref name="outputs"/>.</summary>
    public bool TryDequeue(out T record, Span<float> outputs, out Guid id, out string? version, out long timestamp)
    {
        var position = _dequeuePosition;
        ref var slot = ref _slots[position & _mask];
        if (Volatile.Read(ref slot.Sequence) - (position + 1) < 0)
        {
            record = default!;
            id = default;
            version = null;
            timestamp = 0;
            return false;
        }

        record = slot.Record;
        id = slot.Id;
        version = slot.Version;
        timestamp = slot.Timestamp;
        _outputs.AsSpan((int)(position & _mask) * _width, _width).CopyTo(outputs);
        slot.Record = default!;
        slot.Version = null;
        Volatile.Write(ref slot.Sequence, position + _mask + 1);
        _dequeuePosition = position + 1;
        return true;
    }

    private struct Slot
    {
        public long Sequence;
        public T Record;
        public Guid Id;
        public string? Version;
        public long Timestamp;
    }
}
