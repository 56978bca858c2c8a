using System.Collections;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using MLSystemDesign.Inference;
using MLSystemDesign.MLNet.Models;
using MLSystemDesign.Models;

namespace MLSystemDesign.MLNet;

/// <summary>
/// Imports ML.NET models into the inference core with ML.NET's own semantics: FastTree, FastForest and LightGBM
/// ensembles (binary, regression, multiclass one-versus-all), the linear trainers, and Platt calibrators.
/// </summary>
/// <remarks>
/// Trees keep ML.NET's float thresholds and <c>x &lt;= threshold</c> test. A missing value (NaN) follows ML.NET: it is
/// replaced by the node's default value when the tree has them (LightGBM trees) and otherwise fails the test and goes
/// right. ML.NET keeps those default values and one-versus-all sub-models out of its public API, so they are read by
/// reflection; a future ML.NET that moves them fails here with a clear error, not with wrong predictions.
/// </remarks>
public static class MLNetInference
{
    /// <summary>Compiles an ML.NET model (as trained or loaded by this package) into a core model.</summary>
    /// <param name="model">A model from <see cref="MLNetTrainers"/> or the <c>mlnet-zip</c> format.</param>
    /// <param name="options">The compiled model's options.</param>
    /// <returns>The compiled model.</returns>
    /// <exception cref="NotSupportedException">The model holds a part the core does not compile; the message names it.</exception>
    public static IModel Compile(IModel model, InferenceOptions? options = null) => InferenceModel.Compile(ToDefinition(model), options);

    /// <summary>Converts an ML.NET model (as trained or loaded by this package) into a core definition.</summary>
    /// <param name="model">A model from <see cref="MLNetTrainers"/> or the <c>mlnet-zip</c> format.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="NotSupportedException">The model is not an ML.NET model, or holds a part the core does not compile.</exception>
    public static ModelDefinition ToDefinition(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model is MLNetModel m
            ? ToDefinition(m.Transformer, m.Signature)
            : throw new NotSupportedException($"Only ML.NET models of this package can be imported; this model is a {model.GetType().Name}.");
    }

    /// <summary>Converts a fitted ML.NET transformer that scores a float vector column into a core definition.</summary>
    /// <param name="transformer">A prediction transformer, or a chain ending in one (optionally followed by a calibrator).</param>
    /// <param name="signature">The signature of the model: its input width and task.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="NotSupportedException">The transformer holds a part the core does not compile; the message names it.</exception>
    public static ModelDefinition ToDefinition(ITransformer transformer, ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(signature);
        var parts = Flatten(transformer).ToList();
        if (parts.Count is 0 or > 2)
        {
            throw new NotSupportedException($"Expected a predictor, optionally followed by a calibrator; the model holds {string.Join(" → ", parts.Select(p => p.GetType().Name))}.");
        }

        var predictor = ModelOf(parts[0]);
        object? calibrator = null;
        if (parts.Count == 2)
        {
            calibrator = ModelOf(parts[1]) as ICalibrator
                ?? throw new NotSupportedException($"The step after the predictor must be a calibrator; it is {parts[1].GetType().Name}.");
        }

        if (predictor is CalibratedModelParametersBase calibrated)
        {
            calibrator = calibrated.Calibrator;
            predictor = calibrated.SubModel;
        }

        return signature.Task switch
        {
            ModelTask.MulticlassClassification => Multiclass(predictor, signature),
            ModelTask.BinaryClassification => Single(predictor, signature, calibrator is null ? OutputTransform.Identity : Calibration(calibrator)),
            _ => Single(predictor, signature, OutputTransform.Identity),
        };
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer)
    {
        if (transformer is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
            {
                foreach (var t in Flatten(inner))
                {
                    yield return t;
                }
            }
        }
        else
        {
            yield return transformer;
        }
    }

    private static object ModelOf(ITransformer transformer) =>
        transformer is IPredictionTransformer<object> p
            ? p.Model
            : throw new NotSupportedException($"The transformer {transformer.GetType().Name} is not a predictor; only a predictor (and its calibrator) can be compiled. Featurize with MLSystemDesign's feature pipeline instead.");

    private static OutputTransform Calibration(object calibrator) => calibrator switch
    {
        PlattCalibrator platt => OutputTransform.PlattScaling(platt.Slope, platt.Offset),
        _ => throw new NotSupportedException($"The calibrator {calibrator.GetType().Name} is not supported; Platt calibrators are."),
    };

    private static ModelDefinition Single(object predictor, ModelSignature signature, OutputTransform output)
    {
        switch (predictor)
        {
            case TreeEnsembleModelParametersBasedOnRegressionTree boosted:
                return Trees(signature, output, [(boosted.TrainedTreeEnsemble.Trees, 0)], TreeAggregation.Sum);
            case TreeEnsembleModelParametersBasedOnQuantileRegressionTree forest:
                // FastForest regression averages its trees; the binary forest sums them (its calibrator sees the sum).
                return Trees(signature, output, [(forest.TrainedTreeEnsemble.Trees, 0)], forest is FastForestRegressionModelParameters ? TreeAggregation.Average : TreeAggregation.Sum);
            case LinearModelParameters linear:
                return new LinearModelDefinition(signature, linear.Weights.ToArray(), new[] { linear.Bias }, output);
            default:
                throw new NotSupportedException($"The predictor {predictor.GetType().Name} is not supported.");
        }
    }

