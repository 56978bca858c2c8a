namespace MLSystemDesign.Data.Internal;

/// <summary>Opens a cursor over a file: the mapped members, or <see langword="null"/> to read every column as a <see cref="TabularRecord"/>.</summary>
internal delegate ValueTask<RecordCursor> CursorOpener(string path, IReadOnlyList<MappedMember>? members, CancellationToken cancellationToken);

/// <summary>A source over one file of any format; the format is the cursor its opener creates.</summary>
internal sealed class FileDataSource<T> : DataSourceBase<T>
{
    private readonly CursorOpener _open;

    public FileDataSource(string kind, string path, DataSourceOptions options, RecordMap<T>? map, CursorOpener open)
        : base(kind, path, map, options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _open = open;
    }

    public override IAsyncEnumerable<T> ReadAsync(DataReadReport? report = null, CancellationToken cancellationToken = default) =>
        RecordReadLoop.ReadAsync(OpenAsync, Map, Location, Options.OnBadRecord, report, cancellationToken);

    private ValueTask<RecordCursor> OpenAsync(CancellationToken cancellationToken)
    {
        EnsureFileExists(Location);
        return _open(Location, typeof(T) == typeof(TabularRecord) ? null : Map.Members, cancellationToken);
    }
}
