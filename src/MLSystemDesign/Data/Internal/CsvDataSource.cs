namespace MLSystemDesign.Data.Internal;

internal sealed class CsvDataSource<T> : DataSourceBase<T>
{
    private readonly CsvSourceOptions _options;

    public CsvDataSource(string path, CsvSourceOptions options, RecordMap<T>? map)
        : base("csv", path, map, options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _options = options;
    }

    public override IAsyncEnumerable<T> ReadAsync(DataReadReport? report = null, CancellationToken cancellationToken = default) =>
        RecordReadLoop.ReadAsync(OpenAsync, Map, Location, _options.OnBadRecord, report, cancellationToken);

    private async ValueTask<RecordCursor> OpenAsync(CancellationToken cancellationToken)
    {
        EnsureFileExists(Location);
        var cursor = await CsvCursor.OpenAsync(Location, _options, cancellationToken).ConfigureAwait(false);
        if (typeof(T) == typeof(TabularRecord))
        {
            FieldKind[] kinds;
            var sample = await CsvCursor.OpenAsync(Location, _options, cancellationToken).ConfigureAwait(false);
            await using (sample.ConfigureAwait(false))
            {
                kinds = await sample.InferKindsAsync(_options.SchemaInferenceRows, cancellationToken).ConfigureAwait(false);
            }

            cursor.SetKinds(kinds);
        }

        return cursor;
    }
}
