using MLSystemDesign.Models;

namespace MLSystemDesign.Inference;

/// <summary>
/// A model the inference core can compile: its signature, how its raw margins become outputs, and its parameters.
/// Importers (ML.NET, XGBoost, ONNX, the <c>mlsd</c> format) produce definitions; <see cref="InferenceModel.Compile"/>
/// validates one and turns it into a fast <see cref="IModel"/>.
/// </summary>
public abstract class ModelDefinition
{
    private protected ModelDefinition(ModelSignature signature, OutputTransform output)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(output);
        output.Validate(signature);
        Signature = signature;
        Output = output;
    }

    /// <summary>Gets the signature.</summary>
    public ModelSignature Signature { get; }

    /// <summary>Gets how margins become outputs.</summary>
    public OutputTransform Output { get; }

    /// <summary>Gets the number of raw margins the model computes: the class count for multiclass, 1 otherwise.</summary>
    public int TargetCount => Signature.Task == ModelTask.MulticlassClassification ? Signature.OutputWidth : 1;
}

/// <summary>A tree ensemble: gradient-boosted trees (summed) or a random forest (averaged), per target.</summary>
public sealed class TreeEnsembleDefinition : ModelDefinition
{
    /// <summary>Creates a tree ensemble definition.</summary>
    /// <param name="signature">The signature.</param>
    /// <param name="trees">The trees; each adds to its <see cref="DecisionTree.Target"/>.</param>
    /// <param name="output">How the margins become outputs.</param>
    /// <param name="comparison">How splits compare; <see cref="SplitComparison.LessOrEqual"/> by default.</param>
    /// <param name="aggregation">How each target's trees combine; <see cref="TreeAggregation.Sum"/> by default.</param>
    /// <param name="baseScores">One value per target added to the aggregated leaves; zeros when omitted.</param>
    /// <exception cref="ArgumentException">The parts do not fit together.</exception>
    public TreeEnsembleDefinition(
        ModelSignature signature,
        IReadOnlyList<DecisionTree> trees,
        OutputTransform output,
        SplitComparison comparison = SplitComparison.LessOrEqual,
        TreeAggregation aggregation = TreeAggregation.Sum,
        IReadOnlyList<double>? baseScores = null)
        : base(signature, output)
    {
        ArgumentNullException.ThrowIfNull(trees);
        if (!Enum.IsDefined(comparison) || !Enum.IsDefined(aggregation))
        {
            throw new ArgumentException($"Unknown comparison {comparison} or aggregation {aggregation}.");
        }

        for (var t = 0; t < trees.Count; t++)
        {
            if (trees[t] is null)
            {
                throw new ArgumentException($"Tree {t} is null.", nameof(trees));
            }

            if (trees[t].Target >= TargetCount)
            {
                throw new ArgumentException($"Tree {t} adds to target {trees[t].Target}, but the model has {TargetCount} target(s).", nameof(trees));
            }
        }

        if (baseScores is not null && baseScores.Count != TargetCount)
        {
            throw new ArgumentException($"{baseScores.Count} base scores were given for {TargetCount} target(s).", nameof(baseScores));
        }

        Trees = trees.ToArray();
        Comparison = comparison;
        Aggregation = aggregation;
        BaseScores = baseScores?.ToArray() ?? new double[TargetCount];
    }

    /// <summary>Gets the trees.</summary>
    public IReadOnlyList<DecisionTree> Trees { get; }

    /// <summary>Gets how splits compare.</summary>
    public SplitComparison Comparison { get; }

    /// <summary>Gets how each target's trees combine.</summary>
    public TreeAggregation Aggregation { get; }

    /// <summary>Gets the base score of each target.</summary>
    public IReadOnlyList<double> BaseScores { get; }
}

/// <summary>A linear model: <c>margin[t] = bias[t] + Σ weights[t, j] · x[j]</c> for each target.</summary>
public sealed class LinearModelDefinition : ModelDefinition
{
    /// <summary>Creates a linear model definition.</summary>
    /// <param name="signature">The signature.</param>
    /// <param name="weights">Row-major <c>[targets × features]</c> weights.</param>
    /// <param name="bias">One bias per target.</param>
    /// <param name="output">How the margins become outputs.</param>
    /// <exception cref="ArgumentException">The sizes do not fit the signature.</exception>
    public LinearModelDefinition(ModelSignature signature, ReadOnlyMemory<float> weights, ReadOnlyMemory<float> bias, OutputTransform output)
        : base(signature, output)
    {
        if (weights.Length != (long)TargetCount * signature.InputWidth)
        {
            throw new ArgumentException($"A linear model with {TargetCount} target(s) and {signature.InputWidth} features needs {(long)TargetCount * signature.InputWidth} weights; {weights.Length} were given.", nameof(weights));
        }

        if (bias.Length != TargetCount)
        {
            throw new ArgumentException($"{bias.Length} biases were given for {TargetCount} target(s).", nameof(bias));
        }

        Weights = weights.ToArray();
        Bias = bias.ToArray();
    }

