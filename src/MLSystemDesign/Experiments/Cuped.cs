using System.Globalization;
using MLSystemDesign.Experiments.Internal;

namespace MLSystemDesign.Experiments;

/// <summary>The outcome of a CUPED-adjusted comparison.</summary>
/// <param name="Theta">θ = cov(Y, X) / var(X) over both arms together.</param>
/// <param name="Treatment">The treatment's adjusted summary.</param>
/// <param name="Control">The control's adjusted summary.</param>
/// <param name="VarianceReduction">1 − (within-arm Σ of squares after adjustment) / (before): the share of variance the covariate removed.</param>
/// <param name="Test">Welch's t-test on the adjusted values.</param>
public sealed record CupedResult(double Theta, SampleSummary Treatment, SampleSummary Control, double VarianceReduction, StatisticalTestResult Test);

/// <summary>
/// CUPED variance reduction (Deng, Xu, Kohavi and Walker, 2013): each value Y is replaced by Y − θ(X − X̄), X a covariate
/// measured before the experiment (last month's value of the metric), with θ = cov(Y, X) / var(X) pooled across arms
/// and X̄ the mean of X over both arms; the effect estimate stays unbiased because X cannot depend on the assignment,
/// and its variance shrinks by the squared correlation.
/// </summary>
public static class Cuped
{
    /// <summary>θ pooled across arms: the covariance of Y and X over both arms together, over the variance of X (numpy's <c>cov</c> and <c>var</c>, ddof 1).</summary>
    /// <param name="treatmentY">The treatment's metric values.</param>
    /// <param name="treatmentX">The treatment's covariate values, one per metric value.</param>
    /// <param name="controlY">The control's metric values.</param>
    /// <param name="controlX">The control's covariate values.</param>
    /// <returns>θ and the covariate's overall mean.</returns>
    /// <exception cref="ArgumentException">Lengths differ, fewer than two units, a value that is not finite, or a constant covariate.</exception>
    public static (double Theta, double CovariateMean) Theta(ReadOnlySpan<double> treatmentY, ReadOnlySpan<double> treatmentX, ReadOnlySpan<double> controlY, ReadOnlySpan<double> controlX)
    {
        if (treatmentY.Length != treatmentX.Length || controlY.Length != controlX.Length)
        {
            throw new ArgumentException($"Every metric value needs its covariate: treatment {treatmentY.Length} vs {treatmentX.Length}, control {controlY.Length} vs {controlX.Length}.");
        }

        var y = new double[treatmentY.Length + controlY.Length];
        var x = new double[y.Length];
        treatmentY.CopyTo(y);
        controlY.CopyTo(y.AsSpan(treatmentY.Length));
        treatmentX.CopyTo(x);
        controlX.CopyTo(x.AsSpan(treatmentX.Length));
        var sy = SampleSummary.Of(y);
        var sx = SampleSummary.Of(x);
        if (sx.Count < 2)
        {
            throw new ArgumentException("CUPED needs at least two units.");
        }

        if (sx.SumOfSquaredDeviations == 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The covariate is constant ({sx.Mean:G6}): it explains nothing, and θ is 0/0."));
        }

        var products = new double[y.Length];
        for (var i = 0; i < y.Length; i++)
        {
            products[i] = (y[i] - sy.Mean) * (x[i] - sx.Mean);
        }

        var covariance = PairwiseSum.Sum(products) / (y.Length - 1);
        return (covariance / sx.Variance, sx.Mean);
    }

    /// <summary>Adjusts both arms with θ pooled across them and compares them with Welch's t-test.</summary>
    /// <param name="treatmentY">The treatment's metric values.</param>
    /// <param name="treatmentX">The treatment's covariate values.</param>
    /// <param name="controlY">The control's metric values.</param>
    /// <param name="controlX">The control's covariate values.</param>
    /// <param name="confidence">The interval's confidence level. Default 0.95.</param>
    /// <returns>θ, the adjusted summaries, the variance reduction and the test.</returns>
    public static CupedResult Compare(ReadOnlySpan<double> treatmentY, ReadOnlySpan<double> treatmentX, ReadOnlySpan<double> controlY, ReadOnlySpan<double> controlX, double confidence = 0.95)
    {
        var (theta, mean) = Theta(treatmentY, treatmentX, controlY, controlX);
        var adjustedT = Adjust(treatmentY, treatmentX, theta, mean);
        var adjustedC = Adjust(controlY, controlX, theta, mean);
        var t = SampleSummary.Of(adjustedT);
        var c = SampleSummary.Of(adjustedC);
        var before = SampleSummary.Of(treatmentY).SumOfSquaredDeviations + SampleSummary.Of(controlY).SumOfSquaredDeviations;
        var after = t.SumOfSquaredDeviations + c.SumOfSquaredDeviations;
        var test = ExperimentTests.WelchTTest(t, c, Alternative.TwoSided, confidence);
        test = test with
        {
            Test = "cuped-welch",
            Explanation = string.Create(CultureInfo.InvariantCulture, $"CUPED with θ = {theta:G6} pooled across arms (variance reduced by {(before == 0 ? 0 : 1 - after / before):P1}), then {test.Explanation}"),
        };
        return new CupedResult(theta, t, c, before == 0 ? 0 : 1 - after / before, test);
    }

    /// <summary>Y − θ(X − X̄) for each unit.</summary>
    /// <param name="y">The metric values.</param>
    /// <param name="x">The covariate values.</param>
    /// <param name="theta">θ.</param>
    /// <param name="covariateMean">X̄ over both arms.</param>
    /// <returns>The adjusted values.</returns>
    public static double[] Adjust(ReadOnlySpan<double> y, ReadOnlySpan<double> x, double theta, double covariateMean)
    {
        if (y.Length != x.Length)
        {
            throw new ArgumentException($"{y.Length} metric values but {x.Length} covariate values.", nameof(x));
        }

        var result = new double[y.Length];
        for (var i = 0; i < y.Length; i++)
        {
            result[i] = y[i] - theta * (x[i] - covariateMean);
        }

        return result;
    }
}
