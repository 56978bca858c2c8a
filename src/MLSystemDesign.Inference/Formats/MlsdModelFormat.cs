using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference;

/// <summary>
/// The <c>mlsd</c> format: a compact little-endian binary form of a compiled core model's definition (magic
/// <c>MLSD</c>, a version, the signature, the output transform, then the trees, weights or layers), sealed by a
/// CRC-64 of everything before it. Loading reads it into memory, verifies the checksum, checks every count against
/// the bytes left, and recompiles, which takes milliseconds. A damaged byte anywhere is a
/// <see cref="ModelFormatException"/> naming the file.
/// </summary>
/// <remarks>
/// Version 1 files (written before the checksum was added) are not loaded: nothing could tell a damaged one from a
/// sound one. <see cref="Upgrade"/> (or <c>mlsd convert</c>) rewrites one as the current version.
/// </remarks>
public sealed class MlsdModelFormat : IModelFormat
{
    /// <summary>The format id.</summary>
    public const string Id = "mlsd";

    /// <summary>The version this format writes, and the only one it loads.</summary>
    public const int CurrentVersion = 2;

    /// <summary>The bytes of the trailing checksum.</summary>
    private const int ChecksumBytes = 8;

    /// <summary>Magic and version.</summary>
    private const int HeaderBytes = 8;

    private static readonly byte[] Magic = "MLSD"u8.ToArray();
    private readonly InferenceOptions _options;

    /// <summary>Creates the format with default <see cref="InferenceOptions"/>.</summary>
    public MlsdModelFormat()
        : this(new InferenceOptions())
    {
    }

    /// <summary>Creates the format; loaded models are compiled with <paramref name="options"/>.</summary>
    /// <param name="options">The options loaded models get.</param>
    public MlsdModelFormat(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid<InferenceOptions, InferenceOptionsValidator>(options);
        _options = options;
    }

    /// <inheritdoc />
    public string FormatId => Id;

    /// <summary>Gets whether the bytes start like an <c>mlsd</c> file.</summary>
    /// <param name="header">The first bytes of a file.</param>
    /// <returns><see langword="true"/> when they hold the magic.</returns>
    public static bool IsMlsd(ReadOnlySpan<byte> header) => header.StartsWith(Magic);

    /// <summary>Gets the format version an <c>mlsd</c> file declares.</summary>
    /// <param name="header">The first bytes of a file (at least 8).</param>
    /// <returns>The version, or <see langword="null"/> when the bytes are not the start of an <c>mlsd</c> file.</returns>
    public static int? ReadVersion(ReadOnlySpan<byte> header) =>
        IsMlsd(header) && header.Length >= HeaderBytes ? BinaryPrimitives.ReadInt32LittleEndian(header[4..]) : null;

    /// <summary>
    /// Rewrites an <c>mlsd</c> file of any version this library has written as the current version. A version 1 file
    /// has no checksum, so only its structure can be checked: upgrade a copy you trust. A current file is verified and
    /// returned unchanged.
    /// </summary>
    /// <param name="file">The whole file.</param>
    /// <returns>The file in the current version.</returns>
    /// <exception cref="ModelFormatException">The bytes are not a readable <c>mlsd</c> file of a known version.</exception>
    public static byte[] Upgrade(ReadOnlySpan<byte> file)
    {
        var limits = new InferenceOptions();
        var definition = CheckHeader(file) == 1 ? ReadBody(file, limits) : Read(file, limits);
        InferenceModel.CompileForFormat(Id, definition, limits);
        return Write(definition);
    }

    /// <inheritdoc />
    public bool CanSave(IModel model) => model is not null && InferenceModel.TryGetDefinition(model, out _);

    /// <inheritdoc />
    public async ValueTask SaveAsync(IModel model, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(destination);
        if (!InferenceModel.TryGetDefinition(model, out var definition))
        {
            throw new NotSupportedException($"The {Id} format saves models compiled by the inference core; this model is a {model.GetType().Name}.");
        }

        var bytes = Write(definition);
        await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IModel> LoadAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var path = ModelFormatException.SourceOf(source);
        try
        {
            using var buffer = new MemoryStream();
            await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            var data = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            return InferenceModel.CompileForFormat(Id, Read(data, _options), _options);
        }
        catch (ModelFormatException ex) when (path is not null)
        {
            throw ex.WithSource(path);
        }
    }

    /// <summary>Serialises a definition.</summary>
    internal static byte[] Write(ModelDefinition definition)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(CurrentVersion);
            w.Write((byte)(definition switch { TreeEnsembleDefinition => 1, LinearModelDefinition => 2, _ => 3 }));
            WriteSignature(w, definition.Signature);
            var output = definition.Output;
            w.Write((byte)output.Kind);
            w.Write(output.Platt.Slope);
            w.Write(output.Platt.Offset);
            var calibrations = output.ClassCalibrations ?? [];
            w.Write(calibrations.Count);
            foreach (var c in calibrations)
            {
                w.Write(c.Slope);
                w.Write(c.Offset);
            }

