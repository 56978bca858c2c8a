using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MLSystemDesign.Inference;
using MLSystemDesign.Models;

namespace MLSystemDesign.Onnx;

/// <summary>Which engine runs a model loaded from ONNX.</summary>
public enum OnnxEngine
{
    /// <summary>The inference core when it compiles the graph, ONNX Runtime otherwise.</summary>
    Auto,

    /// <summary>The inference core; a graph it does not compile fails to load.</summary>
    Core,

    /// <summary>ONNX Runtime.</summary>
    OnnxRuntime,
}

/// <summary>Options of the <c>onnx</c> model format; validated when the host starts (<c>AddOnnx</c>) and when the format is created with them.</summary>
public sealed class OnnxFormatOptions
{
    /// <summary>Gets or sets the engine. Default <see cref="OnnxEngine.Auto"/>.</summary>
    [EnumDataType(typeof(OnnxEngine))]
    public OnnxEngine Engine { get; set; } = OnnxEngine.Auto;

    /// <summary>Gets or sets the options of ONNX Runtime-backed models.</summary>
    [Required]
    [ValidateObjectMembers]
    public OnnxRuntimeOptions Runtime { get; set; } = new();
}

/// <summary>Validates <see cref="OnnxFormatOptions"/> and its <see cref="OnnxFormatOptions.Runtime"/> (generated from their data annotations).</summary>
[OptionsValidator]
internal sealed partial class OnnxFormatOptionsValidator : IValidateOptions<OnnxFormatOptions>;

/// <summary>Validates the <see cref="InferenceOptions"/> a format is created with, from the same data annotations the inference package's own validator is generated from.</summary>
[OptionsValidator]
internal sealed partial class InferenceOptionsValidator : IValidateOptions<InferenceOptions>;

/// <summary>The <c>onnx</c> format (load only): an ONNX model, compiled by the inference core or run on ONNX Runtime.</summary>
public sealed class OnnxModelFormat : IModelFormat
{
    /// <summary>The format id.</summary>
    public const string Id = "onnx";

    private readonly OnnxFormatOptions _options;
    private readonly InferenceOptions _inference;

    /// <summary>Creates the format with default options.</summary>
    public OnnxModelFormat()
        : this(new OnnxFormatOptions(), new InferenceOptions())
    {
    }

    /// <summary>Creates the format.</summary>
    /// <param name="options">Which engine loads models.</param>
    /// <param name="inference">The options of core-compiled models.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public OnnxModelFormat(OnnxFormatOptions options, InferenceOptions inference)
    {
        _options = OptionsValidation.ThrowIfInvalid<OnnxFormatOptions, OnnxFormatOptionsValidator>(options);
        _inference = OptionsValidation.ThrowIfInvalid<InferenceOptions, InferenceOptionsValidator>(inference);
    }

    /// <inheritdoc />
    public string FormatId => Id;

    /// <inheritdoc />
    public bool CanSave(IModel model) => false;

    /// <inheritdoc />
    public ValueTask SaveAsync(IModel model, Stream destination, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Id} format is read-only: save a compiled model in the mlsd format instead.");

    /// <inheritdoc />
    public async ValueTask<IModel> LoadAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var path = ModelFormatException.SourceOf(source);
        try
        {
            using var buffer = new MemoryStream();
            await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Load(buffer.ToArray(), _options.Engine);
        }
        catch (ModelFormatException ex) when (path is not null)
        {
            throw ex.WithSource(path);
        }
    }

    /// <summary>Loads ONNX bytes with an engine.</summary>
    /// <param name="model">The ONNX protobuf bytes.</param>
    /// <param name="engine">The engine.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFormatException">The bytes are not a loadable ONNX model.</exception>
    /// <exception cref="NotSupportedException">The core was asked for and does not compile the graph.</exception>
    public IModel Load(byte[] model, OnnxEngine engine)
    {
        ArgumentNullException.ThrowIfNull(model);
        switch (engine)
        {
            case OnnxEngine.Core:
                return OnnxInference.Compile(model, _inference);
            case OnnxEngine.OnnxRuntime:
                return OnnxRuntimeModels.Load(model, _options.Runtime);
            default:
                try
                {
                    return OnnxInference.Compile(model, _inference);
                }
                catch (NotSupportedException)
                {
                    return OnnxRuntimeModels.Load(model, _options.Runtime);
                }
        }
    }
}
