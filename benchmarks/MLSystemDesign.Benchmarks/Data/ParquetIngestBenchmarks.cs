using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using MLSystemDesign.Data;
using Parquet.Serialization;

namespace MLSystemDesign.Benchmarks.Data;

/// <summary>
/// Ingest of the whole 3,000,000-row flights file: the streaming Parquet source into typed records (and into tabular
/// records), against Parquet.Net's own serializer, which materialises the whole file. Times are per file; rows per
/// second = 3,000,000 / time. Each benchmark process prints its peak working set when it ends.
/// </summary>
[MemoryDiagnoser]
public class ParquetIngestBenchmarks
{
    private string _path = string.Empty;

    [GlobalSetup]
    public void Setup() => _path = BenchmarkData.Path("flights-3m.parquet");

    [GlobalCleanup]
    public void Cleanup()
    {
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"// peak working set: {process.PeakWorkingSet64 / (1024 * 1024)} MiB");
    }

    /// <summary>Parquet.Net's class deserializer: the whole file into a list.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> ParquetNetDeserialize()
    {
        var rows = await ParquetSerializer.DeserializeAsync<ParquetFlight>(_path, new Parquet.ParquetOptions { PropertyNameCaseInsensitive = true });
        return rows.Data.Count;
    }

    /// <summary>The streaming source: typed records, one row group in memory at a time.</summary>
    [Benchmark]
    public async Task<long> StreamTypedRecords()
    {
        long n = 0, delay = 0;
        await foreach (var f in DataSource.Parquet<Flight>(_path).ReadAsync())
        {
            n++;
            delay += f.Delay;
        }

        return n + delay;
    }

    /// <summary>The streaming source: tabular records (every column as field values).</summary>
    [Benchmark]
    public async Task<long> StreamTabularRecords()
    {
        long n = 0;
        await foreach (var r in DataSource.Parquet<TabularRecord>(_path).ReadAsync())
        {
            n += r.Values.Length;
        }

        return n;
    }

    /// <summary>The row shape Parquet.Net's serializer maps to.</summary>
    public sealed class ParquetFlight
    {
        /// <summary>Gets or sets the date.</summary>
        public DateTime? Date { get; set; }

        /// <summary>Gets or sets the delay.</summary>
        public long? Delay { get; set; }

        /// <summary>Gets or sets the distance.</summary>
        public long? Distance { get; set; }

        /// <summary>Gets or sets the origin.</summary>
        public string? Origin { get; set; }

        /// <summary>Gets or sets the destination.</summary>
        public string? Destination { get; set; }
    }
}
