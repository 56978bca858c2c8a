using System.Runtime.CompilerServices;

namespace MLSystemDesign.Data.Internal;

/// <summary>
/// The one read loop every cursor-based source shares: bind once, then per row build the record or, for a bad row,
/// fail with a <see cref="DataRecordException"/> or skip and count it under <see cref="BadRecordPolicy.Skip"/>.
/// </summary>
internal static class RecordReadLoop
{
    public static async IAsyncEnumerable<T> ReadAsync<T>(
        Func<CancellationToken, ValueTask<RecordCursor>> open,
        RecordMap<T> map,
        string source,
        BadRecordPolicy policy,
        DataReadReport? report,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (policy == BadRecordPolicy.Skip && report is null)
        {
            throw new InvalidOperationException(
                $"{source}: the bad-record policy is Skip, so skipped records must be counted; pass a DataReadReport to ReadAsync.");
        }

        var cursor = await open(cancellationToken).ConfigureAwait(false);
        await using (cursor.ConfigureAwait(false))
        {
            cursor.Report = report;
            var bind = RecordBinder<T>.Compile(map, cursor.Columns, source);
            while (await cursor.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (TryBind(cursor, bind, source, out var record, out var bad))
                {
                    report?.AddRead();
                    yield return record;
                }
                else if (policy == BadRecordPolicy.Skip)
                {
                    report!.AddSkipped(bad.Record);
                }
                else
                {
                    throw bad;
                }
            }
        }
    }

    private static bool TryBind<T>(RecordCursor cursor, Func<RecordCursor, T> bind, string source, out T record, out DataRecordException error)
    {
        record = default!;
        error = null!;
        if (cursor.MalformedReason is { } reason)
        {
            error = new DataRecordException(new BadRecord(source, cursor.RecordNumber, cursor.LineNumber, null, null, reason));
            return false;
        }

        cursor.CurrentOrdinal = -1;
        try
        {
            record = bind(cursor);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            var ordinal = cursor.CurrentOrdinal;
            string? column = null, value = null;
            if (ordinal >= 0 && ordinal < cursor.Columns.Count)
            {
                column = cursor.Columns[ordinal];
                value = SafeRaw(cursor, ordinal);
            }

            error = new DataRecordException(new BadRecord(source, cursor.RecordNumber, cursor.LineNumber, column, value, ex.Message), ex);
            return false;
        }
    }

    private static string? SafeRaw(RecordCursor cursor, int ordinal)
    {
        try
        {
            return cursor.GetRawText(ordinal);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or InvalidOperationException)
        {
            return null;
        }
    }
}
