using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLSystemDesign.Data;
using MLSystemDesign.Features;

namespace MLSystemDesign.Benchmarks.Features;

/// <summary>
/// Feature transform of the same 1,000,000 real flight records, single thread: the fitted pipeline against the
/// equivalent ML.NET chain (min-max normalize distance + one-hot origin + one-hot destination + concatenate with hour,
/// weekday and month). Both read the same <see cref="FlightRow"/> objects and learn the full airport vocabularies, so
/// both build a 4 + |origins| + |destinations| wide vector (ours has one extra <c>&lt;other&gt;</c> slot per airport
/// feature and writes it dense; ML.NET's is sparse). A third variant derives hour, weekday and month from the raw
/// timestamp per record, as the sample does. Times and allocations are per record.
/// </summary>
[MemoryDiagnoser]
public class FeatureTransformBenchmarks
{
    private const int Records = 1_000_000;
    private FlightRow[] _rows = [];
    private Flight[] _flights = [];
    private IFittedFeaturePipeline<FlightRow> _fitted = null!;
    private IFittedFeaturePipeline<Flight> _fromTimestamp = null!;
    private float[] _row = [];
    private float[] _batch = [];
    private IDataView _mlInput = null!;
    private ITransformer _mlTransformer = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var all = new List<Flight>(Records);
        await foreach (var f in DataSource.Parquet<Flight>(BenchmarkData.Path("flights-3m.parquet")).ReadAsync())
        {
            all.Add(f);
            if (all.Count == Records)
            {
                break;
            }
        }

        _flights = [.. all];
        _rows = _flights.Select(f => new FlightRow
        {
            Hour = f.Date.Hour,
            Weekday = (float)f.Date.DayOfWeek,
            Month = f.Date.Month,
            Distance = f.Distance,
            Origin = f.Origin,
            Destination = f.Destination,
        }).ToArray();
        _fitted = FeaturePipeline.For<FlightRow>()
            .Numeric("hour", f => f.Hour)
            .Numeric("weekday", f => f.Weekday)
            .Numeric("month", f => f.Month)
            .Numeric("distance", f => f.Distance, o => o.Scaling = NumericScaling.MinMax)
            .Categorical("origin", f => f.Origin, o => o.MaxCategories = 10_000)
            .Categorical("destination", f => f.Destination, o => o.MaxCategories = 10_000)
            .Build()
            .Fit(_rows);
        _fromTimestamp = FeaturePipeline.For<Flight>()
            .Numeric("hour", f => f.Date.Hour)
            .Numeric("weekday", f => (double)f.Date.DayOfWeek)
            .Numeric("month", f => f.Date.Month)
            .Numeric("distance", f => f.Distance, o => o.Scaling = NumericScaling.MinMax)
            .Categorical("origin", f => f.Origin, o => o.MaxCategories = 10_000)
            .Categorical("destination", f => f.Destination, o => o.MaxCategories = 10_000)
            .Build()
            .Fit(_flights);
        _row = new float[_fitted.Width];
        _batch = new float[_fitted.Width * 1024];

        var ml = new MLContext(seed: 1);
        _mlInput = ml.Data.LoadFromEnumerable(_rows);
        var chain = ml.Transforms.NormalizeMinMax(nameof(FlightRow.Distance))
            .Append(ml.Transforms.Categorical.OneHotEncoding(nameof(FlightRow.Origin)))
            .Append(ml.Transforms.Categorical.OneHotEncoding(nameof(FlightRow.Destination)))
            .Append(ml.Transforms.Concatenate("Features", nameof(FlightRow.Hour), nameof(FlightRow.Weekday), nameof(FlightRow.Month), nameof(FlightRow.Distance), nameof(FlightRow.Origin), nameof(FlightRow.Destination)));
        _mlTransformer = chain.Fit(_mlInput);
        var width = ((VectorDataViewType)_mlTransformer.GetOutputSchema(_mlInput.Schema)["Features"].Type).Size;
        if (width != _fitted.Width - 2)
        {
            // Ours adds one <other> slot per categorical feature; everything else must line up.
            throw new InvalidOperationException($"ML.NET builds {width} slots, the pipeline {_fitted.Width}.");
        }
    }

    /// <summary>ML.NET: transform the data view and read every row's feature vector through a cursor.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public float MLNetTransformChain()
    {
        var transformed = _mlTransformer.Transform(_mlInput);
        var column = transformed.Schema["Features"];
        using var cursor = transformed.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var buffer = default(VBuffer<float>);
        var sum = 0f;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            sum += buffer.GetValues()[0];
        }

        return sum;
    }

    /// <summary>The fitted pipeline, one record at a time into one reused row.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public float PipelineTransform()
    {
        var sum = 0f;
        var row = _row;
        foreach (var flight in _rows)
        {
            _fitted.Transform(flight, row);
            sum += row[0];
        }

        return sum;
    }

    /// <summary>The sample's pipeline: hour, weekday and month derived from the timestamp of each raw record.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public float PipelineTransformFromTimestamp()
    {
        var sum = 0f;
        var row = _row;
        foreach (var flight in _flights)
        {
            _fromTimestamp.Transform(flight, row);
            sum += row[0];
        }

        return sum;
    }

    /// <summary>The fitted pipeline, 1,024 records at a time into a reused row-major matrix.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public float PipelineTransformBatch()
    {
        var sum = 0f;
        var flights = _rows.AsSpan();
        for (var start = 0; start < flights.Length; start += 1024)
        {
            var chunk = flights.Slice(start, Math.Min(1024, flights.Length - start));
            _fitted.TransformBatch(chunk, _batch);
            sum += _batch[0];
        }

        return sum;
    }

    /// <summary>The record both sides read: time parts precomputed, airports as text.</summary>
    public sealed class FlightRow
    {
        /// <summary>Gets or sets the hour.</summary>
        public float Hour { get; set; }

        /// <summary>Gets or sets the weekday.</summary>
        public float Weekday { get; set; }

        /// <summary>Gets or sets the month.</summary>
        public float Month { get; set; }

        /// <summary>Gets or sets the distance.</summary>
        public float Distance { get; set; }

        /// <summary>Gets or sets the origin.</summary>
        public string Origin { get; set; } = string.Empty;

        /// <summary>Gets or sets the destination.</summary>
        public string Destination { get; set; } = string.Empty;
    }
}
