using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MLSystemDesign.MLNet.Models;
using MLSystemDesign.MLNet.Trainers;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.MLNet;

/// <summary>
/// Creates ML.NET trainers behind the <see cref="Training.ITrainer"/> contract. Binary classifiers output a raw score and a
/// calibrated probability (FastForest gets a Platt calibrator, since ML.NET leaves it uncalibrated); multiclass
/// FastTree and FastForest run one-versus-all with normalised probabilities.
/// </summary>
public static class MLNetTrainers
{
    /// <summary>The name of the FastTree (gradient-boosted trees) trainer.</summary>
    public const string FastTreeName = "fasttree";

    /// <summary>The name of the FastForest (random forest) trainer.</summary>
    public const string FastForestName = "fastforest";

    /// <summary>The name of the LightGBM trainer.</summary>
    public const string LightGbmName = "lightgbm";

    /// <summary>The name of the linear trainer: L-BFGS logistic regression (binary), L-BFGS maximum entropy (multiclass), SDCA (regression).</summary>
    public const string LinearName = "linear";

    /// <summary>The default seed when neither the settings nor the system options give one.</summary>
    public const int DefaultSeed = 42;

    /// <summary>Creates a FastTree trainer.</summary>
    /// <param name="task">The task: any of the three.</param>
    /// <param name="settings">Hyper-parameters; ML.NET's defaults when omitted.</param>
    /// <returns>The trainer.</returns>
    public static ITrainer FastTree(ModelTask task, TreeTrainerSettings? settings = null)
    {
        var s = settings ?? new TreeTrainerSettings();
        var seed = s.Seed ?? DefaultSeed;
        var p = TreeParameters(s, seed, trees: 100, leaves: "20", minLeaf: "10", learningRate: "0.2");
        return new MLNetTrainer(FastTreeName, task, seed, p, (ml, weight) =>
        {
            T Apply<T>(T o)
                where T : BoostedTreeOptions
            {
                ApplyTree(o, s, seed, weight);
                o.LearningRate = s.LearningRate ?? 0.2;
                return o;
            }

            return task switch
            {
                ModelTask.BinaryClassification => ml.BinaryClassification.Trainers.FastTree(Apply(new FastTreeBinaryTrainer.Options())),
                ModelTask.Regression => ml.Regression.Trainers.FastTree(Apply(new FastTreeRegressionTrainer.Options())),
                _ => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(Apply(new FastTreeBinaryTrainer.Options()))),
            };
        });
    }

    /// <summary>Creates a FastForest (random forest) trainer.</summary>
    /// <param name="task">The task: any of the three.</param>
    /// <param name="settings">Hyper-parameters; ML.NET's defaults when omitted.</param>
    /// <returns>The trainer.</returns>
    public static ITrainer FastForest(ModelTask task, TreeTrainerSettings? settings = null)
    {
        var s = settings ?? new TreeTrainerSettings();
        var seed = s.Seed ?? DefaultSeed;
        var p = TreeParameters(s, seed, trees: 100, leaves: "20", minLeaf: "10", learningRate: null);
        return new MLNetTrainer(FastForestName, task, seed, p, (ml, weight) => task switch
        {
            ModelTask.BinaryClassification => ml.BinaryClassification.Trainers.FastForest(ApplyTree(new FastForestBinaryTrainer.Options(), s, seed, weight))
                .Append(ml.BinaryClassification.Calibrators.Platt(MLNetData.Label)),
            ModelTask.Regression => ml.Regression.Trainers.FastForest(ApplyTree(new FastForestRegressionTrainer.Options(), s, seed, weight)),
            _ => (IEstimator<ITransformer>)ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastForest(ApplyTree(new FastForestBinaryTrainer.Options(), s, seed, weight))),
        });
    }

    /// <summary>Creates a LightGBM trainer.</summary>
    /// <param name="task">The task: any of the three.</param>
    /// <param name="settings">Hyper-parameters; ML.NET's defaults when omitted.</param>
    /// <returns>The trainer.</returns>
    public static ITrainer LightGbm(ModelTask task, TreeTrainerSettings? settings = null)
    {
        var s = settings ?? new TreeTrainerSettings();
        var seed = s.Seed ?? DefaultSeed;
        var p = TreeParameters(s, seed, trees: 100, leaves: "auto", minLeaf: "auto", learningRate: "auto");
        return new MLNetTrainer(LightGbmName, task, seed, p, (ml, weight) => task switch
        {
            ModelTask.BinaryClassification => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                NumberOfIterations = s.Trees ?? 100, NumberOfLeaves = s.Leaves, MinimumExampleCountPerLeaf = s.MinExamplesPerLeaf, LearningRate = s.LearningRate,
                Seed = seed, NumberOfThreads = s.Threads, Silent = true,
                FeatureColumnName = MLNetData.Features, LabelColumnName = MLNetData.Label, ExampleWeightColumnName = weight,
            }),
            ModelTask.Regression => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                NumberOfIterations = s.Trees ?? 100, NumberOfLeaves = s.Leaves, MinimumExampleCountPerLeaf = s.MinExamplesPerLeaf, LearningRate = s.LearningRate,
                Seed = seed, NumberOfThreads = s.Threads, Silent = true,
                FeatureColumnName = MLNetData.Features, LabelColumnName = MLNetData.Label, ExampleWeightColumnName = weight,
            }),
            _ => (IEstimator<ITransformer>)ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                NumberOfIterations = s.Trees ?? 100, NumberOfLeaves = s.Leaves, MinimumExampleCountPerLeaf = s.MinExamplesPerLeaf, LearningRate = s.LearningRate,
                Seed = seed, NumberOfThreads = s.Threads, Silent = true,
                FeatureColumnName = MLNetData.Features, LabelColumnName = MLNetData.Label, ExampleWeightColumnName = weight,
            }),
        });
    }

    /// <summary>Creates a linear trainer: L-BFGS logistic regression (binary), L-BFGS maximum entropy (multiclass) or SDCA (regression).</summary>
    /// <param name="task">The task: any of the three.</param>
    /// <param name="settings">Hyper-parameters; ML.NET's defaults when omitted.</param>
    /// <returns>The trainer.</returns>
    public static ITrainer Linear(ModelTask task, LinearTrainerSettings? settings = null)
    {
        var s = settings ?? new LinearTrainerSettings();
        var seed = s.Seed ?? DefaultSeed;
        var p = new Dictionary<string, string>
        {
            ["algorithm"] = task switch
            {
                ModelTask.BinaryClassification => "lbfgs-logistic-regression",
                ModelTask.Regression => "sdca",
                _ => "lbfgs-maximum-entropy",
            },
            ["l1"] = s.L1?.ToString(CultureInfo.InvariantCulture) ?? "default",
            ["l2"] = s.L2?.ToString(CultureInfo.InvariantCulture) ?? "default",
            ["iterations"] = s.MaxIterations?.ToString(CultureInfo.InvariantCulture) ?? "default",
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
        };
        return new MLNetTrainer(LinearName, task, seed, p, (ml, weight) =>
        {
            switch (task)
            {
                case ModelTask.BinaryClassification:
                    var lr = new LbfgsLogisticRegressionBinaryTrainer.Options { FeatureColumnName = MLNetData.Features, LabelColumnName = MLNetData.Label, ExampleWeightColumnName = weight, NumberOfThreads = s.Threads };
                    lr.L1Regularization = s.L1 ?? lr.L1Regularization;
                    lr.L2Regularization = s.L2 ?? lr.L2Regularization;
                    lr.MaximumNumberOfIterations = s.MaxIterations ?? lr.MaximumNumberOfIterations;
                    return ml.BinaryClassification.Trainers.LbfgsLogisticRegression(lr);
                case ModelTask.Regression:
                    var sdca = new SdcaRegressionTrainer.Options { FeatureColumnName = MLNetData.Features, LabelColumnName = MLNetData.Label, ExampleWeightColumnName = weight, NumberOfThreads = s.Threads ?? 1 };
                    sdca.L1Regularization = s.L1 ?? sdca.L1Regularization;
                    sdca.L2Regularization = s.L2 ?? sdca.L2Regularization;
                    sdca.MaximumNumberOfIterations = s.MaxIterations ?? sdca.MaximumNumberOfIterations;
                    return ml.Regression.Trainers.Sdca(sdca);
                default:
                    var me = new LbfgsMaximumEntropyMulticlassTrainer.Options { FeatureColumnName = MLNetData.Features, LabelColumnName = MLNetData.Label, ExampleWeightColumnName = weight, NumberOfThreads = s.Threads };
                    me.L1Regularization = s.L1 ?? me.L1Regularization;
                    me.L2Regularization = s.L2 ?? me.L2Regularization;
                    me.MaximumNumberOfIterations = s.MaxIterations ?? me.MaximumNumberOfIterations;
                    return ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(me);
            }
        });
    }

    /// <summary>Sets the options FastTree and FastForest share: ML.NET's defaults for what the settings leave open.</summary>
    private static T ApplyTree<T>(T o, TreeTrainerSettings s, int seed, string? weight)
        where T : TreeOptions
    {
        o.NumberOfTrees = s.Trees ?? 100;
        o.NumberOfLeaves = s.Leaves ?? 20;
        o.MinimumExampleCountPerLeaf = s.MinExamplesPerLeaf ?? 10;
        o.Seed = seed;
        o.NumberOfThreads = s.Threads;
        o.FeatureColumnName = MLNetData.Features;
        o.LabelColumnName = MLNetData.Label;
        o.ExampleWeightColumnName = weight;
        return o;
    }

    private static Dictionary<string, string> TreeParameters(TreeTrainerSettings s, int seed, int trees, string leaves, string minLeaf, string? learningRate)
    {
        var p = new Dictionary<string, string>
        {
            ["trees"] = (s.Trees ?? trees).ToString(CultureInfo.InvariantCulture),
            ["leaves"] = s.Leaves?.ToString(CultureInfo.InvariantCulture) ?? leaves,
            ["min_leaf"] = s.MinExamplesPerLeaf?.ToString(CultureInfo.InvariantCulture) ?? minLeaf,
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
        };
        if (learningRate is not null)
        {
            p["learning_rate"] = s.LearningRate?.ToString(CultureInfo.InvariantCulture) ?? learningRate;
        }

        return p;
    }
}
