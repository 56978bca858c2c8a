using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Models;

namespace MLSystemDesign.Registry.Internal;

/// <summary>
/// The embedded registry: metadata in SQLite (<c>registry.db</c>), artifacts in an <see cref="IArtifactStore"/>.
/// A registration stages its artifacts, records them as pending (so garbage collection keeps them), publishes them
/// under their hashes, and only then commits the version in one transaction that takes the next number.
/// </summary>
internal sealed partial class SqliteModelRegistry : IModelRegistry, IDisposable
{
    private const int MaxCachedDocuments = 8192;
    private readonly SqliteRegistryOptions _options;
    private readonly IArtifactStore _store;
    private readonly IModelFormatResolver _formats;
    private readonly IMetricCatalog _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RegistryDatabase _db;
    private readonly ConcurrentDictionary<(string Model, int Version), VersionContent> _documents = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _recovered;

    public SqliteModelRegistry(SqliteRegistryOptions options, IArtifactStore store, IModelFormatResolver formats, TimeProvider timeProvider, ILogger<SqliteModelRegistry>? logger = null, IMetricCatalog? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _formats = formats ?? throw new ArgumentNullException(nameof(formats));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = metrics ?? MetricNames.CreateCatalog();
        Root = Path.GetFullPath(options.RootPath);
        _db = new RegistryDatabase(Path.Combine(Root, "registry.db"), options.BusyTimeout, options.FlushToDisk);
    }

    public string Root { get; }

    public async Task<ModelVersion> RegisterAsync(NewModelVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        RegistryNames.ValidateModelName(version.Name, nameof(version.Name));
        foreach (var artifact in version.Artifacts ?? [])
        {
            ArgumentNullException.ThrowIfNull(artifact, nameof(version));
            ArgumentNullException.ThrowIfNull(artifact.Write, nameof(version));
        }

        var specs = (version.Artifacts ?? []).Select(a => new ArtifactSpec(a.Name, a.Kind, a.MediaType, a.FormatId, Sealed: true)).ToList();
        var document = BuildDocument(version);
        var tags = ValidateNewVersion(version.Name, specs, document, version.Tags, null, null);
        var actor = ActorOf(version.RegisteredBy);
        var commit = new VersionCommit(version.Name, document, tags, specs, actor, AuditAction.Registered, null, null, null, null, version.AllowDuplicateModel);
        return await CommitNewVersionAsync(commit, (version.Artifacts ?? []).Select(a => a.Write).ToList(), cancellationToken).ConfigureAwait(false);
    }

    public Task<ModelVersion> GetAsync(ModelReference reference, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        var number = Resolve(connection, null, reference);
        return Task.FromResult(ReadVersion(connection, null, reference.Name, number)!);
    }

    public Task<RegisteredModel> GetModelAsync(string name, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        using var connection = Open();
        return Task.FromResult(ReadModel(connection, null, name) ?? throw NoModel(name));
    }

