using System.Buffers.Binary;
using System.Text;

namespace MLSystemDesign.Testing.Fuzzing;

/// <summary>One mutated copy of a valid input, with a description that reproduces it.</summary>
/// <param name="Description">What was changed, e.g. <c>flip byte 117 ^ 0x40</c>.</param>
/// <param name="Bytes">The mutated file content.</param>
public sealed record Mutation(string Description, byte[] Bytes)
{
    /// <inheritdoc />
    public override string ToString() => Description;
}

/// <summary>
/// Deterministic mutations of a valid file, for reader fuzz tests: single-byte flips, truncations (at every structural
/// offset the caller names, then at random ones), length-like fields overwritten with −1, 2^31−1 and other huge values,
/// duplicated and zeroed sections; and, for text formats, edits that hit their syntax (delimiters, quotes, line breaks,
/// extreme numbers, invalid UTF-8). The same seed gives the same list.
/// </summary>
public static class Mutations
{
    private static readonly int[] HugeInt32 = [-1, int.MaxValue, int.MinValue, 0x40000000, 0x00FFFFFF, 65_536];

    /// <summary>Mutations of a binary file.</summary>
    /// <param name="valid">The valid file.</param>
    /// <param name="seed">The seed: the same seed gives the same mutations.</param>
    /// <param name="count">How many mutations in all.</param>
    /// <param name="structuralOffsets">
    /// Offsets where the format's structure lies (headers, length and count fields, section starts): every one is also
    /// a truncation point and a place where a length field is overwritten. Random offsets are used besides.
    /// </param>
    public static IReadOnlyList<Mutation> Binary(ReadOnlySpan<byte> valid, int seed, int count, IReadOnlyList<int>? structuralOffsets = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var source = valid.ToArray();
        var random = new Random(seed);
        var result = new List<Mutation>(count);
        var offsets = (structuralOffsets ?? []).Where(o => o >= 0 && o < source.Length).Distinct().Order().ToArray();

        // Every structural offset once as a truncation point and once as a 32-bit length field set to a huge value.
        foreach (var offset in offsets)
        {
            if (result.Count >= count / 2) break;
            result.Add(new($"truncate at structural offset {offset}", source[..offset]));
            if (offset + 4 <= source.Length)
            {
                var value = HugeInt32[result.Count % HugeInt32.Length];
                result.Add(OverwriteInt32(source, offset, value));
            }
        }

        while (result.Count < count)
        {
            result.Add((random.Next(100), source.Length) switch
            {
                (_, 0) => new("empty file", []),
                ( < 45, _) => Flip(source, random),
                ( < 65, _) => Truncate(source, random),
                ( < 80, _) => OverwriteInt32(source, random.Next(Math.Max(1, source.Length - 3)), HugeInt32[random.Next(HugeInt32.Length)]),
                ( < 90, _) => Duplicate(source, random),
                _ => Zero(source, random),
            });
        }

        return result;
    }

