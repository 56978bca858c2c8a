using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MLSystemDesign.Business;
using MLSystemDesign.Experiments;

namespace MLSystemDesign.Tests.Business;

public sealed class ThresholdOptimizerTests
{
    private static readonly ConfusionValueMatrix Costs = ConfusionValueMatrix.Binary(trueNegative: 0, falsePositive: -20, falseNegative: -300, truePositive: -80);

    [Property(MaxTest = 200)]
    public Property Optimize_EqualsBruteForceOverEveryDistinctScore() =>
        Prop.ForAll(Gen.Choose(1, 60).SelectMany(n => Gen.Choose(0, 9).ArrayOf(n).SelectMany(s => Gen.Elements(0, 1).ArrayOf(n).Select(l => (s, l)))).ToArbitrary(), t =>
        {
            var scores = t.s.Select(v => v / 10f).ToArray(); // many ties
            var labels = t.l.Select(v => (float)v).ToArray();
            var choice = ThresholdOptimizer.Optimize(Costs, new BusinessBatch { Predictions = scores, Labels = labels }, new ThresholdOptions { Resamples = 10 });
            var best = double.NegativeInfinity;
            foreach (var threshold in scores.Distinct().Append(float.PositiveInfinity))
            {
                best = Math.Max(best, Value(scores, labels, threshold));
            }

            return Math.Abs(choice.ValuePerRecord - best / scores.Length) < 1e-9 && Math.Abs(Value(scores, labels, choice.Threshold) - best) < 1e-9;
        });

    [Fact]
    public void Optimize_WithoutLabels_MaximisesExpectedValue()
    {
        // Expected value of flagging a record: p·(−80) + (1 − p)·(−20) vs not: p·(−300). Flag when p ≥ 20/240 = 1/12.
        var random = new Random(5);
        var p = Enumerable.Range(0, 5000).Select(_ => (float)random.NextDouble()).ToArray();
        var choice = ThresholdOptimizer.Optimize(Costs, new BusinessBatch { Predictions = p }, new ThresholdOptions { Resamples = 200 });
        Assert.True(choice.Estimated);
        Assert.InRange(choice.Threshold, 1.0 / 12 - 0.002, 1.0 / 12 + 0.002);
        Assert.True(choice.ValuePerRecord > choice.ValueAtBatchThreshold);
        Assert.InRange(choice.ValuePerRecord, choice.Interval.Low, choice.Interval.High);
        Assert.Equal(p.Distinct().Count() + 1, choice.Candidates);
    }

    [Fact]
    public void Optimize_WhenEveryAlertLosesValue_FlagsNothing()
    {
        var choice = ThresholdOptimizer.Optimize(ConfusionValueMatrix.Binary(0, -1, 0, -1), new BusinessBatch { Predictions = [0.2f, 0.9f], Labels = [0, 1] }, new ThresholdOptions { Resamples = 10 });
        Assert.True(choice.Threshold > 0.9f);
        Assert.Equal(0, choice.PositiveShare);
        Assert.Equal(0, choice.ValuePerRecord);
        Assert.Equal(BootstrapMethod.Percentile, choice.Interval.Method); // every record is worth 0: BCa is degenerate
        Assert.NotNull(choice.Interval.FallbackReason);
    }

    [Fact]
    public void Optimize_Ties_TakeTheHighestThreshold()
    {
        // Flagging the 0.5 record gains nothing and loses nothing: the threshold stays above it.
        var choice = ThresholdOptimizer.Optimize(ConfusionValueMatrix.Binary(0, 0, -1, 0), new BusinessBatch { Predictions = [0.9f, 0.5f, 0.1f], Labels = [1, 0, 0] }, new ThresholdOptions { Resamples = 10 });
        Assert.Equal(0.9f, choice.Threshold, 6);
    }

    [Fact]
    public void Optimize_BadInput_Throws()
    {
        Assert.Contains("binary classifiers", Assert.Throws<ArgumentException>(() => ThresholdOptimizer.Optimize(ConfusionValueMatrix.FromActualByPredicted([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), new BusinessBatch { Predictions = [0.5f] })).Message, StringComparison.Ordinal);
        Assert.Contains("empty batch", Assert.Throws<ArgumentException>(() => ThresholdOptimizer.Optimize(Costs, new BusinessBatch { Predictions = [] })).Message, StringComparison.Ordinal);
        Assert.Contains("Row 0: the score is NaN", Assert.Throws<ArgumentException>(() => ThresholdOptimizer.Optimize(Costs, new BusinessBatch { Predictions = [float.NaN], Labels = [1] })).Message, StringComparison.Ordinal);
    }

    private static double Value(float[] scores, float[] labels, double threshold)
    {
        double total = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            total += Costs[(int)labels[i], scores[i] >= threshold ? 1 : 0];
        }

        return total;
    }
}
