using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MLSystemDesign.Registry.Internal;

/// <summary>
/// The registry's SQLite database: WAL journal (readers never block the writer), a busy timeout for writers of other
/// threads and processes, and one pooled connection per operation. Every value is bound as a parameter.
/// </summary>
internal sealed class RegistryDatabase
{
    /// <summary>The schema this code writes; a database of a newer schema is refused.</summary>
    public const int SchemaVersion = 1;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS models(
            name TEXT PRIMARY KEY, description TEXT, owner TEXT,
            created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, next_version INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS versions(
            model TEXT NOT NULL, version INTEGER NOT NULL, state INTEGER NOT NULL,
            registered_at INTEGER NOT NULL, registered_by TEXT NOT NULL, document TEXT NOT NULL,
            PRIMARY KEY(model, version)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS versions_registered ON versions(registered_at);
        CREATE TABLE IF NOT EXISTS artifacts(
            model TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, ordinal INTEGER NOT NULL,
            kind TEXT NOT NULL, media_type TEXT NOT NULL, format_id TEXT, sha256 TEXT NOT NULL, length INTEGER NOT NULL,
            sealed INTEGER NOT NULL, added_at INTEGER NOT NULL,
            PRIMARY KEY(model, version, name)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS artifacts_sha256 ON artifacts(sha256);
        CREATE TABLE IF NOT EXISTS tags(
            model TEXT NOT NULL, version INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY(model, version, key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS tags_key ON tags(key, value);
        CREATE TABLE IF NOT EXISTS metrics(
            model TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, value REAL,
            PRIMARY KEY(model, version, name)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS metrics_name ON metrics(name, value);
        CREATE TABLE IF NOT EXISTS aliases(
            model TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL, updated_at INTEGER NOT NULL,
            PRIMARY KEY(model, alias)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS audit(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, reason TEXT,
            action TEXT NOT NULL, model TEXT NOT NULL, version INTEGER, subject TEXT, before TEXT, after TEXT);
        CREATE INDEX IF NOT EXISTS audit_model ON audit(model, seq);
        CREATE TABLE IF NOT EXISTS pending(
            lease TEXT NOT NULL, registration TEXT NOT NULL, sha256 TEXT NOT NULL, since INTEGER NOT NULL,
            PRIMARY KEY(lease, registration, sha256)) WITHOUT ROWID;
        """;

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly Lock _gate = new();
    private volatile bool _ready;

    public RegistryDatabase(string path, TimeSpan busyTimeout, bool flushToDisk)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString();
        _pragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous={(flushToDisk ? "FULL" : "NORMAL")};");
    }

    public string Path { get; }

    /// <summary>Closes the pooled connections of this database (when the registry is disposed).</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Opens a pooled connection with the registry's pragmas, creating the schema on first use.</summary>
    public SqliteConnection Open()
    {
        if (!_ready)
        {
            Initialize();
        }

        return OpenRaw();
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            connection.Execute(_pragmas);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Initialize()
    {
        lock (_gate)
        {
            if (_ready)
            {
                return;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using var connection = OpenRaw();

            // WAL persists in the file; switching needs a moment alone, which the busy timeout waits for.
            var mode = connection.Scalar<string>("PRAGMA journal_mode=WAL;");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The registry database '{Path}' cannot use write-ahead logging (journal mode stays '{mode}'); is it on a network file system?");
            }

            using (var tx = connection.BeginTransaction())
            {
                connection.Execute(Schema, tx);
                connection.Execute("INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', $v);", tx, ("$v", SchemaVersion.ToString(CultureInfo.InvariantCulture)));
                var stored = int.Parse(connection.Scalar<string>("SELECT value FROM meta WHERE key = 'schema_version';", tx)!, CultureInfo.InvariantCulture);
                if (stored > SchemaVersion)
                {
                    throw new NotSupportedException($"The registry database '{Path}' has schema version {stored}; this version of MLSystemDesign reads up to {SchemaVersion}. Upgrade the package.");
                }

                tx.Commit();
            }

            _ready = true;
        }
    }
}

/// <summary>Small helpers that keep every value a bound parameter.</summary>
internal static class SqliteExtensions
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static int Execute(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Command(sql, transaction, parameters);
        return command.ExecuteNonQuery();
    }

    public static T? Scalar<T>(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Command(sql, transaction, parameters);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static int? GetInt32OrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
}
