using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Tests.Registry;

/// <summary>Bundles built to get past the checks a registration makes: each is refused as register would refuse it, and nothing is stored.</summary>
public sealed class HostileBundleTests : IDisposable
{
    private readonly TestRegistry _source = new();

    public void Dispose() => _source.Dispose();

    /// <summary>Exports a small valid version: a loadable model, a data file, a metric, a tag.</summary>
    private async Task<byte[]> ExportAsync(NewModelVersion? version = null)
    {
        await _source.Registry.RegisterAsync(version ?? new NewModelVersion
        {
            Name = "m",
            Artifacts = [NewArtifact.ForModel(new LinearTextModel([0.5f, 2f]), new LinearTextFormat()), TestRegistry.Bytes("notes", "some notes")],
            Metrics = new Dictionary<string, double> { ["auc"] = 0.75 },
            Tags = new Dictionary<string, string> { ["team"] = "risk" },
            Description = "for export",
        });
        var bundle = new MemoryStream();
        await _source.Registry.ExportAsync(ModelReference.Parse("m"), bundle);
        return bundle.ToArray();
    }

    /// <summary>Writes the bundle again with its manifest changed and, optionally, an artifact entry replaced.</summary>
    private static byte[] Rewrite(byte[] bundle, Action<JsonNode> manifest, Func<string, byte[], byte[]?>? artifact = null, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var read = new ZipArchive(new MemoryStream(bundle), ZipArchiveMode.Read);
        var output = new MemoryStream();
        using (var write = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in read.Entries)
            {
                using var from = entry.Open();
                var content = new MemoryStream();
                from.CopyTo(content);
                var bytes = content.ToArray();
                if (entry.FullName == "bundle.json")
                {
                    var node = JsonNode.Parse(bytes)!;
                    manifest(node);
                    bytes = Encoding.UTF8.GetBytes(node.ToJsonString());
                }
                else if (artifact is not null)
                {
                    bytes = artifact(entry.FullName, bytes);
                    if (bytes is null)
                    {
                        continue;
                    }
                }

                using var to = write.CreateEntry(entry.FullName, level).Open();
                to.Write(bytes);
            }
        }

