using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Tests.Registry;

public sealed class RegistrationTests : IDisposable
{
    private readonly TestRegistry _r = new();

    public void Dispose() => _r.Dispose();

    private sealed record House(double Rooms, double Area, string City);

    private static readonly House[] Houses = [new(3, 80, "Oslo"), new(5, 140, "Bergen"), new(2, 45, "Oslo"), new(4, 100, "Tromsø")];

    private static FeaturePipeline<House> Pipeline => FeaturePipeline.For<House>()
        .Numeric("rooms", h => h.Rooms).Numeric("area", h => h.Area).Categorical("city", h => h.City).Build();

    [Fact]
    public async Task Register_ModelBytesOfAnExistingVersion_IsRefusedNamingThatVersion()
    {
        var first = await _r.Registry.RegisterAsync(TestRegistry.Linear("a", 1));
        await _r.Registry.RegisterAsync(TestRegistry.Linear("a", 2));
        await _r.Registry.SetAliasAsync("a", "champion", 2);
        var ex = await Assert.ThrowsAsync<DuplicateModelVersionException>(() => _r.Registry.RegisterAsync(TestRegistry.Linear("a", 1)));
        Assert.Equal(ModelReference.ForVersion("a", 1), ex.Existing);
        Assert.Equal(first.FindArtifact(NewArtifact.ModelName)!.Sha256, ex.Sha256);
        Assert.StartsWith("a:1 already holds this model", ex.Message);
        Assert.Equal(2, (await _r.Registry.GetModelAsync("a")).LatestVersion);
        Assert.Equal(2, (await _r.Registry.GetAsync(ModelReference.ForAlias("a", "champion"))).Version);

        // Another model may hold the same bytes; an archived version still counts, a deleted one does not.
        Assert.Equal(1, (await _r.Registry.RegisterAsync(TestRegistry.Linear("b", 1))).Version);
        await _r.Registry.ArchiveAsync("a", 1);
        await Assert.ThrowsAsync<DuplicateModelVersionException>(() => _r.Registry.RegisterAsync(TestRegistry.Linear("a", 1)));
        await _r.Registry.DeleteAsync("a", 1);
        Assert.Equal(3, (await _r.Registry.RegisterAsync(TestRegistry.Linear("a", 1))).Version);
    }

    [Fact]
    public async Task Register_DuplicateModel_WithAllowDuplicateModel_AddsAVersion()
    {
        await _r.Registry.RegisterAsync(TestRegistry.Linear("a", 1));
        var again = TestRegistry.Linear("a", 1);
        var second = await _r.Registry.RegisterAsync(new NewModelVersion { Name = again.Name, Artifacts = again.Artifacts, AllowDuplicateModel = true });
        Assert.Equal(2, second.Version);
    }

    [Fact]
    public async Task Register_NumbersVersionsFromOnePerModel()
    {
        var a1 = await _r.Registry.RegisterAsync(TestRegistry.Linear("a", 1));
        var a2 = await _r.Registry.RegisterAsync(TestRegistry.Linear("a", 2));
        var b1 = await _r.Registry.RegisterAsync(TestRegistry.Linear("b", 3));
        var a3 = await _r.Registry.RegisterAsync(TestRegistry.Linear("a", 4));
        Assert.Equal([1, 2, 1, 3], [a1.Version, a2.Version, b1.Version, a3.Version]);
        var model = await _r.Registry.GetModelAsync("a");
        Assert.Equal(3, model.LatestVersion);
        Assert.Equal(3, model.ActiveVersions);
        Assert.Equal(["a", "b"], (await _r.Registry.ListModelsAsync()).Select(m => m.Name));
    }

