using System.Globalization;
using MLSystemDesign.Experiments.Internal;

namespace MLSystemDesign.Experiments;

/// <summary>A sample size: unrounded as the power equation gives it, and rounded up.</summary>
/// <param name="NPerArm">The observations needed in the first arm (statsmodels' <c>nobs1</c>), unrounded.</param>
/// <param name="NPerArmCeil">⌈<see cref="NPerArm"/>⌉.</param>
/// <param name="Ratio">The second arm's size relative to the first (<c>nobs2 = ratio · nobs1</c>).</param>
/// <param name="EffectSize">The standardised effect: Cohen's h for proportions, d = mde/σ for means.</param>
/// <param name="Power">The power reached with <see cref="NPerArmCeil"/> observations.</param>
public sealed record SampleSize(double NPerArm, long NPerArmCeil, double Ratio, double EffectSize, double Power);

/// <summary>
/// Power and sample size for a two-sample z-test, with the semantics of statsmodels' <c>NormalIndPower</c> (and
/// <c>zt_ind_solve_power</c>): the effect is standardised (Cohen's h between two proportions, mde/σ for means), the
/// second arm has <c>ratio</c> times the first arm's observations, and the sample size is the root of the power
/// equation found as statsmodels finds it. A root that cannot be found is an error, never a bracket bound.
/// </summary>
public static class PowerAnalysis
{
    /// <summary>The absolute tolerance of statsmodels' root search (<c>brentq_expanding</c>'s <c>xtol</c>): 1e-5.</summary>
    public const double StatsmodelsTolerance = 1e-5;

    /// <summary>Cohen's h, 2·asin(√p₁) − 2·asin(√p₂) (statsmodels' <c>proportion_effectsize</c>).</summary>
    /// <param name="p1">The first proportion, in [0, 1].</param>
    /// <param name="p2">The second proportion, in [0, 1].</param>
    /// <returns>The effect size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A proportion outside [0, 1].</exception>
    public static double ProportionEffectSize(double p1, double p2)
    {
        CheckProportion(p1, nameof(p1));
        CheckProportion(p2, nameof(p2));
        return 2 * (Math.Asin(Math.Sqrt(p1)) - Math.Asin(Math.Sqrt(p2)));
    }

    /// <summary>The power of a two-sample z-test (statsmodels' <c>NormalIndPower().power</c>).</summary>
    /// <param name="effectSize">The standardised effect.</param>
    /// <param name="nobs1">The first arm's observations.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="ratio">The second arm's size over the first's (0 for a one-sample test). Default 1.</param>
    /// <param name="alternative">The alternative. Default two-sided.</param>
    /// <returns>The probability of rejecting the null when the effect is real.</returns>
    public static double Power(double effectSize, double nobs1, double alpha, double ratio = 1, Alternative alternative = Alternative.TwoSided)
    {
        CheckAlpha(alpha);
        ArgumentOutOfRangeException.ThrowIfNegative(ratio);
        var nobs = ratio > 0 ? 1.0 / (1.0 / nobs1 + 1.0 / (nobs1 * ratio)) : nobs1;
        var level = alternative == Alternative.TwoSided ? alpha / 2.0 : alpha;
        var shift = effectSize * Math.Sqrt(nobs);
        double power = 0;
        if (alternative is Alternative.TwoSided or Alternative.Larger)
        {
            power = Distributions.NormalSf(-Distributions.NormalQuantile(level) - shift);
        }

        if (alternative is Alternative.TwoSided or Alternative.Smaller)
        {
            power += Distributions.NormalCdf(Distributions.NormalQuantile(level) - shift);
        }

        return power;
    }

