using System.Data.Common;
using System.Globalization;

namespace MLSystemDesign.Data.Internal;

/// <summary>
/// A cursor over any ADO.NET <see cref="DbDataReader"/>. Conversions look at the type of each value as the provider
/// reports it, so a text value where a number is expected is parsed strictly (never read as 0, as some providers would).
/// A provider's failure to run the query becomes a <see cref="DataSchemaException"/>, and one while reading rows a
/// <see cref="DataRecordException"/>, each naming the source (never the connection string) with the provider's
/// exception inside.
/// </summary>
internal sealed class DbCursor : RecordCursor
{
    private readonly DbConnection _connection;
    private readonly DbCommand _command;
    private readonly DbDataReader _reader;
    private readonly string _source;
    private readonly string[] _columns;
    private long _record;

    private DbCursor(DbConnection connection, DbCommand command, DbDataReader reader, string source)
    {
        _connection = connection;
        _source = source;
        _command = command;
        _reader = reader;
        _columns = new string[reader.FieldCount];
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i] = reader.GetName(i);
        }
    }

    public override IReadOnlyList<string> Columns => _columns;

    public override long RecordNumber => _record;

    public static async ValueTask<DbCursor> OpenAsync(
        Func<DbConnection> connectionFactory,
        string commandText,
        IReadOnlyDictionary<string, object?> parameters,
        SqlSourceOptions options,
        string source,
        CancellationToken cancellationToken)
    {
        var connection = connectionFactory() ?? throw new InvalidOperationException("The connection factory returned null.");
        DbCommand? command = null;
        try
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }

            command = connection.CreateCommand();
#pragma warning disable CA2100 // The text is the caller's query; every value travels as a parameter.
            command.CommandText = commandText;
#pragma warning restore CA2100
            if (options.CommandTimeoutSeconds is { } timeout)
            {
                command.CommandTimeout = timeout;
            }

            foreach (var (name, value) in parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = value ?? DBNull.Value;
                command.Parameters.Add(p);
            }

            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return new DbCursor(connection, command, reader, source);
        }
        catch (DbException ex)
        {
            if (command is not null)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            throw new DataSchemaException(source, $"the query could not run: {ex.Message}", ex);
        }
        catch
        {
            if (command is not null)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        bool more;
        try
        {
            more = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            throw new DataRecordException(new BadRecord(_source, _record + 1, null, null, null, $"the provider failed to read the row: {ex.Message}"), ex);
        }

        if (more)
        {
            _record++;
            return true;
        }

        return false;
    }

    public override bool IsMissing(int ordinal) => _reader.IsDBNull(ordinal);

    private object Value(int ordinal) => _reader.GetValue(ordinal);

    public override string GetString(int ordinal) => Value(ordinal) switch
    {
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? string.Empty,
    };

    public override double GetDouble(int ordinal) => Value(ordinal) switch
    {
        string s => Text.ParseDouble(s, CultureInfo.InvariantCulture),
        bool b => b ? 1 : 0,
        IConvertible c and not DateTime => c.ToDouble(CultureInfo.InvariantCulture),
        var v => throw new InvalidCastException($"expected a number, found {v.GetType().Name}."),
    };

    public override long GetInt64(int ordinal) => Value(ordinal) switch
    {
        string s => Text.ParseInt64(s, CultureInfo.InvariantCulture),
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        double d when d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
        decimal m when m == decimal.Floor(m) => (long)m,
        var v => throw new FormatException($"expected an integer, found {Convert.ToString(v, CultureInfo.InvariantCulture)}."),
    };

    public override bool GetBoolean(int ordinal) => Value(ordinal) switch
    {
        bool b => b,
        string s => Text.ParseBoolean(s),
        long l when l is 0 or 1 => l == 1,
        int i when i is 0 or 1 => i == 1,
        var v => throw new FormatException($"expected a Boolean, found {Convert.ToString(v, CultureInfo.InvariantCulture)}."),
    };

    public override DateTime GetDateTime(int ordinal) => Value(ordinal) switch
    {
        DateTime d => d,
        DateTimeOffset o => o.UtcDateTime,
        string s => Text.ParseDateTime(s, CultureInfo.InvariantCulture),
        var v => throw new InvalidCastException($"expected a date/time, found {v.GetType().Name}."),
    };

    public override decimal GetDecimal(int ordinal) => Value(ordinal) switch
    {
        decimal m => m,
        string s => Text.ParseDecimal(s, CultureInfo.InvariantCulture),
        IConvertible c and not DateTime => c.ToDecimal(CultureInfo.InvariantCulture),
        var v => throw new InvalidCastException($"expected a number, found {v.GetType().Name}."),
    };

    public override string? GetRawText(int ordinal) =>
        _reader.IsDBNull(ordinal) ? null : Text.Truncate(Convert.ToString(Value(ordinal), CultureInfo.InvariantCulture));

    public override FieldKind GetColumnKind(int ordinal)
    {
        var t = _reader.GetFieldType(ordinal);
        return MappedMember.IsSupported(t) ? MappedMember.KindOf(t) : FieldKind.Text;
    }

    public override async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _command.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
