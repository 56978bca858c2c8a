using MLSystemDesign.Features;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Abstractions.Tests.Monitoring;

public sealed class FeatureSampleTests
{
    [Fact]
    public void Numeric_CountsValuesMissingAndPopulation()
    {
        var sample = FeatureSample.Numeric("x", new[] { 1.0, 2, 3 }, missing: 2);
        Assert.Equal(RawFeatureKind.Numeric, sample.Kind);
        Assert.Equal(3, sample.Count);
        Assert.Equal(5, sample.PopulationCount);
        Assert.Empty(sample.Counts);
        Assert.Equal(1000, FeatureSample.Numeric("x", new[] { 1.0 }, populationCount: 1000).PopulationCount);
    }

    [Fact]
    public void Numeric_BadInput_Throws()
    {
        Assert.Contains("value 1 is NaN", Assert.Throws<ArgumentException>(() => FeatureSample.Numeric("x", new[] { 1.0, double.NaN })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => FeatureSample.Numeric("x", new[] { 1.0, 2 }, populationCount: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureSample.Numeric("x", new[] { 1.0 }, missing: -1));
        Assert.Throws<ArgumentException>(() => FeatureSample.Numeric(string.Empty, new[] { 1.0 }));
    }

    [Fact]
    public void Categorical_FromLabels_CountsAndTreatsNullAsMissing()
    {
        var sample = FeatureSample.Categorical("c", ["a", "b", "a", null]);
        Assert.Equal(RawFeatureKind.Categorical, sample.Kind);
        Assert.Equal(2, sample.Counts["a"]);
        Assert.Equal(3, sample.Count);
        Assert.Equal(1, sample.MissingCount);
        Assert.True(sample.Values.IsEmpty);
    }

    [Fact]
    public void Categorical_NegativeCount_Throws() =>
        Assert.Contains("'b' has a negative count", Assert.Throws<ArgumentException>(() => FeatureSample.Categorical("c", new Dictionary<string, long> { ["a"] = 1, ["b"] = -1 })).Message, StringComparison.Ordinal);

    [Fact]
    public void StreamingResult_IsDriftOnlyForDrift()
    {
        Assert.True(new StreamingDriftResult(StreamingDriftState.Drift, 10, 0.5).IsDrift);
        Assert.False(new StreamingDriftResult(StreamingDriftState.Warning, 10, 0.5).IsDrift);
    }
}
