using MLSystemDesign.Inference;
using MLSystemDesign.Models;

namespace MLSystemDesign.Onnx;

/// <summary>
/// Imports ONNX models into the inference core: ONNX-ML <c>TreeEnsembleRegressor</c>/<c>TreeEnsembleClassifier</c> and
/// <c>LinearRegressor</c>/<c>LinearClassifier</c> (as the graph's single node), and MLP graphs made of
/// <c>MatMul</c>/<c>Gemm</c>/<c>Add</c>/<c>Relu</c>/<c>LeakyRelu</c>/<c>Sigmoid</c>/<c>Tanh</c>/<c>Softmax</c> over one
/// float matrix input. Any other operator fails with a <see cref="NotSupportedException"/> naming the operator and
/// node: such graphs run on ONNX Runtime (<see cref="OnnxRuntimeModels"/>).
/// </summary>
public static class OnnxInference
{
    /// <summary>Converts an ONNX model into a core definition.</summary>
    /// <param name="model">The ONNX protobuf bytes.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ModelFormatException">The bytes are not a well-formed ONNX model.</exception>
    /// <exception cref="NotSupportedException">The graph uses something the core does not compile; the message names it.</exception>
    public static ModelDefinition ToDefinition(ReadOnlySpan<byte> model)
    {
        var proto = OnnxGraph.Parse(model);
        try
        {
            return OnnxImporter.Import(proto);
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException(OnnxGraph.FormatId, ex.Message, ex);
        }
    }

    /// <summary>Converts and compiles an ONNX model.</summary>
    /// <param name="model">The ONNX protobuf bytes.</param>
    /// <param name="options">The compiled model's options.</param>
    /// <returns>The compiled model.</returns>
    /// <exception cref="ModelFormatException">The bytes are not a well-formed ONNX model, or its trees are malformed.</exception>
    /// <exception cref="NotSupportedException">The graph uses something the core does not compile; the message names it.</exception>
    public static IModel Compile(ReadOnlySpan<byte> model, InferenceOptions? options = null)
    {
        var definition = ToDefinition(model);
        try
        {
            return InferenceModel.Compile(definition, options);
        }
        catch (ArgumentException ex) when (ex is not ArgumentOutOfRangeException)
        {
            throw new ModelFormatException(OnnxGraph.FormatId, ex.Message, ex);
        }
    }
}