            switch (definition)
            {
                case TreeEnsembleDefinition trees:
                    w.Write((byte)trees.Comparison);
                    w.Write((byte)trees.Aggregation);
                    WriteDoubles(w, trees.BaseScores);
                    w.Write(trees.Trees.Count);
                    foreach (var tree in trees.Trees)
                    {
                        w.Write(tree.Target);
                        w.Write(tree.Nodes.Count);
                        foreach (var node in tree.Nodes)
                        {
                            w.Write(node.IsLeaf ? (byte)1 : (byte)0);
                            if (node.IsLeaf)
                            {
                                w.Write(node.Value);
                            }
                            else
                            {
                                w.Write(node.Feature);
                                w.Write(node.Threshold);
                                w.Write(node.Left);
                                w.Write(node.Right);
                                w.Write(node.MissingGoesLeft ? (byte)1 : (byte)0);
                            }
                        }
                    }

                    break;
                case LinearModelDefinition linear:
                    WriteSingles(w, linear.Weights.Span);
                    WriteSingles(w, linear.Bias.Span);
                    break;
                case MlpDefinition mlp:
                    w.Write(mlp.Layers.Count);
                    foreach (var layer in mlp.Layers)
                    {
                        w.Write(layer.Inputs);
                        w.Write(layer.Outputs);
                        w.Write((byte)layer.Activation);
                        w.Write(layer.Alpha);
                        WriteSingles(w, layer.Weights.Span);
                        WriteSingles(w, layer.Bias.Span);
                    }

                    break;
            }

