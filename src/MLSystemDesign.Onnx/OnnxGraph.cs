using Google.Protobuf;
using MLSystemDesign.Models;
using MLSystemDesign.Onnx.Proto;

namespace MLSystemDesign.Onnx;

/// <summary>Reads ONNX protobuf with Google.Protobuf's generated classes, and reads tensors and attributes with size checks.</summary>
internal static class OnnxGraph
{
    public const string FormatId = "onnx";

    /// <summary>The most values one tensor or attribute may hold.</summary>
    private const long MaxValues = 1L << 28;

    public static ModelProto Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var model = ModelProto.Parser.ParseFrom(bytes);
            if (model.Graph is null)
            {
                throw Malformed("the file holds no graph.");
            }

            return model;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ModelFormatException(FormatId, $"the file is not a readable ONNX model: {ex.Message}", ex);
        }
    }

    public static ModelFormatException Malformed(string message) => new(FormatId, message);

    /// <summary>The single float input of shape [N, width] and its width.</summary>
    public static (string Name, int Width) Input(GraphProto graph)
    {
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
        {
            throw new NotSupportedException($"The graph has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); the core compiles graphs with one float matrix input.");
        }

        var input = inputs[0];
        var tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw new NotSupportedException($"The input '{input.Name}' is not a float tensor.");
        }

        var dims = tensor.Shape?.Dim;
        if (dims is null || dims.Count != 2 || dims[1].ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dims[1].DimValue is <= 0 or > int.MaxValue)
        {
            throw new NotSupportedException($"The input '{input.Name}' must have the shape [N, width] with a fixed width.");
        }

        return (input.Name, (int)dims[1].DimValue);
    }

    public static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public static long[] Ints(NodeProto node, string name, bool required = true)
    {
        var a = Attribute(node, name);
        if (a is null)
        {
            return required ? throw Malformed($"{Describe(node)} has no attribute '{name}'.") : [];
        }

        return [.. a.Ints];
    }

    public static long Int(NodeProto node, string name, long fallback) => Attribute(node, name) is { } a ? a.I : fallback;

    public static float Float(NodeProto node, string name, float fallback) => Attribute(node, name) is { } a ? a.F : fallback;

    public static string String(NodeProto node, string name, string fallback) => Attribute(node, name) is { } a ? a.S.ToStringUtf8() : fallback;

    public static string[] Strings(NodeProto node, string name) => Attribute(node, name) is { } a ? a.Strings.Select(s => s.ToStringUtf8()).ToArray() : [];

    /// <summary>Float values of <paramref name="name"/>, or of <c><paramref name="name"/>_as_tensor</c> (doubles rounded to float, as ONNX Runtime does for float inputs).</summary>
    public static float[] Floats(NodeProto node, string name, bool required = true)
    {
        if (Attribute(node, name) is { } a)
        {
            return [.. a.Floats];
        }

        if (Attribute(node, name + "_as_tensor") is { T: { } t })
        {
            return Tensor(t, $"{Describe(node)} attribute {name}_as_tensor");
        }

        return required ? throw Malformed($"{Describe(node)} has no attribute '{name}'.") : [];
    }

    /// <summary>A float or double tensor's values; dims and data must agree and the data must be inside the file.</summary>
    public static float[] Tensor(TensorProto t, string what)
    {
        if (t.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"{what} keeps its data in an external file, which is not supported.");
        }

        long count = 1;
        foreach (var d in t.Dims)
        {
            if (d < 0 || (count *= d) > MaxValues)
            {
                throw Malformed($"{what} declares the dimensions [{string.Join(", ", t.Dims)}], which are negative or too large.");
            }
        }

        float[] values;
        switch ((TensorProto.Types.DataType)t.DataType)
        {
            case TensorProto.Types.DataType.Float:
                values = t.FloatData.Count > 0 ? [.. t.FloatData] : FromRaw(t.RawData, 4, what).Select((_, i) => BitConverter.ToSingle(t.RawData.Span.Slice(i * 4, 4))).ToArray();
                break;
            case TensorProto.Types.DataType.Double:
                values = t.DoubleData.Count > 0 ? t.DoubleData.Select(v => (float)v).ToArray() : FromRaw(t.RawData, 8, what).Select((_, i) => (float)BitConverter.ToDouble(t.RawData.Span.Slice(i * 8, 8))).ToArray();
                break;
            default:
                throw new NotSupportedException($"{what} has the element type {(TensorProto.Types.DataType)t.DataType}; float and double are supported.");
        }

        if (values.Length != count)
        {
            throw Malformed($"{what} declares {count} values ([{string.Join(", ", t.Dims)}]) but holds {values.Length}.");
        }

        return values;
    }

    public static string Describe(NodeProto node) => $"node '{node.Name}' ({node.Domain}{(node.Domain.Length > 0 ? "." : string.Empty)}{node.OpType})";

    private static IEnumerable<int> FromRaw(ByteString raw, int size, string what)
    {
        if (raw.Length % size != 0)
        {
            throw Malformed($"{what} holds {raw.Length} raw bytes, not a multiple of {size}.");
        }

        return Enumerable.Range(0, raw.Length / size);
    }
}
