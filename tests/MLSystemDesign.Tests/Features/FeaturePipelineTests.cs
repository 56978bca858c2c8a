using Microsoft.Extensions.Options;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using MLSystemDesign.Data;
using MLSystemDesign.Features;

namespace MLSystemDesign.Tests.Features;

public sealed class FeaturePipelineTests
{
    public sealed record Item(double X, double? Y, string? Cat);

    private static Gen<double> Numbers => Gen.OneOf(
        Gen.Constant(double.NaN),
        Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 1000.0),
        Gen.Elements(0.0, -0.0, 1e-12, 123456789.125, -3.5));

    private static Gen<Item> Items =>
        from x in Numbers
        from y in Gen.OneOf(Gen.Constant<double?>(null), Numbers.Select(v => double.IsNaN(v) ? (double?)null : v))
        from c in Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements("a", "b", "c", "d", "e", "f", "g", string.Empty, "a\0", "ORD", "Seattle", "Chinstrap", "é").Select(s => (string?)s))
        select new Item(x, y, c);

    private static Arbitrary<List<Item>> TrainingSets =>
        Items.ListOf().Select(l => l.ToList()).Where(l => l.Count > 0 && l.Any(i => !double.IsNaN(i.X)) && l.Any(i => i.Y is not null)).ToArbitrary();

    private static FeaturePipeline<Item> Pipeline(NumericScaling scaling, MissingValueImputation imputation, bool indicator, int maxCategories) =>
        FeaturePipeline.For<Item>()
            .Numeric("x", i => i.X, o => { o.Scaling = scaling; o.Imputation = imputation; o.AddMissingIndicator = indicator; o.ImputeConstant = 7; })
            .Numeric("y", i => i.Y, o => o.Scaling = NumericScaling.MinMax)
            .Categorical("cat", i => i.Cat, o => o.MaxCategories = maxCategories)
            .Categorical("hashed", i => i.Cat, o => { o.Encoding = CategoricalEncoding.Hashed; o.HashBuckets = 5; })
            .Build();

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Transform_EqualsTheFittedStatisticsAppliedByHand() =>
        Prop.ForAll(
            TrainingSets,
            (from scaling in Gen.Elements(NumericScaling.None, NumericScaling.MinMax, NumericScaling.ZScore)
             from imputation in Gen.Elements(MissingValueImputation.Mean, MissingValueImputation.Median, MissingValueImputation.Constant)
             from maxCategories in Gen.Choose(1, 8)
             select (scaling, imputation, maxCategories)).ToArbitrary(),
            (train, options) =>
            {
                var (scaling, imputation, maxCategories) = options;
                var fitted = Pipeline(scaling, imputation, indicator: true, maxCategories).Fit(train);

                // The oracle: statistics computed here independently, from their definitions.
                var xs = train.Select(i => i.X).Where(v => !double.IsNaN(v)).ToArray();
                var mean = xs.Average();
                var std = Math.Sqrt(xs.Select(v => (v - mean) * (v - mean)).Average());
                var sorted = xs.Order().ToArray();
                var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
                var fill = imputation switch { MissingValueImputation.Mean => mean, MissingValueImputation.Median => median, _ => 7.0 };
                var (shift, divisor) = scaling switch
                {
                    NumericScaling.MinMax => (xs.Min(), xs.Max() > xs.Min() ? xs.Max() - xs.Min() : 1),
                    NumericScaling.ZScore => (mean, std > 0 ? std : 1),
                    _ => (0.0, 1.0),
                };
                var ys = train.Where(i => i.Y is not null).Select(i => i.Y!.Value).ToArray();
                var yMin = ys.Min();
                var yRange = ys.Max() > yMin ? ys.Max() - yMin : 1;
                var yMean = ys.Average();
                var vocabulary = train.Where(i => i.Cat is not null).GroupBy(i => i.Cat!)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                    .Take(maxCategories).Select(g => g.Key).ToList();

                var row = new float[fitted.Width];
                foreach (var item in train.Append(new Item(2.5, 4, "unseen")).Append(new Item(double.NaN, null, null)))
                {
                    fitted.Transform(item, row);
                    var expected = new List<float>
                    {
                        (float)(((double.IsNaN(item.X) ? fill : item.X) - shift) / divisor),
                        double.IsNaN(item.X) ? 1f : 0f,
                        (float)(((item.Y ?? yMean) - yMin) / yRange),
                    };
                    expected.AddRange(vocabulary.Select(v => v == item.Cat ? 1f : 0f));
                    expected.Add(item.Cat is not null && vocabulary.Contains(item.Cat) ? 0f : 1f);
                    var buckets = new float[5];
                    if (item.Cat is not null)
                    {
                        buckets[(int)(System.IO.Hashing.XxHash3.HashToUInt64(Encoding.Unicode.GetBytes(item.Cat)) % 5)] = 1f;
                    }

                    expected.AddRange(buckets);

                    // The pipeline sums with compensation, the oracle plainly: allow float rounding, nothing more.
                    if (!expected.Zip(row).All(p => p.First == p.Second || Math.Abs(p.First - p.Second) <= 1e-5 * Math.Max(1, Math.Abs(p.First))))
                    {
                        return false;
                    }
                }

                return true;
            });

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public Property SaveThenLoad_TransformsIdentically_AndIsDeterministic() =>
        Prop.ForAll(TrainingSets, Items.ListOf().Select(l => l.ToList()).ToArbitrary(), (train, probe) =>
        {
            var definition = Pipeline(NumericScaling.ZScore, MissingValueImputation.Median, indicator: true, maxCategories: 3);
            var fitted = definition.Fit(train);
            using var stream = new MemoryStream();
            fitted.Save(stream);
            stream.Position = 0;
            var loaded = definition.Load(stream);
            var a = new float[fitted.Width * probe.Count];
            var b = new float[loaded.Width * probe.Count];
            var c = new float[fitted.Width * probe.Count];
            fitted.TransformBatch(probe.ToArray(), a);
            loaded.TransformBatch(probe.ToArray(), b);
            fitted.TransformBatch(probe.ToArray(), c);
            return a.SequenceEqual(b) && a.SequenceEqual(c) && fitted.Schema.SlotNames.SequenceEqual(loaded.Schema.SlotNames);
        });

    [Fact]
    public void Schema_NamesEverySlotAndItsRawFeature()
    {
        var fitted = Pipeline(NumericScaling.None, MissingValueImputation.Mean, indicator: true, maxCategories: 2)
            .Fit([new Item(1, 2, "a"), new Item(3, 4, "b"), new Item(5, 6, "a"), new Item(7, 8, "c")]);
        Assert.Equal(["x", "x_missing", "y", "cat=a", "cat=b", "cat=<other>", "hashed#0", "hashed#1", "hashed#2", "hashed#3", "hashed#4"], fitted.Schema.SlotNames);
        Assert.Equal(["x", "x", "y", "cat", "cat", "cat", "hashed", "hashed", "hashed", "hashed", "hashed"], fitted.Schema.Slots.Select(s => s.RawFeature));
        Assert.Equal(FeatureSlotKind.OtherCategory, fitted.Schema.Slots[5].Kind);
        Assert.Equal([RawFeatureKind.Numeric, RawFeatureKind.Numeric, RawFeatureKind.Categorical, RawFeatureKind.Categorical], fitted.Schema.RawFeatures.Select(r => r.Kind));
        Assert.Equal(11, fitted.Width);
    }

    [Fact]
    public void OneHot_RareCategoriesAndMissingGoToOther()
    {
        var pipeline = FeaturePipeline.For<Item>().Categorical("cat", i => i.Cat, o => o.MinFrequency = 2).Build();
        var fitted = pipeline.Fit([new Item(0, 0, "a"), new Item(0, 0, "a"), new Item(0, 0, "b"), new Item(0, 0, null)]);
        Assert.Equal(["cat=a", "cat=<other>"], fitted.Schema.SlotNames);
        var row = new float[2];
        fitted.Transform(new Item(0, 0, "b"), row);
        Assert.Equal([0f, 1f], row);
        fitted.Transform(new Item(0, 0, null), row);
        Assert.Equal([0f, 1f], row);
        fitted.Transform(new Item(0, 0, "a"), row);
        Assert.Equal([1f, 0f], row);
    }

    [Fact]
    public void ImputationNone_PassesNaNThrough()
    {
        var fitted = FeaturePipeline.For<Item>().Numeric("x", i => i.X, o => o.Imputation = MissingValueImputation.None).Build()
            .Fit([new Item(double.NaN, null, null), new Item(1, null, null)]);
        var row = new float[1];
        fitted.Transform(new Item(double.NaN, null, null), row);
        Assert.True(float.IsNaN(row[0]));
    }

    [Fact]
    public void ExtractRaw_GivesTheValuesBeforeEncoding()
    {
        var fitted = Pipeline(NumericScaling.ZScore, MissingValueImputation.Mean, indicator: false, maxCategories: 1).Fit([new Item(1, 2, "a"), new Item(3, 4, "b")]);
        var raw = new FieldValue[4];
        fitted.ExtractRaw(new Item(10, null, "zzz"), raw);
        Assert.Equal([FieldValue.FromNumber(10), FieldValue.Missing, FieldValue.FromText("zzz"), FieldValue.FromText("zzz")], raw);
    }

    [Fact]
    public void Transform_AllocatesNothing_AndBatchEqualsRows()
    {
        var train = Enumerable.Range(0, 1000).Select(i => new Item(i % 17, i % 5 == 0 ? null : i, ((char)('a' + (i % 9))).ToString())).ToArray();
        var fitted = Pipeline(NumericScaling.ZScore, MissingValueImputation.Mean, indicator: true, maxCategories: 5).Fit(train);
        var row = new float[fitted.Width];
        fitted.Transform(train[0], row); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < train.Length; i++)
        {
            fitted.Transform(train[i], row);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        var batch = new float[fitted.Width * train.Length];
        fitted.TransformBatch(train, batch);
        for (var i = 0; i < train.Length; i++)
        {
            fitted.Transform(train[i], row);
            Assert.Equal(row, batch.AsSpan(i * fitted.Width, fitted.Width).ToArray());
        }
    }

    [Fact]
    public void Transform_FromManyThreads_EqualsSequential()
    {
        var train = Enumerable.Range(0, 5000).Select(i => new Item(i * 0.37, i % 3 == 0 ? null : i, (i % 13).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var fitted = Pipeline(NumericScaling.MinMax, MissingValueImputation.Median, indicator: true, maxCategories: 8).Fit(train);
        var expected = new float[fitted.Width * train.Length];
        fitted.TransformBatch(train, expected);
        var actual = new float[expected.Length];
        Parallel.For(0, train.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => fitted.Transform(train[i], actual.AsSpan(i * fitted.Width, fitted.Width)));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Transform_ShortDestinationOrNullRecord_Throws()
    {
        var fitted = Pipeline(NumericScaling.None, MissingValueImputation.Mean, indicator: false, maxCategories: 2).Fit([new Item(1, 1, "a")]);
        Assert.Throws<ArgumentException>(() => fitted.Transform(new Item(1, 1, "a"), new float[fitted.Width - 1]));
        Assert.Throws<ArgumentNullException>(() => fitted.Transform(null!, new float[fitted.Width]));
        Assert.Throws<ArgumentException>(() => fitted.TransformBatch([new Item(1, 1, "a"), new Item(1, 1, "a")], new float[fitted.Width]));
    }

    [Fact]
    public void Fit_BadTrainingData_FailsClearly()
    {
        var pipeline = FeaturePipeline.For<Item>().Numeric("x", i => i.X).Build();
        Assert.Contains("zero records", Assert.Throws<InvalidOperationException>(() => pipeline.Fit([])).Message);
        Assert.Contains("every training value is missing", Assert.Throws<InvalidOperationException>(() => pipeline.Fit([new Item(double.NaN, null, null)])).Message);
        var infinite = Assert.Throws<ArgumentException>(() => pipeline.Fit([new Item(1, null, null), new Item(double.PositiveInfinity, null, null)]));
        Assert.Contains("record 2", infinite.Message);
    }

    [Fact]
    public void Builder_RejectsDuplicatesAndBadOptions()
    {
        Assert.Throws<ArgumentException>(() => FeaturePipeline.For<Item>().Numeric("x", i => i.X).Numeric("x", i => i.X));
        var ex = Assert.Throws<OptionsValidationException>(() => FeaturePipeline.For<Item>().Categorical("c", i => i.Cat, o => o.MaxCategories = 0));
        Assert.Equal("c", ex.OptionsName);
        Assert.Contains("c.MaxCategories must be between 1 and", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => FeaturePipeline.For<Item>().Build());
    }

    [Fact]
    public void Load_DifferentDefinition_NamesTheFeatureAndBothSignatures()
    {
        var saved = Save(Pipeline(NumericScaling.ZScore, MissingValueImputation.Mean, indicator: false, maxCategories: 3).Fit([new Item(1, 1, "a")]));
        var other = Pipeline(NumericScaling.MinMax, MissingValueImputation.Mean, indicator: false, maxCategories: 3);
        var ex = Assert.Throws<FeaturePipelineMismatchException>(() => other.Load(saved));
        Assert.Contains("feature 'x'", ex.Message);
        Assert.Contains("scaling=ZScore", ex.Message);
        Assert.Contains("scaling=MinMax", ex.Message);

        var renamed = FeaturePipeline.For<Item>().Numeric("z", i => i.X).Build();
        Assert.Contains("has 4 features", Assert.Throws<FeaturePipelineMismatchException>(() => renamed.Load(saved)).Message);
    }

    [Fact]
    public void Load_NewerVersionOrForeignDocument_IsRefused()
    {
        var definition = Pipeline(NumericScaling.ZScore, MissingValueImputation.Mean, indicator: false, maxCategories: 3);
        var saved = Save(definition.Fit([new Item(1, 1, "a")]));
        Assert.Contains("version 99", Assert.Throws<FeaturePipelineMismatchException>(() => definition.Load(saved.Replace("\"version\": 1", "\"version\": 99", StringComparison.Ordinal))).Message);
        Assert.Contains("not a fitted feature pipeline", Assert.Throws<FeaturePipelineMismatchException>(() => definition.Load("{\"format\":\"something\",\"version\":1}")).Message);
        Assert.Contains("not valid JSON", Assert.Throws<FeaturePipelineMismatchException>(() => definition.Load("{oops")).Message);
    }

    private static string Save<T>(IFittedFeaturePipeline<T> fitted)
    {
        using var stream = new MemoryStream();
        fitted.Save(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
