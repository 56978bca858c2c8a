namespace MLSystemDesign.Data.Internal;

internal sealed class JsonLinesDataSource<T> : DataSourceBase<T>
{
    private readonly JsonLinesSourceOptions _options;

    public JsonLinesDataSource(string path, JsonLinesSourceOptions options, RecordMap<T>? map)
        : base("jsonl", path, map, options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _options = options;
    }

    public override IAsyncEnumerable<T> ReadAsync(DataReadReport? report = null, CancellationToken cancellationToken = default) =>
        RecordReadLoop.ReadAsync(OpenAsync, Map, Location, _options.OnBadRecord, report, cancellationToken);

    private async ValueTask<RecordCursor> OpenAsync(CancellationToken cancellationToken)
    {
        EnsureFileExists(Location);
        if (typeof(T) == typeof(TabularRecord))
        {
            var (columns, kinds) = await JsonLinesCursor.DiscoverAsync(Location, _options.SchemaInferenceRows, cancellationToken).ConfigureAwait(false);
            var tabular = JsonLinesCursor.Open(Location, columns);
            tabular.SetKinds(kinds);
            return tabular;
        }

        var cursor = JsonLinesCursor.Open(Location, Map.Members.Select(m => m.Column).ToArray());
        cursor.SetKinds(Map.Members.Select(m => m.Kind).ToArray());
        return cursor;
    }
}
