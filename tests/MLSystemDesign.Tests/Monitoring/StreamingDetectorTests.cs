using Microsoft.Extensions.Options;
using MLSystemDesign.Monitoring;
using Xunit.Abstractions;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>Streaming detectors on synthetic streams with known change points (seeded, deterministic).</summary>
public sealed class StreamingDetectorTests(ITestOutputHelper output)
{
    private const int ChangeAt = 3000;

    public static TheoryData<string> Detectors => new() { "adwin", "page-hinkley", "kswin", "ddm" };

    [Theory]
    [MemberData(nameof(Detectors))]
    public void Update_MeanShift_DetectedWithBoundedDelay(string name)
    {
        var delays = new List<int>();
        var extra = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var stream = Stream(name, seed, ChangeAt, 6000);
            var after = Drifts(Create(name), stream).Where(i => i >= ChangeAt).ToList();
            Assert.True(after.Count >= 1, $"{name}, seed {seed}: the change at {ChangeAt} was not detected.");
            delays.Add(after[0] - ChangeAt);
            extra += after.Count - 1;
        }

        output.WriteLine($"{name}: detection delay over 20 streams: median {delays.Order().ElementAt(10)}, max {delays.Max()}; {extra} further alarms in the 20 × 3,000 values after the change");
        // The median is bounded for every detector; a false alarm just before the change (PH, KSWIN) can delay a stream's
        // detection, so the longest delay is bounded only for ADWIN, which has no false alarms on these streams.
        var median = delays.Order().ElementAt(10);
        Assert.True(median <= MaxMedianDelay(name), $"{name}: the median delay was {median} values (bound {MaxMedianDelay(name)}).");
        Assert.True(name != "adwin" || delays.Max() <= 200, $"adwin: the longest delay was {delays.Max()} values.");

