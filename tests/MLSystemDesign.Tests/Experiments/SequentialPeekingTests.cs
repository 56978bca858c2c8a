using MLSystemDesign.Experiments;
using Xunit.Abstractions;

namespace MLSystemDesign.Tests.Experiments;

/// <summary>
/// Continuous peeking in a seeded A/A simulation: 2,000 experiments, each looked at 30 times (after every 200 units per
/// arm, a conversion rate of 10 % in both arms), stopping at the first look that rejects. The always-valid test keeps
/// its type-I error at most α; the fixed-horizon z-test, looked at the same way, does not.
/// </summary>
public sealed class SequentialPeekingTests(ITestOutputHelper output)
{
    public const int Experiments = 2000;
    public const int Looks = 30;
    public const int UnitsPerLook = 200;
    public const double Rate = 0.10;
    public const double Alpha = 0.05;

    [Fact]
    public void AlwaysValidTest_AaSimulationWithContinuousPeeking_KeepsTypeOneErrorBelowAlpha_WhileThePeekedZTestInflates()
    {
        var (sequential, fixedHorizon, finalLookOnly) = Simulate(seed: 20240611);
        output.WriteLine($"A/A, {Experiments} experiments x {Looks} looks x {UnitsPerLook} units per arm per look, rate {Rate}, alpha {Alpha}:");
        output.WriteLine($"  always-valid test (mixture SPRT, tuning 5,000): {sequential:0.0000} false positives");
        output.WriteLine($"  fixed-horizon z-test peeked at every look:      {fixedHorizon:0.0000}");
        output.WriteLine($"  fixed-horizon z-test at the last look only:     {finalLookOnly:0.0000}");

        Assert.True(sequential <= Alpha, $"The always-valid test rejected {sequential:P2} of A/A experiments under peeking; it must stay at most {Alpha:P0}.");
        Assert.True(fixedHorizon > 2 * Alpha, $"The peeked z-test rejected only {fixedHorizon:P2}; peeking should inflate it far above {Alpha:P0}.");
        Assert.InRange(finalLookOnly, 0.03, 0.07); // looked at once, the z-test is a valid 5 % test
    }

    [Fact]
    public void SequentialMonitor_RealEffect_RejectsAndStaysRejected()
    {
        var random = new Random(7);
        var monitor = new SequentialMonitor();
        long st = 0, sc = 0, n = 0;
        var firstRejection = -1;
        for (var look = 0; look < 60; look++)
        {
            for (var i = 0; i < 500; i++)
            {
                st += random.NextDouble() < 0.13 ? 1 : 0;
                sc += random.NextDouble() < 0.10 ? 1 : 0;
            }

            n += 500;
            monitor.Look(SampleSummary.Of(new ProportionCounts(st, n)), SampleSummary.Of(new ProportionCounts(sc, n)));
            if (monitor.Rejected && firstRejection < 0)
            {
                firstRejection = look;
            }

            if (firstRejection >= 0)
            {
                Assert.True(monitor.Rejected);
                Assert.True(monitor.CiLow > 0, monitor.ToString());
            }
        }

        Assert.InRange(firstRejection, 0, 59);
        Assert.InRange(0.03, monitor.CiLow, monitor.CiHigh);
    }

    /// <summary>The share of A/A experiments declared different: by the always-valid test, by the z-test at any look, by the z-test at the last look.</summary>
    internal static (double Sequential, double FixedHorizon, double FinalLookOnly) Simulate(int seed)
    {
        var random = new Random(seed);
        int sequentialRejections = 0, zRejections = 0, finalRejections = 0;
        for (var e = 0; e < Experiments; e++)
        {
            long st = 0, sc = 0, n = 0;
            bool sequential = false, peeked = false;
            var lastP = 1.0;
            for (var look = 0; look < Looks; look++)
            {
                for (var i = 0; i < UnitsPerLook; i++)
                {
                    st += random.NextDouble() < Rate ? 1 : 0;
                    sc += random.NextDouble() < Rate ? 1 : 0;
                }

                n += UnitsPerLook;
                var t = new ProportionCounts(st, n);
                var c = new ProportionCounts(sc, n);
                lastP = ExperimentTests.TwoProportionZTest(t, c).PValue;
                peeked |= lastP < Alpha;
                sequential |= AlwaysValidTest.Evaluate(SampleSummary.Of(t), SampleSummary.Of(c), Alpha).Rejects;
            }

            sequentialRejections += sequential ? 1 : 0;
            zRejections += peeked ? 1 : 0;
            finalRejections += lastP < Alpha ? 1 : 0;
        }

        return ((double)sequentialRejections / Experiments, (double)zRejections / Experiments, (double)finalRejections / Experiments);
    }
}