        return output.ToArray();
    }

    private static async Task<InvalidDataException> RefusedAsync(TestRegistry target, byte[] bundle, string expected)
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => target.Registry.ImportAsync(new MemoryStream(bundle)));
        Assert.Contains(expected, ex.Message);
        Assert.Empty(await target.Registry.ListModelsAsync());
        return ex;
    }

    public static TheoryData<string, string> HostileManifests() => new()
    {
        { "metric-name", "Metric name '../x' is not allowed" },
        { "many-metrics", "200000 metrics; at most 1000 are allowed" },
        { "description-escape", "Description holds the control character U+001B" },
        { "unknown-format", "names the model format 'no-such-format', which is not registered" },
        { "non-finite-metric", "Metric 'auc' is Infinity" },
        { "parameter-value", "Parameter 'p' holds the control character U+0007" },
        { "model-owner", "Owner holds the control character U+001B" },
        { "fingerprint", "Dataset fingerprint" },
        { "duplicate-artifact", "Two artifacts are named 'notes'" },
    };

    [Theory]
    [MemberData(nameof(HostileManifests))]
    public async Task Import_ManifestThatRegisterWouldRefuse_IsRefusedTheSameWay(string hostility, string expected)
    {
        var bundle = Rewrite(await ExportAsync(), manifest =>
        {
            var document = manifest["document"]!;
            switch (hostility)
            {
                case "metric-name":
                    document["metrics"]!["../x"] = 1;
                    break;
                case "many-metrics":
                    var metrics = new JsonObject();
                    for (var i = 0; i < 200_000; i++)
                    {
                        metrics[$"m{i}"] = i;
                    }

                    document["metrics"] = metrics;
                    break;
                case "description-escape":
                    document["description"] = "clean\u001b[2Jscreen";
                    break;
                case "unknown-format":
                    manifest["artifacts"]![0]!["format_id"] = "no-such-format";
                    break;
                case "non-finite-metric":
                    document["metrics"]!["auc"] = "Infinity";
                    break;
                case "parameter-value":
                    document["parameters"] = new JsonObject { ["p"] = "bell\u0007" };
                    break;
                case "model-owner":
                    manifest["model_owner"] = "\u001b]0;owned\u0007";
                    break;
                case "fingerprint":
                    document["lineage"] = JsonNode.Parse("""{"datasets":[{"role":"training","fingerprint":{"schema_hash":"ab","row_count":-5,"content_hash":"x","algorithm":"a"}}]}""");
                    break;
                case "duplicate-artifact":
                    manifest["artifacts"]!.AsArray().Add(manifest["artifacts"]![1]!.DeepClone());
                    break;
            }
        });

        using var target = new TestRegistry();
        await RefusedAsync(target, bundle, expected);
        Assert.Empty(await target.Store.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Register_RefusesWhatImportRefuses_ManyMetricsAndNonFiniteValues()
    {
        var model = NewArtifact.ForModel(new LinearTextModel([1]), new LinearTextFormat());
        var many = await Assert.ThrowsAsync<ArgumentException>(() => _source.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "m",
            Artifacts = [model],
            Metrics = Enumerable.Range(0, 1001).ToDictionary(i => $"m{i}", i => (double)i),
        }));
        Assert.Contains("1001 metrics; at most 1000 are allowed", many.Message);
        foreach (var value in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(() => _source.Registry.RegisterAsync(new NewModelVersion { Name = "m", Artifacts = [model], Metrics = new Dictionary<string, double> { ["auc"] = value } }));
            Assert.Contains("is not a finite number", ex.Message);
        }

        Assert.Empty(await _source.Registry.ListModelsAsync());
    }

    [Fact]
    public async Task Register_ModelThatDoesNotLoad_OrUnknownFormat_IsRefused()
    {
        var garbage = await Assert.ThrowsAsync<ArgumentException>(() => _source.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "m",
            Artifacts = [NewArtifact.FromBytes("model", ArtifactKinds.Model, "not a model"u8.ToArray(), formatId: "test-linear")],
        }));
        Assert.Contains("Model artifact 'model' does not load as 'test-linear': test-linear: not a linear model", garbage.Message);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => _source.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "m",
            Artifacts = [NewArtifact.FromBytes("model", ArtifactKinds.Model, new byte[] { 1 }, formatId: "pmml")],
        }));
        Assert.Contains("names the model format 'pmml', which is not registered (registered: test-linear)", unknown.Message);
        Assert.Empty(await _source.Registry.ListModelsAsync());
    }

    [Fact]
    public async Task Import_ModelThatDoesNotLoad_IsRefused()
    {
        var bundle = await ExportAsync();
        var modelSha = JsonNode.Parse(Manifest(bundle))!["artifacts"]![0]!["sha256"]!.GetValue<string>();
        var garbage = "linear not-a-number"u8.ToArray();
        var tampered = Rewrite(
            bundle,
            manifest =>
            {
                manifest["artifacts"]![0]!["sha256"] = Convert.ToHexStringLower(SHA256.HashData(garbage));
                manifest["artifacts"]![0]!["length"] = garbage.Length;
            },
            (name, bytes) => name == $"artifacts/{modelSha}" ? null : bytes);
        tampered = AddEntry(tampered, $"artifacts/{Convert.ToHexStringLower(SHA256.HashData(garbage))}", garbage);
        using var target = new TestRegistry();
        await RefusedAsync(target, tampered, "Model artifact 'model' does not load as 'test-linear'");
    }

    [Fact]
    public async Task Import_ManifestFlippedInsideAValidString_IsRefusedByTheZipChecksum()
    {
        // Stored without compression, a flipped letter leaves valid JSON: only the CRC-32 tells.
        var bundle = Rewrite(await ExportAsync(), _ => { }, level: CompressionLevel.NoCompression);
        var at = Encoding.ASCII.GetString(bundle).IndexOf("for export", StringComparison.Ordinal);
        bundle[at + 4] ^= 0x01;
        using var target = new TestRegistry();
        await RefusedAsync(target, bundle, "CRC-32");
    }

    [Fact]
    public async Task Import_ArtifactInflatingPastItsDeclaredLength_StopsReadingAtTheDeclaredLength()
    {
        var bundle = await ExportAsync();
        var notes = JsonNode.Parse(Manifest(bundle))!["artifacts"]![1]!;
        var sha = notes["sha256"]!.GetValue<string>();
        var length = notes["length"]!.GetValue<int>();

        // 64 MiB of zeros where 10 bytes are declared, in the zip's own headers too: a bomb.
        var bomb = Rewrite(bundle, _ => { }, (name, bytes) => name == $"artifacts/{sha}" ? new byte[64 << 20] : bytes);
        PatchDeclaredSize(bomb, $"artifacts/{sha}", length);
        var counting = new CountingStream(new MemoryStream(bomb));
        using var target = new TestRegistry();
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => target.Registry.ImportAsync(counting));
        Assert.True(ex is ArtifactIntegrityException or InvalidDataException, ex.ToString());
        Assert.Contains("notes", ex.Message);
        Assert.True(counting.BytesRead < bomb.Length / 4, $"read {counting.BytesRead:N0} of {bomb.Length:N0} bytes");
        Assert.Empty(await target.Registry.ListModelsAsync());
    }

    [Fact]
    public async Task Import_MoreThanTheCap_IsRefusedBeforeAnArtifactIsRead()
    {
        var big = new byte[3 << 20];
        new Random(1).NextBytes(big);
        var bundle = await ExportAsync(new NewModelVersion
        {
            Name = "m",
            Artifacts = [NewArtifact.ForModel(new LinearTextModel([1]), new LinearTextFormat()), NewArtifact.FromBytes("big", ArtifactKinds.File, big)],
        });
        using var capped = new TestRegistry(configure: o => o.MaxImportBytes = 1 << 20);
        await RefusedAsync(capped, bundle, "more than the 1,048,576 bytes an import may bring in (SqliteRegistryOptions.MaxImportBytes)");
        Assert.Empty(await capped.Store.ListAsync().ToListAsync());

        using var roomy = new TestRegistry(configure: o => o.MaxImportBytes = 8 << 20);
        Assert.Equal(1, (await roomy.Registry.ImportAsync(new MemoryStream(bundle))).Version);
    }

    [Fact]
    public async Task Import_FromAFile_NamesTheFileInItsErrors()
    {
        var bundle = Rewrite(await ExportAsync(), manifest => manifest["document"]!["metrics"]!["../x"] = 1);
        var path = Path.Combine(_source.Root, "hostile-bundle.zip");
        await File.WriteAllBytesAsync(path, bundle);
        using var target = new TestRegistry();
        await using var file = File.OpenRead(path);
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => target.Registry.ImportAsync(file));
        Assert.Contains(path, ex.Message);
        Assert.Contains("Metric name '../x'", ex.Message);
    }

    [Fact]
    public void MaxImportBytes_OutOfRange_IsRefusedAtStart()
    {
        var ex = Assert.ThrowsAny<Exception>(() => new TestRegistry(configure: o => o.MaxImportBytes = 10));
        Assert.Contains("MaxImportBytes", ex.ToString());
    }

    private static string Manifest(byte[] bundle)
    {
        using var zip = new ZipArchive(new MemoryStream(bundle), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("bundle.json")!.Open());
        return reader.ReadToEnd();
    }

    private static byte[] AddEntry(byte[] bundle, string name, byte[] content)
    {
        var stream = new MemoryStream();
        stream.Write(bundle);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var to = zip.CreateEntry(name).Open();
            to.Write(content);
        }

        return stream.ToArray();
    }

    /// <summary>Sets the uncompressed size an entry declares, in its local header and in the central directory.</summary>
    private static void PatchDeclaredSize(byte[] zip, string name, int size)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var patched = 0;
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034b50 && zip.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteInt32LittleEndian(zip.AsSpan(i + 22), size);
                patched++;
            }
            else if (signature == 0x02014b50 && zip.AsSpan(i + 46, nameBytes.Length).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteInt32LittleEndian(zip.AsSpan(i + 24), size);
                patched++;
            }
        }

        Assert.Equal(2, patched);
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
