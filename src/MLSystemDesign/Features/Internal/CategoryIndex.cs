using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLSystemDesign.Features.Internal;

/// <summary>
/// The slot of each category of a learned vocabulary: an exact string → slot map, immutable and safe to read from any
/// number of threads. Built for the per-record lookup of one-hot encoding, where the categories are mostly short codes
/// (airports, carriers, states): a category of up to three characters is its own 64-bit key (its UTF-16 code units and
/// its length), so finding it is a multiply, a shift and one compare of a four-key bucket, with no string comparison and
/// no branch that depends on where in the bucket the key sits. Longer categories key on the string's hash and are
/// confirmed with an ordinal comparison.
/// </summary>
/// <remarks>
/// Buckets of four keys (32 bytes, compared at once with one 256-bit compare), at most half full overall, hashed by
/// Fibonacci multiplication (top bits of <c>key × 2⁶⁴/φ</c>); a full bucket overflows into the next. Linear probing over
/// single entries was measured first: its probe count, and so its branch mispredictions, depended on the order the
/// vocabulary was inserted in (on 1,000,000 flight origins, 4.3 ns per lookup in frequency order but 10.8 ns in
/// alphabetical order; the buckets take 3.6 and 4.8 ns, docs/benchmarks.md). The table only ever holds the vocabulary,
/// so unknown categories cannot lengthen a probe; string hashes are randomized per process, so the layout is never
/// persisted (the vocabulary is).
/// </remarks>
internal sealed class CategoryIndex
{
    private const int BucketSize = 4;
    private const ulong Fibonacci = 0x9E3779B97F4A7C15UL;

    /// <summary>The top byte of a hashed (longer than three characters) key; short keys carry their length (0–3) there.</summary>
    private const ulong HashedTag = 0xFFUL << 56;

    /// <summary>An empty entry: its top byte is neither a short length nor the hashed tag.</summary>
    private const ulong Empty = 0xFEUL << 56;

    private readonly ulong[] _keys;
    private readonly int[] _slots;
    private readonly string[] _vocabulary;
    private readonly int _shift;
    private readonly int _bucketMask;

    /// <summary>Builds the index; slot <c>i</c> is <c>vocabulary[i]</c>.</summary>
    /// <param name="vocabulary">Distinct categories.</param>
    /// <param name="feature">The feature's name, for the error.</param>
    /// <exception cref="FeaturePipelineMismatchException">A category is listed twice.</exception>
    public CategoryIndex(IReadOnlyList<string> vocabulary, string feature)
    {
        _vocabulary = [.. vocabulary];
        var bits = 1;
        while ((BucketSize << bits) < 2 * _vocabulary.Length)
        {
            bits++;
        }

        _keys = new ulong[BucketSize << bits];
        _slots = new int[_keys.Length];
        Array.Fill(_keys, Empty);
        _shift = 64 - bits;
        _bucketMask = (1 << bits) - 1;
        for (var slot = 0; slot < _vocabulary.Length; slot++)
        {
            var category = _vocabulary[slot];
            var key = Key(category);
            for (var bucket = Home(key); ; bucket = (bucket + 1) & _bucketMask)
            {
                var free = -1;
                for (var entry = bucket * BucketSize; entry < (bucket + 1) * BucketSize; entry++)
                {
                    if (_keys[entry] == Empty)
                    {
                        free = free < 0 ? entry : free;
                    }
                    else if (_keys[entry] == key && string.Equals(_vocabulary[_slots[entry]], category, StringComparison.Ordinal))
                    {
                        throw new FeaturePipelineMismatchException($"Feature '{feature}': the vocabulary lists '{category}' twice.");
                    }
                }

                if (free >= 0)
                {
                    _keys[free] = key;
                    _slots[free] = slot;
                    break;
                }
            }
        }
    }

    /// <summary>Gets the number of categories; <see cref="Find"/> returns it for a category outside the vocabulary.</summary>
    public int Count => _vocabulary.Length;

    /// <summary>Gets the categories in slot order.</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    /// <summary>Finds a category's slot.</summary>
    /// <param name="category">The category.</param>
    /// <returns>Its slot, or <see cref="Count"/> when the vocabulary does not hold it.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(string category)
    {
        var key = Key(category);
        if (key < HashedTag && Vector256.IsHardwareAccelerated)
        {
            // Short keys are exact: the first equal key is the category. Most lookups end in the home bucket.
            for (var bucket = Home(key); ; bucket = (bucket + 1) & _bucketMask)
            {
                var keys = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_keys), (nuint)(bucket * BucketSize));
                var hits = Vector256.Equals(keys, Vector256.Create(key)).ExtractMostSignificantBits();
                if (hits != 0)
                {
                    return _slots[(bucket * BucketSize) + BitOperations.TrailingZeroCount(hits)];
                }

                if (Vector256.EqualsAny(keys, Vector256.Create(Empty)))
                {
                    return _vocabulary.Length;
                }
            }
        }

        return FindAny(category, key);
    }

    /// <summary>Any key, entry by entry; an equal hashed key is confirmed by comparing the strings.</summary>
    private int FindAny(string category, ulong key)
    {
        for (var bucket = Home(key); ; bucket = (bucket + 1) & _bucketMask)
        {
            var hasEmpty = false;
            for (var entry = bucket * BucketSize; entry < (bucket + 1) * BucketSize; entry++)
            {
                var candidate = _keys[entry];
                if (candidate == key && (key < HashedTag || string.Equals(_vocabulary[_slots[entry]], category, StringComparison.Ordinal)))
                {
                    return _slots[entry];
                }

                hasEmpty |= candidate == Empty;
            }

            if (hasEmpty)
            {
                return _vocabulary.Length;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(ulong key) => (int)((key * Fibonacci) >> _shift);

    /// <summary>Up to three characters: the code units and the length, exactly; longer: a tagged hash of the string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Key(string category)
    {
        ref var units = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(category.AsSpan()));
        return category.Length switch
        {
            0 => 0,
            1 => Unsafe.ReadUnaligned<ushort>(ref units) | (1UL << 56),
            2 => Unsafe.ReadUnaligned<uint>(ref units) | (2UL << 56),
            3 => Unsafe.ReadUnaligned<uint>(ref units) | ((ulong)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref units, 4)) << 32) | (3UL << 56),
            _ => (uint)category.GetHashCode() | (((ulong)(uint)category.Length << 32) & 0x00FF_FFFF_0000_0000UL) | HashedTag,
        };
    }
}