    private static ModelDefinition Multiclass(object predictor, ModelSignature signature)
    {
        switch (predictor)
        {
            case LinearMulticlassModelParametersBase linear:
                VBuffer<float>[] weights = [];
                linear.GetWeights(ref weights, out var classes);
                var width = signature.InputWidth;
                var dense = new float[classes * width];
                for (var c = 0; c < classes; c++)
                {
                    weights[c].DenseValues().ToArray().CopyTo(dense, c * width);
                }

                var output = linear is MaximumEntropyModelParameters ? OutputTransform.Softmax : OutputTransform.Identity;
                return new LinearModelDefinition(signature, dense, linear.GetBiases().ToArray(), output);
            case OneVersusAllModelParameters ova:
                return OneVersusAll(ova, signature);
            default:
                throw new NotSupportedException($"The multiclass predictor {predictor.GetType().Name} is not supported.");
        }
    }

    private static TreeEnsembleDefinition OneVersusAll(OneVersusAllModelParameters ova, ModelSignature signature)
    {
        var subModels = (IEnumerable)(typeof(OneVersusAllModelParameters).GetProperty("SubModelParameters", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?.GetValue(ova)
            ?? throw new NotSupportedException("This ML.NET version hides the one-versus-all sub-models where this importer cannot read them."));
        var impl = typeof(OneVersusAllModelParameters).GetField("_impl", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(ova)
            ?? throw new NotSupportedException("This ML.NET version hides the one-versus-all output formula where this importer cannot read it.");
        var ensembles = new List<(IReadOnlyList<RegressionTreeBase> Trees, int Target)>();
        var calibrations = new List<PlattCalibration>();
        var target = 0;
        foreach (var sub in subModels)
        {
            var model = sub;
            if (model is CalibratedModelParametersBase c)
            {
                calibrations.Add(c.Calibrator is PlattCalibrator p
                    ? new PlattCalibration(p.Slope, p.Offset)
                    : throw new NotSupportedException($"Class {target}'s calibrator {c.Calibrator.GetType().Name} is not supported; Platt calibrators are."));
                model = c.SubModel;
            }

            IReadOnlyList<RegressionTreeBase> trees = model switch
            {
                TreeEnsembleModelParametersBasedOnRegressionTree b => b.TrainedTreeEnsemble.Trees,
                TreeEnsembleModelParametersBasedOnQuantileRegressionTree f => f.TrainedTreeEnsemble.Trees,
                _ => throw new NotSupportedException($"Class {target}'s sub-model {model.GetType().Name} is not a tree ensemble; one-versus-all models of trees are supported."),
            };

            // Binary sub-models (boosted or forest) sum their trees.
            ensembles.Add((trees, target++));
        }

        if (target != signature.OutputWidth)
        {
            throw new NotSupportedException($"The model has {target} one-versus-all sub-models for {signature.OutputWidth} classes.");
        }

        var output = impl.GetType().Name switch
        {
            "ImplSoftmax" => OutputTransform.Softmax,
            "ImplRaw" => OutputTransform.Identity,
            "ImplDist" when calibrations.Count == target => OutputTransform.OneVersusAll(calibrations),
            var name => throw new NotSupportedException($"The one-versus-all output formula {name} is not supported."),
        };
        return Trees(signature, output, ensembles, TreeAggregation.Sum);
    }

    private static TreeEnsembleDefinition Trees(ModelSignature signature, OutputTransform output, IEnumerable<(IReadOnlyList<RegressionTreeBase> Trees, int Target)> ensembles, TreeAggregation aggregation)
    {
        var trees = new List<DecisionTree>();
        foreach (var (ensemble, target) in ensembles)
        {
            foreach (var tree in ensemble)
            {
                trees.Add(Tree(tree, trees.Count, target));
            }
        }

        return new TreeEnsembleDefinition(signature, trees, output, SplitComparison.LessOrEqual, aggregation);
    }

    /// <summary>ML.NET numbers internal nodes 0…n-1 and leaves 0…n; a child &lt; 0 is the leaf <c>~child</c>. Here leaves follow the internal nodes.</summary>
    private static DecisionTree Tree(RegressionTreeBase tree, int index, int target)
    {
        var internals = tree.NumberOfNodes;
        var leaves = tree.LeafValues;
        if (internals == 0)
        {
            return new DecisionTree([TreeNode.Leaf(leaves.Count > 0 ? leaves[0] : 0)], target);
        }

        var defaults = DefaultValuesForMissing(tree);
        var nodes = new TreeNode[internals + leaves.Count];
        for (var n = 0; n < internals; n++)
        {
            if (tree.CategoricalSplitFlags[n])
            {
                throw new NotSupportedException($"Tree {index}: node {n} is a categorical split, which is not supported.");
            }

            var threshold = tree.NumericalSplitThresholds[n];

            // ML.NET replaces NaN by the node's default value (when the tree has them) and tests it; NaN itself fails the test.
            var missingGoesLeft = defaults is not null && defaults[n] <= threshold;
            nodes[n] = TreeNode.Split(tree.NumericalSplitFeatureIndexes[n], threshold, Child(tree.LeftChild[n], internals), Child(tree.RightChild[n], internals), missingGoesLeft);
        }

        for (var l = 0; l < leaves.Count; l++)
        {
            nodes[internals + l] = TreeNode.Leaf(leaves[l]);
        }

        return new DecisionTree(nodes, target);
    }

    private static int Child(int child, int internals) => child >= 0 ? child : internals + ~child;

    private static float[]? DefaultValuesForMissing(RegressionTreeBase tree)
    {
        var inner = typeof(RegressionTreeBase).GetField("_tree", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(tree)
            ?? throw new NotSupportedException("This ML.NET version hides its trees' missing-value defaults where this importer cannot read them.");
        var field = inner.GetType().GetField("DefaultValueForMissing", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new NotSupportedException("This ML.NET version hides its trees' missing-value defaults where this importer cannot read them.");
        return (float[]?)field.GetValue(inner);
    }
}
