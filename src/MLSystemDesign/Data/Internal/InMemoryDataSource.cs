using System.Runtime.CompilerServices;

namespace MLSystemDesign.Data.Internal;

internal sealed class InMemoryDataSource<T> : IDataSource<T>
{
    private readonly IEnumerable<T> _records;

    public InMemoryDataSource(IEnumerable<T> records, string name)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records = records;
        var schema = records is IEnumerable<TabularRecord> tabular && tabular.FirstOrDefault() is { } first
            ? first.Schema
            : typeof(T) == typeof(TabularRecord) ? new RecordSchema([]) : RecordMap<T>.ByConvention().ToSchema();
        Descriptor = new DataSourceDescriptor("memory", name, schema);
    }

    public DataSourceDescriptor Descriptor { get; }

    public async IAsyncEnumerable<T> ReadAsync(DataReadReport? report = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var number = 0L;
        foreach (var record in _records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            if (record is null)
            {
                throw new DataRecordException(new BadRecord(Descriptor.Location, number, null, null, null, "the record is null"));
            }

            report?.AddRead();
            yield return record;
        }
    }

    public ValueTask<DatasetFingerprint> ComputeFingerprintAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(RecordFingerprinter.Compute(_records));
}
