using MLSystemDesign.Inference;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.MLNet.Tests.Inference;

/// <summary>ML.NET models imported into the core predict what ML.NET predicts, on held-out rows, missing values and threshold ties.</summary>
public sealed class MLNetInferenceTests
{
    public static TheoryData<string, ModelTask, bool> Cases => new()
    {
        { "fasttree", ModelTask.BinaryClassification, false },
        { "fasttree", ModelTask.Regression, false },
        { "fasttree", ModelTask.MulticlassClassification, false },
        { "fastforest", ModelTask.BinaryClassification, false },
        { "fastforest", ModelTask.Regression, false },
        { "fastforest", ModelTask.MulticlassClassification, false },
        { "lightgbm", ModelTask.BinaryClassification, false },
        { "lightgbm", ModelTask.BinaryClassification, true },
        { "lightgbm", ModelTask.Regression, true },
        { "lightgbm", ModelTask.MulticlassClassification, false },
        { "linear", ModelTask.BinaryClassification, false },
        { "linear", ModelTask.Regression, false },
        { "linear", ModelTask.MulticlassClassification, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ImportedModel_PredictsLikeMLNet(string trainer, ModelTask task, bool missingInTraining)
    {
        var (train, test) = task switch
        {
            ModelTask.BinaryClassification => Fixtures.Cancer,
            ModelTask.Regression => Fixtures.Weather,
            _ => Fixtures.Penguins,
        };
        if (missingInTraining)
        {
            train = WithMissing(train, 0.15, seed: 1);
        }

        var trees = new TreeTrainerSettings { Trees = 25, Seed = 7, Threads = 1 };
        var fitted = trainer switch
        {
            "fasttree" => MLNetTrainers.FastTree(task, trees),
            "fastforest" => MLNetTrainers.FastForest(task, trees),
            "lightgbm" => MLNetTrainers.LightGbm(task, trees),
            _ => MLNetTrainers.Linear(task, new LinearTrainerSettings { Seed = 7, Threads = 1 }),
        };
        var mlnet = await fitted.TrainAsync(train);
        var definition = MLNetInference.ToDefinition(mlnet);
        var core = InferenceModel.Compile(definition);
        Assert.Equal(mlnet.Signature, core.Signature);

        var rows = Rows(test, definition);
        var width = test.FeatureCount;
        var outWidth = mlnet.Signature.OutputWidth;
        var expected = new float[rows.Length / width * outWidth];
        var actual = new float[expected.Length];
        mlnet.PredictBatch(rows, expected);
        core.PredictBatch(rows, actual);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Close(actual[i], expected[i]), $"{trainer} {task}: value {i} (row {i / outWidth}) is {actual[i]}, ML.NET says {expected[i]}");
        }

        // The single-row path against ML.NET's PredictionEngine.
        var one = new float[outWidth];
        var engine = new float[outWidth];
        for (var r = 0; r < 20; r++)
        {
            mlnet.Predict(rows.AsSpan(r * width, width), engine);
            core.Predict(rows.AsSpan(r * width, width), one);
            for (var j = 0; j < outWidth; j++)
            {
                Assert.True(Close(one[j], engine[j]), $"{trainer} {task}: row {r} output {j} is {one[j]}, ML.NET says {engine[j]}");
            }
        }

        (mlnet as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task LightGbm_TrainedWithMissingValues_RoutesSomeMissingValuesLeft()
    {
        // LightGBM learns a direction for missing values; ML.NET keeps it as a per-node default value.
        var (train, _) = Fixtures.Cancer;
        var mlnet = await MLNetTrainers.LightGbm(ModelTask.BinaryClassification, new TreeTrainerSettings { Trees = 25, Seed = 7, Threads = 1 })
            .TrainAsync(WithMissing(train, 0.3, seed: 2));
        var definition = (TreeEnsembleDefinition)MLNetInference.ToDefinition(mlnet);
        Assert.Contains(definition.Trees.SelectMany(t => t.Nodes), n => !n.IsLeaf && n.MissingGoesLeft);
        Assert.Contains(definition.Trees.SelectMany(t => t.Nodes), n => !n.IsLeaf && !n.MissingGoesLeft);
    }

    [Fact]
    public void NonMLNetModel_IsRefused() =>
        Assert.Throws<NotSupportedException>(() => MLNetInference.ToDefinition(InferenceModel.Compile(new LinearModelDefinition(ModelSignature.Regression(1), new[] { 1f }, new[] { 0f }, OutputTransform.Identity))));

    /// <summary>Equal within float rounding of a different summation order; NaN (a linear model's answer to a missing value) equals NaN.</summary>
    private static bool Close(float actual, float expected) =>
        float.IsNaN(expected) ? float.IsNaN(actual) : Math.Abs(actual - expected) <= 2e-5 * (1 + Math.Abs(expected));

    /// <summary>Held-out rows, the same rows with missing values, and rows whose values sit exactly on split thresholds.</summary>
    private static float[] Rows(TrainingSet test, ModelDefinition definition)
    {
        var width = test.FeatureCount;
        var n = Math.Min(test.RowCount, 150);
        var rows = new List<float>(test.Features.Span[..(n * width)].ToArray());
        var rng = new Random(3);
        for (var r = 0; r < n; r++)
        {
            foreach (var v in test.Row(r))
            {
                rows.Add(rng.NextDouble() < 0.2 ? float.NaN : v);
            }
        }

        if (definition is TreeEnsembleDefinition trees)
        {
            var splits = trees.Trees.SelectMany(t => t.Nodes).Where(x => !x.IsLeaf).ToArray();
            for (var r = 0; r < Math.Min(100, splits.Length); r++)
            {
                var row = test.Row(rng.Next(n)).ToArray();
                var split = splits[rng.Next(splits.Length)];
                row[split.Feature] = split.Threshold;
                rows.AddRange(row);
            }
        }

        return [.. rows];
    }

    private static TrainingSet WithMissing(TrainingSet set, double share, int seed)
    {
        var rng = new Random(seed);
        var features = set.Features.ToArray();
        for (var i = 0; i < features.Length; i++)
        {
            if (rng.NextDouble() < share)
            {
                features[i] = float.NaN;
            }
        }

        return new TrainingSet(set.Task, features, set.FeatureCount, set.Labels, set.Schema, set.Weights, set.ClassLabels);
    }
}
