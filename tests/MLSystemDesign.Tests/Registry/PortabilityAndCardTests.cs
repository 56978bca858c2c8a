using System.IO.Compression;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Tests.Registry;

public sealed class PortabilityAndCardTests : IDisposable
{
    private readonly TestRegistry _r = new();

    public void Dispose() => _r.Dispose();

    private static readonly Gen<(string Name, byte[] Content)> ArtifactGen =
        from name in Gen.Elements("model-a", "features", "notes.txt", "profile/v1", "x:y")
        from length in Gen.Choose(0, 3000)
        from seed in Gen.Choose(0, 1000)
        select (name, MakeBytes(length, seed));

    private static byte[] MakeBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [FsCheck.Xunit.Property(MaxTest = 15)]
    public Property ExportThenImport_PreservesEveryHashAndByte() =>
        Prop.ForAll(ArtifactGen.NonEmptyListOf().Select(l => l.DistinctBy(a => a.Name).ToList()).ToArbitrary(), artifacts => RoundTripAsync(artifacts).GetAwaiter().GetResult());

    private static async Task<bool> RoundTripAsync(List<(string Name, byte[] Content)> artifacts)
    {
        using var source = new TestRegistry();
        using var target = new TestRegistry();
        var original = await source.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "exported",
            Artifacts = artifacts.Select(a => NewArtifact.FromBytes(a.Name, ArtifactKinds.File, a.Content)).ToList(),
            Metrics = new Dictionary<string, double> { ["auc"] = 0.75, ["log_loss"] = 0.31 },
            Parameters = new Dictionary<string, string> { ["trees"] = "10" },
            Tags = new Dictionary<string, string> { ["team"] = "risk" },
            Description = "for export",
        });
        await source.Registry.SetAliasAsync("exported", "champion", 1, new RegistryChange("best"));
        var bundle = new MemoryStream();
        await source.Registry.ExportAsync(ModelReference.Parse("exported@champion"), bundle);
        bundle.Position = 0;
        var imported = await target.Registry.ImportAsync(bundle, "imported");

        Assert.Equal(1, imported.Version);
        Assert.Equal(
            original.Artifacts.Select(a => (a.Name, a.Kind, a.MediaType, a.Sha256, a.Length, a.FormatId)),
            imported.Artifacts.Where(a => a.Name != "source-audit-trail").Select(a => (a.Name, a.Kind, a.MediaType, a.Sha256, a.Length, a.FormatId)));
        Assert.Equal(original.Tags, imported.Tags);
        Assert.Equal(original.Parameters, imported.Parameters);
        Assert.Equal(0.75, imported.Metrics["auc"]);
        Assert.Equal(0.31, imported.Metrics["log_loss"]);
        Assert.Equal("for export", imported.Description);
        foreach (var (name, content) in artifacts)
        {
            await using var stream = await target.Registry.OpenArtifactAsync("imported", 1, name);
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
        }

        await using var trail = await target.Registry.OpenArtifactAsync("imported", 1, "source-audit-trail");
        var trailText = await new StreamReader(trail).ReadToEndAsync();
        Assert.Contains("\"AliasSet\"", trailText);
        Assert.Contains("best", trailText);
        var importedEntry = (await target.Registry.GetHistoryAsync("imported")).Single();
        Assert.Equal((AuditAction.Imported, "exported:1", "1"), (importedEntry.Action, importedEntry.Before, importedEntry.After));
        Assert.True((await target.Registry.VerifyAsync()).IsSound);
        return true;
    }

    [Fact]
    public async Task Import_TamperedArtifact_IsRefusedWithTheIntegrityException()
    {
        await _r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [TestRegistry.Bytes("weights", "the real weights")] });
        var bundle = new MemoryStream();
        await _r.Registry.ExportAsync(ModelReference.Parse("m:1"), bundle);
        var tampered = new MemoryStream();
        bundle.Position = 0;
        using (var read = new ZipArchive(bundle, ZipArchiveMode.Read, leaveOpen: true))
        using (var write = new ZipArchive(tampered, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in read.Entries)
            {
                using var from = entry.Open();
                using var to = write.CreateEntry(entry.FullName).Open();
                if (entry.FullName.StartsWith("artifacts/", StringComparison.Ordinal))
                {
                    to.Write("the evil weights"u8);
                }
                else
                {
                    from.CopyTo(to);
                }
            }
        }

        using var target = new TestRegistry();
        tampered.Position = 0;
        var ex = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => target.Registry.ImportAsync(tampered));
        Assert.Equal(("m", 1, "weights", ArtifactProblem.Altered), (ex.Model, ex.Version, ex.Artifact, ex.Problem));
        Assert.Empty(await target.Registry.ListModelsAsync());
        Assert.Empty(await target.Store.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Import_NotABundle_IsAClearError()
    {
        var notZip = new MemoryStream(Encoding.UTF8.GetBytes("hello"));
        await Assert.ThrowsAsync<InvalidDataException>(() => _r.Registry.ImportAsync(notZip));
        var emptyZip = new MemoryStream();
        using (new ZipArchive(emptyZip, ZipArchiveMode.Create, leaveOpen: true))
        {
        }

        emptyZip.Position = 0;
        Assert.Contains("bundle.json", (await Assert.ThrowsAsync<InvalidDataException>(() => _r.Registry.ImportAsync(emptyZip))).Message);
    }

    private sealed record Loan(double Amount, string Purpose);

    [Fact]
    public async Task ModelCard_ShowsWhatTheRegistryKnows_AndIsStoredAsAnArtifact()
    {
        var loans = new[] { new Loan(1000, "car"), new Loan(5000, "house"), new Loan(300, "car") };
        var features = FeaturePipeline.For<Loan>().Numeric("amount", l => l.Amount).Categorical("purpose", l => l.Purpose).Build().Fit(loans);
        await _r.Registry.UpdateModelAsync("loans", "Flags loan applications likely to default.", "risk-team@example.com", new RegistryChange("new model"));
        await _r.Registry.RegisterAsync(TestRegistry.Linear("loans", 1));
        await _r.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "loans",
            Description = "Retrained on Q1 data.",
            Artifacts = [NewArtifact.ForModel(new LinearTextModel([1, 2, 3, 4]), new LinearTextFormat()), NewArtifact.ForFeatures(features)],
            FeatureSchema = features.Schema,
            Metrics = new Dictionary<string, double> { ["auc"] = 0.8123, ["log_loss"] = 0.3, ["cost"] = 7 },
            Parameters = new Dictionary<string, string> { ["trees"] = "100" },
            Lineage = new ModelLineage
            {
                Trainer = "fasttree",
                ParentVersion = 1,
                Datasets = [new DatasetLineage("training", "Q1 loan book", DatasetFingerprints.Compute(loans))],
                Code = new CodeVersion("Loans", "2.0.0", "deadbeef"),
            },
        });
        _r.Time.Advance(TimeSpan.FromDays(2));
        await _r.Registry.SetAliasAsync("loans", "champion", 2, new RegistryChange("AUC 0.81 vs 0.78 on April"));

        var card = await _r.Registry.WriteModelCardAsync(ModelReference.Parse("loans@champion"));
        var md = card.Markdown;
        Assert.StartsWith("# Model card: loans version 2", md);
        Assert.Contains("## Purpose", md);
        Assert.Contains("Flags loan applications likely to default.", md);
        Assert.Contains("This version: Retrained on Q1 data.", md);
        Assert.Contains("## Owner\n\nrisk-team@example.com", md);
        Assert.Contains("| training | Q1 loan book | 3 |", md);
        Assert.Contains("| purpose | categorical |", md);
        Assert.Contains("| auc | 0.8123 | higher |", md);
        Assert.Contains(@"| log\_loss | 0.3 | lower |", md);
        Assert.Contains("| cost | 7 | not declared |", md);
        Assert.Contains("- Trainer: fasttree", md);
        Assert.Contains("- Derived from version 1", md);
        Assert.Contains("revision `deadbeef`", md);
        Assert.Contains("aliases: `champion`", md);
        Assert.Contains("`champion` set to version 2", md);
        Assert.Contains("AUC 0.81 vs 0.78 on April", md);
        Assert.DoesNotContain("## Tags", md);

        Assert.Equal((ArtifactKinds.ModelCard, "model-card", false), (card.Artifact.Kind, card.Artifact.Name, card.Artifact.Sealed));
        await using (var stored = await _r.Registry.OpenArtifactAsync("loans", 2, "model-card"))
        {
            Assert.Equal(md, await new StreamReader(stored).ReadToEndAsync());
        }

        await _r.Registry.SetTagAsync("loans", 2, "reviewed-by", "grace");
        var again = await _r.Registry.WriteModelCardAsync(ModelReference.Parse("loans:2"));
        Assert.Contains("## Tags\n\n- reviewed-by: grace", again.Markdown);
        Assert.DoesNotContain("model-card", again.Markdown.Split("## Decision history")[1]);
        Assert.Equal(again.Artifact.Sha256, (await _r.Registry.GetAsync(ModelReference.Parse("loans:2"))).FindArtifact("model-card")!.Sha256);
    }

    [Fact]
    public async Task ModelCard_EscapesMarkdownAndHtml_InEverythingTheRegistryWasTold()
    {
        await _r.Registry.UpdateModelAsync("m", "# Not a heading <img src=x onerror=alert(1)>", "- not a list & <b>owner</b>");
        await _r.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "m",
            Description = "<script>alert('card')</script> **bold** [click](javascript:alert(1)) `code` a|b\nsecond line",
            Artifacts = [NewArtifact.ForModel(new LinearTextModel([1]), new LinearTextFormat())],
            Parameters = new Dictionary<string, string> { ["p"] = "x | y <i>z</i>" },
            Tags = new Dictionary<string, string> { ["note"] = "_under_ ~strike~" },
            Lineage = new ModelLineage { Trainer = "<b>trainer</b>", Code = new CodeVersion("A", "1", "rev`with`ticks") },
        });
        await _r.Registry.SetAliasAsync("m", "champion", 1, new RegistryChange("because <u>it</u> | wins"));

        var md = (await _r.Registry.WriteModelCardAsync(ModelReference.Parse("m:1"))).Markdown;
        Assert.DoesNotContain("<script>", md);
        Assert.DoesNotContain("<img", md);
        Assert.DoesNotContain("<b>", md);
        Assert.DoesNotContain("<i>", md);
        Assert.DoesNotContain("<u>", md);
        Assert.Contains("&lt;script&gt;alert('card')&lt;/script&gt; \\*\\*bold\\*\\* \\[click\\](javascript:alert(1)) \\`code\\` a\\|b second line", md);
        Assert.Contains("\n\\# Not a heading &lt;img", md);
        Assert.Contains("## Owner\n\n\\- not a list &amp; &lt;b&gt;owner&lt;/b&gt;", md);
        Assert.Contains("| p | x \\| y &lt;i&gt;z&lt;/i&gt; |", md);
        Assert.Contains("- note: \\_under\\_ \\~strike\\~", md);
        Assert.Contains("revision `rev'with'ticks`", md);
        Assert.Contains("because &lt;u&gt;it&lt;/u&gt; \\| wins", md);
        Assert.Contains("`champion` set to version 1", md);
    }

    [Fact]
    public async Task ModelCard_OfABareVersion_HasNoEmptySections()
    {
        await _r.Registry.RegisterAsync(new NewModelVersion { Name = "bare", Artifacts = [TestRegistry.Bytes("blob", "x")] });
        var md = (await _r.Registry.WriteModelCardAsync(ModelReference.Parse("bare"))).Markdown;
        foreach (var section in new[] { "Purpose", "Owner", "Training data", "Features", "Evaluation", "Tags" })
        {
            Assert.DoesNotContain($"## {section}", md);
        }

        Assert.Contains("## Artifacts", md);
        Assert.Contains("## Decision history", md);
    }

    [Fact]
    public async Task Watch_SeesMovesOfThisInstanceAtOnce_AndOfAnotherProcessWithinAPoll()
    {
        await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 1));
        await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 2));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watch = _r.Registry.WatchAliasesAsync("m", cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();

        await _r.Registry.SetAliasAsync("m", "champion", 1, new RegistryChange("first"));
        Assert.True(await next);
        Assert.Equal(("champion", (int?)null, (int?)1, "first"), (watch.Current.Alias, watch.Current.PreviousVersion, watch.Current.Version, watch.Current.Reason));

        // A second registry instance on the same folder stands for another process: this instance learns of its
        // move only by polling, which the fake clock drives.
        using var other = new TestRegistry(_r.Root, time: _r.Time);
        next = watch.MoveNextAsync().AsTask();
        await other.Registry.SetAliasAsync("m", "champion", 2, new RegistryChange("second", "other-process"));
        while (!next.IsCompleted)
        {
            _r.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(next, Task.Delay(20, cts.Token));
        }

        Assert.True(await next);
        Assert.Equal((1, 2, "other-process"), (watch.Current.PreviousVersion, watch.Current.Version, watch.Current.Actor));
    }

    [Fact]
    public void UseSqliteRegistry_Twice_RegistersOnce_AndResolvesSingletons()
    {
        var services = new ServiceCollection().AddMLSystem(ml => ml.UseSqliteRegistry(o => o.RootPath = _r.Root).UseSqliteRegistry());
        Assert.Single(services, d => d.ServiceType == typeof(IModelRegistry));
        Assert.Single(services, d => d.ServiceType == typeof(IArtifactStore));
        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<IModelRegistry>(), provider.GetRequiredService<IModelRegistry>());
        Assert.Same(provider.GetRequiredService<IArtifactStore>(), provider.GetRequiredService<IArtifactStore>());
    }

    [Fact]
    public async Task InvalidOptions_FailTheHostAtStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMLSystem(ml => ml.UseSqliteRegistry(o =>
        {
            o.RootPath = " ";
            o.WatchPollInterval = TimeSpan.Zero;
            o.BusyTimeout = TimeSpan.FromHours(1);
        }));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("RootPath is empty", ex.Message);
        Assert.Contains("WatchPollInterval", ex.Message);
        Assert.Contains("BusyTimeout", ex.Message);
    }
}
