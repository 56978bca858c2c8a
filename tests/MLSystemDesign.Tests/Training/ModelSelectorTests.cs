using Microsoft.Extensions.Time.Testing;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Features;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.Tests.Training;

public sealed class ModelSelectorTests
{
    // Labels follow the sign of the first feature, with some noise: a larger weight ranks better; a negative one worse.
    private static TrainingSet Data(int seed)
    {
        var random = new Random(seed);
        var features = new float[400];
        var labels = new float[200];
        for (var i = 0; i < 200; i++)
        {
            features[i * 2] = (float)((random.NextDouble() * 2) - 1);
            features[(i * 2) + 1] = (float)random.NextDouble();
            labels[i] = features[i * 2] + ((random.NextDouble() - 0.5) * 0.5) > 0 ? 1 : 0;
        }

        return new TrainingSet(ModelTask.BinaryClassification, features, 2, labels);
    }

    [Fact]
    public async Task Select_RanksByPrimaryMetric_InItsDirection()
    {
        ITrainer[] candidates = [new SigmoidTrainer("weak", 0.5), new SigmoidTrainer("inverted", -3), new SigmoidTrainer("strong", 6)];
        var result = await new ModelSelector(new FakeTimeProvider()).SelectAsync(candidates, Data(1), Data(2), MetricNames.LogLoss);
        Assert.Equal(["strong", "weak", "inverted"], result.Candidates.Select(c => c.Trainer));
        Assert.False(result.HigherIsBetter);
        Assert.Equal("strong", result.Best.Trainer);
        Assert.Equal("6", result.Best.Parameters["weight"]);
        Assert.Contains("strong", result.ToTable());
        var byAuc = await new ModelSelector().SelectAsync(candidates, Data(1), Data(2), MetricNames.Auc);
        Assert.Equal("inverted", byAuc.Candidates[^1].Trainer);
    }

    [Fact]
    public async Task Select_TiesKeepDeclarationOrder()
    {
        ITrainer[] candidates = [new SigmoidTrainer("first", 2), new SigmoidTrainer("second", 2)];
        var result = await new ModelSelector().SelectAsync(candidates, Data(1), Data(2), MetricNames.Auc);
        Assert.Equal(["first", "second"], result.Candidates.Select(c => c.Trainer));
    }

    [Fact]
    public async Task Select_ReportsProgressPerCandidate()
    {
        var reports = new List<ModelSelectionProgress>();
        await new ModelSelector().SelectAsync([new SigmoidTrainer("a", 1), new SigmoidTrainer("b", 1)], Data(1), Data(2), MetricNames.Auc, new SyncProgress<ModelSelectionProgress>(reports.Add));
        Assert.Equal([(0, 2), (1, 2)], reports.Select(r => (r.Candidate, r.CandidateCount)));
    }

    [Fact]
    public async Task Select_BadArguments_AreClear()
    {
        var selector = new ModelSelector();
        await Assert.ThrowsAsync<ArgumentException>(() => selector.SelectAsync([], Data(1), Data(2), MetricNames.Auc));
        var wrongMetric = await Assert.ThrowsAsync<KeyNotFoundException>(() => selector.SelectAsync([new SigmoidTrainer("a", 1)], Data(1), Data(2), MetricNames.Rmse));
        Assert.Contains("auc", wrongMetric.Message);
    }

    [Fact]
    public async Task CrossValidation_RefitsFeaturesPerFold_AndSummarises()
    {
        var rows = Enumerable.Range(0, 300).Select(i => (X: Math.Sin(i) * 10, Label: Math.Sin(i) > 0)).ToArray();
        var pipeline = FeaturePipeline.For<(double X, bool Label)>().Numeric("x", r => r.X, o => o.Scaling = NumericScaling.ZScore).Build();
        var trainer = new SigmoidTrainer("s", 5);
        var folds = DataSplits.StratifiedKFold(rows, r => r.Label, 5, seed: 4);
        var result = await CrossValidation.RunAsync(rows, folds, pipeline, (rs, f) => TrainingSets.Binary(rs, f, r => r.Label), trainer);
        Assert.Equal(5, result.Folds.Count);
        Assert.Equal(5, trainer.Calls);
        Assert.True(result.Mean[MetricNames.Auc] > 0.99);
        Assert.True(result.StandardDeviation[MetricNames.Auc] >= 0);
        Assert.Equal(300, result.Folds.Sum(f => f.RowCount));
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
