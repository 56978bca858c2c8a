using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLSystemDesign.Models;

namespace MLSystemDesign.MLNet.Models;

/// <summary>
/// The <c>mlnet-zip</c> format: ML.NET's own model zip, readable by <c>MLContext.Model.Load</c>, with one extra entry,
/// <c>mlsd/signature.json</c>, holding the model signature. A plain ML.NET zip without that entry also loads, when its
/// input is a float vector column named <c>Features</c>: the signature is then read from the model's schemas.
/// </summary>
internal sealed class MLNetZipFormat : IModelFormat
{
    public const string Id = "mlnet-zip";
    private const string SignatureEntry = "mlsd/signature.json";

    private readonly MLContext _ml = new(0);

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

        buffer.Position = 0;
        await buffer.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IModel> LoadAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var buffer = new MemoryStream();
        await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        ModelSignature? saved = null;
        try
        {
            buffer.Position = 0;
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Read, leaveOpen: true))
            {
                if (zip.GetEntry(SignatureEntry) is { } entry)
                {
                    using var stream = entry.Open();
                    saved = JsonSerializer.Deserialize<SignatureDto>(stream)?.ToSignature();
                }
            }

            buffer.Position = 0;
            var transformer = _ml.Model.Load(buffer, out var inputSchema);
            var signature = saved ?? Infer(transformer, inputSchema);
            return new MLNetModel(_ml, transformer, inputSchema, signature);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or InvalidOperationException or JsonException or ArgumentException)
        {
            throw new ModelFormatException(Id, $"the stream is not a readable ML.NET model zip: {ex.Message}", ex);
        }
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
