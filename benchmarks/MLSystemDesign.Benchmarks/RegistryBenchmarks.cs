using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Benchmarks;

/// <summary>Shared set-up: a registry in a fresh temporary folder, opened through DI as an application would.</summary>
internal sealed class BenchRegistry : IDisposable
{
    private readonly ServiceProvider _services;

    public BenchRegistry(bool flushToDisk)
    {
        Root = Path.Combine(Path.GetTempPath(), "mlsd-registry-bench", Guid.NewGuid().ToString("N"));
        _services = new ServiceCollection()
            .AddMLSystem(ml => ml.UseSqliteRegistry(o =>
            {
                o.RootPath = Root;
                o.FlushToDisk = flushToDisk;
            }))
            .BuildServiceProvider();
        Registry = _services.GetRequiredService<IModelRegistry>();
    }

    public string Root { get; }

    public IModelRegistry Registry { get; }

    /// <summary>A version like a small real one: a 2 KB model file and a 1 KB features file, distinct per index.</summary>
    public static NewModelVersion Version(int i) => new()
    {
        Name = "bench-model",
        Artifacts =
        [
            NewArtifact.FromBytes("model", ArtifactKinds.Model, Content(i, 2048), formatId: "mlnet-zip"),
            NewArtifact.FromBytes("features", ArtifactKinds.FeaturePipeline, Content(i + 1_000_000, 1024), "application/json"),
        ],
        Metrics = new Dictionary<string, double> { ["auc"] = 0.6 + (i % 100) / 1000.0, ["log_loss"] = 0.5 },
        Parameters = new Dictionary<string, string> { ["trees"] = "100", ["seed"] = "42" },
        Tags = new Dictionary<string, string> { ["candidate"] = "true" },
        Lineage = new ModelLineage { Trainer = "lightgbm", Datasets = [new DatasetLineage("training", "flights January–February 2001")] },
    };

    public static byte[] Content(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>
/// Registering 1,000 versions (two artifacts each) into an empty registry, with and without flushing to the disk,
/// against writing the same bytes to plain files (no hashing, no metadata, no transaction).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class RegistryRegisterBenchmarks
{
    private const int Versions = 1000;
    private BenchRegistry? _registry;
    private string? _plain;

    [Params(true, false)]
    public bool FlushToDisk { get; set; }

    [IterationSetup]
    public void Setup()
    {
        _registry = new BenchRegistry(FlushToDisk);
        _plain = Path.Combine(Path.GetTempPath(), "mlsd-registry-bench", "plain-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_plain);
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _registry?.Dispose();
        Directory.Delete(_plain!, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Versions, Description = "plain files, 1,000 x 2 artifacts")]
    public void PlainFiles()
    {
        for (var i = 0; i < Versions; i++)
        {
            var version = BenchRegistry.Version(i);
            for (var a = 0; a < version.Artifacts.Count; a++)
            {
                using var file = File.Create(Path.Combine(_plain!, $"{i}-{a}"));
                version.Artifacts[a].Write(file, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                if (FlushToDisk)
                {
                    file.Flush(flushToDisk: true);
                }
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Versions, Description = "register 1,000 versions")]
    public async Task Register()
    {
        for (var i = 0; i < Versions; i++)
        {
            await _registry!.Registry.RegisterAsync(BenchRegistry.Version(i));
        }
    }
}

/// <summary>
/// Resolving <c>bench-model@champion</c> and loading the version's metadata (artifacts, metrics, parameters, tags,
/// lineage, aliases) in a registry of 1,000 versions, with p50/p95/p99; against a bare primary-key read of one row.
/// </summary>
[Config(typeof(PercentilesConfig))]
public class RegistryResolveBenchmarks
{
    private BenchRegistry? _registry;
    private SqliteConnection? _raw;
    private SqliteCommand? _rawQuery;
    private readonly ModelReference _champion = ModelReference.ForAlias("bench-model", "champion");
    private readonly ModelReference _number = ModelReference.ForVersion("bench-model", 777);

    [GlobalSetup]
    public void Setup()
    {
        _registry = new BenchRegistry(flushToDisk: false);
        for (var i = 0; i < 1000; i++)
        {
            _registry.Registry.RegisterAsync(BenchRegistry.Version(i)).GetAwaiter().GetResult();
        }

        _registry.Registry.SetAliasAsync("bench-model", "champion", 500, new RegistryChange("benchmark")).GetAwaiter().GetResult();
        _raw = new SqliteConnection($"Data Source={Path.Combine(_registry.Root, "registry.db")}");
        _raw.Open();
        _rawQuery = _raw.CreateCommand();
        _rawQuery.CommandText = "SELECT document FROM versions WHERE model = $m AND version = $v;";
        _rawQuery.Parameters.AddWithValue("$m", "bench-model");
        _rawQuery.Parameters.AddWithValue("$v", 500);
        _rawQuery.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rawQuery?.Dispose();
        _raw?.Dispose();
        _registry?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw SQLite: one row by primary key")]
    public string RawRow() => (string)_rawQuery!.ExecuteScalar()!;

    [Benchmark(Description = "resolve @champion + load metadata")]
    public Task<ModelVersion> ResolveAlias() => _registry!.Registry.GetAsync(_champion);

    [Benchmark(Description = "get :777 + load metadata")]
    public Task<ModelVersion> ByNumber() => _registry!.Registry.GetAsync(_number);
}

/// <summary>Reading a 10 MB artifact with its SHA-256 verified, and re-hashing it, against reading the file unverified.</summary>
[Config(typeof(PercentilesConfig))]
public class RegistryArtifactBenchmarks
{
    private BenchRegistry? _registry;
    private string? _blob;

    [GlobalSetup]
    public void Setup()
    {
        _registry = new BenchRegistry(flushToDisk: false);
        var version = _registry.Registry.RegisterAsync(new NewModelVersion
        {
            Name = "big",
            Artifacts = [NewArtifact.FromBytes("model", ArtifactKinds.File, BenchRegistry.Content(7, 10 << 20))],
        }).GetAwaiter().GetResult();
        var sha = version.Artifacts[0].Sha256;
        _blob = Path.Combine(_registry.Root, "blobs", "sha256", sha[..2], sha);
    }

    [GlobalCleanup]
    public void Cleanup() => _registry?.Dispose();

    [Benchmark(Baseline = true, Description = "read 10 MB file, unverified")]
    public int ReadUnverified() => File.ReadAllBytes(_blob!).Length;

    [Benchmark(Description = "open artifact (verified) + read 10 MB")]
    public async Task<long> OpenVerified()
    {
        await using var stream = await _registry!.Registry.OpenArtifactAsync("big", 1, "model");
        await stream.CopyToAsync(Stream.Null);
        return stream.Length;
    }

    [Benchmark(Description = "verify 10 MB artifact (re-hash)")]
    public async Task<bool> Verify() => (await _registry!.Registry.VerifyAsync(ModelReference.ForVersion("big", 1))).IsSound;
}

/// <summary>Adds p50, p95 and p99 columns.</summary>
public sealed class PercentilesConfig : ManualConfig
{
    public PercentilesConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, new P99Column());

    /// <summary>The 99th percentile of the measured operation times.</summary>
    private sealed class P99Column : IColumn
    {
        public string Id => "P99";

        public string ColumnName => "P99";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Statistics;

        public int PriorityInCategory => 10;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Time;

        public string Legend => "Percentile 99: 99% of the measured operations were faster";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            return stats is null ? "NA" : (stats.Percentiles.Percentile(99) / 1000.0).ToString("N2", System.Globalization.CultureInfo.InvariantCulture) + " μs";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
