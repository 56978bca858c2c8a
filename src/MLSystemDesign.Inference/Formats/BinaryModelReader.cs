using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference.Formats;

/// <summary>
/// Reads the little-endian primitives of an <c>mlsd</c> file from memory. Every count is checked against the bytes
/// left before anything is allocated, so a forged size cannot make the reader allocate more than the file holds.
/// </summary>
internal ref struct BinaryModelReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Reads <paramref name="data"/> (the whole file) from <paramref name="start"/>; offsets in messages are file offsets.</summary>
    public BinaryModelReader(ReadOnlySpan<byte> data, int start = 0)
    {
        _data = data;
        _position = start;
    }

    /// <summary>Gets the offset of the next byte in the file.</summary>
    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads a count and checks that <paramref name="bytesEach"/> bytes per item are left.</summary>
    public int ReadCount(string what, int bytesEach, int max = int.MaxValue, string? limit = null)
    {
        var at = Position;
        var count = ReadInt32();
        if (count > max && count >= 0 && limit is not null)
        {
            throw new FormatException($"at byte {at}: the file declares {count} {what}s; {limit} allows {max}.");
        }

        if (count < 0 || count > max || (long)count * bytesEach > Remaining)
        {
            throw new FormatException($"at byte {at}: {what} count {count} is negative, above {max}, or larger than the {Remaining} bytes left.");
        }

        return count;
    }

    public float[] ReadSingles(string what)
    {
        var count = ReadCount(what, 4);
        var result = MemoryMarshal.Cast<byte, float>(Take(count * 4)).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The mlsd format is read on little-endian machines only.");
        }

        return result;
    }

    public double[] ReadDoubles(string what)
    {
        var count = ReadCount(what, 8);
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = ReadDouble();
        }

        return result;
    }

    public string ReadString(string what)
    {
        var count = ReadCount(what, 1, 1 << 20);
        return Encoding.UTF8.GetString(Take(count));
    }

    public List<string>? ReadStrings(string what, int max = int.MaxValue, string? limit = null)
    {
        if (ReadByte() == 0)
        {
            return null;
        }

        var count = ReadCount(what, 4, max, limit);
        var list = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(ReadString(what));
        }

        return list;
    }

    public T ReadEnum<T>(string what)
        where T : struct, Enum
    {
        var at = Position;
        var value = ReadByte();
        var e = (T)Enum.ToObject(typeof(T), value);
        return Enum.IsDefined(e) ? e : throw new FormatException($"at byte {at}: {value} is not a valid {what}.");
    }

    /// <summary>Reads a signature; the declared input width and output count are checked against <paramref name="limits"/> before anything is sized by them.</summary>
    public ModelSignature ReadSignature(InferenceOptions limits)
    {
        var at = Position;
        var width = ReadInt32();
        if (width > limits.MaxInputWidth)
        {
            throw new FormatException($"at byte {at}: the model declares {width} features; {nameof(InferenceOptions)}.{nameof(InferenceOptions.MaxInputWidth)} allows {limits.MaxInputWidth}.");
        }

        var task = ReadEnum<ModelTask>("task");
        var outputLimit = $"{nameof(InferenceOptions)}.{nameof(InferenceOptions.MaxOutputWidth)}";
        var outputs = ReadStrings("output name", limits.MaxOutputWidth, outputLimit) ?? throw new FormatException("the signature has no outputs.");
        var features = ReadStrings("feature name", Math.Max(width, 0));
        var classes = ReadStrings("class label", limits.MaxOutputWidth, outputLimit);
        return new ModelSignature(width, task, outputs, features, classes);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new FormatException($"the file is truncated: {count} bytes are needed at byte {Position}, {Remaining} are left.");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
