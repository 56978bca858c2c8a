using System.Diagnostics;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Tests.Registry;

/// <summary>
/// Faults made real: several OS processes writing one registry, a process killed in the middle of a registration,
/// a flipped byte in a stored artifact, hostile names.
/// </summary>
public sealed class RealFaultTests : IDisposable
{
    private readonly TestRegistry _r = new();

    public void Dispose() => _r.Dispose();

    [Fact]
    public async Task FourProcesses_Register50Each_Exactly200VersionsWithoutGapsOrDuplicates()
    {
        var workers = Enumerable.Range(0, 4).Select(i => Worker.Start("register", _r.Root, "shared-model", "50", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var outputs = await Task.WhenAll(workers.Select(w => w.WaitForExitAsync(TimeSpan.FromSeconds(90))));

        var reported = outputs.SelectMany(o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 200), reported.Order());
        var versions = await _r.Registry.SearchAsync(new ModelVersionQuery { Name = "shared-model" });
        Assert.Equal(Enumerable.Range(1, 200), versions.Select(v => v.Version).Order());
        Assert.Equal(200, (await _r.Registry.GetModelAsync("shared-model")).LatestVersion);
        foreach (var worker in Enumerable.Range(0, 4))
        {
            var mine = versions.Where(v => v.Tags["worker"] == worker.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), mine.Select(v => v.Tags["item"]).Order());
            Assert.Equal(mine.Select(v => v.Version).Order(), mine.OrderBy(v => int.Parse(v.Tags["item"], System.Globalization.CultureInfo.InvariantCulture)).Select(v => v.Version));
        }

        Assert.Equal(200, (await _r.Registry.GetHistoryAsync("shared-model")).Count(e => e.Action == AuditAction.Registered));
        var verification = await _r.Registry.VerifyAsync();
        Assert.True(verification.IsSound);
        Assert.Equal(400, verification.ArtifactsChecked);
        Assert.Equal(201, (await _r.Store.ListAsync().ToListAsync()).Count);
        Assert.Empty((await _r.Registry.CollectGarbageAsync(dryRun: true)).Items);
    }

