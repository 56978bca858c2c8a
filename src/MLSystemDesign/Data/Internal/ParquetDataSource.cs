namespace MLSystemDesign.Data.Internal;

internal sealed class ParquetDataSource<T> : DataSourceBase<T>
{
    private readonly ParquetSourceOptions _options;

    public ParquetDataSource(string path, ParquetSourceOptions options, RecordMap<T>? map)
        : base("parquet", path, map, options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _options = options;
    }

    public override IAsyncEnumerable<T> ReadAsync(DataReadReport? report = null, CancellationToken cancellationToken = default) =>
        RecordReadLoop.ReadAsync(OpenAsync, Map, Location, _options.OnBadRecord, report, cancellationToken);

    private async ValueTask<RecordCursor> OpenAsync(CancellationToken cancellationToken)
    {
        EnsureFileExists(Location);
        var wanted = typeof(T) == typeof(TabularRecord) ? null : Map.Members.Select(m => m.Column).ToArray();
        return await ParquetCursor.OpenAsync(Location, wanted, cancellationToken).ConfigureAwait(false);
    }
}
