using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Inference;
using MLSystemDesign.MLNet;
using MLSystemDesign.Models;
using MLSystemDesign.Onnx;

namespace MLSystemDesign.Cli.Commands;

/// <summary>Reads a model file for the commands that take one (<c>predict</c>, <c>convert</c>): its format from its first bytes, then the model.</summary>
internal static class ModelFiles
{
    /// <summary>The <c>--format</c> values: auto and every format a model file can be read with.</summary>
    public static readonly string[] Formats = ["auto", MlsdModelFormat.Id, "mlnet-zip", XGBoostJsonModelFormat.Id, OnnxModelFormat.Id];

    /// <summary>
    /// The format from the file's first bytes: the <c>mlsd</c> magic (or a start of it: a truncated <c>mlsd</c> file), a
    /// zip, a JSON object, or ONNX (a <c>.onnx</c> file, or protobuf starting with ONNX's first field, <c>ir_version</c>).
    /// </summary>
    public static string Detect(byte[] bytes, string path)
    {
        if (bytes.Length == 0)
        {
            throw new ArgumentException($"Cannot tell the format of {path}: it is empty.");
        }

        if (MlsdModelFormat.IsMlsd(bytes) || (bytes.Length < 4 && "MLSD"u8.StartsWith(bytes)))
        {
            return MlsdModelFormat.Id;
        }

        if (bytes.AsSpan().StartsWith("PK"u8))
        {
            return "mlnet-zip";
        }

        var first = bytes.FirstOrDefault(b => b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF));
        if (first == (byte)'{')
        {
            return XGBoostJsonModelFormat.Id;
        }

        if (Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase) || bytes[0] == 0x08)
        {
            return OnnxModelFormat.Id;
        }

        throw new ArgumentException($"Cannot tell the format of {path}: it does not start like an mlsd, ML.NET zip, XGBoost JSON or ONNX model. Pass --format.");
    }

    /// <summary>Loads a model with an engine; any <see cref="ModelFormatException"/> names <paramref name="path"/>.</summary>
    public static async Task<IModel> LoadAsync(CliContext context, byte[] bytes, string path, string formatId, string engine, CancellationToken ct)
    {
        try
        {
            return await LoadCoreAsync(context, bytes, formatId, engine, ct).ConfigureAwait(false);
        }
        catch (ModelFormatException ex)
        {
            throw ex.WithSource(path);
        }
    }

    private static async Task<IModel> LoadCoreAsync(CliContext context, byte[] bytes, string formatId, string engine, CancellationToken ct)
    {
        var formats = context.Services.GetRequiredService<IModelFormatResolver>();
        switch (engine)
        {
            case "onnxruntime":
                return formatId == OnnxModelFormat.Id
                    ? ((OnnxModelFormat)formats.Get(OnnxModelFormat.Id)).Load(bytes, OnnxEngine.OnnxRuntime)
                    : throw new ArgumentException($"The onnxruntime engine runs ONNX models; this model is {formatId}.");
            case "mlnet":
                return formatId == "mlnet-zip"
                    ? await formats.Get(formatId).LoadAsync(new MemoryStream(bytes), ct).ConfigureAwait(false)
                    : throw new ArgumentException($"The mlnet engine runs ML.NET models (mlnet-zip); this model is {formatId}.");
        }

        if (formatId == OnnxModelFormat.Id)
        {
            return ((OnnxModelFormat)formats.Get(OnnxModelFormat.Id)).Load(bytes, OnnxEngine.Core);
        }

        var model = await formats.Get(formatId).LoadAsync(new MemoryStream(bytes), ct).ConfigureAwait(false);
        if (InferenceModel.TryGetDefinition(model, out _))
        {
            return model;
        }

        try
        {
            return MLNetInference.Compile(model, context.Services.GetRequiredService<InferenceOptions>());
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}