        // After a drift each detector forgets the old concept (ADWIN drops it from its window, the others restart), so
        // any later alarm on the new, stationary concept is a false alarm: no more than the stationary rate allows.
        Assert.True(extra <= 3 * MaxFalseAlarmRate(name) * 20 * 3000, $"{name}: {extra} alarms after the first detection.");
    }

    [Fact]
    public void Adwin_AfterAChange_NeverReportsItAgain()
    {
        // River's ADWIN reports one change several times while the old values leave its window (River issue #574).
        for (var seed = 1; seed <= 50; seed++)
        {
            var after = Drifts(StreamingDriftDetectors.Adwin(), Stream("adwin", seed, ChangeAt, 8000)).Where(i => i >= ChangeAt).ToList();
            Assert.True(after.Count == 1, $"seed {seed}: drifts at {string.Join(", ", after)} after the change at {ChangeAt}; expected one.");
        }
    }

    [Theory]
    [MemberData(nameof(Detectors))]
    public void Update_StationaryStream_FalseAlarmRateIsReportedAndLow(string name)
    {
        long alarms = 0, values = 0;
        for (var seed = 100; seed < 110; seed++)
        {
            var stream = Stream(name, seed, int.MaxValue, 20_000);
            alarms += Drifts(Create(name), stream).Count;
            values += stream.Length;
        }

        var rate = (double)alarms / values;
        output.WriteLine($"{name}: {alarms} false alarms in {values:N0} stationary values ({rate * 1000:0.000} per 1,000)");
        Assert.True(rate <= MaxFalseAlarmRate(name), $"{name}: {rate * 1000:0.000} false alarms per 1,000 values.");
    }

    [Theory]
    [MemberData(nameof(Detectors))]
    public void Reset_ReplaysTheSameAsANewDetector(string name)
    {
        var stream = Stream(name, 7, 1500, 3000);
        var used = Create(name);
        Drifts(used, Stream(name, 8, 500, 2000));
        used.Reset();
        Assert.Equal(Drifts(Create(name), stream), Drifts(used, stream));
    }

    [Fact]
    public void Adwin_ThreeChanges_ThreeDrifts()
    {
        var random = new Random(3);
        var levels = new[] { 0.0, 1.5, 0.0, -1.5 };
        var stream = Enumerable.Range(0, 8000).Select(i => levels[i / 2000] + Gaussian(random)).ToArray();
        var drifts = Drifts(StreamingDriftDetectors.Adwin(), stream);
        Assert.Equal(3, drifts.Count);
        Assert.All(drifts.Zip(new[] { 2000, 4000, 6000 }), p => Assert.InRange(p.First - p.Second, 0, 300));
    }

    [Fact]
    public void Update_NaN_Throws()
    {
        foreach (var name in new[] { "adwin", "page-hinkley", "kswin", "ddm" })
        {
            var ex = Assert.Throws<ArgumentException>(() => Create(name).Update(double.NaN));
            Assert.Contains(name == "ddm" ? "0 (right) and 1 (wrong)" : "NaN", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Ddm_NonBinaryValue_Throws() =>
        Assert.Throws<ArgumentException>(() => StreamingDriftDetectors.Ddm().Update(0.5));

    [Fact]
    public void Ddm_RisingErrorRate_WarnsBeforeDrift()
    {
        var random = new Random(11);
        var stream = Enumerable.Range(0, 6000).Select(i => random.NextDouble() < (i < ChangeAt ? 0.1 : 0.3) ? 1.0 : 0.0).ToArray();
        var detector = StreamingDriftDetectors.Ddm();
        int? warning = null, drift = null;
        for (var i = 0; i < stream.Length && drift is null; i++)
        {
            var r = detector.Update(stream[i]);
            if (r.State == StreamingDriftState.Warning && i >= ChangeAt)
            {
                warning ??= i;
            }

            if (r.IsDrift && i >= ChangeAt)
            {
                drift = i;
            }
        }

        Assert.NotNull(warning);
        Assert.NotNull(drift);
        Assert.True(warning < drift);
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Contains("AdwinOptions.Delta must be between 0 exclusive and 1 exclusive", Assert.Throws<OptionsValidationException>(() => StreamingDriftDetectors.Adwin(new AdwinOptions { Delta = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("PageHinkleyOptions.Threshold must be between 0 exclusive and Infinity", Assert.Throws<OptionsValidationException>(() => StreamingDriftDetectors.PageHinkley(new PageHinkleyOptions { Threshold = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("DriftThreshold (1) must not be below WarningThreshold (2)", Assert.Throws<OptionsValidationException>(() => StreamingDriftDetectors.Ddm(new DdmOptions { DriftThreshold = 1, WarningThreshold = 2 })).Message, StringComparison.Ordinal);
        Assert.Contains("WindowSize (50) must be at least twice StatSize (60)", Assert.Throws<OptionsValidationException>(() => StreamingDriftDetectors.Kswin(new KswinOptions { WindowSize = 50, StatSize = 30 })).Message, StringComparison.Ordinal);
    }

    private static IStreamingDriftDetector Create(string name) => name switch
    {
        "adwin" => StreamingDriftDetectors.Adwin(),
        "page-hinkley" => StreamingDriftDetectors.PageHinkley(),
        "kswin" => StreamingDriftDetectors.Kswin(),
        _ => StreamingDriftDetectors.Ddm(),
    };

    /// <summary>Feature streams: N(0, 1) then N(1, 1); DDM's error stream: Bernoulli(0.1) then Bernoulli(0.3).</summary>
    private static double[] Stream(string name, int seed, int changeAt, int length)
    {
        var random = new Random(seed);
        return name == "ddm"
            ? Enumerable.Range(0, length).Select(i => random.NextDouble() < (i < changeAt ? 0.1 : 0.3) ? 1.0 : 0.0).ToArray()
            : Enumerable.Range(0, length).Select(i => (i < changeAt ? 0 : 1) + Gaussian(random)).ToArray();
    }

    private static int MaxMedianDelay(string name) => name switch { "adwin" => 100, "page-hinkley" => 100, "kswin" => 60, _ => 400 };

    private static double MaxFalseAlarmRate(string name) => name switch { "kswin" => 0.002, "page-hinkley" => 0.001, "ddm" => 0.0001, _ => 0.00001 };

    private static List<int> Drifts(IStreamingDriftDetector detector, double[] stream)
    {
        var drifts = new List<int>();
        for (var i = 0; i < stream.Length; i++)
        {
            if (detector.Update(stream[i]).IsDrift)
            {
                drifts.Add(i);
            }
        }

        return drifts;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
