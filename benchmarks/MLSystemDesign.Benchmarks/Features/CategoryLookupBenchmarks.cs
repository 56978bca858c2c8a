using System.Collections.Frozen;
using BenchmarkDotNet.Attributes;
using MLSystemDesign.Data;
using MLSystemDesign.Features.Internal;

namespace MLSystemDesign.Benchmarks.Features;

/// <summary>
/// The one-hot lookup on its own: the origin airport of 1,000,000 real flights (3-letter codes, 223 distinct) mapped to
/// its slot by the packed-key <c>CategoryIndex</c>, a <see cref="FrozenDictionary{TKey,TValue}"/> and a
/// <see cref="Dictionary{TKey,TValue}"/>, all ordinal. Times are per lookup.
/// </summary>
[MemoryDiagnoser]
public class CategoryLookupBenchmarks
{
    private const int Lookups = 1_000_000;
    private string[] _keys = [];
    private CategoryIndex _index = null!;
    private FrozenDictionary<string, int> _frozen = null!;
    private Dictionary<string, int> _dictionary = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var keys = new List<string>(Lookups);
        await foreach (var f in DataSource.Parquet<Flight>(BenchmarkData.Path("flights-3m.parquet")).ReadAsync())
        {
            keys.Add(f.Origin);
            if (keys.Count == Lookups)
            {
                break;
            }
        }

        _keys = [.. keys];
        var vocabulary = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _index = new CategoryIndex(vocabulary);
        _dictionary = vocabulary.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i, StringComparer.Ordinal);
        _frozen = _dictionary.ToFrozenDictionary(StringComparer.Ordinal);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lookups)]
    public long FrozenDictionary()
    {
        long sum = 0;
        foreach (var key in _keys)
        {
            sum += _frozen.TryGetValue(key, out var slot) ? slot : -1;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public long Dictionary()
    {
        long sum = 0;
        foreach (var key in _keys)
        {
            sum += _dictionary.TryGetValue(key, out var slot) ? slot : -1;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public long PackedCategoryIndex()
    {
        long sum = 0;
        foreach (var key in _keys)
        {
            sum += _index.Find(key);
        }

        return sum;
    }
}
