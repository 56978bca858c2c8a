using System.Diagnostics;
using System.Text.Json;
using MLSystemDesign.Tests;

namespace MLSystemDesign.Cli.Tests.Commands;

/// <summary>Trains one small real model (mlnet-zip) that every registry command test registers.</summary>
public sealed class TrainedModel : IDisposable
{
    public TrainedModel()
    {
        Path = Folder.File("weather.zip");
        var (exit, _, error) = Mlsd.RunAsync("train", "--data", TestData.Weather, "--label", "weather", "--task", "multiclass", "--trainer", "linear", "--out", Path).GetAwaiter().GetResult();
        Assert.True(exit == 0, error);
    }

    internal TempFolder Folder { get; } = new();

    public string Path { get; }

    public void Dispose() => Folder.Dispose();
}

public sealed class RegistryCommandTests(TrainedModel model) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly TempFolder _dir = new();

    private string Registry => System.IO.Path.Combine(_dir.Path, "registry");

    public void Dispose() => _dir.Dispose();

    private Task<(int Exit, string Output, string Error)> Run(params string[] args) => Mlsd.RunAsync([.. args, "--registry", Registry]);

    [Fact]
    public async Task Register_Alias_Show_History_Card_Verify_RoundTrip()
    {
        var (exit, output, error) = await Run("registry", "register", "--name", "weather", "--model", model.Path, "--tag", "candidate=true", "--metric", "accuracy=0.81", "--param", "trainer=linear", "--data", TestData.Weather, "--trainer", "linear", "--description", "first try", "--json");
        Assert.True(exit == 0, error);
        using (var doc = JsonDocument.Parse(output))
        {
            var root = doc.RootElement;
            Assert.Equal(1, root.GetProperty("version").GetInt32());
            Assert.Equal(["model", "features"], root.GetProperty("artifacts").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
            Assert.Equal("mlnet-zip", root.GetProperty("artifacts")[0].GetProperty("format_id").GetString());
            Assert.Equal(1461, root.GetProperty("lineage").GetProperty("datasets")[0].GetProperty("fingerprint").GetProperty("row_count").GetInt64());
        }

        Assert.Equal(0, (await Run("registry", "register", "--name", "weather", "--model", model.Path, "--metric", "accuracy=0.84", "--allow-duplicate")).Exit);
        (exit, output, _) = await Run("registry", "alias", "set", "weather", "champion", "2", "--reason", "accuracy 0.84 beats 0.81", "--actor", "ada");
        Assert.Equal(0, exit);
        Assert.Contains("weather@champion -> 2", output);

        (exit, output, _) = await Run("registry", "show", "weather@champion");
        Assert.Equal(0, exit);
        Assert.Contains("weather:2 (active)", output);
        Assert.Contains("aliases: champion", output);

        (exit, output, _) = await Run("registry", "list", "weather", "--tag", "candidate", "--json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.Equal([1], doc.RootElement.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        }

        (exit, output, _) = await Run("registry", "history", "weather", "--json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(output))
        {
            var last = doc.RootElement.EnumerateArray().Last();
            Assert.Equal(("alias_set", "ada", "accuracy 0.84 beats 0.81"), (last.GetProperty("action").GetString(), last.GetProperty("actor").GetString(), last.GetProperty("reason").GetString()));
        }

        (exit, output, _) = await Run("registry", "history", "weather", "--alias", "champion", "--at", DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));
        Assert.Equal(0, exit);
        Assert.Contains("pointed at version 2", output);

        var cardFile = _dir.File("card.md");
        (exit, output, _) = await Run("registry", "card", "weather@champion", "--out", cardFile);
        Assert.Equal(0, exit);
        Assert.StartsWith("# Model card: weather version 2", output);
        Assert.Equal(output, await File.ReadAllTextAsync(cardFile));
        Assert.Contains("accuracy 0.84 beats 0.81", output);

        (exit, output, _) = await Run("registry", "verify");
        Assert.Equal(0, exit);
        Assert.Contains("5 artifacts", output);
        Assert.Contains("all sound", output);
    }

    [Fact]
    public async Task List_OrderBy_FollowsEachMetricsDirection_AndAnUndeclaredOneNeedsAnOrder()
    {
        foreach (var (loss, cost) in new[] { ("0.5", "3"), ("0.2", "9"), ("0.9", "1") })
        {
            var (code, _, err) = await Run("registry", "register", "--name", "weather", "--model", model.Path, "--metric", $"log_loss={loss}", "--metric", $"accuracy={1 - double.Parse(loss, System.Globalization.CultureInfo.InvariantCulture)}", "--metric", $"cost={cost}", "--allow-duplicate");
            Assert.True(code == 0, err);
        }

        async Task<int[]> Versions(params string[] args)
        {
            var (code, output, err) = await Run(["registry", "list", "weather", .. args, "--json"]);
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            return doc.RootElement.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ToArray();
        }

        Assert.Equal(new[] { 2, 1, 3 }, await Versions("--order-by", "log_loss"));
        Assert.Equal(new[] { 2, 1, 3 }, await Versions("--order-by", "accuracy"));
        Assert.Equal(new[] { 3, 1, 2 }, await Versions("--order-by", "log_loss", "--descending"));
        Assert.Equal(new[] { 3, 1, 2 }, await Versions("--order-by", "accuracy", "--ascending"));
        Assert.Equal(new[] { 3, 1, 2 }, await Versions("--order-by", "cost", "--ascending"));

        var (exit, _, error) = await Run("registry", "list", "weather", "--order-by", "cost");
        Assert.Equal(2, exit);
        Assert.Contains("--order-by cost: the metric has no declared direction; give --ascending or --descending", error);
        (exit, _, error) = await Run("registry", "list", "weather", "--order-by", "cost", "--ascending", "--descending");
        Assert.Equal(2, exit);
        Assert.Contains("contradict", error);
    }

    [Fact]
    public async Task Register_SameModelBytesAgain_IsReportedNamingTheVersion_AndMovesNoAlias()
    {
        Assert.Equal(0, (await Run("registry", "register", "--name", "weather", "--model", model.Path, "--alias", "champion")).Exit);
        var (exit, output, error) = await Run("registry", "register", "--name", "weather", "--model", model.Path, "--alias", "champion");
        Assert.True(exit == 0, error);
        Assert.StartsWith("not registered: weather:1 already holds this model (sha256 ", output);
        (exit, output, _) = await Run("registry", "register", "--name", "weather", "--model", model.Path, "--json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.False(doc.RootElement.GetProperty("registered").GetBoolean());
            Assert.Equal("weather:1", doc.RootElement.GetProperty("duplicate_of").GetString());
        }

        (exit, output, _) = await Run("registry", "register", "--name", "weather", "--model", model.Path, "--alias", "champion", "--allow-duplicate");
        Assert.Equal(0, exit);
        Assert.Contains("registered weather:2", output);
        Assert.Contains("weather@champion -> 2 (was 1)", output);
    }

    [Fact]
    public async Task Verify_FlippedByte_ExitsOneNamingTheDamage()
    {
        var (exit, output, _) = await Run("registry", "register", "--name", "weather", "--model", model.Path, "--json");
        Assert.Equal(0, exit);
        string sha;
        using (var doc = JsonDocument.Parse(output))
        {
            sha = doc.RootElement.GetProperty("artifacts")[0].GetProperty("sha256").GetString()!;
        }

        var blob = System.IO.Path.Combine(Registry, "blobs", "sha256", sha[..2], sha);
        var bytes = await File.ReadAllBytesAsync(blob);
        bytes[100] ^= 0x10;
        await File.WriteAllBytesAsync(blob, bytes);

        (exit, output, _) = await Run("registry", "verify");
        Assert.Equal(1, exit);
        Assert.Contains($"DAMAGED weather:1 model: Artifact 'model' of weather:1 is damaged: expected sha256 {sha}", output);
        Assert.Contains("1 damaged", output);

        (exit, output, _) = await Run("registry", "verify", "--json");
        Assert.Equal(1, exit);
        using (var doc = JsonDocument.Parse(output))
        {
            var damage = doc.RootElement.GetProperty("damaged")[0];
            Assert.Equal(("weather", 1, "model", "altered"), (damage.GetProperty("model").GetString(), damage.GetProperty("version").GetInt32(), damage.GetProperty("artifact").GetString(), damage.GetProperty("problem").GetString()));
        }
    }

    [Fact]
    public async Task ExportImportGc_AcrossTwoRegistries()
    {
        Assert.Equal(0, (await Run("registry", "register", "--name", "weather", "--model", model.Path)).Exit);
        var bundle = _dir.File("weather-1.zip");
        var (exit, output, error) = await Run("registry", "export", "weather:1", "--out", bundle);
        Assert.True(exit == 0, error);
        var other = System.IO.Path.Combine(_dir.Path, "other");
        (exit, output, error) = await Mlsd.RunAsync("registry", "import", bundle, "--name", "weather-copy", "--registry", other, "--json");
        Assert.True(exit == 0, error);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.Equal("weather-copy", doc.RootElement.GetProperty("model").GetString());
            Assert.Contains(doc.RootElement.GetProperty("artifacts").EnumerateArray(), a => a.GetProperty("name").GetString() == "source-audit-trail");
        }

        Assert.Equal(0, (await Mlsd.RunAsync("registry", "verify", "--registry", other)).Exit);

        Assert.Equal(0, (await Run("registry", "delete", "weather:1", "--reason", "moved to the other registry")).Exit);
        (exit, output, _) = await Run("registry", "gc", "--dry-run");
        Assert.Equal(0, exit);
        Assert.Contains("would remove blob", output);
        Assert.Contains("2 items", output);
        (exit, output, _) = await Run("registry", "gc", "--json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.Equal(2, doc.RootElement.GetProperty("items").GetArrayLength());
            Assert.False(doc.RootElement.GetProperty("dry_run").GetBoolean());
        }
    }

    [Theory]
    [InlineData("../x", "Model name '../x' is not allowed")]
    [InlineData("a;DROP TABLE", "Model name 'a;DROP TABLE' is not allowed")]
    public async Task Register_HostileName_ExitsTwoWithTheRule(string name, string expected)
    {
        var (exit, _, error) = await Run("registry", "register", "--name", name, "--model", model.Path);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task Register_BadInputs_AreClearErrors()
    {
        var (exit, _, error) = await Run("registry", "register", "--name", "m", "--model", model.Path, "--format", "pmml");
        Assert.Equal(2, exit);
        Assert.Contains("mlnet-zip", error);

        (exit, _, error) = await Run("registry", "register", "--name", "m", "--model", model.Path, "--format", "onnx");
        Assert.Equal(2, exit);
        Assert.Contains("does not load as 'onnx'", error);
        Assert.Contains("the file is not a readable ONNX model", error);

        (exit, _, error) = await Run("registry", "register", "--name", "m", "--model", _dir.File("not-a-model.zip", "hello"));
        Assert.Equal(2, exit);
        Assert.Contains("mlnet-zip", error);

        (exit, _, error) = await Run("registry", "register", "--name", "m", "--model", model.Path, "--metric", "auc=high");
        Assert.Equal(2, exit);
        Assert.Contains("'high' is not a number", error);

        (exit, _, error) = await Run("registry", "show", "nothing@champion");
        Assert.Equal(2, exit);
        Assert.Contains("no model 'nothing'", error);

        Assert.Equal(0, (await Run("registry", "register", "--name", "m", "--model", model.Path)).Exit);
        Assert.Equal(0, (await Run("registry", "alias", "set", "m", "champion", "1")).Exit);
        (exit, _, error) = await Run("registry", "delete", "m:1");
        Assert.Equal(2, exit);
        Assert.Contains("'champion' points at it", error);
        (exit, _, error) = await Run("registry", "import", model.Path);
        Assert.Equal(2, exit);
        Assert.Contains("bundle.json", error);
    }

    [Fact]
    public async Task ReadCommands_OnAMistypedRegistry_AreExitTwo_AndCreateNothing_WhileRegisterSaysItCreatesOne()
    {
        var typo = System.IO.Path.Combine(_dir.Path, "regsitry");
        foreach (var args in new[] { new[] { "registry", "list" }, ["registry", "show", "m"], ["registry", "history"], ["registry", "verify"], ["registry", "gc", "--dry-run"], ["registry", "alias", "set", "m", "champion", "1"], ["registry", "export", "m:1", "--out", _dir.File("x.zip")] })
        {
            var (exit, _, error) = await Mlsd.RunAsync([.. args, "--registry", typo]);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: {error}");
            Assert.Contains($"There is no registry at '{typo}'", error);
            Assert.False(Directory.Exists(typo), string.Join(' ', args));
        }

        var (registered, _, note) = await Mlsd.RunAsync("registry", "register", "--name", "m", "--model", model.Path, "--registry", typo);
        Assert.Equal(0, registered);
        Assert.Contains($"note: created a new registry at '{typo}'", note);
        (registered, _, note) = await Mlsd.RunAsync("registry", "register", "--name", "m", "--model", model.Path, "--registry", typo);
        Assert.Equal(0, registered);
        Assert.DoesNotContain("created", note);
    }

    [Theory]
    [InlineData("auc=NaN")]
    [InlineData("auc=Infinity")]
    [InlineData("auc=-Infinity")]
    public async Task Register_NonFiniteMetric_IsExitTwo(string metric)
    {
        var (exit, _, error) = await Run("registry", "register", "--name", "m", "--model", model.Path, "--metric", metric);
        Assert.Equal(2, exit);
        Assert.Contains("a metric must be a finite number", error);
    }

    [Fact]
    public async Task Register_HostileNameWithEscapes_IsOneEscapedLine()
    {
        var (exit, _, error) = await Run("registry", "register", "--name", "m\u001b[2J", "--model", model.Path);
        Assert.Equal(2, exit);
        Assert.DoesNotContain('\u001b', error);
        Assert.Contains(@"Model name 'm\x1B[2J' is not allowed", error);
        Assert.DoesNotContain("(Parameter", error);
    }

    [Fact]
    public async Task Export_ThatFails_LeavesNoPartialFile()
    {
        Assert.Equal(0, (await Run("registry", "register", "--name", "m", "--model", model.Path)).Exit);
        var target = System.IO.Path.Combine(_dir.Path, "out", "m-9.zip");
        var (exit, _, error) = await Run("registry", "export", "m:9", "--out", target);
        Assert.Equal(2, exit);
        Assert.Contains("no version 9", error);
        Assert.False(File.Exists(target + ".partial"));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task GcDryRun_ReportsAbandonedStaging_AndLeavesIt()
    {
        Assert.Equal(0, (await Run("registry", "register", "--name", "m", "--model", model.Path)).Exit);
        var lease = Guid.NewGuid().ToString("N");
        var staging = System.IO.Path.Combine(Registry, "staging");
        await File.WriteAllTextAsync(System.IO.Path.Combine(staging, lease + ".lock"), string.Empty);
        Directory.CreateDirectory(System.IO.Path.Combine(staging, lease));
        await File.WriteAllBytesAsync(System.IO.Path.Combine(staging, lease, "x.tmp"), new byte[100]);

        var (exit, output, _) = await Run("registry", "gc", "--dry-run");
        Assert.Equal(0, exit);
        Assert.Contains($"would remove staging {lease} (100 bytes)", output);
        Assert.Contains("1 items, 100 bytes would be freed (dry run)", output);
        Assert.True(File.Exists(System.IO.Path.Combine(staging, lease, "x.tmp")));

        (exit, output, _) = await Run("registry", "gc");
        Assert.Equal(0, exit);
        Assert.Contains($"removed staging {lease}", output);
        Assert.False(Directory.Exists(System.IO.Path.Combine(staging, lease)));
    }

    [Fact]
    public async Task Import_HostileBundle_IsRefusedAsRegisterWouldBe_NamingTheFile()
    {
        Assert.Equal(0, (await Run("registry", "register", "--name", "m", "--model", model.Path, "--description", "clean")).Exit);
        var bundle = _dir.File("m.zip");
        Assert.Equal(0, (await Run("registry", "export", "m:1", "--out", bundle)).Exit);
        var hostile = _dir.File("hostile.zip");
        using (var read = new System.IO.Compression.ZipArchive(File.OpenRead(bundle)))
        using (var write = new System.IO.Compression.ZipArchive(File.Create(hostile), System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var entry in read.Entries)
            {
                using var from = new StreamReader(entry.Open());
                var content = from.ReadToEnd();
                if (entry.FullName == "bundle.json")
                {
                    content = content.Replace("\"clean\"", "\"\\u001b[2J\\u001b]0;owned\\u0007\"", StringComparison.Ordinal).Replace("\"format_id\": \"mlnet-zip\"", "\"format_id\": \"no-such-format\"", StringComparison.Ordinal);
                }

                using var to = new StreamWriter(write.CreateEntry(entry.FullName).Open());
                to.Write(content);
            }
        }

        var other = System.IO.Path.Combine(_dir.Path, "other");
        var (exit, _, error) = await Mlsd.RunAsync("registry", "import", hostile, "--registry", other);
        Assert.Equal(2, exit);
        Assert.Contains(hostile, error);
        Assert.Contains("is refused", error);
        Assert.Single(error.TrimEnd().Split('\n'));

        (exit, _, error) = await Mlsd.RunAsync("registry", "import", bundle, "--registry", other, "--max-bytes", "2048");
        Assert.Equal(2, exit);
        Assert.Contains("an import may bring in", error);
    }

    [Fact]
    public async Task SeveralMlsdProcesses_RegisterIntoOneRegistry_WithoutLosingAVersion()
    {
        var mlsd = System.IO.Path.Combine(AppContext.BaseDirectory, "mlsd.dll");
        var processes = Enumerable.Range(0, 3).Select(i =>
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { mlsd, "registry", "register", "--registry", Registry, "--name", "shared", "--model", model.Path, "--tag", $"process={i}", "--allow-duplicate", "--json" })
            {
                info.ArgumentList.Add(arg);
            }

            return Process.Start(info)!;
        }).ToList();
        var outputs = await Task.WhenAll(processes.Select(async p =>
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, await stderr);
            return await stdout;
        }));
        var numbers = outputs.Select(o => JsonDocument.Parse(o).RootElement.GetProperty("version").GetInt32()).Order();
        Assert.Equal([1, 2, 3], numbers);
        var (_, output, _) = await Run("registry", "list", "--json");
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(3, doc.RootElement[0].GetProperty("latest_version").GetInt32());
    }
}
