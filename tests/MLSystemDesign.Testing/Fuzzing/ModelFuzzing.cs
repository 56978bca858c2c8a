using System.Buffers.Binary;
using MLSystemDesign.Models;

namespace MLSystemDesign.Testing.Fuzzing;

/// <summary>What a model file gives: its signature and its outputs for fixed rows (compared bit for bit, NaN equal to NaN).</summary>
public sealed class ModelOutputs : IEquatable<ModelOutputs>
{
    private ModelOutputs(string signature, float[] outputs)
    {
        Signature = signature;
        Outputs = outputs;
    }

    /// <summary>The signature, as text (names, labels and widths).</summary>
    public string Signature { get; }

    /// <summary>The outputs of every row, row-major.</summary>
    public IReadOnlyList<float> Outputs { get; }

    /// <summary>Scores rows with a model: one batch, then each row alone (a model that differs between the two differs).</summary>
    /// <param name="model">The loaded model; disposed when it is disposable.</param>
    /// <param name="rows">Row-major rows of the model's width in the valid file.</param>
    public static ModelOutputs Of(IModel model, float[] rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        try
        {
            var s = model.Signature;
            var text = $"{s} features=[{string.Join(",", s.FeatureNames ?? [])}] classes=[{string.Join(",", s.ClassLabels ?? [])}]";
            if (rows.Length % s.InputWidth != 0)
            {
                return new ModelOutputs(text, []); // another width: different, and nothing to score
            }

            var n = rows.Length / s.InputWidth;
            var outputs = new float[2 * n * s.OutputWidth];
            model.PredictBatch(rows, outputs.AsSpan(0, n * s.OutputWidth));
            for (var r = 0; r < n; r++)
            {
                model.Predict(rows.AsSpan(r * s.InputWidth, s.InputWidth), outputs.AsSpan((n + r) * s.OutputWidth, s.OutputWidth));
            }

            return new ModelOutputs(text, outputs);
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    /// <inheritdoc />
    public bool Equals(ModelOutputs? other) =>
        other is not null && Signature == other.Signature && Outputs.SequenceEqual(other.Outputs);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ModelOutputs);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Signature, Outputs.Count);
}

/// <summary>Structural offsets of container formats model files use, for <see cref="Mutations.Binary"/>.</summary>
public static class StructuralOffsets
{
    /// <summary>
    /// Every field tag and every length prefix of a protobuf message, and of each length-delimited field whose content
    /// parses as a message in turn (ONNX graphs, nodes, attributes, tensors).
    /// </summary>
    /// <param name="bytes">The serialized message.</param>
    public static IReadOnlyList<int> Protobuf(ReadOnlySpan<byte> bytes)
    {
        var tags = new List<int>();
        var lengths = new List<(int, int)>();
        Walk(bytes, 0, tags, lengths, depth: 0);
        return [.. tags.Concat(lengths.Select(l => l.Item1)).Order()];
    }

    /// <summary>The varint length prefixes (offset, byte count) of length-delimited protobuf fields: where a forged length does most harm.</summary>
    /// <param name="bytes">The serialized message.</param>
    public static IReadOnlyList<(int Offset, int Size)> ProtobufLengths(ReadOnlySpan<byte> bytes)
    {
        var lengths = new List<(int, int)>();
        Walk(bytes, 0, [], lengths, depth: 0);
        return lengths;
    }

    /// <summary>
    /// The start of every zip local header, central directory record and the end record, and the size, CRC, name-length
    /// and offset fields inside them.
    /// </summary>
    /// <param name="zip">The zip file.</param>
    public static IReadOnlyList<int> Zip(ReadOnlySpan<byte> zip)
    {
        var offsets = new List<int>();
        for (var at = 0; at + 4 <= zip.Length; at++)
        {
            switch (BinaryPrimitives.ReadUInt32LittleEndian(zip[at..]))
            {
                case 0x04034b50: // local header: crc 14, sizes 18 and 22, name length 26, extra length 28, then the data
                    offsets.AddRange([at, at + 14, at + 18, at + 22, at + 26, at + 28]);
                    if (at + 30 <= zip.Length)
                    {
                        offsets.Add(at + 30 + BinaryPrimitives.ReadUInt16LittleEndian(zip[(at + 26)..]) + BinaryPrimitives.ReadUInt16LittleEndian(zip[(at + 28)..]));
                    }

                    break;
                case 0x02014b50: // central record: method 10, crc 16, sizes 20 and 24, name length 28, local offset 42
                    offsets.AddRange([at, at + 10, at + 16, at + 20, at + 24, at + 28, at + 42]);
                    break;
                case 0x06054b50: // end record: entry counts 8 and 10, directory size 12 and offset 16
                    offsets.AddRange([at, at + 8, at + 10, at + 12, at + 16]);
                    break;
            }
        }

        return offsets;
    }

