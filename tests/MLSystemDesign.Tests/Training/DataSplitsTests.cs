using FsCheck;
using FsCheck.Fluent;
using MLSystemDesign.Training;

namespace MLSystemDesign.Tests.Training;

public sealed class DataSplitsTests
{
    [FsCheck.Xunit.Property]
    public Property Random_IsAPartition_OfTheRightSize_AndReproducible(PositiveInt count, int seed) =>
        Prop.ForAll(Gen.Choose(1, 99).Select(p => p / 100.0).ToArbitrary(), fraction =>
        {
            var rows = Enumerable.Range(0, count.Get % 500).ToArray();
            var a = DataSplits.Random(rows, fraction, seed);
            var b = DataSplits.Random(rows, fraction, seed);
            return a.Train.Concat(a.Test).Order().SequenceEqual(rows)
                && a.Test.Count == (int)Math.Round(rows.Length * fraction)
                && a.Train.SequenceEqual(b.Train)
                && a.Train.SequenceEqual(a.Train.Order());
        });

    [Fact]
    public void Stratified_KeepsEachClassShare()
    {
        var rows = Enumerable.Range(0, 1000).Select(i => (Id: i, Label: i % 10 == 0)).ToArray();
        var split = DataSplits.Stratified(rows, r => r.Label, 0.3, seed: 1);
        Assert.Equal(30, split.Test.Count(r => r.Label));
        Assert.Equal(270, split.Test.Count(r => !r.Label));
        Assert.Equal(1000, split.Train.Concat(split.Test).Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void TimeOrdered_TestsOnTheFuture()
    {
        var start = new DateTime(2001, 1, 1);
        var rows = Enumerable.Range(0, 100).Select(i => start.AddHours((i * 37) % 100)).ToArray();
        var split = DataSplits.TimeOrdered(rows, t => t, 0.25);
        Assert.Equal(25, split.Test.Count);
        Assert.True(split.Train.Max() < split.Test.Min());
        var cut = DataSplits.ByCutoff(rows, t => t, start.AddHours(50));
        Assert.Equal(50, cut.Test.Count);
        Assert.All(cut.Train, t => Assert.True(t < start.AddHours(50)));
    }

    [FsCheck.Xunit.Property]
    public Property KFold_EveryRowValidatesExactlyOnce(PositiveInt count, int seed) =>
        Prop.ForAll(Gen.Choose(2, 10).ToArbitrary(), k =>
        {
            var n = Math.Max(k, count.Get % 300);
            var folds = DataSplits.KFold(n, k, seed);
            var validated = folds.SelectMany(f => f.Validation).Order().ToArray();
            var sizes = folds.Select(f => f.Validation.Count).ToArray();
            return validated.SequenceEqual(Enumerable.Range(0, n))
                && folds.All(f => f.Train.Count + f.Validation.Count == n && !f.Train.Intersect(f.Validation).Any())
                && sizes.Max() - sizes.Min() <= 1;
        });

    [Fact]
    public void StratifiedKFold_SpreadsEveryClass()
    {
        var rows = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
        var folds = DataSplits.StratifiedKFold(rows, r => r, 5, seed: 9);
        Assert.All(folds, f => Assert.Equal([20, 20, 20], f.Validation.GroupBy(i => rows[i]).OrderBy(g => g.Key).Select(g => g.Count())));
    }

    [Fact]
    public void BadArguments_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplits.Random(new[] { 1, 2 }, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplits.Random(new[] { 1, 2 }, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplits.KFold(3, 4, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplits.KFold(3, 1, 1));
    }
}
