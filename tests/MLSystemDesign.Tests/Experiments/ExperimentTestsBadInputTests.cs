using MLSystemDesign.Experiments;

namespace MLSystemDesign.Tests.Experiments;

/// <summary>Bad input gets a clear error; degenerate data gets the reference's answer, never a silent guess.</summary>
public sealed class ExperimentTestsBadInputTests
{
    [Fact]
    public void TwoProportionZTest_BadCounts_Throw()
    {
        Assert.Contains("more successes than trials", Assert.Throws<ArgumentOutOfRangeException>(() => new ProportionCounts(11, 10)).Message, StringComparison.Ordinal);
        Assert.Contains("no trials", Assert.Throws<ArgumentException>(() => ExperimentTests.TwoProportionZTest(new(0, 0), new(1, 10))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ExperimentTests.TwoProportionZTest(new(1, 10), new(1, 10), confidence: 1));
    }

    [Fact]
    public void TTests_FewerThanTwoValues_SayWhichArm()
    {
        var one = SampleSummary.Of([1.0]);
        var two = SampleSummary.Of([1.0, 2.0]);
        Assert.Contains("treatment arm has 1 value", Assert.Throws<ArgumentException>(() => ExperimentTests.WelchTTest(one, two)).Message, StringComparison.Ordinal);
        Assert.Contains("control arm has 0 values", Assert.Throws<ArgumentException>(() => ExperimentTests.StudentTTest(two, default)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleSummary_NaNOrInfinity_NamesTheIndex()
    {
        Assert.Contains("Value 2 is NaN", Assert.Throws<ArgumentException>(() => SampleSummary.Of([1, 2, double.NaN])).Message, StringComparison.Ordinal);
        Assert.Contains("Value 0 is Infinity", Assert.Throws<ArgumentException>(() => SampleSummary.Of([double.PositiveInfinity, 2])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleSummary_Merge_EqualsTheWholeSummary()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() * 10 + 1e3).ToArray();
        var whole = SampleSummary.Of(values);
        var merged = SampleSummary.Of(values.AsSpan(0, 317)).Merge(SampleSummary.Of(values.AsSpan(317)));
        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Mean, merged.Mean, 1e-12);
        Assert.Equal(whole.Variance, merged.Variance, 1e-9);
        Assert.Equal(whole, whole.Merge(default));
    }

    [Fact]
    public void MannWhitney_EmptyOrNaN_Throws()
    {
        Assert.Contains("treatment arm is empty", Assert.Throws<ArgumentException>(() => ExperimentTests.MannWhitneyU([], [1.0])).Message, StringComparison.Ordinal);
        Assert.Contains("Value 1 of the control arm is NaN", Assert.Throws<ArgumentException>(() => ExperimentTests.MannWhitneyU([1.0], [2, double.NaN])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MannWhitney_ExactDistribution_IsSymmetricAndSumsToOne()
    {
        // P(U ≥ 0) = 1; P(U ≥ k) + P(U ≥ mn − k + 1) = 1 by symmetry; big arms overflow 128 bits and use big integers.
        Assert.Equal(1.0, MLSystemDesign.Experiments.Internal.MannWhitney.ExactSf(0, 5, 7), 15);
        for (var k = 1; k <= 35; k++)
        {
            Assert.Equal(1.0, MLSystemDesign.Experiments.Internal.MannWhitney.ExactSf(k, 5, 7) + MLSystemDesign.Experiments.Internal.MannWhitney.ExactSf(35 - k + 1, 5, 7), 14);
        }

        var big = MLSystemDesign.Experiments.Internal.MannWhitney.ExactSf(8L * 400_000 / 2, 8, 400_000);
        Assert.InRange(big, 0.49, 0.51);
    }

    [Fact]
    public void Bootstrap_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => Bootstrap.Mean([]));
        Assert.Contains("Value 1 of control is NaN", Assert.Throws<ArgumentException>(() => Bootstrap.MeanDifference([1.0], [1, double.NaN])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.Mean([1.0, 2.0], resamples: 0));
    }

    [Fact]
    public void Bootstrap_SameSeed_SameInterval_OtherSeed_Differs()
    {
        double[] x = [1, 4, 2, 8, 5, 7, 3, 9, 6, 2, 4, 4];
        Assert.Equal(Bootstrap.Mean(x, 500, seed: 9), Bootstrap.Mean(x, 500, seed: 9));
        Assert.NotEqual(Bootstrap.Mean(x, 500, seed: 9).Low, Bootstrap.Mean(x, 500, seed: 10).Low);
    }

    [Fact]
    public void SampleSize_EffectZero_IsAnError()
    {
        var ex = Assert.Throws<ArgumentException>(() => PowerAnalysis.ForProportions(0.1, 0));
        Assert.Contains("effect of 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleSize_PowerOutOfReach_IsAnError_NeverABracketBound()
    {
        // A one-sided test for an increase cannot detect a decrease: power falls to 0 as n grows. statsmodels returns
        // fsolve's guess with a ConvergenceWarning (statsmodels #9884); here it is an error that says so.
        var ex = Assert.Throws<InvalidOperationException>(() => PowerAnalysis.ForProportions(0.3, -0.05, alternative: Alternative.Larger));
        Assert.Contains("No solution", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleSize_TightTolerance_SolvesThePowerEquationExactly()
    {
        var loose = PowerAnalysis.ForProportions(0.1, 0.01);
        var exact = PowerAnalysis.SolveSampleSize(loose.EffectSize, 0.05, 0.8, tolerance: 1e-12);
        Assert.Equal(0.8, PowerAnalysis.Power(exact.EffectSize, exact.NPerArm, 0.05), 13);
        Assert.InRange(Math.Abs(exact.NPerArm - loose.NPerArm), 0, 1e-5); // statsmodels' tolerance
        Assert.True(loose.Power >= 0.8);
    }

    [Fact]
    public void SampleSize_BadArguments_NameTheRange()
    {
        Assert.Contains("(0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.ForProportions(0, 0.1)).Message, StringComparison.Ordinal);
        Assert.Contains("not a proportion", Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.ForProportions(0.95, 0.1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.ForMeans(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.ForMeans(1, 1, power: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.ForMeans(1, 1, ratio: 0));
    }

    [Fact]
    public void SampleRatio_BadCounts_Throw()
    {
        Assert.Contains("at least two arms", Assert.Throws<ArgumentException>(() => SampleRatioMismatch.Check([10])).Message, StringComparison.Ordinal);
        Assert.Contains("No arm has any unit", Assert.Throws<ArgumentException>(() => SampleRatioMismatch.Check([0, 0])).Message, StringComparison.Ordinal);
        Assert.Contains("weight 0", Assert.Throws<ArgumentException>(() => SampleRatioMismatch.Check([5, 5], [1, 0])).Message, StringComparison.Ordinal);
        Assert.Contains("2 arms but 3 weights", Assert.Throws<ArgumentException>(() => SampleRatioMismatch.Check([5, 5], [1, 1, 1])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuped_ConstantCovariate_Throws()
    {
        Assert.Contains("covariate is constant", Assert.Throws<ArgumentException>(() => Cuped.Theta([1, 2], [3, 3], [4, 5], [3, 3])).Message, StringComparison.Ordinal);
        Assert.Contains("needs its covariate", Assert.Throws<ArgumentException>(() => Cuped.Theta([1, 2], [3], [4, 5], [3, 3])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeLift_ZeroControlMean_Throws() =>
        Assert.Contains("lift is undefined", Assert.Throws<ArgumentException>(() => ExperimentTests.RelativeLift(SampleSummary.Of([1.0, 2.0]), SampleSummary.Of([-1.0, 1.0]))).Message, StringComparison.Ordinal);

    [Fact]
    public void BenjaminiHochberg_BadPValue_Throws() =>
        Assert.Contains("p-value 1 is 1.5", Assert.Throws<ArgumentException>(() => MultipleTesting.BenjaminiHochberg([0.1, 1.5])).Message, StringComparison.Ordinal);
}