    public Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        var names = new List<string>();
        using (var command = connection.Command("SELECT name FROM models ORDER BY name;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        return Task.FromResult<IReadOnlyList<RegisteredModel>>(names.Select(n => ReadModel(connection, null, n)!).ToList());
    }

    public Task<IReadOnlyList<ModelVersion>> SearchAsync(ModelVersionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        var sql = new StringBuilder("SELECT v.model, v.version FROM versions v");
        var parameters = new List<(string, object?)>();
        var descending = query.Descending;
        if (query.OrderByMetric is { } orderBy)
        {
            RegistryNames.ValidateKey("Metric name", orderBy, nameof(query.OrderByMetric));
            descending ??= _metrics.TryGet(orderBy, out var metric)
                ? metric.HigherIsBetter
                : throw new ArgumentException($"Metric '{orderBy}' has no declared direction, so 'best first' is undefined: declare it (ml.AddMetric(\"{orderBy}\", higherIsBetter: ...)) or set {nameof(ModelVersionQuery.Descending)}. Known metrics: {string.Join(", ", _metrics.Definitions.Select(d => d.Name))}.", nameof(query));
            sql.Append(" JOIN metrics o ON o.model = v.model AND o.version = v.version AND o.name = $order AND o.value IS NOT NULL");
            parameters.Add(("$order", orderBy));
        }

        sql.Append(query.IncludeArchived ? " WHERE v.state IN (0, 1)" : " WHERE v.state = 0");
        if (query.Name is { } name)
        {
            RegistryNames.ValidateModelName(name, nameof(query.Name));
            sql.Append(" AND v.model = $name");
            parameters.Add(("$name", name));
        }

        for (var i = 0; i < query.Tags.Count; i++)
        {
            var tag = query.Tags[i];
            RegistryNames.ValidateKey("Tag key", tag.Key, nameof(query.Tags));
            sql.Append(CultureInfo.InvariantCulture, $" AND EXISTS (SELECT 1 FROM tags t WHERE t.model = v.model AND t.version = v.version AND t.key = $tk{i}");
            parameters.Add(($"$tk{i}", tag.Key));
            if (tag.Value is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND t.value = $tv{i}");
                parameters.Add(($"$tv{i}", tag.Value));
            }

            sql.Append(')');
        }

        for (var i = 0; i < query.Metrics.Count; i++)
        {
            var metric = query.Metrics[i];
            RegistryNames.ValidateKey("Metric name", metric.Name, nameof(query.Metrics));
            sql.Append(CultureInfo.InvariantCulture, $" AND EXISTS (SELECT 1 FROM metrics m WHERE m.model = v.model AND m.version = v.version AND m.name = $mn{i} AND m.value IS NOT NULL");
            parameters.Add(($"$mn{i}", metric.Name));
            if (metric.Min is { } min)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND m.value >= $mmin{i}");
                parameters.Add(($"$mmin{i}", min));
            }

            if (metric.Max is { } max)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND m.value <= $mmax{i}");
                parameters.Add(($"$mmax{i}", max));
            }

            sql.Append(')');
        }

        if (query.RegisteredFrom is { } from)
        {
            sql.Append(" AND v.registered_at >= $from");
            parameters.Add(("$from", from.ToUnixTimeMilliseconds()));
        }

        if (query.RegisteredBefore is { } before)
        {
            sql.Append(" AND v.registered_at < $before");
            parameters.Add(("$before", before.ToUnixTimeMilliseconds()));
        }

        sql.Append(query.OrderByMetric is null
            ? " ORDER BY v.registered_at DESC, v.model, v.version DESC"
            : descending == true ? " ORDER BY o.value DESC, v.registered_at DESC, v.version DESC" : " ORDER BY o.value ASC, v.registered_at DESC, v.version DESC");
        if (query.Limit > 0)
        {
            sql.Append(" LIMIT $limit");
            parameters.Add(("$limit", query.Limit));
        }

