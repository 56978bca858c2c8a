using System.Buffers;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using MLSystemDesign.Inference;
using MLSystemDesign.Models;

namespace MLSystemDesign.Onnx;

/// <summary>Options of an ONNX Runtime-backed model; validated (by <see cref="OnnxRuntimeOptionsValidator"/>, or as part of <see cref="OnnxFormatOptions"/>) when a model is loaded with them.</summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>Gets or sets ONNX Runtime's intra-op thread count. Default 1 (with spinning off), which suits a request path; 1 to 1024.</summary>
    [Range(1, 1024)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Gets or sets the task when the graph does not tell (a graph the core cannot read). Default: inferred from the output (a probability output of 1 or 2 columns: binary; more: multiclass; otherwise 1 column: regression).</summary>
    public ModelTask? Task { get; set; }

    /// <summary>Gets or sets the graph output to read. Default: the classifier's probabilities, or the last float tensor output.</summary>
    public string? OutputName { get; set; }

    /// <summary>
    /// Gets or sets the widest input a graph may declare; callers size their rows by it. Default
    /// <see cref="InferenceOptions.DefaultMaxInputWidth"/> (as for core models); at least 1.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxInputWidth { get; set; } = InferenceOptions.DefaultMaxInputWidth;

    /// <summary>
    /// Gets or sets the most output columns (classes) a graph may declare. Default
    /// <see cref="InferenceOptions.DefaultMaxOutputWidth"/> (as for core models); at least 1.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxOutputWidth { get; set; } = InferenceOptions.DefaultMaxOutputWidth;

    /// <summary>Refuses a declared input width above <see cref="MaxInputWidth"/> before anything is sized by it.</summary>
    internal void CheckInputWidth(long width)
    {
        if (width > MaxInputWidth)
        {
            throw new ModelFormatException("onnx", $"the graph declares {width} features; {nameof(OnnxRuntimeOptions)}.{nameof(MaxInputWidth)} allows {MaxInputWidth}.");
        }
    }
}

/// <summary>Validates <see cref="OnnxRuntimeOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class OnnxRuntimeOptionsValidator : IValidateOptions<OnnxRuntimeOptions>;

/// <summary>Creates models that run an ONNX graph on ONNX Runtime: for graphs the inference core does not compile.</summary>
public static class OnnxRuntimeModels
{
    /// <summary>Loads an ONNX model into an ONNX Runtime session behind the model contract. Dispose the model to free the session.</summary>
    /// <param name="model">The ONNX protobuf bytes.</param>
    /// <param name="options">The session and output options.</param>
    /// <returns>The model; it also implements <see cref="IDisposable"/>.</returns>
    /// <exception cref="ModelFormatException">ONNX Runtime cannot load the graph, or it has no usable float input or output.</exception>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public static IModel Load(byte[] model, OnnxRuntimeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new OnnxRuntimeModel(model, OptionsValidation.ThrowIfInvalid<OnnxRuntimeOptions, OnnxRuntimeOptionsValidator>(options ?? new OnnxRuntimeOptions()));
    }
}

