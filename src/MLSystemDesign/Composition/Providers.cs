using MLSystemDesign.Data;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.Composition;

internal sealed class CsvSourceProvider : IDataSourceProvider
{
    public string Kind => "csv";

    public bool CanOpen(string location) =>
        Path.GetExtension(location).ToUpperInvariant() is ".CSV" or ".TSV" or ".TXT";

    public IDataSource<T> Open<T>(string location, BadRecordPolicy onBadRecord = BadRecordPolicy.Fail) =>
        DataSource.Open<T>(location, onBadRecord);
}

internal sealed class JsonLinesSourceProvider : IDataSourceProvider
{
    public string Kind => "jsonl";

    public bool CanOpen(string location) =>
        Path.GetExtension(location).ToUpperInvariant() is ".JSONL" or ".NDJSON";

    public IDataSource<T> Open<T>(string location, BadRecordPolicy onBadRecord = BadRecordPolicy.Fail) =>
        DataSource.Open<T>(location, onBadRecord);
}

internal sealed class ParquetSourceProvider : IDataSourceProvider
{
    public string Kind => "parquet";

    public bool CanOpen(string location) =>
        Path.GetExtension(location).Equals(".parquet", StringComparison.OrdinalIgnoreCase);

    public IDataSource<T> Open<T>(string location, BadRecordPolicy onBadRecord = BadRecordPolicy.Fail) =>
        DataSource.Open<T>(location, onBadRecord);
}

internal sealed class DataSourceFactory(IEnumerable<IDataSourceProvider> providers) : IDataSourceFactory
{
    private readonly IDataSourceProvider[] _providers = providers.ToArray();

    public IReadOnlyCollection<string> Kinds => _providers.Select(p => p.Kind).ToArray();

    public IDataSource<T> Open<T>(string location, BadRecordPolicy onBadRecord = BadRecordPolicy.Fail)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        foreach (var provider in _providers)
        {
            if (provider.CanOpen(location))
            {
                return provider.Open<T>(location, onBadRecord);
            }
        }

        throw new NotSupportedException($"No registered data source reads '{location}'. Registered kinds: {string.Join(", ", Kinds)}.");
    }
}

internal sealed class ModelFormatResolver : IModelFormatResolver
{
    private readonly Dictionary<string, IModelFormat> _formats = new(StringComparer.OrdinalIgnoreCase);

    public ModelFormatResolver(IEnumerable<IModelFormat> formats)
    {
        foreach (var format in formats)
        {
            if (_formats.TryGetValue(format.FormatId, out var existing) && existing.GetType() != format.GetType())
            {
                throw new InvalidOperationException($"Two model formats claim the id '{format.FormatId}': {existing.GetType().FullName} and {format.GetType().FullName}.");
            }

            _formats[format.FormatId] = format;
        }
    }

    public IReadOnlyCollection<string> FormatIds => _formats.Keys;

    public IModelFormat Get(string formatId) =>
        _formats.TryGetValue(formatId, out var format)
            ? format
            : throw new KeyNotFoundException($"No model format '{formatId}' is registered. Registered: {(_formats.Count == 0 ? "none" : string.Join(", ", _formats.Keys))}.");
}

internal sealed class TrainerCatalog : ITrainerCatalog
{
    private readonly Dictionary<string, ITrainerFactory> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ITrainerFactory> _ordered = [];

    public TrainerCatalog(IEnumerable<ITrainerFactory> factories)
    {
        foreach (var factory in factories)
        {
            if (_factories.TryAdd(factory.Name, factory))
            {
                _ordered.Add(factory);
            }
        }
    }

    public IReadOnlyCollection<string> Names => _ordered.Select(f => f.Name).ToArray();

    public IReadOnlyList<string> NamesFor(ModelTask task) => _ordered.Where(f => f.Tasks.Contains(task)).Select(f => f.Name).ToArray();

    public ITrainer Create(string name, ModelTask task, IReadOnlyDictionary<string, string>? parameters = null) =>
        _factories.TryGetValue(name, out var factory)
            ? factory.Create(task, parameters)
            : throw new KeyNotFoundException($"No trainer '{name}' is registered. Registered: {(_factories.Count == 0 ? "none (call AddMLNet())" : string.Join(", ", Names))}.");
}
