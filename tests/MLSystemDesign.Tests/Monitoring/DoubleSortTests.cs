using FsCheck;
using FsCheck.Fluent;
using MLSystemDesign.Monitoring.Statistics;

namespace MLSystemDesign.Tests.Monitoring;

public sealed class DoubleSortTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(100_003)]
    public void Sort_MatchesArraySort(int n)
    {
        var random = new Random(n);
        double[] specials = [0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue];
        var values = Enumerable.Range(0, n).Select(i => i % 97 == 0 ? specials[i % specials.Length] : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300))).ToArray();
        var expected = values.ToArray();
        Array.Sort(expected);
        DoubleSort.Sort(values);
        Assert.Equal(expected.Select(v => v == 0 ? 0.0 : v), values.Select(v => v == 0 ? 0.0 : v));
        for (var i = 1; i < values.Length; i++)
        {
            Assert.True(values[i - 1] <= values[i]);
        }
    }

    [FsCheck.Xunit.Property(MaxTest = 30)]
    public Property Sort_AnyValues_IsOrderedPermutation() =>
        Prop.ForAll(Gen.Choose(-1000, 1000).Select(i => i / 8.0).ArrayOf(5000).ToArbitrary(), values =>
        {
            var sorted = values.ToArray();
            DoubleSort.Sort(sorted);
            return sorted.SequenceEqual(values.Order());
        });
}
