using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MLSystemDesign.Registry;
using MLSystemDesign.Testing.Fuzzing;
using Xunit.Abstractions;

namespace MLSystemDesign.Tests.Registry;

/// <summary>
/// Deterministic mutations of an exported bundle, each imported as a new model: every outcome is a refusal naming the
/// bundle (or the damaged artifact), or a version identical to the one the valid bundle imports as. A bundle's
/// artifacts are hashed and its manifest checked against the zip's CRC-32, so no mutation may change what is imported.
/// </summary>
public sealed class BundleFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestRegistry _source = new();
    private readonly TestRegistry _target = new();
    private int _cases;

    public void Dispose()
    {
        _target.Dispose();
        _source.Dispose();
    }

    [Fact]
    public async Task Bundle_Mutations_AreRefusedOrImportIdentically_NeverChangedCrashedOrHung()
    {
        await _source.Registry.UpdateModelAsync("m", "Scores loans.", "risk-team");
        await _source.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "m",
            Description = "fuzzed",
            Artifacts = [NewArtifact.ForModel(new LinearTextModel([0.5f, -2f, 3f]), new LinearTextFormat()), TestRegistry.Bytes("notes", "what the model is for, at some length so that it deflates")],
            Metrics = new Dictionary<string, double> { ["auc"] = 0.8125, ["log_loss"] = 0.42 },
            Parameters = new Dictionary<string, string> { ["trees"] = "100" },
            Tags = new Dictionary<string, string> { ["team"] = "risk" },
        });
        await _source.Registry.SetAliasAsync("m", "champion", 1, new RegistryChange("the only one"));
        var bundle = new MemoryStream();
        await _source.Registry.ExportAsync(ModelReference.Parse("m@champion"), bundle);
        var valid = bundle.ToArray();

        var report = await Fuzzer.RunAsync(
            "bundle",
            "m-1.zip",
            valid,
            Mutations.Binary(valid, seed: 2004, count: 300, ZipStructure(valid)),
            ImportAsync,
            string.Equals,
            (e, path) => e is ArtifactIntegrityException { Artifact: not null } || (e is InvalidDataException && e.Message.Contains(path, StringComparison.Ordinal)));

        output.WriteLine(report.ToString());
        Assert.True(report.Count(FuzzOutcome.Crashed) == 0 && report.Count(FuzzOutcome.Hung) == 0 && report.Count(FuzzOutcome.Different) == 0, report.Describe(allowDifferent: false));
        Assert.True(report.Count(FuzzOutcome.Refused) > report.Cases.Count / 2, report.ToString());
    }

    /// <summary>Imports a bundle file as a new model and describes everything the import recorded, apart from the model's name and the time.</summary>
    private async Task<string> ImportAsync(string path, CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"case-{Interlocked.Increment(ref _cases)}");
        await using var file = File.OpenRead(path);
        var version = await _target.Registry.ImportAsync(file, name, default, cancellationToken);
        var model = await _target.Registry.GetModelAsync(name, cancellationToken);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{model.Description}|{model.Owner}|{version.Description}|{version.State}");
        foreach (var a in version.Artifacts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{a.Name}|{a.Kind}|{a.MediaType}|{a.FormatId}|{a.Sha256}|{a.Length}|{a.Sealed}");
        }

        text.AppendLine(JsonSerializer.Serialize(version.Metrics.OrderBy(m => m.Key)));
        text.AppendLine(JsonSerializer.Serialize(version.Parameters.OrderBy(m => m.Key)));
        text.AppendLine(JsonSerializer.Serialize(version.Tags.OrderBy(m => m.Key)));
        text.AppendLine(JsonSerializer.Serialize(version.Lineage));
        return text.ToString();
    }

    /// <summary>The zip's record signatures and the size, CRC and offset fields inside its local headers, central directory and end record.</summary>
    private static IReadOnlyList<int> ZipStructure(byte[] zip)
    {
        var offsets = new List<int>();
        for (var i = 0; i + 4 <= zip.Length; i++)
        {
            switch (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)))
            {
                case 0x04034b50:
                    offsets.AddRange([i, i + 14, i + 18, i + 22, i + 26]);
                    break;
                case 0x02014b50:
                    offsets.AddRange([i, i + 16, i + 20, i + 24, i + 28, i + 42]);
                    break;
                case 0x06054b50:
                    offsets.AddRange([i, i + 10, i + 12, i + 16]);
                    break;
            }
        }

        return offsets;
    }
}
