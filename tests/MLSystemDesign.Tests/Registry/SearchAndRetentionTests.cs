using MLSystemDesign.Registry;

namespace MLSystemDesign.Tests.Registry;

public sealed class SearchAndRetentionTests : IDisposable
{
    private readonly TestRegistry _r = new();

    public void Dispose() => _r.Dispose();

    private Task<ModelVersion> Register(string name, double auc, bool candidate, float weight) =>
        _r.Registry.RegisterAsync(TestRegistry.Linear(name, weight) is var v
            ? new NewModelVersion
            {
                Name = v.Name,
                Artifacts = v.Artifacts,
                Metrics = new Dictionary<string, double> { ["auc"] = auc, ["log_loss"] = 1 - auc },
                Tags = candidate ? new Dictionary<string, string> { ["candidate"] = "true" } : null,
            }
            : throw new InvalidOperationException());

    private static NewModelVersion Cost(float weight, double cost) => new()
    {
        Name = "m",
        Artifacts = TestRegistry.Linear("m", weight).Artifacts,
        Metrics = new Dictionary<string, double> { ["cost"] = cost },
    };

    [Fact]
    public async Task Search_BestAucAmongCandidates()
    {
        await Register("m", 0.71, candidate: true, 1);
        await Register("m", 0.90, candidate: false, 2);
        await Register("m", 0.74, candidate: true, 3);
        await Register("other", 0.99, candidate: true, 4);
        var best = await _r.Registry.SearchAsync(new ModelVersionQuery
        {
            Name = "m",
            Tags = [new TagFilter("candidate")],
            OrderByMetric = "auc",
            Limit = 1,
        });
        Assert.Equal(3, Assert.Single(best).Version);

        var lowestLoss = await _r.Registry.SearchAsync(new ModelVersionQuery { OrderByMetric = "log_loss", Descending = false });
        Assert.Equal([("other", 1), ("m", 2), ("m", 3), ("m", 1)], lowestLoss.Select(v => (v.Name, v.Version)));
        Assert.Equal([0.99, 0.90, 0.74, 0.71], lowestLoss.Select(v => v.Metrics["auc"]));
    }

    [Fact]
    public async Task Search_OrderByLowerIsBetterMetric_WithoutDirection_IsSmallestFirst()
    {
        await Register("m", 0.71, candidate: true, 1);
        await Register("m", 0.90, candidate: true, 2);
        await Register("m", 0.74, candidate: true, 3);
        var byLoss = await _r.Registry.SearchAsync(new ModelVersionQuery { OrderByMetric = "log_loss" });
        Assert.Equal([2, 3, 1], byLoss.Select(v => v.Version));
        var byAuc = await _r.Registry.SearchAsync(new ModelVersionQuery { OrderByMetric = "auc" });
        Assert.Equal([2, 3, 1], byAuc.Select(v => v.Version));
        var worstFirst = await _r.Registry.SearchAsync(new ModelVersionQuery { OrderByMetric = "log_loss", Descending = true });
        Assert.Equal([1, 3, 2], worstFirst.Select(v => v.Version));
    }