/// <summary>
/// An ONNX Runtime session behind <see cref="IModel"/>. A binary classifier's <c>probability</c> is the graph's class-1
/// probability and its <c>score</c> that probability's logit (the margin, when the graph applies a logistic).
/// </summary>
internal sealed class OnnxRuntimeModel : IModel, IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string _input;
    private readonly string _output;
    private readonly int _columns;

    public OnnxRuntimeModel(byte[] model, OnnxRuntimeOptions options)
    {
        ModelSignature? known = null;
        try
        {
            known = OnnxInference.ToDefinition(model).Signature;
        }
        catch (NotSupportedException)
        {
            // Not a graph the core reads: the signature comes from the session's metadata.
        }

        if (known is not null)
        {
            options.CheckInputWidth(known.InputWidth);
        }

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = options.IntraOpThreads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        if (options.IntraOpThreads == 1)
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        try
        {
            _session = new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelFormatException("onnx", $"ONNX Runtime cannot load the model: {ex.Message}", ex);
        }

        try
        {
            var inputs = _session.InputMetadata.Where(i => i.Value.IsTensor && i.Value.ElementType == typeof(float)).ToList();
            if (inputs.Count != 1 || inputs[0].Value.Dimensions.Length != 2 || inputs[0].Value.Dimensions[1] <= 0)
            {
                throw new ModelFormatException("onnx", "the graph must have one float input of shape [N, width] with a fixed width.");
            }

            _input = inputs[0].Key;
            var width = inputs[0].Value.Dimensions[1];
            options.CheckInputWidth(width);
            var floats = _session.OutputMetadata.Where(m => m.Value.IsTensor && m.Value.ElementType == typeof(float)).ToList();
            var chosen = options.OutputName is { } name
                ? floats.FirstOrDefault(m => m.Key == name)
                : floats.FirstOrDefault(m => m.Key.Contains("prob", StringComparison.OrdinalIgnoreCase)) is { Key: not null } p ? p : floats.LastOrDefault();
            if (chosen.Key is null)
            {
                throw new ModelFormatException("onnx", $"the graph has no float tensor output{(options.OutputName is null ? string.Empty : $" named '{options.OutputName}'")}; its outputs are {string.Join(", ", _session.OutputMetadata.Keys)}.");
            }

            _output = chosen.Key;
            var dims = chosen.Value.Dimensions;
            _columns = dims.Length >= 2 && dims[^1] > 0 ? dims[^1] : 1;
            if (_columns > options.MaxOutputWidth)
            {
                throw new ModelFormatException("onnx", $"the output '{_output}' declares {_columns} columns; {nameof(OnnxRuntimeOptions)}.{nameof(OnnxRuntimeOptions.MaxOutputWidth)} allows {options.MaxOutputWidth}.");
            }

            // A probability output of one or two columns is a binary classifier's; otherwise one column means regression.
            var probability = _output.Contains("prob", StringComparison.OrdinalIgnoreCase);
            var task = known?.Task ?? options.Task ?? (_columns == 1 && !probability ? ModelTask.Regression : _columns <= 2 ? ModelTask.BinaryClassification : ModelTask.MulticlassClassification);
            Signature = known ?? task switch
            {
                ModelTask.Regression => ModelSignature.Regression(width),
                ModelTask.BinaryClassification => ModelSignature.Binary(width),
                _ => ModelSignature.Multiclass(width, _columns),
            };
            var needed = Signature.Task switch { ModelTask.Regression => 1, ModelTask.BinaryClassification => 2, _ => Signature.OutputWidth };
            if (_columns != needed && !(Signature.Task == ModelTask.BinaryClassification && _columns == 1))
            {
                throw new ModelFormatException("onnx", $"the output '{_output}' has {_columns} columns; a {Signature.Task} model needs {needed}.");
            }
        }
        catch
        {
            _session.Dispose();
            _run.Dispose();
            throw;
        }
    }

    public ModelSignature Signature { get; }

    public void Predict(ReadOnlySpan<float> features, Span<float> output)
    {
        Signature.ValidateRow(features, output);
        Run(features, output, 1);
    }

    public void PredictBatch(ReadOnlySpan<float> features, Span<float> output)
    {
        var rows = Signature.ValidateBatch(features, output);
        if (rows > 0)
        {
            Run(features, output, rows);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }

    private void Run(ReadOnlySpan<float> features, Span<float> output, int rows)
    {
        var buffer = ArrayPool<float>.Shared.Rent(features.Length);
        try
        {
            features.CopyTo(buffer);
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(buffer, 0, features.Length), [rows, Signature.InputWidth]);
            using var results = _session.Run(_run, [_input], [input], [_output]);
            var values = results[0].GetTensorDataAsSpan<float>();
            switch (Signature.Task)
            {
                case ModelTask.BinaryClassification:
                    for (var r = 0; r < rows; r++)
                    {
                        var p = values[(r * _columns) + _columns - 1];
                        output[2 * r] = MathF.Log(p / (1 - p));
                        output[(2 * r) + 1] = p;
                    }

                    break;
                default:
                    values[..(rows * Signature.OutputWidth)].CopyTo(output);
                    break;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
