using MLSystemDesign.Monitoring;
using MLSystemDesign.Registry;
using MLSystemDesign.Tests.Registry;

namespace MLSystemDesign.Tests.Monitoring;

/// <summary>Reference profiles stored as artifacts of model versions in the real (SQLite) registry.</summary>
public sealed class ProfileRegistryTests : IDisposable
{
    private readonly TestRegistry _r = new();

    public void Dispose() => _r.Dispose();

    [Fact]
    public async Task Profile_RegisteredWithAVersion_LoadsBackIdentical()
    {
        var profile = ProfileTests.Build(ProfileTests.Values("normal", 20_000, 1));
        var registered = await _r.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "m",
            Artifacts = [.. TestRegistry.Linear("m", 1, 2).Artifacts, profile.ToArtifact()],
        });
        var loaded = await _r.Registry.LoadReferenceProfileAsync("m", registered.Version);
        Assert.Equal(profile.RowCount, loaded.RowCount);
        Assert.Equal(profile.Feature("x").Quantile(0.5), loaded.Feature("x").Quantile(0.5));
        Assert.Contains(registered.Artifacts, a => a.Name == ReferenceProfileRegistryExtensions.ArtifactName && a.Kind == ArtifactKinds.ReferenceProfile);
    }

    [Fact]
    public async Task Profile_AttachedLater_IsAuditedAndLoads()
    {
        var registered = await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 3));
        var profile = ProfileTests.Build(ProfileTests.Values("uniform", 5_000, 2));
        var artifact = await _r.Registry.AttachReferenceProfileAsync("m", registered.Version, profile, new RegistryChange("profile the training data"));
        Assert.Equal("application/json", artifact.MediaType);
        var loaded = await _r.Registry.LoadReferenceProfileAsync("m", registered.Version);
        Assert.Equal(profile.Feature("c").Categories.OrderBy(kv => kv.Key), loaded.Feature("c").Categories.OrderBy(kv => kv.Key));
        Assert.Contains(await _r.Registry.GetHistoryAsync("m", registered.Version), e => e.Reason == "profile the training data");
    }
}
