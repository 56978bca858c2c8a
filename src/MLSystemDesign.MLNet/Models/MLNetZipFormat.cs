using System.IO.Compression;
using System.IO.Hashing;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLSystemDesign.Inference;
using MLSystemDesign.Models;

namespace MLSystemDesign.MLNet.Models;

/// <summary>
/// The <c>mlnet-zip</c> format: ML.NET's own model zip, readable by <c>MLContext.Model.Load</c>, with one extra entry,
/// <c>mlsd/signature.json</c>, holding the model signature. A plain ML.NET zip without that entry also loads, when its
/// input is a float vector column named <c>Features</c>: the signature is then read from the model's schemas.
/// </summary>
/// <remarks>
/// Before ML.NET sees the file, every entry is inflated once and checked against the CRC-32 and length the zip records
/// for it, so a damaged byte in any entry's content is refused here rather than parsed by ML.NET. Whatever ML.NET
/// throws while loading becomes a <see cref="ModelFormatException"/>, and a saved signature must agree with the
/// model's own schemas.
/// </remarks>
internal sealed class MLNetZipFormat : IModelFormat
{
    public const string Id = "mlnet-zip";
    private const string SignatureEntry = "mlsd/signature.json";

    private readonly MLContext _ml = new(0);
    private readonly InferenceOptions _limits;

    public MLNetZipFormat()
        : this(new InferenceOptions())
    {
    }

    public MLNetZipFormat(InferenceOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = OptionsValidation.ThrowIfInvalid<InferenceOptions, InferenceOptionsValidator>(limits);
    }

    public string FormatId => Id;

    public bool CanSave(IModel model) => model is MLNetModel;

    public async ValueTask SaveAsync(IModel model, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(destination);
        if (model is not MLNetModel m)
        {
            throw new NotSupportedException($"The {Id} format saves ML.NET models only; this model is a {model.GetType().Name}.");
        }

        using var buffer = new MemoryStream();
        _ml.Model.Save(m.Transformer, m.InputSchema, buffer);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.CreateEntry(SignatureEntry, CompressionLevel.Optimal);
            using var stream = entry.Open();
            JsonSerializer.Serialize(stream, SignatureDto.From(m.Signature));
        }

        await DeterministicZip.RepackAsync(buffer, destination, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IModel> LoadAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var path = ModelFormatException.SourceOf(source);
        try
        {
            using var buffer = new MemoryStream();
            await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Load(buffer, cancellationToken);
        }
        catch (ModelFormatException ex) when (path is not null)
        {
            throw ex.WithSource(path);
        }
    }

