namespace MLSystemDesign.Data.Internal;

/// <summary>What every built-in source shares: its descriptor, option validation, and fingerprinting through its own records.</summary>
internal abstract class DataSourceBase<T> : IDataSource<T>
{
    protected DataSourceBase(string kind, string location, RecordMap<T>? map, DataSourceOptions options)
    {
        if (options is CsvSourceOptions csv)
        {
            OptionsValidation.ThrowIfInvalid<CsvSourceOptions, CsvSourceOptionsValidator>(csv);
        }
        else
        {
            OptionsValidation.ThrowIfInvalid<DataSourceOptions, DataSourceOptionsValidator>(options);
        }
        Map = typeof(T) == typeof(TabularRecord) ? null! : map ?? RecordMap<T>.ByConvention();
        Options = options;
        Location = location;
        Descriptor = new DataSourceDescriptor(kind, location, typeof(T) == typeof(TabularRecord) ? new RecordSchema([]) : Map.ToSchema());
    }

    public DataSourceDescriptor Descriptor { get; protected set; }

    protected RecordMap<T> Map { get; }

    protected DataSourceOptions Options { get; }

    protected string Location { get; }

    public abstract IAsyncEnumerable<T> ReadAsync(DataReadReport? report = null, CancellationToken cancellationToken = default);

    public async ValueTask<DatasetFingerprint> ComputeFingerprintAsync(CancellationToken cancellationToken = default)
    {
        var report = Options.OnBadRecord == BadRecordPolicy.Skip ? new DataReadReport(0) : null;
        return await RecordFingerprinter.ComputeAsync(ReadAsync(report, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    protected static void EnsureFileExists(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The data file '{Path.GetFullPath(path)}' does not exist.", Path.GetFullPath(path));
        }
    }
}