    /// <summary>Gets the row-major <c>[targets × features]</c> weights.</summary>
    public ReadOnlyMemory<float> Weights { get; }

    /// <summary>Gets the biases.</summary>
    public ReadOnlyMemory<float> Bias { get; }
}

/// <summary>A fully connected layer: <c>y = activation(W x + b)</c> with <c>W</c> row-major <c>[outputs × inputs]</c>.</summary>
public sealed class DenseLayer
{
    /// <summary>Creates a layer.</summary>
    /// <param name="inputs">The input width.</param>
    /// <param name="outputs">The output width.</param>
    /// <param name="weights">Row-major <c>[outputs × inputs]</c> weights.</param>
    /// <param name="bias">One bias per output.</param>
    /// <param name="activation">The activation.</param>
    /// <param name="alpha">The negative slope of <see cref="Activation.LeakyRelu"/>; ignored otherwise.</param>
    /// <exception cref="ArgumentException">The sizes are inconsistent.</exception>
    public DenseLayer(int inputs, int outputs, ReadOnlyMemory<float> weights, ReadOnlyMemory<float> bias, Activation activation = Activation.Identity, float alpha = 0.01f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        if (weights.Length != (long)inputs * outputs)
        {
            throw new ArgumentException($"A {inputs}→{outputs} layer needs {(long)inputs * outputs} weights; {weights.Length} were given.", nameof(weights));
        }

        if (bias.Length != outputs)
        {
            throw new ArgumentException($"A layer with {outputs} outputs needs {outputs} biases; {bias.Length} were given.", nameof(bias));
        }

        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentException($"Unknown activation {activation}.", nameof(activation));
        }

        if (!float.IsFinite(alpha))
        {
            throw new ArgumentException($"The LeakyRelu slope must be finite; got {alpha}.", nameof(alpha));
        }

        Inputs = inputs;
        Outputs = outputs;
        Weights = weights.ToArray();
        Bias = bias.ToArray();
        Activation = activation;
        Alpha = alpha;
    }

    /// <summary>Gets the input width.</summary>
    public int Inputs { get; }

    /// <summary>Gets the output width.</summary>
    public int Outputs { get; }

    /// <summary>Gets the row-major <c>[outputs × inputs]</c> weights.</summary>
    public ReadOnlyMemory<float> Weights { get; }

    /// <summary>Gets the biases.</summary>
    public ReadOnlyMemory<float> Bias { get; }

    /// <summary>Gets the activation.</summary>
    public Activation Activation { get; }

    /// <summary>Gets the LeakyRelu slope.</summary>
    public float Alpha { get; }
}

/// <summary>A multilayer perceptron: dense layers applied in order; the last layer's outputs are the margins.</summary>
public sealed class MlpDefinition : ModelDefinition
{
    /// <summary>Creates an MLP definition.</summary>
    /// <param name="signature">The signature.</param>
    /// <param name="layers">The layers, input first.</param>
    /// <param name="output">How the last layer's outputs become the model's outputs (e.g. <see cref="OutputTransform.Softmax"/>).</param>
    /// <exception cref="ArgumentException">The widths do not chain.</exception>
    public MlpDefinition(ModelSignature signature, IReadOnlyList<DenseLayer> layers, OutputTransform output)
        : base(signature, output)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("An MLP has at least one layer.", nameof(layers));
        }

        var width = signature.InputWidth;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i] ?? throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            if (layer.Inputs != width)
            {
                throw new ArgumentException($"Layer {i} takes {layer.Inputs} inputs, but receives {width}.", nameof(layers));
            }

            width = layer.Outputs;
        }

        if (width != TargetCount)
        {
            throw new ArgumentException($"The last layer has {width} outputs; the model needs {TargetCount} margin(s).", nameof(layers));
        }

        Layers = layers.ToArray();
    }

    /// <summary>Gets the layers, input first.</summary>
    public IReadOnlyList<DenseLayer> Layers { get; }
}
