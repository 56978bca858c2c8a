using System.Buffers;
using System.Runtime.InteropServices;

namespace MLSystemDesign.Monitoring.Statistics;

/// <summary>
/// Sorts doubles (no NaN) ascending: an LSD radix sort on order-preserving 64-bit keys (8 passes of 8 bits, passes whose
/// digit is the same for every key skipped) for large inputs, the framework's introsort for small ones. On a million
/// values it is several times faster than a comparison sort, which is what two-sample tests spend most of their time on.
/// </summary>
internal static class DoubleSort
{
    private const int RadixThreshold = 4096;

    public static void Sort(Span<double> values)
    {
        if (values.Length < RadixThreshold)
        {
            values.Sort();
            return;
        }

        var keys = MemoryMarshal.Cast<double, ulong>(values);
        var rented = ArrayPool<ulong>.Shared.Rent(values.Length);
        try
        {
            var scratch = rented.AsSpan(0, values.Length);
            Span<int> counts = stackalloc int[8 * 256];
            counts.Clear();
            for (var i = 0; i < keys.Length; i++)
            {
                var k = ToKey(keys[i]);
                keys[i] = k;
                for (var d = 0; d < 8; d++)
                {
                    counts[(d << 8) | (int)((k >> (d * 8)) & 0xFF)]++;
                }
            }

            Span<ulong> source = keys;
            Span<ulong> target = scratch;
            for (var d = 0; d < 8; d++)
            {
                var digitCounts = counts.Slice(d << 8, 256);
                if (digitCounts[(int)((source[0] >> (d * 8)) & 0xFF)] == source.Length)
                {
                    continue; // every key has the same digit here
                }

                var offset = 0;
                for (var b = 0; b < 256; b++)
                {
                    var c = digitCounts[b];
                    digitCounts[b] = offset;
                    offset += c;
                }

                var shift = d * 8;
                for (var i = 0; i < source.Length; i++)
                {
                    var k = source[i];
                    target[digitCounts[(int)((k >> shift) & 0xFF)]++] = k;
                }

                var swap = source;
                source = target;
                target = swap;
            }

            for (var i = 0; i < source.Length; i++)
            {
                keys[i] = FromKey(source[i]);
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    /// <summary>Maps a double's bits to an unsigned key with the same order: flip all bits of negatives, the sign bit of the rest.</summary>
    private static ulong ToKey(ulong bits) => (bits & 0x8000000000000000UL) != 0 ? ~bits : bits | 0x8000000000000000UL;

    private static ulong FromKey(ulong key) => (key & 0x8000000000000000UL) != 0 ? key & 0x7FFFFFFFFFFFFFFFUL : ~key;
}