            w.Write(0UL); // the checksum, sealed below
        }

        var bytes = stream.ToArray();
        Seal(bytes);
        return bytes;
    }

    /// <summary>Writes the CRC-64 of everything before the trailer into the trailer.</summary>
    internal static void Seal(Span<byte> file) =>
        BinaryPrimitives.WriteUInt64LittleEndian(file[^ChecksumBytes..], Crc64.HashToUInt64(file[..^ChecksumBytes]));

    /// <summary>Verifies and parses a current-version file with the default limits; any problem is a <see cref="ModelFormatException"/>.</summary>
    internal static ModelDefinition Read(ReadOnlySpan<byte> data) => Read(data, new InferenceOptions());

    /// <summary>Verifies and parses a current-version file; the declared widths are checked against <paramref name="limits"/> before anything is sized by them.</summary>
    internal static ModelDefinition Read(ReadOnlySpan<byte> data, InferenceOptions limits)
    {
        var version = CheckHeader(data);
        if (version == 1)
        {
            throw new ModelFormatException(Id, $"format version 1 carries no checksum, so a damaged file cannot be told from a sound one, and is no longer loaded; rewrite it once as version {CurrentVersion} with `mlsd convert --model <file> --out <new file>` (or {nameof(MlsdModelFormat)}.{nameof(Upgrade)}), from a copy you trust.");
        }

        if (data.Length < HeaderBytes + ChecksumBytes)
        {
            throw new ModelFormatException(Id, $"the file is truncated: {data.Length} bytes cannot hold a version {CurrentVersion} model and its checksum.");
        }

        var stored = BinaryPrimitives.ReadUInt64LittleEndian(data[^ChecksumBytes..]);
        var actual = Crc64.HashToUInt64(data[..^ChecksumBytes]);
        if (stored != actual)
        {
            throw new ModelFormatException(Id, $"the checksum does not match ({data.Length} bytes, stored CRC-64 {stored:x16}, computed {actual:x16}): the file is damaged, truncated or was changed after it was written.");
        }

        return ReadBody(data[..^ChecksumBytes], limits);
    }

    /// <summary>The version of a file that starts with the magic; any other start is a <see cref="ModelFormatException"/>.</summary>
    private static int CheckHeader(ReadOnlySpan<byte> data)
    {
        if (!IsMlsd(data))
        {
            throw new ModelFormatException(Id, data.Length < Magic.Length && Magic.AsSpan().StartsWith(data)
                ? $"the file is truncated: {data.Length} bytes, fewer than the magic bytes."
                : "the file does not start with the mlsd magic bytes.");
        }

        if (ReadVersion(data) is not { } version)
        {
            throw new ModelFormatException(Id, $"the file is truncated: {data.Length} bytes end before the format version.");
        }

        if (version is not (1 or CurrentVersion))
        {
            throw new ModelFormatException(Id, $"format version {version} is not supported (this reader reads version {CurrentVersion}).");
        }

        return version;
    }

    /// <summary>
    /// Parses the body (after magic and version, before any checksum) of a file whose integrity was checked or, for
    /// version 1, cannot be; the layouts of the two versions differ only in the trailing checksum.
    /// </summary>
    private static ModelDefinition ReadBody(ReadOnlySpan<byte> data, InferenceOptions limits)
    {
        try
        {
            var r = new Formats.BinaryModelReader(data, HeaderBytes);
            var kind = r.ReadByte();
            var signature = r.ReadSignature(limits);
            var transformKind = r.ReadEnum<OutputTransformKind>("output transform");
            var slope = r.ReadDouble();
            var offset = r.ReadDouble();
            var calibrationCount = r.ReadCount("class calibrator", 16);
            var calibrations = new PlattCalibration[calibrationCount];
            for (var i = 0; i < calibrationCount; i++)
            {
                calibrations[i] = new PlattCalibration(r.ReadDouble(), r.ReadDouble());
            }

            var output = transformKind switch
            {
                OutputTransformKind.Identity => OutputTransform.Identity,
                OutputTransformKind.Sigmoid => OutputTransform.Sigmoid,
                OutputTransformKind.Softmax => OutputTransform.Softmax,
                OutputTransformKind.Platt => OutputTransform.PlattScaling(slope, offset),
                _ => OutputTransform.OneVersusAll(calibrations),
            };

            ModelDefinition definition = kind switch
            {
                1 => ReadTrees(ref r, signature, output),
                2 => new LinearModelDefinition(signature, r.ReadSingles("weight"), r.ReadSingles("bias"), output),
                3 => ReadMlp(ref r, signature, output),
                _ => throw new FormatException($"model kind {kind} is unknown."),
            };
            if (r.Remaining != 0)
            {
                throw new FormatException($"{r.Remaining} bytes follow the model.");
            }

            return definition;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new ModelFormatException(Id, ex.Message, ex);
        }
    }

    private static TreeEnsembleDefinition ReadTrees(ref Formats.BinaryModelReader r, ModelSignature signature, OutputTransform output)
    {
        var comparison = r.ReadEnum<SplitComparison>("split comparison");
        var aggregation = r.ReadEnum<TreeAggregation>("aggregation");
        var baseScores = r.ReadDoubles("base score");
        var treeCount = r.ReadCount("tree", 8);
        var trees = new DecisionTree[treeCount];
        for (var t = 0; t < treeCount; t++)
        {
            var target = r.ReadInt32();
            var nodeCount = r.ReadCount("node", 9);
            var nodes = new TreeNode[nodeCount];
            for (var n = 0; n < nodeCount; n++)
            {
                var isLeaf = r.ReadByte();
                nodes[n] = isLeaf switch
                {
                    1 => TreeNode.Leaf(r.ReadDouble()),
                    0 => TreeNode.Split(r.ReadInt32(), r.ReadSingle(), r.ReadInt32(), r.ReadInt32(), r.ReadByte() != 0),
                    _ => throw new FormatException($"tree {t} node {n}: node kind {isLeaf} is unknown."),
                };
            }

            if (target < 0)
            {
                throw new FormatException($"tree {t} has target {target}.");
            }

            trees[t] = new DecisionTree(nodes, target);
        }

        return new TreeEnsembleDefinition(signature, trees, output, comparison, aggregation, baseScores);
    }

    private static MlpDefinition ReadMlp(ref Formats.BinaryModelReader r, ModelSignature signature, OutputTransform output)
    {
        var count = r.ReadCount("layer", 18);
        var layers = new DenseLayer[count];
        for (var i = 0; i < count; i++)
        {
            var inputs = r.ReadInt32();
            var outputs = r.ReadInt32();
            var activation = r.ReadEnum<Activation>("activation");
            var alpha = r.ReadSingle();
            layers[i] = new DenseLayer(inputs, outputs, r.ReadSingles("weight"), r.ReadSingles("bias"), activation, alpha);
        }

        return new MlpDefinition(signature, layers, output);
    }

    private static void WriteSignature(BinaryWriter w, ModelSignature s)
    {
        w.Write(s.InputWidth);
        w.Write((byte)s.Task);
        WriteStrings(w, s.Outputs);
        WriteStrings(w, s.FeatureNames);
        WriteStrings(w, s.ClassLabels);
    }

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string>? values)
    {
        w.Write(values is null ? (byte)0 : (byte)1);
        if (values is null)
        {
            return;
        }

        w.Write(values.Count);
        foreach (var v in values)
        {
            var bytes = Encoding.UTF8.GetBytes(v);
            w.Write(bytes.Length);
            w.Write(bytes);
        }
    }

    private static void WriteSingles(BinaryWriter w, ReadOnlySpan<float> values)
    {
        w.Write(values.Length);
        Span<byte> four = stackalloc byte[4];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(four, v);
            w.Write(four);
        }
    }

    private static void WriteDoubles(BinaryWriter w, IReadOnlyList<double> values)
    {
        w.Write(values.Count);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }
}
