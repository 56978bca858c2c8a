using MLSystemDesign.Inference.Dense;
using MLSystemDesign.Inference.Trees;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference;

/// <summary>Compiles <see cref="ModelDefinition"/>s into fast, immutable, thread-safe <see cref="IModel"/>s.</summary>
public static class InferenceModel
{
    /// <summary>Validates a definition and compiles it.</summary>
    /// <param name="definition">A tree ensemble, linear model or MLP.</param>
    /// <param name="options">Options; the defaults when omitted.</param>
    /// <returns>The compiled model. Single rows and single-threaded batches allocate nothing.</returns>
    /// <exception cref="ArgumentException">
    /// The definition is invalid (the message names the tree, node or layer), declares more features or outputs than
    /// <see cref="InferenceOptions.MaxInputWidth"/> or <see cref="InferenceOptions.MaxOutputWidth"/> allow, or is a tree
    /// ensemble whose outputs can overflow a float.
    /// </exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public static IModel Compile(ModelDefinition definition, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var o = (options ?? new InferenceOptions()).Clone();
        OptionsValidation.ThrowIfInvalid<InferenceOptions, InferenceOptionsValidator>(o);
        o.CheckWidths(definition.Signature.InputWidth, definition.Signature.OutputWidth);
        return definition switch
        {
            TreeEnsembleDefinition trees => new TreeEnsembleModel(trees, o),
            LinearModelDefinition linear => new DenseModel(linear, [new DenseLayer(linear.Signature.InputWidth, linear.TargetCount, linear.Weights, linear.Bias)], o),
            MlpDefinition mlp => new DenseModel(mlp, mlp.Layers, o),
            _ => throw new ArgumentException($"Unknown definition type {definition.GetType().Name}.", nameof(definition)),
        };
    }

    /// <summary>Gets the definition a compiled model was made from.</summary>
    /// <param name="model">A model.</param>
    /// <param name="definition">The definition, when <paramref name="model"/> was compiled by <see cref="Compile"/>.</param>
    /// <returns><see langword="true"/> when the model is a compiled core model.</returns>
    public static bool TryGetDefinition(IModel model, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelDefinition? definition)
    {
        definition = (model as CompiledModel)?.Definition;
        return definition is not null;
    }

    /// <summary>Compiles a definition a format has parsed; structural problems (cycles, indices out of range) become <see cref="ModelFormatException"/>s of that format.</summary>
    internal static IModel CompileForFormat(string formatId, ModelDefinition definition, InferenceOptions options)
    {
        try
        {
            return Compile(definition, options);
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException(formatId, ex.Message, ex);
        }
    }
}