    /// <summary>Mutations of a text file (CSV, JSON Lines): the binary mutations plus edits that hit text syntax.</summary>
    /// <param name="valid">The valid file.</param>
    /// <param name="seed">The seed: the same seed gives the same mutations.</param>
    /// <param name="count">How many mutations in all (half binary, half textual).</param>
    public static IReadOnlyList<Mutation> Text(ReadOnlySpan<byte> valid, int seed, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var source = valid.ToArray();
        var random = new Random(seed);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == (byte)'\n' && i + 1 < source.Length) lineStarts.Add(i + 1);
        }

        var binaryCount = count / 2;
        var result = new List<Mutation>(Binary(source, seed, binaryCount, lineStarts.Take(8).ToArray()));
        string[] syntax = ["\"", ",", "\n", "\r", "{", "}", "[", "]", ":", "\\", "\0", "\t", "\"\"", ",,,,"];
        string[] numbers = ["1e39", "-1e39", "NaN", "Infinity", "-0", "99999999999999999999999", "2147483648", "-2147483649", "0x1F", "1,5", ""];
        byte[][] badUtf8 = [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]];
        while (result.Count < count)
        {
            var at = source.Length == 0 ? 0 : random.Next(source.Length);
            result.Add(random.Next(5) switch
            {
                0 => Insert(source, at, Encoding.UTF8.GetBytes(syntax[random.Next(syntax.Length)]), "syntax"),
                1 => ReplaceNumber(source, random, numbers[random.Next(numbers.Length)]),
                2 => Insert(source, at, badUtf8[random.Next(badUtf8.Length)], "invalid UTF-8"),
                3 => DuplicateLine(source, lineStarts, random),
                _ => DeleteLine(source, lineStarts, random),
            });
        }

        return result;
    }

    private static Mutation Flip(byte[] source, Random random)
    {
        var at = random.Next(source.Length);
        var mask = (byte)random.Next(1, 256);
        var bytes = (byte[])source.Clone();
        bytes[at] ^= mask;
        return new($"flip byte {at} ^ 0x{mask:X2}", bytes);
    }

    private static Mutation Truncate(byte[] source, Random random)
    {
        var length = random.Next(source.Length);
        return new($"truncate to {length} bytes", source[..length]);
    }

    private static Mutation OverwriteInt32(byte[] source, int offset, int value)
    {
        var bytes = (byte[])source.Clone();
        var length = Math.Min(4, bytes.Length - offset);
        Span<byte> le = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(le, value);
        le[..length].CopyTo(bytes.AsSpan(offset));
        return new($"int32 at {offset} = {value}", bytes);
    }

    private static Mutation Duplicate(byte[] source, Random random)
    {
        var start = random.Next(source.Length);
        var length = Math.Min(source.Length - start, 1 + random.Next(Math.Max(1, source.Length / 8)));
        var bytes = new byte[source.Length + length];
        source.AsSpan(0, start + length).CopyTo(bytes);
        source.AsSpan(start, length).CopyTo(bytes.AsSpan(start + length));
        source.AsSpan(start + length).CopyTo(bytes.AsSpan(start + 2 * length));
        return new($"duplicate bytes {start}..{start + length}", bytes);
    }

    private static Mutation Zero(byte[] source, Random random)
    {
        var start = random.Next(source.Length);
        var length = Math.Min(source.Length - start, 1 + random.Next(Math.Max(1, source.Length / 4)));
        var bytes = (byte[])source.Clone();
        bytes.AsSpan(start, length).Clear();
        return new($"zero bytes {start}..{start + length}", bytes);
    }

    private static Mutation Insert(byte[] source, int at, byte[] inserted, string what)
    {
        var bytes = new byte[source.Length + inserted.Length];
        source.AsSpan(0, at).CopyTo(bytes);
        inserted.CopyTo(bytes.AsSpan(at));
        source.AsSpan(at).CopyTo(bytes.AsSpan(at + inserted.Length));
        return new($"insert {what} {Convert.ToHexString(inserted)} at {at}", bytes);
    }

    private static Mutation ReplaceNumber(byte[] source, Random random, string number)
    {
        // The digit run around a random digit (or the first digit after a random offset) becomes `number`.
        var from = source.Length == 0 ? 0 : random.Next(source.Length);
        var at = Array.FindIndex(source, from, b => b is >= (byte)'0' and <= (byte)'9');
        if (at < 0) at = Array.FindIndex(source, b => b is >= (byte)'0' and <= (byte)'9');
        if (at < 0) return Insert(source, from, Encoding.UTF8.GetBytes(number), "number");
        var start = at;
        while (start > 0 && IsNumberByte(source[start - 1])) start--;
        var end = at;
        while (end < source.Length && IsNumberByte(source[end])) end++;
        var replacement = Encoding.UTF8.GetBytes(number);
        var bytes = new byte[source.Length - (end - start) + replacement.Length];
        source.AsSpan(0, start).CopyTo(bytes);
        replacement.CopyTo(bytes.AsSpan(start));
        source.AsSpan(end).CopyTo(bytes.AsSpan(start + replacement.Length));
        return new($"number at {start}..{end} = '{number}'", bytes);
    }

    private static bool IsNumberByte(byte b) => b is >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'-' or (byte)'+' or (byte)'e' or (byte)'E';

    private static Mutation DuplicateLine(byte[] source, List<int> lineStarts, Random random)
    {
        var line = random.Next(lineStarts.Count);
        var start = lineStarts[line];
        var end = line + 1 < lineStarts.Count ? lineStarts[line + 1] : source.Length;
        var bytes = new byte[source.Length + (end - start)];
        source.AsSpan(0, end).CopyTo(bytes);
        source.AsSpan(start, end - start).CopyTo(bytes.AsSpan(end));
        source.AsSpan(end).CopyTo(bytes.AsSpan(end + (end - start)));
        return new($"duplicate line {line + 1}", bytes);
    }

    private static Mutation DeleteLine(byte[] source, List<int> lineStarts, Random random)
    {
        var line = random.Next(lineStarts.Count);
        var start = lineStarts[line];
        var end = line + 1 < lineStarts.Count ? lineStarts[line + 1] : source.Length;
        return new($"delete line {line + 1}", [.. source.AsSpan(0, start), .. source.AsSpan(end)]);
    }
}