    [Fact]
    public async Task ProcessKilledAfterPublishingBeforeCommit_LeavesNoVersion_AndGcRemovesItsOrphans()
    {
        await _r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [TestRegistry.Bytes("first", "version one")] });
        var worker = Worker.Start("hang-committing", _r.Root, "m");
        await worker.WaitForLineAsync("published", TimeSpan.FromSeconds(30));

        // While the owner runs, its published blobs are protected from garbage collection.
        var whileAlive = await _r.Registry.CollectGarbageAsync(dryRun: false);
        Assert.Empty(whileAlive.Items);
        Assert.Equal(3, (await _r.Store.ListAsync().ToListAsync()).Count);

        worker.Kill();
        Assert.Equal(1, (await _r.Registry.GetModelAsync("m")).LatestVersion);
        Assert.Single(await _r.Registry.SearchAsync(new ModelVersionQuery { Name = "m" }));
        Assert.True((await _r.Registry.VerifyAsync()).IsSound);

        var dryRun = await _r.Registry.CollectGarbageAsync(dryRun: true);
        Assert.Equal(2, dryRun.Items.Count(i => i.Kind == "blob"));
        Assert.Contains(dryRun.Items, i => i.Kind == "pending");
        Assert.Contains(dryRun.Items, i => i.Kind == "staging");
        Assert.Equal(3, (await _r.Store.ListAsync().ToListAsync()).Count);

        var collected = await _r.Registry.CollectGarbageAsync();
        Assert.Equal(dryRun.Items.Select(i => i.Id).Order(), collected.Items.Select(i => i.Id).Order());
        Assert.Single(await _r.Store.ListAsync().ToListAsync());
        var own = OwnLease();
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.Combine(_r.Root, "staging")), p => !p.Contains(own, StringComparison.Ordinal));
        Assert.Empty((await _r.Registry.CollectGarbageAsync(dryRun: true)).Items);

        var next = await _r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [TestRegistry.Bytes("first", "version two")] });
        Assert.Equal(2, next.Version);
    }

    [Fact]
    public async Task ProcessKilledWhileWritingAnArtifact_LeavesNoVersion_AndGcRemovesItsStaging()
    {
        var worker = Worker.Start("hang-writing", _r.Root, "m");
        await worker.WaitForLineAsync("writing", TimeSpan.FromSeconds(30));
        var staging = Path.Combine(_r.Root, "staging");
        Assert.NotEmpty(Directory.EnumerateFiles(staging, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty((await _r.Registry.CollectGarbageAsync(dryRun: true)).Items);

        worker.Kill();
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _r.Registry.GetModelAsync("m"));
        var collected = await _r.Registry.CollectGarbageAsync();
        var item = Assert.Single(collected.Items);
        Assert.Equal("staging", item.Kind);
        Assert.True(item.Bytes >= 4096 + "complete first artifact".Length);
        Assert.Empty(Directory.EnumerateFiles(staging, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(await _r.Store.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task NextOpen_AfterAKilledRegistration_RemovesTheAbandonedStaging()
    {
        var worker = Worker.Start("hang-committing", _r.Root, "m");
        await worker.WaitForLineAsync("published", TimeSpan.FromSeconds(30));
        worker.Kill();

        using var reopened = new TestRegistry(_r.Root);
        Assert.Empty(await reopened.Registry.ListModelsAsync());
        var staging = Path.Combine(_r.Root, "staging");
        Assert.Empty(Directory.EnumerateFiles(staging, "*.lock"));

        // The orphaned blobs lost their protection on open; garbage collection removes them.
        var collected = await reopened.Registry.CollectGarbageAsync();
        Assert.Equal(2, collected.Items.Count(i => i.Kind == "blob"));
        Assert.Empty(await reopened.Store.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task FlippedByte_LoadAndVerifyFailWithTheIntegrityException()
    {
        var v = await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 0.25f, 4f));
        var artifact = v.ModelArtifact!;
        var path = _r.BlobPath(artifact.Sha256);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var load = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => _r.Registry.LoadModelAsync(v.Reference));
        Assert.Equal(ArtifactProblem.Altered, load.Problem);
        Assert.Equal(("m", 1, "model"), (load.Model, load.Version, load.Artifact));
        Assert.Equal(artifact.Sha256, load.ExpectedSha256);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), load.ActualSha256);
        Assert.Contains("Artifact 'model' of m:1 is damaged", load.Message);
        Assert.Contains(artifact.Sha256, load.Message);

        var report = await _r.Registry.VerifyAsync();
        var damaged = Assert.Single(report.Damaged);
        Assert.Equal((ArtifactProblem.Altered, "m", 1, "model"), (damaged.Problem, damaged.Model, damaged.Version, damaged.Artifact));
        Assert.False(report.IsSound);
    }

    [Fact]
    public async Task TruncatedOrMissingArtifact_IsNamedAsSuch()
    {
        var v = await _r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [TestRegistry.Bytes("a", "aaaaaaaa"), TestRegistry.Bytes("b", "bbbbbbbb")] });
        var a = _r.BlobPath(v.FindArtifact("a")!.Sha256);
        await File.WriteAllBytesAsync(a, (await File.ReadAllBytesAsync(a))[..4]);
        File.Delete(_r.BlobPath(v.FindArtifact("b")!.Sha256));

        var truncated = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => _r.Registry.OpenArtifactAsync("m", 1, "a"));
        Assert.Equal((ArtifactProblem.WrongLength, 8L, (long?)4), (truncated.Problem, truncated.ExpectedLength, truncated.ActualLength));
        var missing = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => _r.Registry.OpenArtifactAsync("m", 1, "b"));
        Assert.Equal(ArtifactProblem.Missing, missing.Problem);
        Assert.Equal(["a", "b"], (await _r.Registry.VerifyAsync()).Damaged.Select(d => d.Artifact));
    }

    [Fact]
    public async Task LargeArtifactAlteredWhileStreaming_FailsAtTheEndOfTheRead()
    {
        using var r = new TestRegistry(configure: o => o.MaxBufferedArtifactBytes = 1024);
        var content = new byte[100_000];
        new Random(7).NextBytes(content);
        var v = await r.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [NewArtifact.FromBytes("big", ArtifactKinds.File, content)] });
        await using (var sound = await r.Registry.OpenArtifactAsync("m", 1, "big"))
        {
            var copy = new MemoryStream();
            await sound.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
        }

        await using var stream = await r.Registry.OpenArtifactAsync("m", 1, "big");
        var path = r.BlobPath(v.Artifacts[0].Sha256);
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            file.Position = 90_000;
            file.WriteByte((byte)(content[90_000] ^ 0xFF));
        }

        await Assert.ThrowsAsync<ArtifactIntegrityException>(() => stream.CopyToAsync(Stream.Null));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a;DROP TABLE")]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("C:\\windows")]
    [InlineData("name\0null")]
    public async Task HostileModelNames_AreRefusedWithAClearMessage(string name)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.RegisterAsync(TestRegistry.Linear(name, 1)));
        Assert.StartsWith("Model name", ex.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.GetModelAsync(name));
        Assert.Empty(await _r.Registry.ListModelsAsync());
    }

    [Fact]
    public async Task HostileNames_TenThousandCharacters_AndInAliasesAndTags_AreRefused()
    {
        var huge = new string('a', 10_000);
        Assert.Contains("10000 characters", (await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.RegisterAsync(TestRegistry.Linear(huge, 1)))).Message);
        await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 1));
        foreach (var alias in new[] { "../x", "a;DROP TABLE", string.Empty, huge, "latest", "v2" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.SetAliasAsync("m", alias, 1));
        }

        foreach (var key in new[] { "../x", "a;DROP TABLE", string.Empty, huge })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => _r.Registry.SetTagAsync("m", 1, key, "v"));
        }

        await _r.Registry.SetTagAsync("m", 1, "note", "'); DROP TABLE tags; --");
        Assert.Equal("'); DROP TABLE tags; --", (await _r.Registry.GetAsync(ModelReference.Parse("m:1"))).Tags["note"]);
        Assert.Equal(["m"], (await _r.Registry.ListModelsAsync()).Select(m => m.Name));
    }

    private string OwnLease() =>
        Directory.EnumerateFiles(Path.Combine(_r.Root, "staging"), "*.lock").Select(Path.GetFileNameWithoutExtension).FirstOrDefault() ?? "none";

    /// <summary>A RegistryWorker child process.</summary>
    private sealed class Worker
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _output = new();
        private readonly System.Text.StringBuilder _error = new();
        private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

        private Worker(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_output)
                    {
                        _output.Append(e.Data).Append('\n');
                    }

                    _lines.Writer.TryWrite(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_error)
                    {
                        _error.Append(e.Data).Append('\n');
                    }
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public static Worker Start(params string[] args)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RegistryWorker.dll"));
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            return new Worker(Process.Start(info)!);
        }

        public async Task<string> WaitForExitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
                throw new TimeoutException($"The worker did not finish within {timeout}. Output: {_output} Error: {_error}");
            }

            _process.WaitForExit(); // drains the redirected output
            Assert.True(_process.ExitCode == 0, $"worker exit {_process.ExitCode}: {_error}");
            return _output.ToString();
        }

        public async Task WaitForLineAsync(string line, TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                while (await _lines.Reader.ReadAsync(cts.Token) != line)
                {
                }
            }
            catch (OperationCanceledException)
            {
                Kill();
                throw new TimeoutException($"The worker did not print '{line}' within {timeout}. Error: {_error}");
            }
        }

        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit();
        }
    }
}