    [Fact]
    public async Task Search_OrderByUndeclaredMetric_WithoutDirection_IsAClearError_AndWithOneWorks()
    {
        await _r.Registry.RegisterAsync(Cost(1, 5));
        await _r.Registry.RegisterAsync(Cost(2, 3));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.SearchAsync(new ModelVersionQuery { OrderByMetric = "cost" }));
        Assert.Contains("'cost' has no declared direction", ex.Message);
        Assert.Contains("AddMetric", ex.Message);
        Assert.Equal([2, 1], (await _r.Registry.SearchAsync(new ModelVersionQuery { OrderByMetric = "cost", Descending = false })).Select(v => v.Version));
    }

    [Fact]
    public async Task Search_OrderByUserDeclaredMetric_FollowsItsDirection()
    {
        using var r = new TestRegistry(ml: ml => ml.AddMetric("cost", higherIsBetter: false));
        await r.Registry.RegisterAsync(Cost(1, 5));
        await r.Registry.RegisterAsync(Cost(2, 3));
        Assert.Equal([2, 1], (await r.Registry.SearchAsync(new ModelVersionQuery { OrderByMetric = "cost" })).Select(v => v.Version));
    }

    [Fact]
    public async Task Search_ByTagValueMetricRangeAndDate()
    {
        await Register("m", 0.60, candidate: true, 1);
        _r.Time.Advance(TimeSpan.FromDays(1));
        var from = _r.Time.GetUtcNow();
        await Register("m", 0.70, candidate: true, 2);
        _r.Time.Advance(TimeSpan.FromDays(1));
        await Register("m", 0.80, candidate: false, 3);
        var until = _r.Time.GetUtcNow();
        _r.Time.Advance(TimeSpan.FromDays(1));
        await Register("m", 0.95, candidate: true, 4);

        Assert.Equal([3, 2], (await _r.Registry.SearchAsync(new ModelVersionQuery { RegisteredFrom = from, RegisteredBefore = until.AddMilliseconds(1) })).Select(v => v.Version));
        Assert.Equal([4, 2, 1], (await _r.Registry.SearchAsync(new ModelVersionQuery { Tags = [new TagFilter("candidate", "true")] })).Select(v => v.Version));
        Assert.Equal([3, 2], (await _r.Registry.SearchAsync(new ModelVersionQuery { Metrics = [new MetricFilter("auc", 0.65, 0.9)] })).Select(v => v.Version));
        Assert.Empty(await _r.Registry.SearchAsync(new ModelVersionQuery { Metrics = [new MetricFilter("f1")] }));
        await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.SearchAsync(new ModelVersionQuery { OrderByMetric = "auc) OR 1=1 --" }));
    }

    [Fact]
    public async Task Search_LeavesOutArchivedUnlessAsked_AndDeletedAlways()
    {
        await Register("m", 0.6, false, 1);
        await Register("m", 0.7, false, 2);
        await Register("m", 0.8, false, 3);
        await _r.Registry.ArchiveAsync("m", 2);
        await _r.Registry.DeleteAsync("m", 3);
        Assert.Equal([1], (await _r.Registry.SearchAsync(new ModelVersionQuery { Name = "m" })).Select(v => v.Version));
        Assert.Equal([2, 1], (await _r.Registry.SearchAsync(new ModelVersionQuery { Name = "m", IncludeArchived = true })).Select(v => v.Version));
        Assert.Equal(1, (await _r.Registry.GetModelAsync("m")).ActiveVersions);
    }

    [Fact]
    public async Task GcDryRun_OnAFreshOpen_ReportsAbandonedStagingAndRemovesNothing()
    {
        await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 1));
        var lease = Guid.NewGuid().ToString("N");
        var staging = Path.Combine(_r.Root, "staging");
        await File.WriteAllTextAsync(Path.Combine(staging, lease + ".lock"), string.Empty);
        Directory.CreateDirectory(Path.Combine(staging, lease));
        await File.WriteAllBytesAsync(Path.Combine(staging, lease, "half-written.tmp"), new byte[1234]);

        // A new process (a new registry on the folder) whose first call is a dry run.
        using var fresh = new TestRegistry(_r.Root);
        var dryRun = await fresh.Registry.CollectGarbageAsync(dryRun: true);
        var item = Assert.Single(dryRun.Items);
        Assert.Equal(("staging", lease, 1234L), (item.Kind, item.Id, item.Bytes));
        Assert.True(File.Exists(Path.Combine(staging, lease, "half-written.tmp")));
        Assert.True(File.Exists(Path.Combine(staging, lease + ".lock")));

        var collected = await fresh.Registry.CollectGarbageAsync();
        Assert.Equal(dryRun.Items, collected.Items);
        Assert.False(Directory.Exists(Path.Combine(staging, lease)));
        Assert.False(File.Exists(Path.Combine(staging, lease + ".lock")));
    }

    [Fact]
    public async Task Gc_AfterDelete_RemovesOnlyBlobsNoVersionReferences()
    {
        var shared = TestRegistry.Bytes("shared", "same in both");
        await _r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [TestRegistry.Bytes("own", "one"), shared] });
        var v2 = await _r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [TestRegistry.Bytes("own", "two"), shared] });
        Assert.Empty((await _r.Registry.CollectGarbageAsync(dryRun: true)).Items);

        await _r.Registry.DeleteAsync("m", 2, new RegistryChange("retention: older than 90 days"));
        var dryRun = await _r.Registry.CollectGarbageAsync(dryRun: true);
        var item = Assert.Single(dryRun.Items);
        Assert.Equal(("blob", v2.FindArtifact("own")!.Sha256, 3L), (item.Kind, item.Id, item.Bytes));
        Assert.True(dryRun.DryRun);
        Assert.True(File.Exists(_r.BlobPath(item.Id)));

        var collected = await _r.Registry.CollectGarbageAsync();
        Assert.Equal(dryRun.Items, collected.Items);
        Assert.Equal(3, collected.Bytes);
        Assert.False(File.Exists(_r.BlobPath(item.Id)));
        Assert.True((await _r.Registry.VerifyAsync()).IsSound);
        Assert.Equal(2, (await _r.Store.ListAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task Attach_ReplacesAnAttachedArtifactButNeverASealedOne()
    {
        var v = await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 1));
        var first = await _r.Registry.AttachArtifactAsync("m", 1, TestRegistry.Bytes("profile", "p1") with { Kind = ArtifactKinds.ReferenceProfile });
        var second = await _r.Registry.AttachArtifactAsync("m", 1, TestRegistry.Bytes("profile", "p2") with { Kind = ArtifactKinds.ReferenceProfile }, new RegistryChange("refreshed"));
        Assert.False(second.Sealed);
        var read = await _r.Registry.GetAsync(v.Reference);
        Assert.Equal(["model", "profile"], read.Artifacts.Select(a => a.Name));
        Assert.Equal(second.Sha256, read.FindArtifact("profile")!.Sha256);
        var audit = (await _r.Registry.GetHistoryAsync("m")).Last();
        Assert.Equal((AuditAction.ArtifactAttached, "profile", first.Sha256, second.Sha256), (audit.Action, audit.Subject, audit.Before, audit.After));

        var sealedError = await Assert.ThrowsAsync<InvalidOperationException>(() => _r.Registry.AttachArtifactAsync("m", 1, TestRegistry.Bytes("model", "x")));
        Assert.Contains("never changes", sealedError.Message);
        Assert.Equal(first.Sha256, Assert.Single((await _r.Registry.CollectGarbageAsync()).Items).Id);
    }
}
