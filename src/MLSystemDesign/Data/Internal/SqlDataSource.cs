using System.Data.Common;

namespace MLSystemDesign.Data.Internal;

internal sealed class SqlDataSource<T> : DataSourceBase<T>
{
    private readonly Func<DbConnection> _connectionFactory;
    private readonly string _commandText;
    private readonly IReadOnlyDictionary<string, object?> _parameters;
    private readonly SqlSourceOptions _options;

    public SqlDataSource(Func<DbConnection> connectionFactory, string commandText, IReadOnlyDictionary<string, object?>? parameters, SqlSourceOptions options, RecordMap<T>? map)
        : base("sql", DescribeLocation(connectionFactory, commandText), map, options)
    {
        _connectionFactory = connectionFactory;
        _commandText = commandText;
        _parameters = parameters ?? new Dictionary<string, object?>();
        _options = options;
    }

    public override IAsyncEnumerable<T> ReadAsync(DataReadReport? report = null, CancellationToken cancellationToken = default) =>
        RecordReadLoop.ReadAsync(
            async ct => await DbCursor.OpenAsync(_connectionFactory, _commandText, _parameters, _options, Location, ct).ConfigureAwait(false),
            Map,
            Location,
            _options.OnBadRecord,
            report,
            cancellationToken);

    private static string DescribeLocation(Func<DbConnection> connectionFactory, string commandText)
    {
        ArgumentNullException.ThrowIfNull(connectionFactory);
        ArgumentException.ThrowIfNullOrWhiteSpace(commandText);

        // The data source name only: never the connection string, which may hold credentials.
        using var probe = connectionFactory();
        var where = string.IsNullOrEmpty(probe.DataSource) ? probe.GetType().Name : probe.DataSource;
        var query = commandText.Length <= 120 ? commandText : commandText[..120] + "…";
        return $"{where}: {query.ReplaceLineEndings(" ")}";
    }
}
