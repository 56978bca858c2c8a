using BenchmarkDotNet.Attributes;
using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring;

namespace MLSystemDesign.Benchmarks;

/// <summary>
/// Profiling all five columns of flights-3m.parquet (3,000,000 rows, 15,000,000 values; rows already in memory) on one
/// thread, against the same summaries in numpy/pandas (min, max, mean, std, 101 exact quantiles and a 4,096-value
/// sample per numeric column; counts per category) on the same data in the same run.
/// </summary>
public class ProfileBenchmarks
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mlsd-bench-profile");
    private FieldValue[][] _rows = null!;
    private RawFeature[] _features = null!;
    private SciPyWorker _scipy = null!;

    /// <summary>Gets the number of values profiled per invocation.</summary>
    public long Values => (long)_rows.Length * _features.Length;

    [GlobalSetup]
    public void Setup()
    {
        var records = DataSource.Parquet<TabularRecord>(BenchmarkData.Path("flights-3m.parquet")).ToListAsync().GetAwaiter().GetResult();
        var schema = records[0].Schema;
        _features = schema.Fields.Select(f => new RawFeature(f.Name, f.Kind == FieldKind.Text ? RawFeatureKind.Categorical : RawFeatureKind.Numeric)).ToArray();
        _rows = records.Select(r => r.Values.ToArray()).ToArray();
        Directory.CreateDirectory(_folder);
        foreach (var file in Directory.GetFiles(_folder))
        {
            File.Delete(file);
        }

        for (var c = 0; c < _features.Length; c++)
        {
            var column = c;
            if (_features[c].Kind == RawFeatureKind.Numeric)
            {
                SciPyWorker.WriteDoubles(Path.Combine(_folder, $"num_{c}.f64"), _rows.Select(r => r[column].AsDouble()).ToArray());
            }
            else
            {
                File.WriteAllText(Path.Combine(_folder, $"cat_{c}.txt"), string.Join("\n", _rows.Select(r => r[column].Text ?? string.Empty)));
            }
        }

        var dummy = Path.Combine(_folder, "..", "mlsd-bench-profile-empty.f64");
        SciPyWorker.WriteDoubles(dummy, [0.0]);
        _scipy = SciPyWorker.Start(dummy, dummy, _folder);
    }

    [GlobalCleanup]
    public void Cleanup() => _scipy.Dispose();

    [Benchmark(Baseline = true, Description = "numpy/pandas summaries")]
    public void SciPyProfile() => _scipy.Run("profile");

    [Benchmark(Description = "ProfileBuilder (5 columns, 3M rows)")]
    public long Profile()
    {
        var builder = new ProfileBuilder(_features);
        foreach (var row in _rows)
        {
            builder.Add(row);
        }

        return builder.Build().RowCount;
    }
}