        using var connection = Open();
        var keys = new List<(string, int)>();
        using (var command = connection.Command(sql.ToString(), null, [.. parameters]))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                keys.Add((reader.GetString(0), reader.GetInt32(1)));
            }
        }

        return Task.FromResult<IReadOnlyList<ModelVersion>>(keys.Select(k => ReadVersion(connection, null, k.Item1, k.Item2)!).ToList());
    }

    public void Dispose()
    {
        (_store as IDisposable)?.Dispose();
        _db.ClearPool();
    }

    /// <summary>Stages artifacts, protects them as pending, publishes them, and commits a new version with the next number.</summary>
    private async Task<ModelVersion> CommitNewVersionAsync(VersionCommit commit, IReadOnlyList<Func<Stream, CancellationToken, ValueTask>> writers, CancellationToken cancellationToken)
    {
        var staged = new List<StagedArtifact>(writers.Count);
        try
        {
            foreach (var write in writers)
            {
                staged.Add(await _store.StageAsync(write, cancellationToken).ConfigureAwait(false));
            }

            return await CommitStagedAsync(commit, staged, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var s in staged)
            {
                await s.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<ModelVersion> CommitStagedAsync(VersionCommit commit, IReadOnlyList<StagedArtifact> staged, CancellationToken cancellationToken)
    {
        var (name, document, tags, specs, actor, action, reason, before, modelDescription, modelOwner, allowDuplicate) = commit;
        var registration = Guid.NewGuid().ToString("N");
        await ProtectAndPublishAsync(staged, registration, cancellationToken).ConfigureAwait(false);
        try
        {
            await CheckContentAsync(specs, staged, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The published blobs are left unreferenced: the next garbage collection removes them.
            using var released = Open();
            ReleasePending(released, registration);
            throw;
        }

        if (_options.BeforeCommit is { } hook)
        {
            await hook(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var json = JsonSerializer.Serialize(document, RegistryJsonContext.Default.VersionDocument);
        var now = _time.GetUtcNow();
        var at = now.ToUnixTimeMilliseconds();
        int number;
        using var connection = Open();
        try
        {
            using (var tx = connection.BeginTransaction())
            {
                if (!allowDuplicate)
                {
                    ThrowIfDuplicateModel(connection, tx, name, specs, staged);
                }

                connection.Execute(
                    "INSERT INTO models(name, description, owner, created_at, updated_at, next_version) VALUES($n, $d, $o, $t, $t, 1) ON CONFLICT(name) DO UPDATE SET updated_at = $t, description = coalesce(models.description, $d), owner = coalesce(models.owner, $o);",
                    tx, ("$n", name), ("$d", modelDescription), ("$o", modelOwner), ("$t", at));
                number = connection.Scalar<int>("UPDATE models SET next_version = next_version + 1 WHERE name = $n RETURNING next_version - 1;", tx, ("$n", name));
                connection.Execute(
                    "INSERT INTO versions(model, version, state, registered_at, registered_by, document) VALUES($m, $v, 0, $t, $by, $doc);",
                    tx, ("$m", name), ("$v", number), ("$t", at), ("$by", actor), ("$doc", json));
                for (var i = 0; i < specs.Count; i++)
                {
                    InsertArtifact(connection, tx, name, number, i, specs[i], staged[i].Sha256, staged[i].Length, at);
                }

                foreach (var (key, value) in tags)
                {
                    connection.Execute("INSERT INTO tags(model, version, key, value) VALUES($m, $v, $k, $val);", tx, ("$m", name), ("$v", number), ("$k", key), ("$val", value));
                }

                foreach (var (metric, value) in document.Metrics)
                {
                    connection.Execute("INSERT INTO metrics(model, version, name, value) VALUES($m, $v, $k, $val);", tx, ("$m", name), ("$v", number), ("$k", metric), ("$val", double.IsFinite(value) ? value : null));
                }

                Audit(connection, tx, at, actor, reason, action, name, number, null, before, number.ToString(CultureInfo.InvariantCulture));
                connection.Execute("DELETE FROM pending WHERE registration = $r;", tx, ("$r", registration));
                tx.Commit();
            }
        }
        catch
        {
            ReleasePending(connection, registration);
            throw;
        }

        Cache(name, number, VersionContent.From(document));
        LogRegistered(_logger, name, number, staged.Count, actor);
        return ReadVersion(connection, null, name, number)!;
    }

    /// <summary>Records staged blobs as pending (garbage collection keeps them while their owner runs), then moves them into place.</summary>
    private async Task ProtectAndPublishAsync(IReadOnlyList<StagedArtifact> staged, string registration, CancellationToken cancellationToken)
    {
        using (var connection = Open())
        using (var tx = connection.BeginTransaction())
        {
            var since = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var s in staged)
            {
                connection.Execute("INSERT OR IGNORE INTO pending(lease, registration, sha256, since) VALUES($l, $r, $s, $t);", tx, ("$l", s.Owner), ("$r", registration), ("$s", s.Sha256), ("$t", since));
            }

            tx.Commit();
        }

        try
        {
            foreach (var s in staged)
            {
                await _store.PublishAsync(s, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            using var connection = Open();
            ReleasePending(connection, registration);
            throw;
        }
    }

    private static void ReleasePending(SqliteConnection connection, string registration)
    {
        try
        {
            connection.Execute("DELETE FROM pending WHERE registration = $r;", null, ("$r", registration));
        }
        catch (SqliteException)
        {
            // The rows stay until this process ends; garbage collection then releases them.
        }
    }

    private static void InsertArtifact(SqliteConnection connection, SqliteTransaction tx, string model, int version, int ordinal, ArtifactSpec spec, string sha256, long length, long at) =>
        connection.Execute(
            "INSERT INTO artifacts(model, version, name, ordinal, kind, media_type, format_id, sha256, length, sealed, added_at) VALUES($m, $v, $n, $o, $k, $mt, $f, $s, $l, $sealed, $t);",
            tx, ("$m", model), ("$v", version), ("$n", spec.Name), ("$o", ordinal), ("$k", spec.Kind), ("$mt", spec.MediaType), ("$f", spec.FormatId), ("$s", sha256), ("$l", length), ("$sealed", spec.Sealed ? 1 : 0), ("$t", at));

    private static void Audit(SqliteConnection connection, SqliteTransaction tx, long at, string actor, string? reason, AuditAction action, string model, int? version, string? subject, string? before, string? after) =>
        connection.Execute(
            "INSERT INTO audit(at, actor, reason, action, model, version, subject, before, after) VALUES($t, $a, $r, $act, $m, $v, $s, $b, $af);",
            tx, ("$t", at), ("$a", actor), ("$r", reason), ("$act", action.ToString()), ("$m", model), ("$v", version), ("$s", subject), ("$b", before), ("$af", after));

    private SqliteConnection Open()
    {
        var connection = _db.Open();
        if (Interlocked.Exchange(ref _recovered, 1) == 0)
        {
            RecoverAbandonedStaging(connection);
        }

        return connection;
    }

    /// <summary>On first open: removes the staging areas and pending records of processes that ended mid-registration.</summary>
    private void RecoverAbandonedStaging(SqliteConnection connection)
    {
        var leases = new List<string>();
        using (var command = connection.Command("SELECT DISTINCT lease FROM pending;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                leases.Add(reader.GetString(0));
            }
        }

        var dead = leases.Where(l => !_store.IsStagingOwnerAlive(l)).ToList();
        foreach (var lease in dead)
        {
            connection.Execute("DELETE FROM pending WHERE lease = $l;", null, ("$l", lease));
        }

        var removed = _store.RemoveAbandonedStagingAsync(dryRun: false).AsTask().GetAwaiter().GetResult();
        if (dead.Count > 0 || removed.Count > 0)
        {
            LogRecovered(_logger, Root, removed.Count, dead.Count);
        }
    }

    private static int Resolve(SqliteConnection connection, SqliteTransaction? tx, ModelReference reference)
    {
        if (reference.Name is null)
        {
            throw new ArgumentException("The model reference is empty.", nameof(reference));
        }

        if (reference.Version is { } version)
        {
            return version;
        }

        if (reference.Alias is { } alias)
        {
            return connection.Scalar<int?>("SELECT version FROM aliases WHERE model = $m AND alias = $a;", tx, ("$m", reference.Name), ("$a", alias))
                ?? throw (ModelExists(connection, tx, reference.Name)
                    ? new KeyNotFoundException($"Model '{reference.Name}' has no alias '{alias}'.{AliasList(connection, tx, reference.Name)}")
                    : NoModel(reference.Name));
        }

        return connection.Scalar<int?>("SELECT max(version) FROM versions WHERE model = $m AND state = 0;", tx, ("$m", reference.Name))
            ?? throw (ModelExists(connection, tx, reference.Name)
                ? new KeyNotFoundException($"Model '{reference.Name}' has no active version.")
                : NoModel(reference.Name));
    }

    private static string AliasList(SqliteConnection connection, SqliteTransaction? tx, string model)
    {
        var aliases = new List<string>();
        using var command = connection.Command("SELECT alias FROM aliases WHERE model = $m ORDER BY alias;", tx, ("$m", model));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            aliases.Add(reader.GetString(0));
        }

        return aliases.Count == 0 ? " It has no aliases." : $" Its aliases: {string.Join(", ", aliases)}.";
    }

    private static bool ModelExists(SqliteConnection connection, SqliteTransaction? tx, string model) =>
        connection.Scalar<long?>("SELECT 1 FROM models WHERE name = $m;", tx, ("$m", model)) is not null;

    private static KeyNotFoundException NoModel(string name) => new($"There is no model '{name}' in the registry.");

    /// <summary>Reads a version with its artifacts, tags and aliases; throws when it does not exist.</summary>
    private ModelVersion? ReadVersion(SqliteConnection connection, SqliteTransaction? tx, string model, int version, bool required = true)
    {
        using var command = connection.Command(
            """
            SELECT state, registered_at, registered_by, document FROM versions WHERE model = $m AND version = $v;
            SELECT name, kind, media_type, format_id, sha256, length, sealed, added_at FROM artifacts WHERE model = $m AND version = $v ORDER BY ordinal;
            SELECT key, value FROM tags WHERE model = $m AND version = $v ORDER BY key;
            SELECT alias FROM aliases WHERE model = $m AND version = $v ORDER BY alias;
            """,
            tx, ("$m", model), ("$v", version));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return required
                ? throw (ModelExists(connection, tx, model) ? new KeyNotFoundException($"Model '{model}' has no version {version}.") : NoModel(model))
                : null;
        }

        var state = (ModelVersionState)reader.GetInt32(0);
        var registeredAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        var registeredBy = reader.GetString(2);
        if (!_documents.TryGetValue((model, version), out var document))
        {
            document = VersionContent.From(JsonSerializer.Deserialize(reader.GetString(3), RegistryJsonContext.Default.VersionDocument)!);
            Cache(model, version, document);
        }

        reader.NextResult();
        var artifacts = new List<ArtifactDescriptor>();
        while (reader.Read())
        {
            artifacts.Add(new ArtifactDescriptor(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(4), reader.GetInt64(5), reader.GetStringOrNull(3),
                reader.GetInt32(6) != 0, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }

        reader.NextResult();
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            tags[reader.GetString(0)] = reader.GetString(1);
        }

        reader.NextResult();
        var aliases = new List<string>();
        while (reader.Read())
        {
            aliases.Add(reader.GetString(0));
        }

        return new ModelVersion
        {
            Name = model,
            Version = version,
            State = state,
            RegisteredAt = registeredAt,
            RegisteredBy = registeredBy,
            Description = document.Description,
            Artifacts = artifacts,
            Metrics = document.Metrics,
            Parameters = document.Parameters,
            Tags = tags,
            FeatureSchema = document.FeatureSchema,
            Lineage = document.Lineage,
            Aliases = aliases,
        };
    }

    private void Cache(string model, int version, VersionContent content)
    {
        if (_documents.Count >= MaxCachedDocuments)
        {
            _documents.Clear();
        }

        _documents.TryAdd((model, version), content);
    }

    private static RegisteredModel? ReadModel(SqliteConnection connection, SqliteTransaction? tx, string name)
    {
        using var command = connection.Command(
            """
            SELECT description, owner, created_at, updated_at, next_version - 1,
                   (SELECT count(*) FROM versions WHERE model = $m AND state = 0) FROM models WHERE name = $m;
            SELECT alias, version FROM aliases WHERE model = $m ORDER BY alias;
            """,
            tx, ("$m", name));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var description = reader.GetStringOrNull(0);
        var owner = reader.GetStringOrNull(1);
        var created = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
        var updated = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3));
        var latest = reader.GetInt32(4);
        var active = reader.GetInt32(5);
        reader.NextResult();
        var aliases = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            aliases[reader.GetString(0)] = reader.GetInt32(1);
        }

        return new RegisteredModel(name, description, owner, created, updated, latest, active, aliases);
    }

    private string ActorOf(string? actor)
    {
        if (string.IsNullOrWhiteSpace(actor))
        {
            return _options.DefaultActor;
        }

        RegistryNames.ValidateText("Actor", actor, 256, nameof(actor));
        return actor;
    }

    /// <summary>The metadata document of a registration, as given (checked by <see cref="ValidateNewVersion"/>).</summary>
    private static VersionDocument BuildDocument(NewModelVersion version)
    {
        var document = new VersionDocument { Description = version.Description };
        foreach (var (name, value) in version.Metrics ?? new Dictionary<string, double>())
        {
            document.Metrics[name] = value;
        }

        foreach (var (name, value) in version.Parameters ?? new Dictionary<string, string>())
        {
            document.Parameters[name] = value;
        }

        document.FeatureSchema = FeatureSchemaDocument.From(version.FeatureSchema);
        var lineage = version.Lineage ?? new ModelLineage();
        document.Lineage = lineage.Code is null && Assembly.GetEntryAssembly() is { } entry
            ? lineage with { Code = CodeVersion.FromAssembly(entry) }
            : lineage;
        return document;
    }

    [LoggerMessage(1, LogLevel.Information, "Registered {Model}:{Version} with {Artifacts} artifacts (by {Actor})")]
    private static partial void LogRegistered(ILogger logger, string model, int version, int artifacts, string actor);

    [LoggerMessage(2, LogLevel.Warning, "Registry {Root}: removed {Staging} staging areas and {Leases} pending records left by processes that ended mid-registration")]
    private static partial void LogRecovered(ILogger logger, string root, int staging, int leases);

    [LoggerMessage(3, LogLevel.Information, "{Model}@{Alias} moved from {Previous} to {Version} by {Actor}: {Reason}")]
    private static partial void LogAliasMoved(ILogger logger, string model, string alias, int? previous, int? version, string actor, string? reason);

    [LoggerMessage(4, LogLevel.Information, "Registry garbage collection (dry run: {DryRun}): {Items} items, {Bytes} bytes")]
    private static partial void LogGarbageCollected(ILogger logger, bool dryRun, int items, long bytes);

    /// <summary>The immutable part of a version, parsed once and shared read-only.</summary>
    private sealed record VersionContent(
        string? Description,
        IReadOnlyDictionary<string, double> Metrics,
        IReadOnlyDictionary<string, string> Parameters,
        MLSystemDesign.Features.FeatureSchema? FeatureSchema,
        ModelLineage Lineage)
    {
        public static VersionContent From(VersionDocument document) => new(
            document.Description,
            document.Metrics.AsReadOnly(),
            document.Parameters.AsReadOnly(),
            document.FeatureSchema?.ToSchema(),
            document.Lineage with { Datasets = document.Lineage.Datasets.ToList().AsReadOnly() });
    }

    /// <summary>
    /// Refuses a model artifact whose bytes equal the model of an active or archived version of the same model, naming
    /// that version (the lowest, when several hold it).
    /// </summary>
    private static void ThrowIfDuplicateModel(SqliteConnection connection, SqliteTransaction tx, string name, IReadOnlyList<ArtifactSpec> specs, IReadOnlyList<StagedArtifact> staged)
    {
        for (var i = 0; i < specs.Count; i++)
        {
            if (specs[i].Name != NewArtifact.ModelName)
            {
                continue;
            }

            var sha = staged[i].Sha256;
            var existing = connection.Scalar<long?>(
                "SELECT min(a.version) FROM artifacts a JOIN versions v ON v.model = a.model AND v.version = a.version WHERE a.model = $m AND a.name = $a AND a.sha256 = $s AND v.state IN (0, 1);",
                tx, ("$m", name), ("$a", NewArtifact.ModelName), ("$s", sha));
            if (existing is { } version)
            {
                throw new DuplicateModelVersionException(ModelReference.ForVersion(name, (int)version), sha);
            }
        }
    }

    /// <summary>What a new version commits: its metadata, its artifacts' records, and the audit entry it writes.</summary>
    private sealed record VersionCommit(
        string Name,
        VersionDocument Document,
        IReadOnlyDictionary<string, string> Tags,
        IReadOnlyList<ArtifactSpec> Specs,
        string Actor,
        AuditAction Action,
        string? Reason,
        string? Before,
        string? ModelDescription,
        string? ModelOwner,
        bool AllowDuplicateModel = true);

    /// <summary>How an artifact is recorded with a version.</summary>
    private sealed record ArtifactSpec(string Name, string Kind, string MediaType, string? FormatId, bool Sealed);
}
