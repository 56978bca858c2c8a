using MLSystemDesign.Evaluation;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.MLNet.Tests.Trainers;

public sealed class MLNetTrainersTests
{
    public static TheoryData<string> TrainerNames() => new(MLNetTrainers.FastTreeName, MLNetTrainers.LightGbmName, MLNetTrainers.FastForestName, MLNetTrainers.LinearName);

    private static ITrainer Create(string name, ModelTask task) => name switch
    {
        MLNetTrainers.FastTreeName => MLNetTrainers.FastTree(task),
        MLNetTrainers.LightGbmName => MLNetTrainers.LightGbm(task),
        MLNetTrainers.FastForestName => MLNetTrainers.FastForest(task),
        _ => MLNetTrainers.Linear(task),
    };

    [Theory]
    [MemberData(nameof(TrainerNames))]
    public async Task Binary_BreastCancer_LearnsWithCalibratedProbabilities(string name)
    {
        var (train, test) = Fixtures.Cancer;
        var model = await Create(name, ModelTask.BinaryClassification).TrainAsync(train);
        var result = ModelEvaluator.Evaluate(model, test);
        Assert.True(result[MetricNames.Auc] > 0.95, $"{name}: {result}");
        Assert.True(result[MetricNames.Accuracy] > 0.9, $"{name}: {result}");
        Assert.Equal(["score", "probability"], model.Signature.Outputs);
        Assert.Equal(train.Schema!.SlotNames, model.Signature.FeatureNames);
    }

    [Theory]
    [MemberData(nameof(TrainerNames))]
    public async Task Multiclass_Penguins_ProbabilitiesFollowClassIndices(string name)
    {
        var (train, test) = Fixtures.Penguins;
        var model = await Create(name, ModelTask.MulticlassClassification).TrainAsync(train);
        var result = ModelEvaluator.Evaluate(model, test);
        Assert.True(result[MetricNames.Accuracy] > 0.9, $"{name}: {result}");
        Assert.Equal(["prob_0", "prob_1", "prob_2"], model.Signature.Outputs);
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], model.Signature.ClassLabels);
        var output = new float[3];
        model.Predict(test.Row(0), output);
        Assert.Equal(1f, output.Sum(), 3);
    }

    [Theory]
    [MemberData(nameof(TrainerNames))]
    public async Task Regression_Weather_PredictsMaxTemperature(string name)
    {
        var (train, test) = Fixtures.Weather;
        var model = await Create(name, ModelTask.Regression).TrainAsync(train);
        var result = ModelEvaluator.Evaluate(model, test);
        Assert.True(result[MetricNames.R2] > 0.6, $"{name}: {result}");
    }

    [Fact]
    public async Task Predict_SingleRow_EqualsBatch()
    {
        var (train, test) = Fixtures.Cancer;
        var model = await MLNetTrainers.FastTree(ModelTask.BinaryClassification).TrainAsync(train);
        var batch = new float[test.RowCount * 2];
        model.PredictBatch(test.Features.Span, batch);
        var row = new float[2];
        for (var i = 0; i < test.RowCount; i++)
        {
            model.Predict(test.Row(i), row);
            Assert.Equal(batch[i * 2], row[0]);
            Assert.Equal(batch[(i * 2) + 1], row[1]);
        }
    }

    [Fact]
    public async Task Predict_Concurrently_MatchesSequential()
    {
        var (train, test) = Fixtures.Cancer;
        var model = await MLNetTrainers.LightGbm(ModelTask.BinaryClassification).TrainAsync(train);
        var expected = new float[test.RowCount * 2];
        model.PredictBatch(test.Features.Span, expected);
        var actual = new float[test.RowCount * 2];
        Parallel.For(0, test.RowCount, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => model.Predict(test.Row(i), actual.AsSpan(i * 2, 2)));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Predict_WrongWidth_IsArgumentException()
    {
        var (train, _) = Fixtures.Cancer;
        var model = await MLNetTrainers.Linear(ModelTask.BinaryClassification).TrainAsync(train);
        var ex = Assert.Throws<ArgumentException>(() => model.Predict(new float[29], new float[2]));
        Assert.Contains("30 features", ex.Message);
    }

    [Fact]
    public async Task Train_TaskMismatch_IsRefused()
    {
        var (train, _) = Fixtures.Weather;
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => MLNetTrainers.FastTree(ModelTask.BinaryClassification).TrainAsync(train));
        Assert.Contains("Regression", ex.Message);
    }

    [Fact]
    public async Task Train_ReportsProgressStages()
    {
        var (train, _) = Fixtures.Cancer;
        var reports = new List<TrainingProgress>();
        await MLNetTrainers.FastTree(ModelTask.BinaryClassification, new TreeTrainerSettings { Trees = 10 }).TrainAsync(train, new SyncProgress(reports.Add));
        Assert.Equal("preparing", reports[0].Stage);
        Assert.Equal("done", reports[^1].Stage);
        Assert.Equal(1, reports[^1].Fraction);
    }

    [Fact]
    public async Task Train_AlreadyCancelled_Throws()
    {
        var (train, _) = Fixtures.Cancer;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MLNetTrainers.FastTree(ModelTask.BinaryClassification).TrainAsync(train, cancellationToken: new CancellationToken(true)));
    }

    [Fact]
    public void Settings_AreReportedAsParameters()
    {
        var trainer = MLNetTrainers.FastTree(ModelTask.Regression, new TreeTrainerSettings { Trees = 7, Leaves = 5, Seed = 3 });
        Assert.Equal("7", trainer.Parameters["trees"]);
        Assert.Equal("5", trainer.Parameters["leaves"]);
        Assert.Equal("3", trainer.Parameters["seed"]);
        Assert.Equal("0.2", trainer.Parameters["learning_rate"]);
    }

    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
