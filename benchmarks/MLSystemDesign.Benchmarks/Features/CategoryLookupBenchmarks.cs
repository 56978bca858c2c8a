using System.Collections.Frozen;
using BenchmarkDotNet.Attributes;
using MLSystemDesign.Data;
using MLSystemDesign.Features.Internal;

namespace MLSystemDesign.Benchmarks.Features;

/// <summary>
/// The one-hot lookup on its own: the origin airport of 1,000,000 real flights (3-letter codes, 223 distinct, strings
/// pooled by the reader as in real use) mapped to its slot by the pipeline's <see cref="CategoryIndex"/>, by a
/// <see cref="FrozenDictionary{TKey,TValue}"/> and by a <see cref="Dictionary{TKey,TValue}"/> (both ordinal). Times are
/// per lookup. The vocabulary is built in the order a fitted pipeline holds it (most frequent first) and in alphabetical
/// order, since the order decides which keys sit in their home slot.
/// </summary>
[MemoryDiagnoser]
public class CategoryLookupBenchmarks
{
    private const int Lookups = 1_000_000;
    private string[] _keys = [];
    private FrozenDictionary<string, int> _frozen = null!;
    private Dictionary<string, int> _dictionary = null!;
    private CategoryIndex _index = null!;

    /// <summary>Gets or sets the vocabulary's order: <c>frequency</c> (as fitted) or <c>alphabetical</c>.</summary>
    [Params("frequency", "alphabetical")]
    public string Order { get; set; } = "frequency";

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
        var vocabulary = Order == "frequency"
            ? keys.GroupBy(k => k, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToArray()
            : keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _dictionary = vocabulary.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i, StringComparer.Ordinal);
        _frozen = _dictionary.ToFrozenDictionary(StringComparer.Ordinal);
        _index = new CategoryIndex(vocabulary, "origin");
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public long CategoryIndex()
    {
        long sum = 0;
        var index = _index;
        foreach (var key in _keys)
        {
            var slot = index.Find(key);
            sum += slot < index.Count ? slot : -1;
        }

        return sum;
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
}
