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

    public BinaryModelReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads a count and checks that <paramref name="bytesEach"/> bytes per item are left.</summary>
    public int ReadCount(string what, int bytesEach, int max = int.MaxValue)
    {
        var at = _position;
        var count = ReadInt32();
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

    public List<string>? ReadStrings(string what)
    {
        if (ReadByte() == 0)
        {
            return null;
        }

        var count = ReadCount(what, 4);
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
        var at = _position;
        var value = ReadByte();
        var e = (T)Enum.ToObject(typeof(T), value);
        return Enum.IsDefined(e) ? e : throw new FormatException($"at byte {at}: {value} is not a valid {what}.");
    }

    public ModelSignature ReadSignature()
    {
        var width = ReadInt32();
        var task = ReadEnum<ModelTask>("task");
        var outputs = ReadStrings("output name") ?? throw new FormatException("the signature has no outputs.");
        var features = ReadStrings("feature name");
        var classes = ReadStrings("class label");
        return new ModelSignature(width, task, outputs, features, classes);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new FormatException($"the file is truncated: {count} bytes are needed at byte {_position}, {Remaining} are left.");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
