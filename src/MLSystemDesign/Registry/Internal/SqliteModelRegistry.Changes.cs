using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace MLSystemDesign.Registry.Internal;

/// <summary>Aliases, tags, state changes and the audit log.</summary>
internal sealed partial class SqliteModelRegistry
{
    private static readonly string[] AliasActions = [nameof(AuditAction.AliasSet), nameof(AuditAction.AliasRemoved)];

    public Task<RegisteredModel> UpdateModelAsync(string name, string? description, string? owner, RegistryChange change = default, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        RegistryNames.ValidateText("Model description", description, RegistryNames.MaxTextLength, nameof(description));
        RegistryNames.ValidateText("Owner", owner, 256, nameof(owner));
        var (actor, reason) = Who(change);
        using var connection = Open();
        using (var tx = connection.BeginTransaction())
        {
            var at = Now();
            var previous = ReadModel(connection, tx, name);
            connection.Execute(
                "INSERT INTO models(name, description, owner, created_at, updated_at, next_version) VALUES($n, $d, $o, $t, $t, 1) ON CONFLICT(name) DO UPDATE SET description = coalesce($d, models.description), owner = coalesce($o, models.owner), updated_at = $t;",
                tx, ("$n", name), ("$d", description), ("$o", owner), ("$t", at));
            Audit(connection, tx, at, actor, reason, AuditAction.ModelUpdated, name, null, null,
                previous is null ? null : Describe(previous.Description, previous.Owner),
                Describe(description ?? previous?.Description, owner ?? previous?.Owner));
            tx.Commit();
        }

        return Task.FromResult(ReadModel(connection, null, name)!);

        static string Describe(string? d, string? o) => JsonSerializer.Serialize(new Dictionary<string, string?> { ["description"] = d, ["owner"] = o }, RegistryJsonContext.Default.DictionaryStringString);
    }

    public Task<AliasChange> SetAliasAsync(string name, string alias, int version, RegistryChange change = default, CancellationToken cancellationToken = default) =>
        Task.FromResult(MoveAlias(name, alias, version, change));

    public Task<AliasChange> RemoveAliasAsync(string name, string alias, RegistryChange change = default, CancellationToken cancellationToken = default) =>
        Task.FromResult(MoveAlias(name, alias, null, change));

    /// <summary>Points an alias at a version, or removes it when <paramref name="version"/> is null, in one audited transaction.</summary>
    private AliasChange MoveAlias(string name, string alias, int? version, RegistryChange change)
    {
        RegistryNames.ValidateModelName(name);
        RegistryNames.ValidateAlias(alias);
        var (actor, reason) = Who(change);
        AliasChange result;
        using (var connection = Open())
        using (var tx = connection.BeginTransaction())
        {
            if (version is { } target && StateOf(connection, tx, name, target) is var state && state != ModelVersionState.Active)
            {
                throw new InvalidOperationException($"Cannot point '{name}@{alias}' at version {target}: it is {StateText(state)}. Only active versions take aliases.");
            }

            var previous = connection.Scalar<int?>("SELECT version FROM aliases WHERE model = $m AND alias = $a;", tx, ("$m", name), ("$a", alias));
            if (version is null && previous is null)
            {
                throw ModelExists(connection, tx, name) ? new KeyNotFoundException($"Model '{name}' has no alias '{alias}'.{AliasList(connection, tx, name)}") : NoModel(name);
            }

            var at = Now();
            if (version is null)
            {
                connection.Execute("DELETE FROM aliases WHERE model = $m AND alias = $a;", tx, ("$m", name), ("$a", alias));
            }
            else
            {
                connection.Execute(
                    "INSERT INTO aliases(model, alias, version, updated_at) VALUES($m, $a, $v, $t) ON CONFLICT(model, alias) DO UPDATE SET version = $v, updated_at = $t;",
                    tx, ("$m", name), ("$a", alias), ("$v", version), ("$t", at));
            }

            connection.Execute("UPDATE models SET updated_at = $t WHERE name = $m;", tx, ("$t", at), ("$m", name));
            var action = version is null ? AuditAction.AliasRemoved : AuditAction.AliasSet;
            var seq = AuditReturning(connection, tx, at, actor, reason, action, name, version ?? previous, alias, Text(previous), Text(version));
            tx.Commit();
            result = new AliasChange(seq, DateTimeOffset.FromUnixTimeMilliseconds(at), name, alias, previous, version, actor, reason);
        }

        LogAliasMoved(_logger, name, alias, result.PreviousVersion, version, actor, reason);
        SignalChange();
        return result;
    }

    public Task<int?> GetAliasAtAsync(string name, string alias, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        RegistryNames.ValidateAlias(alias);
        using var connection = Open();
        using var command = connection.Command(
            "SELECT action, after FROM audit WHERE model = $m AND subject = $a AND action IN ($set, $removed) AND at <= $t ORDER BY seq DESC LIMIT 1;",
            null, ("$m", name), ("$a", alias), ("$set", AliasActions[0]), ("$removed", AliasActions[1]), ("$t", at.ToUnixTimeMilliseconds()));
        using var reader = command.ExecuteReader();
        int? version = reader.Read() && reader.GetString(0) == AliasActions[0] ? int.Parse(reader.GetString(1), CultureInfo.InvariantCulture) : null;
        return Task.FromResult(version);
    }