    private MLNetModel Load(MemoryStream buffer, CancellationToken cancellationToken)
    {
        ModelSignature? saved;
        try
        {
            saved = VerifyEntries(buffer, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or JsonException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            throw new ModelFormatException(Id, $"the file is not a readable zip: {ex.Message}", ex);
        }

        ITransformer transformer;
        DataViewSchema inputSchema;
        try
        {
            buffer.Position = 0;
            transformer = _ml.Model.Load(buffer, out inputSchema);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            // ML.NET reports a damaged model with many exception types (FormatException, InvalidOperationException,
            // EndOfStreamException, TargetInvocationException around its loaders' own): every one is this file's fault.
            var cause = ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : ex;
            throw new ModelFormatException(Id, $"ML.NET cannot load the model: {cause.GetType().Name}: {cause.Message}", ex);
        }

        var inferred = Infer(transformer, inputSchema);
        if (saved is not null && (saved.InputWidth != inferred.InputWidth || saved.Task != inferred.Task || saved.OutputWidth != inferred.OutputWidth))
        {
            (transformer as IDisposable)?.Dispose();
            throw new ModelFormatException(Id, $"{SignatureEntry} says {saved}, but the model's schemas say {inferred}.");
        }

        return new MLNetModel(_ml, transformer, inputSchema, saved ?? inferred);
    }

    /// <summary>
    /// Inflates every entry once, checking its length and CRC-32 against what the zip records (and stopping at the
    /// recorded length), and reads the saved signature; the signature's sizes are checked against the limits.
    /// </summary>
    private ModelSignature? VerifyEntries(MemoryStream buffer, CancellationToken cancellationToken)
    {
        buffer.Position = 0;
        using var zip = new ZipArchive(buffer, ZipArchiveMode.Read, leaveOpen: true);
        var chunk = new byte[81920];
        ModelSignature? saved = null;
        foreach (var entry in zip.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var crc = new Crc32();
            long read = 0;
            using (var stream = entry.Open())
            {
                int n;
                while ((n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, entry.Length - read + 1))) > 0)
                {
                    read += n;
                    if (read > entry.Length)
                    {
                        throw new InvalidDataException($"entry '{entry.FullName}' inflates to more than the {entry.Length} bytes the zip records for it.");
                    }

                    crc.Append(chunk.AsSpan(0, n));
                }
            }

            if (read != entry.Length || crc.GetCurrentHashAsUInt32() != entry.Crc32)
            {
                throw new InvalidDataException($"entry '{entry.FullName}' is damaged: it inflates to {read} bytes with CRC-32 {crc.GetCurrentHashAsUInt32():x8}; the zip records {entry.Length} bytes with CRC-32 {entry.Crc32:x8}.");
            }

            if (entry.FullName == SignatureEntry)
            {
                using var stream = entry.Open();
                var dto = JsonSerializer.Deserialize<SignatureDto>(stream) ?? throw new InvalidDataException($"{SignatureEntry} holds no signature.");
                if (dto.InputWidth > _limits.MaxInputWidth || dto.Outputs.Count > _limits.MaxOutputWidth)
                {
                    throw new ModelFormatException(Id, $"{SignatureEntry} declares {dto.InputWidth} features and {dto.Outputs.Count} outputs; {nameof(InferenceOptions)}.{nameof(InferenceOptions.MaxInputWidth)} allows {_limits.MaxInputWidth} and {nameof(InferenceOptions.MaxOutputWidth)} {_limits.MaxOutputWidth}.");
                }

                saved = dto.ToSignature();
            }
        }

        return saved;
    }

    private static ModelSignature Infer(ITransformer transformer, DataViewSchema inputSchema)
    {
        if (inputSchema.GetColumnOrNull(MLNetData.Features) is not { Type: VectorDataViewType { ItemType: NumberDataViewType n, Size: > 0 } vector } || n.RawType != typeof(float))
        {
            throw new ModelFormatException(Id, $"the model's input must be a fixed-size float vector column named '{MLNetData.Features}'; its input columns are {string.Join(", ", inputSchema.Select(c => $"{c.Name}:{c.Type}"))}.");
        }

        var output = transformer.GetOutputSchema(inputSchema);
        var score = output.GetColumnOrNull("Score")
            ?? throw new ModelFormatException(Id, "the model has no 'Score' output column.");
        if (score.Type is VectorDataViewType { Size: > 1 } scores)
        {
            return ModelSignature.Multiclass(vector.Size, scores.Size);
        }

        return output.GetColumnOrNull("Probability") is not null
            ? ModelSignature.Binary(vector.Size)
            : ModelSignature.Regression(vector.Size);
    }

    private sealed class SignatureDto
    {
        public int InputWidth { get; set; }

        public ModelTask Task { get; set; }

        public List<string> Outputs { get; set; } = [];

        public List<string>? FeatureNames { get; set; }

        public List<string>? ClassLabels { get; set; }

        public static SignatureDto From(ModelSignature s) => new()
        {
            InputWidth = s.InputWidth,
            Task = s.Task,
            Outputs = s.Outputs.ToList(),
            FeatureNames = s.FeatureNames?.ToList(),
            ClassLabels = s.ClassLabels?.ToList(),
        };

        public ModelSignature ToSignature() => new(InputWidth, Task, Outputs, FeatureNames, ClassLabels);
    }
}

/// <summary>Validates the <see cref="InferenceOptions"/> the format is created with, from the same data annotations the inference package's own validator is generated from.</summary>
[OptionsValidator]
internal sealed partial class InferenceOptionsValidator : IValidateOptions<InferenceOptions>;