    /// <summary>The start of every JSON value and member name (an object, array, string or number), up to <paramref name="max"/>.</summary>
    /// <param name="json">UTF-8 JSON.</param>
    /// <param name="max">The most offsets returned, spread evenly over the file.</param>
    public static IReadOnlyList<int> Json(ReadOnlySpan<byte> json, int max)
    {
        var all = new List<int>();
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (b == '"')
            {
                inString = true;
                all.Add(i);
            }
            else if (b is (byte)'{' or (byte)'[' || (b is (byte)'-' or >= (byte)'0' and <= (byte)'9' && i > 0 && json[i - 1] is (byte)':' or (byte)',' or (byte)'['))
            {
                all.Add(i);
            }
        }

        var step = Math.Max(1, all.Count / Math.Max(1, max));
        return all.Where((_, i) => i % step == 0).Take(max).ToList();
    }

    /// <summary>Walks one message; its offsets are kept only when the whole span parses as a message.</summary>
    private static bool Walk(ReadOnlySpan<byte> bytes, int origin, List<int> tags, List<(int, int)> lengths, int depth)
    {
        var foundTags = new List<int>();
        var foundLengths = new List<(int, int)>();
        var i = 0;
        while (i < bytes.Length)
        {
            foundTags.Add(origin + i);
            if (!ReadVarint(bytes, ref i, out var tag) || tag >> 3 == 0)
            {
                return false;
            }

            switch ((int)(tag & 7))
            {
                case 0:
                    if (!ReadVarint(bytes, ref i, out _))
                    {
                        return false;
                    }

                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
                case 2:
                    var lengthAt = i;
                    if (!ReadVarint(bytes, ref i, out var length) || length > (ulong)(bytes.Length - i))
                    {
                        return false;
                    }

                    foundLengths.Add((origin + lengthAt, i - lengthAt));
                    if (depth < 16 && length > 1)
                    {
                        Walk(bytes.Slice(i, (int)length), origin + i, foundTags, foundLengths, depth + 1);
                    }

                    i += (int)length;
                    break;
                default:
                    return false;
            }
        }

        if (i != bytes.Length)
        {
            return false;
        }

        tags.AddRange(foundTags);
        lengths.AddRange(foundLengths);
        return true;
    }

    private static bool ReadVarint(ReadOnlySpan<byte> bytes, ref int i, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (i >= bytes.Length)
            {
                return false;
            }

            var b = bytes[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The varint encoding of a value (for forged protobuf lengths).</summary>
    /// <param name="value">The value.</param>
    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }

    /// <summary>Replaces <paramref name="size"/> bytes at <paramref name="offset"/> with <paramref name="replacement"/>.</summary>
    /// <param name="source">The valid file.</param>
    /// <param name="offset">Where the replaced bytes start.</param>
    /// <param name="size">How many bytes are replaced.</param>
    /// <param name="replacement">What goes there.</param>
    /// <param name="description">The mutation's description.</param>
    public static Mutation Replace(byte[] source, int offset, int size, byte[] replacement, string description) =>
        new(description, [.. source.AsSpan(0, offset), .. replacement, .. source.AsSpan(offset + size)]);
}

/// <summary>Runs the fuzzer over a model format: each mutated file is loaded from a <see cref="FileStream"/> and scored on fixed rows.</summary>
public static class ModelFuzzer
{
    /// <summary>Loads every mutation of <paramref name="valid"/> with <paramref name="format"/> and compares its <see cref="ModelOutputs"/> with the valid file's.</summary>
    /// <param name="name">The name the report prints.</param>
    /// <param name="fileName">The name each case is written under.</param>
    /// <param name="valid">The valid model file.</param>
    /// <param name="mutations">The mutations.</param>
    /// <param name="format">The format that reads the files.</param>
    /// <param name="rows">Rows of the valid model's width to score.</param>
    /// <param name="timeout">The time limit per case (2 s by default).</param>
    public static Task<FuzzReport> RunAsync(string name, string fileName, byte[] valid, IEnumerable<Mutation> mutations, IModelFormat format, float[] rows, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        return Fuzzer.RunAsync(
            name, fileName, valid, mutations,
            async (path, ct) =>
            {
                await using var file = File.OpenRead(path);
                return ModelOutputs.Of(await format.LoadAsync(file, ct), rows);
            },
            (a, b) => a.Equals(b),
            timeout: timeout);
    }
}