    public Task SetTagAsync(string name, int version, string key, string value, RegistryChange change = default, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        RegistryNames.ValidateKey("Tag key", key);
        ArgumentNullException.ThrowIfNull(value);
        RegistryNames.ValidateValue($"Tag '{key}'", value);
        var (actor, reason) = Who(change);
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        RequireNotDeleted(connection, tx, name, version, "tag");
        var at = Now();
        var previous = connection.Scalar<string>("SELECT value FROM tags WHERE model = $m AND version = $v AND key = $k;", tx, ("$m", name), ("$v", version), ("$k", key));
        connection.Execute(
            "INSERT INTO tags(model, version, key, value) VALUES($m, $v, $k, $val) ON CONFLICT(model, version, key) DO UPDATE SET value = $val;",
            tx, ("$m", name), ("$v", version), ("$k", key), ("$val", value));
        Audit(connection, tx, at, actor, reason, AuditAction.TagSet, name, version, key, previous, value);
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task RemoveTagAsync(string name, int version, string key, RegistryChange change = default, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        RegistryNames.ValidateKey("Tag key", key);
        var (actor, reason) = Who(change);
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        RequireNotDeleted(connection, tx, name, version, "untag");
        var previous = connection.Scalar<string>("SELECT value FROM tags WHERE model = $m AND version = $v AND key = $k;", tx, ("$m", name), ("$v", version), ("$k", key))
            ?? throw new KeyNotFoundException($"{name}:{version} has no tag '{key}'.");
        connection.Execute("DELETE FROM tags WHERE model = $m AND version = $v AND key = $k;", tx, ("$m", name), ("$v", version), ("$k", key));
        Audit(connection, tx, Now(), actor, reason, AuditAction.TagRemoved, name, version, key, previous, null);
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task<ModelVersion> ArchiveAsync(string name, int version, RegistryChange change = default, CancellationToken cancellationToken = default) =>
        ChangeState(name, version, ModelVersionState.Active, ModelVersionState.Archived, AuditAction.Archived, change);

    public Task<ModelVersion> RestoreAsync(string name, int version, RegistryChange change = default, CancellationToken cancellationToken = default) =>
        ChangeState(name, version, ModelVersionState.Archived, ModelVersionState.Active, AuditAction.Restored, change);

    public Task DeleteAsync(string name, int version, RegistryChange change = default, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        var (actor, reason) = Who(change);
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        var state = StateOf(connection, tx, name, version);
        if (state == ModelVersionState.Deleted)
        {
            throw new InvalidOperationException($"{name}:{version} is already deleted.");
        }

        RefuseWhileAliased(connection, tx, name, version, "delete");
        var artifacts = ReadVersion(connection, tx, name, version)!.Artifacts.ToList();
        var at = Now();
        connection.Execute("DELETE FROM artifacts WHERE model = $m AND version = $v;", tx, ("$m", name), ("$v", version));
        connection.Execute("UPDATE versions SET state = $s WHERE model = $m AND version = $v;", tx, ("$s", (int)ModelVersionState.Deleted), ("$m", name), ("$v", version));
        connection.Execute("UPDATE models SET updated_at = $t WHERE name = $m;", tx, ("$t", at), ("$m", name));
        Audit(connection, tx, at, actor, reason, AuditAction.Deleted, name, version, null,
            JsonSerializer.Serialize(artifacts, RegistryJsonContext.Default.ListArtifactDescriptor), StateText(ModelVersionState.Deleted));
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> GetHistoryAsync(string? name = null, int? version = null, CancellationToken cancellationToken = default)
    {
        if (name is not null)
        {
            RegistryNames.ValidateModelName(name);
        }

        var sql = "SELECT seq, at, actor, reason, action, model, version, subject, before, after FROM audit WHERE ($m IS NULL OR model = $m)";
        if (version is not null)
        {
            // Entries about the version, and alias moves away from it.
            sql += " AND (version = $v OR (action IN ($set, $removed) AND before = $vt))";
        }

        using var connection = Open();
        var entries = ReadAudit(connection, sql + " ORDER BY seq;", ("$m", name), ("$v", version), ("$vt", Text(version)), ("$set", AliasActions[0]), ("$removed", AliasActions[1]));
        return Task.FromResult<IReadOnlyList<AuditEntry>>(entries);
    }

    public async IAsyncEnumerable<AliasChange> WatchAliasesAsync(string? name = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (name is not null)
        {
            RegistryNames.ValidateModelName(name);
        }

        long last;
        using (var connection = Open())
        {
            last = connection.Scalar<long?>("SELECT max(seq) FROM audit;") ?? 0;
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var signal = Volatile.Read(ref _changed).Task;
            List<AuditEntry> entries;
            using (var connection = Open())
            {
                entries = ReadAudit(
                    connection,
                    "SELECT seq, at, actor, reason, action, model, version, subject, before, after FROM audit WHERE seq > $last AND action IN ($set, $removed) AND ($m IS NULL OR model = $m) ORDER BY seq;",
                    ("$last", last), ("$set", AliasActions[0]), ("$removed", AliasActions[1]), ("$m", name));
            }

            foreach (var e in entries)
            {
                last = e.Sequence;
                yield return new AliasChange(e.Sequence, e.At, e.Model, e.Subject!, ParseVersion(e.Before), ParseVersion(e.After), e.Actor, e.Reason);
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(_options.WatchPollInterval, _time, wait.Token);
            await Task.WhenAny(signal, delay).ConfigureAwait(false);
            await wait.CancelAsync().ConfigureAwait(false);
        }
    }

    private Task<ModelVersion> ChangeState(string name, int version, ModelVersionState from, ModelVersionState to, AuditAction action, RegistryChange change)
    {
        RegistryNames.ValidateModelName(name);
        var (actor, reason) = Who(change);
        using var connection = Open();
        using (var tx = connection.BeginTransaction())
        {
            var state = StateOf(connection, tx, name, version);
            if (state != from)
            {
                throw new InvalidOperationException($"Cannot {(to == ModelVersionState.Archived ? "archive" : "restore")} {name}:{version}: it is {StateText(state)}, not {StateText(from)}.");
            }

            if (to == ModelVersionState.Archived)
            {
                RefuseWhileAliased(connection, tx, name, version, "archive");
            }

            var at = Now();
            connection.Execute("UPDATE versions SET state = $s WHERE model = $m AND version = $v;", tx, ("$s", (int)to), ("$m", name), ("$v", version));
            connection.Execute("UPDATE models SET updated_at = $t WHERE name = $m;", tx, ("$t", at), ("$m", name));
            Audit(connection, tx, at, actor, reason, action, name, version, null, StateText(from), StateText(to));
            tx.Commit();
        }

        return Task.FromResult(ReadVersion(connection, null, name, version)!);
    }

    private static void RefuseWhileAliased(SqliteConnection connection, SqliteTransaction tx, string name, int version, string verb)
    {
        var aliases = new List<string>();
        using (var command = connection.Command("SELECT alias FROM aliases WHERE model = $m AND version = $v ORDER BY alias;", tx, ("$m", name), ("$v", version)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                aliases.Add(reader.GetString(0));
            }
        }

        if (aliases.Count > 0)
        {
            throw new InvalidOperationException($"Cannot {verb} {name}:{version}: {string.Join(", ", aliases.Select(a => $"'{a}'"))} point{(aliases.Count == 1 ? "s" : string.Empty)} at it. Move or remove the alias first.");
        }
    }

    private static ModelVersionState StateOf(SqliteConnection connection, SqliteTransaction? tx, string name, int version)
    {
        var state = connection.Scalar<int?>("SELECT state FROM versions WHERE model = $m AND version = $v;", tx, ("$m", name), ("$v", version));
        return state is { } s
            ? (ModelVersionState)s
            : throw (ModelExists(connection, tx, name) ? new KeyNotFoundException($"Model '{name}' has no version {version}.") : NoModel(name));
    }

    private static void RequireNotDeleted(SqliteConnection connection, SqliteTransaction tx, string name, int version, string verb)
    {
        if (StateOf(connection, tx, name, version) == ModelVersionState.Deleted)
        {
            throw new InvalidOperationException($"Cannot {verb} {name}:{version}: it is deleted.");
        }
    }

    private static List<AuditEntry> ReadAudit(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var entries = new List<AuditEntry>();
        using var command = connection.Command(sql, null, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetStringOrNull(3),
                Enum.Parse<AuditAction>(reader.GetString(4)),
                reader.GetString(5),
                reader.GetInt32OrNull(6),
                reader.GetStringOrNull(7),
                reader.GetStringOrNull(8),
                reader.GetStringOrNull(9)));
        }

        return entries;
    }

    private static long AuditReturning(SqliteConnection connection, SqliteTransaction tx, long at, string actor, string? reason, AuditAction action, string model, int? version, string? subject, string? before, string? after)
    {
        Audit(connection, tx, at, actor, reason, action, model, version, subject, before, after);
        return connection.Scalar<long>("SELECT last_insert_rowid();", tx);
    }

    private (string Actor, string? Reason) Who(RegistryChange change)
    {
        RegistryNames.ValidateText("Reason", change.Reason, RegistryNames.MaxTextLength, nameof(change));
        return (ActorOf(change.Actor), string.IsNullOrWhiteSpace(change.Reason) ? null : change.Reason);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void SignalChange() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private static string? Text(int? version) => version?.ToString(CultureInfo.InvariantCulture);

    private static int? ParseVersion(string? text) => text is null ? null : int.Parse(text, CultureInfo.InvariantCulture);

    private static string StateText(ModelVersionState state) => state.ToString().ToLowerInvariant();
}
