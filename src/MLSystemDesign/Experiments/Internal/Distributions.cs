using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace MLSystemDesign.Experiments.Internal;

/// <summary>The tails and quantiles the tests need, from MathNet.Numerics (SciPy's ndtr, ndtri and stdtr agree to ~1e-15).</summary>
internal static class Distributions
{
    private static readonly double Sqrt2 = Math.Sqrt(2);

    /// <summary>Φ(z), the standard normal CDF (<c>scipy.stats.norm.cdf</c>).</summary>
    public static double NormalCdf(double z) => double.IsNaN(z) ? double.NaN : 0.5 * SpecialFunctions.Erfc(-z / Sqrt2);

    /// <summary>1 − Φ(z) (<c>scipy.stats.norm.sf</c>), accurate in the upper tail.</summary>
    public static double NormalSf(double z) => double.IsNaN(z) ? double.NaN : 0.5 * SpecialFunctions.Erfc(z / Sqrt2);

    /// <summary>Φ⁻¹(p) (<c>scipy.stats.norm.ppf</c>).</summary>
    public static double NormalQuantile(double p) => Normal.InvCDF(0, 1, p);

    /// <summary>The p-value of a standard normal statistic for an alternative (statsmodels' <c>_zstat_generic2</c>).</summary>
    public static double NormalPValue(double z, Alternative alternative) => alternative switch
    {
        Alternative.Larger => NormalSf(z),
        Alternative.Smaller => NormalCdf(z),
        _ => 2 * NormalSf(Math.Abs(z)),
    };

    /// <summary>P(T ≤ t) for Student's t with <paramref name="df"/> degrees of freedom (<c>scipy.special.stdtr</c>).</summary>
    public static double StudentCdf(double df, double t)
    {
        if (double.IsNaN(t) || double.IsNaN(df))
        {
            return double.NaN;
        }

        if (double.IsInfinity(t))
        {
            return t > 0 ? 1 : 0;
        }

        return StudentT.CDF(0, 1, df, t);
    }

    /// <summary>The p-value of a t statistic for an alternative (SciPy's <c>_ttest_finish</c>).</summary>
    public static double StudentPValue(double t, double df, Alternative alternative) => alternative switch
    {
        Alternative.Larger => StudentCdf(df, -t),
        Alternative.Smaller => StudentCdf(df, t),
        _ => StudentCdf(df, -Math.Abs(t)) * 2,
    };

    /// <summary>
    /// The Student t quantile (<c>scipy.stats.t.ppf</c>): MathNet's <c>StudentT.InvCDF</c> (a root search good to about
    /// 1e-9), polished by Newton steps on MathNet's CDF and density until the step is below 1e-15 relative, so that
    /// intervals agree with SciPy's <c>stdtri</c> to 1e-9.
    /// </summary>
    public static double StudentQuantile(double df, double p)
    {
        if (double.IsNaN(df) || double.IsNaN(p))
        {
            return double.NaN;
        }

        var x = StudentT.InvCDF(0, 1, df, p);
        for (var i = 0; i < 8 && double.IsFinite(x); i++)
        {
            var density = StudentT.PDF(0, 1, df, x);
            if (!(density > 0))
            {
                break;
            }

            // Work in the tail the quantile lies in, where the CDF carries its full relative precision.
            var step = x > 0 ? -(StudentCdf(df, -x) - (1 - p)) / density : (StudentCdf(df, x) - p) / density;
            x -= step;
            if (Math.Abs(step) <= 1e-15 * Math.Abs(x))
            {
                break;
            }
        }

        return x;
    }
}
