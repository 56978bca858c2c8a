using System.Globalization;

namespace MLSystemDesign.Experiments;

/// <summary>One look at an always-valid comparison.</summary>
/// <param name="Estimate">treatment − control (means, or rates for 0/1 outcomes).</param>
/// <param name="CiLow">The lower bound of the confidence sequence at this look.</param>
/// <param name="CiHigh">The upper bound of the confidence sequence at this look.</param>
/// <param name="PValue">The always-valid p-value at this look (1 / mixture likelihood ratio, capped at 1).</param>
/// <param name="Alpha">The significance level the sequence is built for.</param>
/// <param name="Rho">The mixture's ρ, from the tuning sample size.</param>
/// <param name="Count">The units seen so far in both arms.</param>
public sealed record SequentialLook(double Estimate, double CiLow, double CiHigh, double PValue, double Alpha, double Rho, long Count)
{
    /// <summary>Gets whether this look rejects "no difference": the p-value is at most α (the interval excludes 0).</summary>
    public bool Rejects => PValue <= Alpha;
}

/// <summary>
/// An always-valid test of treatment − control, so a dashboard can be looked at every day without inflating the false
/// positives: the normal-mixture sequential probability ratio test (mSPRT; Johari, Pekelis and Walsh, "Always valid
/// inference", 2017), written as the asymptotic confidence sequence of Waudby-Smith et al. (2023, eqs 9, 155, 161), as
/// GrowthBook ships it. With n units in both arms, se² = v₁/n₁ + v₂/n₂ and ρ² = (−2 ln α + ln(−2 ln α + 1)) / n* for a
/// tuning size n* (where the sequence is tightest), the mixture likelihood ratio is
/// Λ = exp(ρ² n Δ²/se² / (2(nρ² + 1))) / √(nρ² + 1), the p-value 1/Λ, and the interval
/// Δ ± se·√(2(nρ² + 1) ln(√(nρ² + 1)/α) / (nρ²)). Rejecting whenever p ≤ α, at any look, keeps the type-I error at most α.
/// </summary>
public static class AlwaysValidTest
{
    /// <summary>GrowthBook's default tuning sample size, 5,000.</summary>
    public const double DefaultTuning = 5000;

    /// <summary>ρ of the mixture for a significance level and a tuning sample size (Waudby-Smith et al., eq. 161).</summary>
    /// <param name="alpha">The significance level.</param>
    /// <param name="tuning">The sample size at which the sequence is tightest.</param>
    /// <returns>ρ.</returns>
    public static double Rho(double alpha, double tuning)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The significance level lies in (0, 1).");
        }

        if (!(tuning > 0) || !double.IsFinite(tuning))
        {
            throw new ArgumentOutOfRangeException(nameof(tuning), tuning, "The tuning sample size must be positive.");
        }

        return Math.Sqrt((-2 * Math.Log(alpha) + Math.Log(-2 * Math.Log(alpha) + 1)) / tuning);
    }

    /// <summary>Evaluates the comparison at one look.</summary>
    /// <param name="treatment">Everything the treatment arm has seen so far; at least two values.</param>
    /// <param name="control">Everything the control arm has seen so far; at least two values.</param>
    /// <param name="alpha">The significance level. Default 0.05.</param>
    /// <param name="tuning">The tuning sample size n*. Default 5,000.</param>
    /// <returns>The estimate, the confidence sequence's interval and the always-valid p-value.</returns>
    public static SequentialLook Evaluate(SampleSummary treatment, SampleSummary control, double alpha = 0.05, double tuning = DefaultTuning)
    {
        ExperimentTests.RequireValues(treatment, 2, nameof(treatment));
        ExperimentTests.RequireValues(control, 2, nameof(control));
        var rho = Rho(alpha, tuning);
        double n = treatment.Count + control.Count;
        var estimate = treatment.Mean - control.Mean;
        var se2 = treatment.Variance / treatment.Count + control.Variance / control.Count;
        var rho2 = rho * rho;
        var half = Math.Sqrt(se2 * n) * Math.Sqrt(2 * (n * rho2 + 1) * Math.Log(Math.Sqrt(n * rho2 + 1) / alpha) / ((n * rho) * (n * rho)));
        var st2 = estimate * estimate * n / se2;
        var tr2p1 = n * rho2 + 1;
        var evidence = Math.Exp(rho2 * st2 / (2 * tr2p1)) / Math.Sqrt(tr2p1);
        var p = se2 == 0 ? (estimate == 0 ? 1 : 0) : Math.Min(1 / evidence, 1);
        return new SequentialLook(estimate, estimate - half, estimate + half, p, alpha, rho, (long)n);
    }
}

/// <summary>
/// Follows an always-valid comparison look after look: the p-value is the running minimum over looks and the interval
/// the running intersection, both still valid at any stopping time; once a look rejects, the comparison stays rejected.
/// </summary>
public sealed class SequentialMonitor
{
    private readonly double _alpha;
    private readonly double _tuning;

    /// <summary>Creates a monitor.</summary>
    /// <param name="alpha">The significance level. Default 0.05.</param>
    /// <param name="tuning">The tuning sample size n*. Default 5,000.</param>
    public SequentialMonitor(double alpha = 0.05, double tuning = AlwaysValidTest.DefaultTuning)
    {
        _ = AlwaysValidTest.Rho(alpha, tuning);
        _alpha = alpha;
        _tuning = tuning;
    }

    /// <summary>Gets the number of looks taken.</summary>
    public int Looks { get; private set; }

    /// <summary>Gets the smallest p-value seen (1 before the first look).</summary>
    public double PValue { get; private set; } = 1;

    /// <summary>Gets the lower bound of the running intersection of the intervals.</summary>
    public double CiLow { get; private set; } = double.NegativeInfinity;

    /// <summary>Gets the upper bound of the running intersection of the intervals.</summary>
    public double CiHigh { get; private set; } = double.PositiveInfinity;

    /// <summary>Gets whether any look has rejected "no difference".</summary>
    public bool Rejected => PValue <= _alpha;

    /// <summary>Takes a look at everything seen so far in each arm.</summary>
    /// <param name="treatment">The treatment arm's cumulative summary.</param>
    /// <param name="control">The control arm's cumulative summary.</param>
    /// <returns>This look.</returns>
    public SequentialLook Look(SampleSummary treatment, SampleSummary control)
    {
        var look = AlwaysValidTest.Evaluate(treatment, control, _alpha, _tuning);
        Looks++;
        PValue = Math.Min(PValue, look.PValue);
        CiLow = Math.Max(CiLow, look.CiLow);
        CiHigh = Math.Min(CiHigh, look.CiHigh);
        return look;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Looks} looks: p = {PValue:G4}, interval [{CiLow:G6}, {CiHigh:G6}]{(Rejected ? ", rejected" : string.Empty)}");
}
