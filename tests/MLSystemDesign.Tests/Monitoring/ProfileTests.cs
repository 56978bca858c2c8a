using Microsoft.Extensions.Options;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>Reference profiles: the sketch's error bound, merging, bounded JSON, bad input.</summary>
public sealed class ProfileTests
{
    /// <summary>KLL at k = 200: rank error within 1.65 % of n (DataSketches' 99 %-confidence figure).</summary>
    private const double RankErrorBound = 0.0165;

    private static readonly RawFeature[] Schema = [new("x", RawFeatureKind.Numeric), new("c", RawFeatureKind.Categorical)];

    public static TheoryData<string> Distributions => new() { "uniform", "normal", "lognormal", "ties", "sorted" };

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Quantiles_StayWithinTheStatedRankError(string distribution)
    {
        var values = Values(distribution, 200_000, 5);
        var profile = Build(values);
        var sorted = values.Order().ToArray();
        var worst = 0.0;
        for (var q = 0.01; q < 1; q += 0.01)
        {
            var estimate = profile.Feature("x").Quantile(q);
            // The true rank interval of the estimate (ties span many ranks) against the target rank q·n.
            var low = LowerBound(sorted, estimate) / (double)sorted.Length;
            var high = UpperBound(sorted, estimate) / (double)sorted.Length;
            var error = q < low ? low - q : q > high ? q - high : 0;
            worst = Math.Max(worst, error);
        }

        Assert.True(worst <= RankErrorBound, $"{distribution}: worst rank error {worst:P3} exceeds {RankErrorBound:P2}.");
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Merge_OfPartsMatchesTheWhole_WithinTheErrorBound(string distribution)
    {
        var values = Values(distribution, 90_000, 9);
        var whole = Build(values);
        var merged = ReferenceProfile.Merge(ReferenceProfile.Merge(Build(values[..30_000]), Build(values[30_000..60_000])), Build(values[60_000..]));
        var a = whole.Feature("x");
        var b = merged.Feature("x");
        Assert.Equal(a.Count, b.Count);
        Assert.Equal(a.Min, b.Min);
        Assert.Equal(a.Max, b.Max);
        Assert.Equal(a.Mean, b.Mean, 9);
        Assert.Equal(a.StandardDeviation, b.StandardDeviation, 9);
        Assert.Equal(whole.Feature("c").Categories.OrderBy(kv => kv.Key), merged.Feature("c").Categories.OrderBy(kv => kv.Key));
        var sorted = values.Order().ToArray();
        for (var q = 0.05; q < 1; q += 0.05)
        {
            var rank = LowerBound(sorted, b.Quantile(q)) / (double)sorted.Length;
            var rankHigh = UpperBound(sorted, b.Quantile(q)) / (double)sorted.Length;
            Assert.True(q >= rank - RankErrorBound && q <= rankHigh + RankErrorBound, $"q={q:0.00}: merged estimate ranks {rank:0.0000}–{rankHigh:0.0000}.");
        }

        Assert.Equal(Math.Min(values.Length, whole.Options.ReservoirSize), b.Sample.Length);
    }

    [FsCheck.Xunit.Property(MaxTest = 20)]
    public Property Merge_IsAssociative() =>
        Prop.ForAll(Gen.Choose(0, 3000).ArrayOf(3).ToArbitrary(), sizes =>
        {
            var values = Values("normal", sizes.Sum(), sizes[0]);
            var (p1, p2, p3) = (Build(values[..sizes[0]]), Build(values[sizes[0]..(sizes[0] + sizes[1])]), Build(values[(sizes[0] + sizes[1])..]));
            var left = ReferenceProfile.Merge(ReferenceProfile.Merge(p1, p2), p3).Feature("x");
            var right = ReferenceProfile.Merge(p1, ReferenceProfile.Merge(p2, p3)).Feature("x");
            var exact = left.Count == right.Count && left.MissingCount == right.MissingCount && Same(left.Min, right.Min) && Same(left.Max, right.Max)
                && Math.Abs(left.Mean - right.Mean) <= 1e-9 * (1 + Math.Abs(left.Mean))
                && ReferenceProfile.Merge(ReferenceProfile.Merge(p1, p2), p3).Feature("c").Categories.Count == ReferenceProfile.Merge(p1, ReferenceProfile.Merge(p2, p3)).Feature("c").Categories.Count;
            // Sketches are random, so the two groupings agree within twice the rank error, not bit for bit.
            var sketches = left.Count == 0 || Enumerable.Range(1, 9).All(i => Math.Abs(left.Cdf(right.Quantile(i / 10.0)) - i / 10.0) <= 2 * RankErrorBound + 1.0 / left.Count);
            return exact && sketches;
        });

    [Fact]
    public void Json_RoundTrips_AndItsSizeDoesNotGrowWithRows()
    {
        var small = Build(Values("lognormal", 50_000, 1));
        var large = Build(Values("lognormal", 1_000_000, 2));
        var smallJson = Save(small);
        var largeJson = Save(large);
        Assert.True(largeJson.Length < 2.0 * smallJson.Length, $"{smallJson.Length:N0} bytes for 50,000 rows but {largeJson.Length:N0} for 1,000,000.");
        var back = ReferenceProfile.Load(new MemoryStream(largeJson));
        Assert.Equal(large.RowCount, back.RowCount);
        foreach (var q in new[] { 0.1, 0.5, 0.9 })
        {
            Assert.Equal(large.Feature("x").Quantile(q), back.Feature("x").Quantile(q));
        }

        Assert.Equal(large.Feature("x").Sample.ToArray(), back.Feature("x").Sample.ToArray());
        Assert.Equal(large.Feature("c").Categories.OrderBy(kv => kv.Key), back.Feature("c").Categories.OrderBy(kv => kv.Key));
        Assert.Equal(Save(back), largeJson);
    }

    [Fact]
    public void Load_DamagedOrForeignJson_ThrowsJsonException()
    {
        var json = System.Text.Encoding.UTF8.GetString(Save(Build(Values("uniform", 1000, 3))));
        Assert.Contains("not a reference profile", Assert.Throws<JsonException>(() => ReferenceProfile.Load(Stream("{\"format\":\"other\"}"))).Message, StringComparison.Ordinal);
        Assert.Contains("version 9", Assert.Throws<JsonException>(() => ReferenceProfile.Load(Stream(json.Replace("\"version\":1", "\"version\":9", StringComparison.Ordinal)))).Message, StringComparison.Ordinal);
        Assert.Contains("inconsistent", Assert.Throws<JsonException>(() => ReferenceProfile.Load(Stream(json.Replace("\"count\":1000", "\"count\":999", StringComparison.Ordinal)))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Categories_BeyondCapacity_AreApproximateWithOther()
    {
        var builder = new ProfileBuilder(Schema, options: new ProfileOptions { MaxCategories = 10 });
        for (var i = 0; i < 10_000; i++)
        {
            builder.Add([FieldValue.FromNumber(i), FieldValue.FromText(i % 3 == 0 ? "common" : $"rare{i % 500}")]);
        }

        var c = builder.Build().Feature("c");
        Assert.False(c.CategoriesExact);
        Assert.True(c.Categories.ContainsKey("common"));
        Assert.True(c.Categories["common"] >= 3334 - 10_000 / 11);
        Assert.Equal(10_000, c.Categories.Values.Sum() + c.OtherCount);
        Assert.True(c.ToSample().Counts.ContainsKey(FeatureProfile.OtherCategory));
    }

    [Fact]
    public void Builder_BadRows_ThrowWithRowAndFeature()
    {
        var builder = new ProfileBuilder(Schema);
        builder.Add([FieldValue.FromNumber(1), FieldValue.FromText("a")]);
        Assert.Contains("Row 2: feature 'x' is numeric but holds text 'oops'", Assert.Throws<ArgumentException>(() => builder.Add([FieldValue.FromText("oops"), FieldValue.FromText("a")])).Message, StringComparison.Ordinal);
        Assert.Contains("1 values but the profile has 2", Assert.Throws<ArgumentException>(() => builder.Add([FieldValue.FromNumber(1)])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ProfileBuilder([new("x", RawFeatureKind.Numeric), new("x", RawFeatureKind.Numeric)]));
        Assert.Contains("ProfileOptions.SketchK must be between 8 and 65536", Assert.Throws<OptionsValidationException>(() => new ProfileBuilder(Schema, options: new ProfileOptions { SketchK = 2 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllMissingColumn_IsCountedAndComparesAsMissing()
    {
        var builder = new ProfileBuilder(Schema);
        for (var i = 0; i < 100; i++)
        {
            builder.Add([FieldValue.Missing, FieldValue.FromText("a")]);
        }

        var x = builder.Build().Feature("x");
        Assert.Equal(0, x.Count);
        Assert.Equal(100, x.MissingCount);
        Assert.True(double.IsNaN(x.Quantile(0.5)));
        var report = new DriftAnalyzer().Analyze([(FeatureSample.Numeric("x", new double[] { 1, 2, 3 }), x.ToSample())]);
        Assert.Equal("missing", report.Columns[0].Test);
        Assert.True(report.Columns[0].Drift);
    }

    [Fact]
    public async Task Create_FromFlights_ProfilesEveryRawFeature()
    {
        var flights = await TestData.LoadFlightsAsync(months: 2);
        var pipeline = FeaturePipeline.For<Flight>()
            .Numeric("hour", f => f.Date.Hour)
            .Numeric("distance", f => f.Distance)
            .Categorical("origin", f => f.Origin)
            .Build()
            .Fit(flights);
        var profile = ReferenceProfile.Create(flights, pipeline);
        Assert.Equal(flights.Count, profile.RowCount);
        Assert.Equal(["hour", "distance", "origin"], profile.Features.Select(f => f.Name));
        Assert.Equal(flights.Max(f => f.Distance), profile.Feature("distance").Max);
        Assert.Equal(flights.Count(f => f.Origin == "SEA"), profile.Feature("origin").Categories.GetValueOrDefault("SEA"));
        Assert.Throws<KeyNotFoundException>(() => profile.Feature("nope"));
    }

    internal static ReferenceProfile Build(double[] values)
    {
        var builder = new ProfileBuilder(Schema);
        for (var i = 0; i < values.Length; i++)
        {
            builder.Add([FieldValue.FromNumber(values[i]), FieldValue.FromText($"k{(int)Math.Abs(values[i] * 10) % 13}")]);
        }

        return builder.Build();
    }

    internal static double[] Values(string distribution, int n, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var values = Enumerable.Range(0, n).Select(_ => distribution switch
        {
            "uniform" => random.NextDouble(),
            "lognormal" => Math.Exp(2 * Gaussian()),
            "ties" => random.Next(20),
            _ => Gaussian(),
        }).ToArray();
        if (distribution == "sorted")
        {
            Array.Sort(values);
        }

        return values;
    }

    private static byte[] Save(ReferenceProfile profile)
    {
        using var stream = new MemoryStream();
        profile.Save(stream);
        return stream.ToArray();
    }

    private static MemoryStream Stream(string json) => new(System.Text.Encoding.UTF8.GetBytes(json));

    private static bool Same(double a, double b) => a.Equals(b);

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