    [Fact]
    public async Task Register_KeepsEveryPartOfTheVersion()
    {
        var features = Pipeline.Fit(Houses);
        var fingerprint = DatasetFingerprints.Compute(Houses);
        var registered = await _r.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "house-prices",
            Description = "Quoted 'text'; DROP TABLE versions; --",
            Artifacts = [NewArtifact.ForModel(new LinearTextModel([0.5f, 1.5f, 0, 0, 0, 0]), new LinearTextFormat()), NewArtifact.ForFeatures(features)],
            Metrics = new Dictionary<string, double> { ["rmse"] = 12.5, ["r2"] = 0.81 },
            Parameters = new Dictionary<string, string> { ["trees"] = "100", ["learning_rate"] = "0.1" },
            Tags = new Dictionary<string, string> { ["candidate"] = "true" },
            FeatureSchema = features.Schema,
            Lineage = new ModelLineage
            {
                Trainer = "lightgbm",
                Datasets = [new DatasetLineage("training", "Houses sold in 2023", fingerprint, "houses.parquet")],
                Code = new CodeVersion("Pricing", "1.2.3", "abc123"),
            },
            RegisteredBy = "ada",
        });

        var read = await _r.Registry.GetAsync(ModelReference.Parse("house-prices:1"));
        Assert.Equal("Quoted 'text'; DROP TABLE versions; --", read.Description);
        Assert.Equal(12.5, read.Metrics["rmse"]);
        Assert.Equal("0.1", read.Parameters["learning_rate"]);
        Assert.Equal("true", read.Tags["candidate"]);
        Assert.Equal("ada", read.RegisteredBy);
        Assert.Equal(_r.Time.GetUtcNow(), read.RegisteredAt);
        Assert.Equal(ModelVersionState.Active, read.State);
        Assert.Equal(features.Schema.SlotNames, read.FeatureSchema!.SlotNames);
        Assert.Equal(features.Schema.RawFeatures, read.FeatureSchema.RawFeatures);
        Assert.Equal("lightgbm", read.Lineage.Trainer);
        Assert.Equal(fingerprint, read.Lineage.Datasets[0].Fingerprint);
        Assert.Equal(new CodeVersion("Pricing", "1.2.3", "abc123"), read.Lineage.Code);
        Assert.Equal(["model", "features"], read.Artifacts.Select(a => a.Name));
        Assert.Equal("test-linear", read.ModelArtifact!.FormatId);
        Assert.All(read.Artifacts, a => Assert.True(a.Sealed));
        Assert.Equal(registered.Artifacts, read.Artifacts);

        var model = (LinearTextModel)await _r.Registry.LoadModelAsync(read.Reference);
        Assert.Equal([0.5f, 1.5f, 0, 0, 0, 0], model.Weights);
        var loaded = await _r.Registry.LoadFeaturesAsync(read.Reference, Pipeline);
        var expected = new float[features.Width];
        var actual = new float[loaded.Width];
        features.Transform(Houses[3], expected);
        loaded.Transform(Houses[3], actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Register_WithoutCodeVersion_RecordsTheEntryAssembly()
    {
        var v = await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 1));
        Assert.NotNull(v.Lineage.Code);
        Assert.False(string.IsNullOrEmpty(v.Lineage.Code!.Assembly));
    }

    [Fact]
    public async Task Get_PlainName_IsTheNewestActiveVersion()
    {
        await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 1));
        await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 2));
        await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 3));
        await _r.Registry.ArchiveAsync("m", 3);
        Assert.Equal(2, (await _r.Registry.GetAsync(ModelReference.Parse("m"))).Version);
    }

    [Fact]
    public async Task Get_Unknown_SaysWhatIsMissing()
    {
        await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 1));
        await _r.Registry.SetAliasAsync("m", "champion", 1);
        Assert.Contains("no model 'x'", (await Assert.ThrowsAsync<KeyNotFoundException>(() => _r.Registry.GetAsync(ModelReference.Parse("x")))).Message);
        Assert.Contains("no version 9", (await Assert.ThrowsAsync<KeyNotFoundException>(() => _r.Registry.GetAsync(ModelReference.Parse("m:9")))).Message);
        var alias = await Assert.ThrowsAsync<KeyNotFoundException>(() => _r.Registry.GetAsync(ModelReference.Parse("m@challenger")));
        Assert.Contains("no alias 'challenger'", alias.Message);
        Assert.Contains("champion", alias.Message);
    }

    [Fact]
    public async Task Register_BadRequests_AreRefusedBeforeAnythingIsStored()
    {
        var model = NewArtifact.ForModel(new LinearTextModel([1]), new LinearTextFormat());
        var duplicate = await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [model, model] }));
        Assert.Contains("Two artifacts are named 'model'", duplicate.Message);
        var none = await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [] }));
        Assert.Contains("at least one artifact", none.Message);
        var noFormat = await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "m",
            Artifacts = [NewArtifact.FromBytes("model", ArtifactKinds.Model, new byte[] { 1 })],
        }));
        Assert.Contains("no format id", noFormat.Message);
        var badMetric = await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "m",
            Artifacts = [model],
            Metrics = new Dictionary<string, double> { ["a;DROP TABLE metrics"] = 1 },
        }));
        Assert.Contains("Metric name", badMetric.Message);
        Assert.Empty(await _r.Registry.ListModelsAsync());
        Assert.False(Directory.Exists(Path.Combine(_r.Root, "blobs")) && Directory.EnumerateFiles(Path.Combine(_r.Root, "blobs"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Register_WriterThatFails_LeavesNoVersionAndNoBlob()
    {
        var failing = new NewArtifact("model", ArtifactKinds.File, "application/octet-stream", async (s, ct) =>
        {
            await s.WriteAsync(new byte[100], ct);
            throw new InvalidOperationException("disk full");
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => _r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [failing] }));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _r.Registry.GetModelAsync("m"));
        Assert.Empty(await _r.Store.ListAsync().ToListAsync());
        var v = await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 1));
        Assert.Equal(1, v.Version);
    }

    [Fact]
    public async Task Register_IdenticalContent_IsStoredOnce()
    {
        var a = await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 1, 2));
        var b = await _r.Registry.RegisterAsync(TestRegistry.Linear("other", 1, 2));
        Assert.Equal(a.ModelArtifact!.Sha256, b.ModelArtifact!.Sha256);
        Assert.Single(await _r.Store.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Register_ParallelInOneProcess_NumbersWithoutGapsOrDuplicates()
    {
        var versions = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => _r.Registry.RegisterAsync(TestRegistry.Linear("m", i)))));
        Assert.Equal(Enumerable.Range(1, 40), versions.Select(v => v.Version).Order());
    }

    [Fact]
    public async Task OpenArtifact_ReturnsTheStoredBytes()
    {
        var v = await _r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [TestRegistry.Bytes("notes", "hello registry")] });
        await using var stream = await _r.Registry.OpenArtifactAsync("m", v.Version, "notes");
        Assert.Equal("hello registry", await new StreamReader(stream).ReadToEndAsync());
        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => _r.Registry.OpenArtifactAsync("m", v.Version, "model"));
        Assert.Contains("notes", missing.Message);
    }

    [Fact]
    public async Task LoadModel_UnregisteredFormat_ListsTheRegisteredOnes()
    {
        // A registry may be written by a process that knows a format this one does not; that process checked the model.
        using var writer = new TestRegistry(_r.Root, o => o.CheckModelsLoad = false);
        await writer.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "m",
            Artifacts = [NewArtifact.FromBytes("model", ArtifactKinds.Model, new byte[] { 1 }, formatId: "onnx")],
        });
        var ex = await Assert.ThrowsAsync<KeyNotFoundException>(() => _r.Registry.LoadModelAsync(ModelReference.Parse("m:1")));
        Assert.Contains("test-linear", ex.Message);
    }
}
