using System.Collections.Frozen;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLSystemDesign.Features.Internal;

/// <summary>
/// Maps a category to its one-hot slot. Category codes are usually short (airport, country, state and currency codes),
/// so categories of up to four UTF-16 characters are packed exactly into a 64-bit key and found in an open-addressing
/// table per length: no string hashing and no string comparison. Longer categories go through a
/// <see cref="FrozenDictionary{TKey,TValue}"/>. Immutable after construction; safe to read from many threads.
/// </summary>
internal sealed class CategoryIndex
{
    private const int MaxPackedLength = 4;

    // Per length 0..4: keys and slots in a power-of-two table; empty buckets hold slot -1.
    private readonly ulong[][] _keys = new ulong[MaxPackedLength + 1][];
    private readonly int[][] _slots = new int[MaxPackedLength + 1][];
    private readonly int[] _shift = new int[MaxPackedLength + 1];
    private readonly FrozenDictionary<string, int> _long;

    public CategoryIndex(IReadOnlyList<string> vocabulary)
    {
        var longOnes = new Dictionary<string, int>(StringComparer.Ordinal);
        var byLength = new List<(ulong Key, int Slot)>[MaxPackedLength + 1];
        for (var i = 0; i < byLength.Length; i++)
        {
            byLength[i] = [];
        }

        for (var slot = 0; slot < vocabulary.Count; slot++)
        {
            var category = vocabulary[slot];
            if (category.Length <= MaxPackedLength)
            {
                byLength[category.Length].Add((Pack(category), slot));
            }
            else
            {
                longOnes[category] = slot;
            }
        }

        for (var length = 0; length <= MaxPackedLength; length++)
        {
            // Load factor at most 1/2 keeps probe chains short.
            var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, byLength[length].Count * 2));
            var keys = new ulong[size];
            var slots = new int[size];
            Array.Fill(slots, -1);
            var shift = 64 - BitOperations.Log2((uint)size);
            foreach (var (key, slot) in byLength[length])
            {
                var bucket = Bucket(key, shift);
                while (slots[bucket] >= 0)
                {
                    bucket = (bucket + 1) & (size - 1);
                }

                keys[bucket] = key;
                slots[bucket] = slot;
            }

            _keys[length] = keys;
            _slots[length] = slots;
            _shift[length] = shift;
        }

        _long = longOnes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Gets the slot of a category, or -1 when it is not in the vocabulary.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(string category)
    {
        var length = category.Length;
        if (length > MaxPackedLength)
        {
            return _long.TryGetValue(category, out var found) ? found : -1;
        }

        var key = Pack(category);
        var keys = _keys[length];
        var slots = _slots[length];
        var mask = keys.Length - 1;
        var bucket = Bucket(key, _shift[length]);
        while (true)
        {
            var slot = slots[bucket];
            if (slot < 0 || keys[bucket] == key)
            {
                return slot;
            }

            bucket = (bucket + 1) & mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Pack(string s) => s.Length switch
    {
        0 => 0,
        1 => s[0],
        2 => s[0] | ((ulong)s[1] << 16),
        3 => s[0] | ((ulong)s[1] << 16) | ((ulong)s[2] << 32),
        _ => s[0] | ((ulong)s[1] << 16) | ((ulong)s[2] << 32) | ((ulong)s[3] << 48),
    };

    // Fibonacci hashing: multiply by 2^64/φ and keep the top bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bucket(ulong key, int shift) => (int)((key * 0x9E3779B97F4A7C15UL) >> shift);
}
