using System.Data.Common;
using MLSystemDesign.Data.Internal;

namespace MLSystemDesign.Data;

/// <summary>Creates the built-in data sources.</summary>
/// <example>
/// <code>
/// var flights = DataSource.Parquet&lt;Flight&gt;("flights.parquet");
/// await foreach (var f in flights.ReadAsync()) { ... }
/// </code>
/// </example>
public static class DataSource
{
    /// <summary>Reads a CSV file (parsed by Sylvan.Data.Csv), streaming.</summary>
    /// <typeparam name="T">The record type; <see cref="TabularRecord"/> reads every column with inferred kinds.</typeparam>
    /// <param name="path">The file path.</param>
    /// <param name="options">Delimiter, header, culture, missing markers and bad-record policy; defaults when omitted.</param>
    /// <param name="map">How members map to columns; the conventional map when omitted.</param>
    /// <returns>The source. The file is opened on each read; a missing file fails then with <see cref="FileNotFoundException"/>.</returns>
    public static IDataSource<T> Csv<T>(string path, CsvSourceOptions? options = null, RecordMap<T>? map = null)
    {
        options ??= new CsvSourceOptions();
        return new FileDataSource<T>("csv", path, options, map, CsvCursor.Opener(options));
    }

    /// <summary>Reads a JSON Lines file (one JSON object per line, System.Text.Json), streaming.</summary>
    /// <typeparam name="T">The record type; <see cref="TabularRecord"/> reads every property with inferred kinds.</typeparam>
    /// <param name="path">The file path.</param>
    /// <param name="options">Bad-record policy and inference; defaults when omitted.</param>
    /// <param name="map">How members map to properties; the conventional map when omitted.</param>
    /// <returns>The source.</returns>
    public static IDataSource<T> JsonLines<T>(string path, JsonLinesSourceOptions? options = null, RecordMap<T>? map = null)
    {
        options ??= new JsonLinesSourceOptions();
        return new FileDataSource<T>("jsonl", path, options, map, JsonLinesCursor.Opener(options));
    }

    /// <summary>Reads a Parquet file (Parquet.Net) one row group at a time, only the mapped columns.</summary>
    /// <typeparam name="T">The record type; <see cref="TabularRecord"/> reads every column.</typeparam>
    /// <param name="path">The file path.</param>
    /// <param name="options">Bad-record policy; defaults when omitted.</param>
    /// <param name="map">How members map to columns; the conventional map when omitted.</param>
    /// <returns>The source.</returns>
    public static IDataSource<T> Parquet<T>(string path, ParquetSourceOptions? options = null, RecordMap<T>? map = null) =>
        new FileDataSource<T>("parquet", path, options ?? new ParquetSourceOptions(), map, ParquetCursor.Opener());

    /// <summary>Reads the result of a parameterized SQL query through any ADO.NET provider.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="connectionFactory">Creates a new, unopened connection for each read; the source opens and disposes it.</param>
    /// <param name="commandText">The query. Put values in <paramref name="parameters"/>, never in the text.</param>
    /// <param name="parameters">Parameter values by name (with the provider's prefix, e.g. <c>$month</c> or <c>@month</c>).</param>
    /// <param name="options">Timeout and bad-record policy; defaults when omitted.</param>
    /// <param name="map">How members map to result columns; the conventional map when omitted.</param>
    /// <returns>The source.</returns>
    public static IDataSource<T> Sql<T>(
        Func<DbConnection> connectionFactory,
        string commandText,
        IReadOnlyDictionary<string, object?>? parameters = null,
        SqlSourceOptions? options = null,
        RecordMap<T>? map = null) =>
        new SqlDataSource<T>(connectionFactory, commandText, parameters, options ?? new SqlSourceOptions(), map);

    /// <summary>Wraps records already in memory.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records; enumerated on each read.</param>
    /// <param name="name">A name for lineage and error messages.</param>
    /// <returns>The source.</returns>
    public static IDataSource<T> InMemory<T>(IEnumerable<T> records, string name = "memory") =>
        new InMemoryDataSource<T>(records, name);

    /// <summary>
    /// Opens a file by its extension: <c>.csv</c>/<c>.tsv</c>/<c>.txt</c> as CSV (tab-delimited for <c>.tsv</c>),
    /// <c>.jsonl</c>/<c>.ndjson</c> as JSON Lines, <c>.parquet</c> as Parquet.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="path">The file path.</param>
    /// <param name="onBadRecord">The bad-record policy.</param>
    /// <param name="map">How members map to columns; the conventional map when omitted.</param>
    /// <returns>The source.</returns>
    /// <exception cref="NotSupportedException">The extension names no supported format; the message lists those that are.</exception>
    public static IDataSource<T> Open<T>(string path, BadRecordPolicy onBadRecord = BadRecordPolicy.Fail, RecordMap<T>? map = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".CSV" or ".TXT" => Csv(path, new CsvSourceOptions { OnBadRecord = onBadRecord }, map),
            ".TSV" => Csv(path, new CsvSourceOptions { OnBadRecord = onBadRecord, Delimiter = '\t' }, map),
            ".JSONL" or ".NDJSON" => JsonLines(path, new JsonLinesSourceOptions { OnBadRecord = onBadRecord }, map),
            ".PARQUET" => Parquet(path, new ParquetSourceOptions { OnBadRecord = onBadRecord }, map),
            var ext => throw new NotSupportedException(
                $"'{path}': the extension '{ext}' names no supported format; use .csv, .tsv, .txt, .jsonl, .ndjson or .parquet."),
        };
    }

    /// <summary>Reads every record of a source into a list. Use only when the data fits in memory.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="source">The source.</param>
    /// <param name="report">Receives the read counts; required under <see cref="BadRecordPolicy.Skip"/>.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The records.</returns>
    public static async Task<List<T>> ToListAsync<T>(this IDataSource<T> source, DataReadReport? report = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var list = new List<T>();
        await foreach (var record in source.ReadAsync(report, cancellationToken).ConfigureAwait(false))
        {
            list.Add(record);
        }

        return list;
    }
}

/// <summary>Computes dataset fingerprints of records in memory.</summary>
public static class DatasetFingerprints
{
    /// <summary>Computes the fingerprint of records; equal to the fingerprint of a source that yields the same records.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <returns>The fingerprint.</returns>
    public static DatasetFingerprint Compute<T>(IEnumerable<T> records) => RecordFingerprinter.Compute(records);
}