    /// <summary>Solves the power equation for the first arm's size (statsmodels' <c>NormalIndPower().solve_power(nobs1=None)</c>).</summary>
    /// <param name="effectSize">The standardised effect; not 0.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="power">The power wanted, in (0, 1).</param>
    /// <param name="ratio">The second arm's size over the first's. Default 1.</param>
    /// <param name="alternative">The alternative. Default two-sided.</param>
    /// <param name="tolerance">The root search's absolute tolerance. Default <see cref="StatsmodelsTolerance"/>, which reproduces statsmodels; smaller values give the root to machine precision.</param>
    /// <returns>The sample size.</returns>
    /// <exception cref="ArgumentException">An effect of 0, or an argument out of range.</exception>
    /// <exception cref="InvalidOperationException">No sample size reaches the power (e.g. a one-sided test against the effect's direction); the message says why.</exception>
    public static SampleSize SolveSampleSize(double effectSize, double alpha, double power, double ratio = 1, Alternative alternative = Alternative.TwoSided, double tolerance = StatsmodelsTolerance)
    {
        CheckAlpha(alpha);
        if (!(power > 0 && power < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(power), power, "The power lies in (0, 1).");
        }

        if (!(ratio > 0) || !double.IsFinite(ratio))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The ratio of the arms' sizes must be positive and finite.");
        }

        if (effectSize == 0 || !double.IsFinite(effectSize))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The effect size is {effectSize}: no sample size detects an effect of 0. Give a minimum detectable effect other than 0."), nameof(effectSize));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tolerance);
        var what = string.Create(CultureInfo.InvariantCulture, $"the sample size reaching power {power} at alpha {alpha} for effect size {effectSize:G6} ({alternative})");
        var n = BrentRoot.SolveExpanding(x => Power(effectSize, x, alpha, ratio, alternative) - power, low: 2, startUpper: 50, tolerance, what);
        var ceil = (long)Math.Ceiling(n);
        return new SampleSize(n, ceil, ratio, effectSize, Power(effectSize, ceil, alpha, ratio, alternative));
    }

    /// <summary>
    /// The sample size per arm to detect an absolute change <paramref name="mde"/> in a proportion: the effect is Cohen's h
    /// between <c>baseline + mde</c> and <c>baseline</c>, solved as <see cref="SolveSampleSize"/>.
    /// </summary>
    /// <param name="baseline">The control's rate, in (0, 1).</param>
    /// <param name="mde">The minimum detectable difference (absolute); <c>baseline + mde</c> must lie in [0, 1].</param>
    /// <param name="alpha">The significance level. Default 0.05.</param>
    /// <param name="power">The power. Default 0.8.</param>
    /// <param name="ratio">The second arm's size over the first's. Default 1.</param>
    /// <param name="alternative">The alternative. Default two-sided.</param>
    /// <returns>The sample size.</returns>
    public static SampleSize ForProportions(double baseline, double mde, double alpha = 0.05, double power = 0.8, double ratio = 1, Alternative alternative = Alternative.TwoSided)
    {
        if (!(baseline > 0 && baseline < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "The baseline rate lies in (0, 1).");
        }

        if (!(baseline + mde >= 0 && baseline + mde <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(mde), mde, string.Create(CultureInfo.InvariantCulture, $"baseline + mde = {baseline + mde} is not a proportion in [0, 1]."));
        }

        return SolveSampleSize(ProportionEffectSize(baseline + mde, baseline), alpha, power, ratio, alternative);
    }

    /// <summary>The sample size per arm to detect a difference <paramref name="mde"/> in means with standard deviation <paramref name="sd"/> (effect mde/σ).</summary>
    /// <param name="sd">The metric's standard deviation; positive.</param>
    /// <param name="mde">The minimum detectable difference in means.</param>
    /// <param name="alpha">The significance level. Default 0.05.</param>
    /// <param name="power">The power. Default 0.8.</param>
    /// <param name="ratio">The second arm's size over the first's. Default 1.</param>
    /// <param name="alternative">The alternative. Default two-sided.</param>
    /// <returns>The sample size.</returns>
    public static SampleSize ForMeans(double sd, double mde, double alpha = 0.05, double power = 0.8, double ratio = 1, Alternative alternative = Alternative.TwoSided)
    {
        if (!(sd > 0) || !double.IsFinite(sd))
        {
            throw new ArgumentOutOfRangeException(nameof(sd), sd, "The standard deviation must be positive and finite.");
        }

        return SolveSampleSize(mde / sd, alpha, power, ratio, alternative);
    }

    private static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The significance level lies in (0, 1).");
        }
    }

    private static void CheckProportion(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(name, p, "A proportion lies in [0, 1].");
        }
    }
}
