using MLSystemDesign.Features;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Tests.Monitoring;

public sealed class PrevalenceDriftTests
{
    [Fact]
    public void PrevalenceDrift_StationaryCalibratedData_IsNearZero()
    {
        var (p, y) = PerformanceEstimationTests.Draw(50_000, seed: 4, skew: 1.0);
        var reference = PerformanceReference.Create(p, y, chunkSize: 2500);
        Assert.InRange(reference.PrevalenceDrift, 0, 0.004);
    }

    [Fact]
    public void PrevalenceDrift_ChunksWhoseBaseRateMoves_MeasuresTheMove()
    {
        // Twenty chunks; in every other one the outcomes are positive 6 points more often than the scores say.
        var random = new Random(5);
        var p = new float[40_000];
        var y = new float[40_000];
        for (var i = 0; i < p.Length; i++)
        {
            p[i] = (float)(0.1 + 0.3 * random.NextDouble());
            var shift = i / 2000 % 2 == 0 ? 0.03 : -0.03;
            y[i] = random.NextDouble() < p[i] + shift ? 1 : 0;
        }

        var reference = PerformanceReference.Create(p, y, chunkSize: 2000, calibrate: false);
        Assert.InRange(reference.PrevalenceDrift, 0.025, 0.035);
    }

    [Fact]
    public void PrevalenceDrift_SurvivesTheProfilesJson()
    {
        var (p, y) = PerformanceEstimationTests.Draw(20_000, seed: 6, skew: 1.0);
        for (var i = 0; i < 5000; i++)
        {
            y[i] = 1; // one chunk far off
        }

        var builder = new ProfileBuilder([new RawFeature("x", RawFeatureKind.Numeric)]);
        builder.Add([MLSystemDesign.Data.FieldValue.FromNumber(1.0)]);
        var profile = builder.Build(PerformanceReference.Create(p, y, chunkSize: 5000));
        using var stream = new MemoryStream();
        profile.Save(stream);
        stream.Position = 0;
        var loaded = ReferenceProfile.Load(stream);
        Assert.True(profile.Performance!.PrevalenceDrift > 0.1);
        Assert.Equal(profile.Performance.PrevalenceDrift, loaded.Performance!.PrevalenceDrift);
    }
}
