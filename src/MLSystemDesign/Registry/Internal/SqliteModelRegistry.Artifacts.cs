using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using MLSystemDesign.Features;
using MLSystemDesign.Models;
using MLSystemDesign.Objectives;

namespace MLSystemDesign.Registry.Internal;

/// <summary>Artifact reads, attachments, model cards, verification, garbage collection, export and import.</summary>
internal sealed partial class SqliteModelRegistry
{
    private const string ManifestEntry = "bundle.json";
    private const string SourceAuditTrail = "source-audit-trail";

    public async Task<Stream> OpenArtifactAsync(string name, int version, string artifact, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        RegistryNames.ValidateKey("Artifact name", artifact, nameof(artifact));
        var found = await GetAsync(ModelReference.ForVersion(name, version), cancellationToken).ConfigureAwait(false);
        return await OpenArtifactAsync(found, artifact, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ArtifactDescriptor> AttachArtifactAsync(string name, int version, NewArtifact artifact, RegistryChange change = default, CancellationToken cancellationToken = default)
    {
        RegistryNames.ValidateModelName(name);
        ValidateArtifact(artifact);
        var (actor, reason) = Who(change);
        using (var connection = Open())
        {
            RequireAttachable(connection, name, version, artifact.Name);
        }

        var registration = Guid.NewGuid().ToString("N");
        var staged = await _store.StageAsync(artifact.Write, cancellationToken).ConfigureAwait(false);
        await using (staged.ConfigureAwait(false))
        {
            await ProtectAndPublishAsync([staged], registration, cancellationToken).ConfigureAwait(false);
            using var connection = Open();
            try
            {
                using var tx = connection.BeginTransaction();
                var previous = RequireAttachable(connection, name, version, artifact.Name, tx);
                var at = Now();
                var ordinal = previous?.Ordinal ?? connection.Scalar<int>("SELECT coalesce(max(ordinal) + 1, 0) FROM artifacts WHERE model = $m AND version = $v;", tx, ("$m", name), ("$v", version));
                connection.Execute("DELETE FROM artifacts WHERE model = $m AND version = $v AND name = $n;", tx, ("$m", name), ("$v", version), ("$n", artifact.Name));
                InsertArtifact(connection, tx, name, version, ordinal, new ArtifactSpec(artifact.Name, artifact.Kind, artifact.MediaType, artifact.FormatId, Sealed: false), staged.Sha256, staged.Length, at);
                Audit(connection, tx, at, actor, reason, AuditAction.ArtifactAttached, name, version, artifact.Name, previous?.Sha256, staged.Sha256);
                connection.Execute("DELETE FROM pending WHERE registration = $r;", tx, ("$r", registration));
                tx.Commit();
                return new ArtifactDescriptor(artifact.Name, artifact.Kind, artifact.MediaType, staged.Sha256, staged.Length, artifact.FormatId, false, DateTimeOffset.FromUnixTimeMilliseconds(at));
            }
            catch
            {
                ReleasePending(connection, registration);
                throw;
            }
        }
    }

    public async Task<IModel> LoadModelAsync(ModelReference reference, CancellationToken cancellationToken = default)
    {
        var version = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        var artifact = version.ModelArtifact ?? throw new KeyNotFoundException($"{version} has no artifact of kind '{ArtifactKinds.Model}'. Its artifacts: {string.Join(", ", version.Artifacts.Select(a => $"{a.Name} ({a.Kind})"))}.");
        var format = _formats.Get(artifact.FormatId!);
        var stream = await OpenArtifactAsync(version, artifact.Name, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await format.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IFittedFeaturePipeline<T>> LoadFeaturesAsync<T>(ModelReference reference, IFeaturePipeline<T> definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var version = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        var artifact = version.Artifacts.FirstOrDefault(a => a.Kind == ArtifactKinds.FeaturePipeline)
            ?? throw new KeyNotFoundException($"{version} has no artifact of kind '{ArtifactKinds.FeaturePipeline}'.");
        var stream = await OpenArtifactAsync(version, artifact.Name, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return definition.Load(stream);
        }
    }

    public async Task<ModelCard> WriteModelCardAsync(ModelReference reference, RegistryChange change = default, CancellationToken cancellationToken = default)
    {
        var version = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (version.State == ModelVersionState.Deleted)
        {
            throw new InvalidOperationException($"{version} is deleted; it has no model card.");
        }

        var model = await GetModelAsync(version.Name, cancellationToken).ConfigureAwait(false);
        var history = await GetHistoryAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
        var objectives = await this.LoadObjectivesAsync(version.Reference, cancellationToken).ConfigureAwait(false);
        var markdown = ModelCardWriter.Write(model, version, history, objectives, _metrics);
        var artifact = await AttachArtifactAsync(
            version.Name,
            version.Version,
            NewArtifact.FromBytes(NewArtifact.ModelCardName, ArtifactKinds.ModelCard, Encoding.UTF8.GetBytes(markdown), "text/markdown; charset=utf-8"),
            change with { Reason = change.Reason ?? "model card regenerated" },
            cancellationToken).ConfigureAwait(false);
        return new ModelCard(markdown, artifact);
    }

    public async Task<VerificationReport> VerifyAsync(ModelReference? only = null, CancellationToken cancellationToken = default)
    {
        var rows = new List<(string Model, int Version, string Name, string Sha, long Length)>();
        using (var connection = Open())
        {
            (string, object?)[] parameters = [("$m", null), ("$v", null)];
            if (only is { } reference)
            {
                parameters = [("$m", reference.Name), ("$v", Resolve(connection, null, reference))];
            }

            using var command = connection.Command(
                "SELECT a.model, a.version, a.name, a.sha256, a.length FROM artifacts a JOIN versions v ON v.model = a.model AND v.version = a.version WHERE v.state <> 2 AND ($m IS NULL OR a.model = $m) AND ($v IS NULL OR a.version = $v) ORDER BY a.model, a.version, a.ordinal;",
                null, parameters);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
            }
        }

        var damaged = new List<ArtifactIntegrityException>();
        long bytes = 0;
        foreach (var row in rows)
        {
            var problem = await _store.CheckAsync(row.Sha, row.Length, cancellationToken).ConfigureAwait(false);
            bytes += row.Length;
            if (problem is not null)
            {
                damaged.Add(problem.WithContext(row.Model, row.Version, row.Name));
            }
        }

        return new VerificationReport(rows.Count, bytes, damaged);
    }

    public async Task<GarbageCollectionReport> CollectGarbageAsync(bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var items = new List<GarbageItem>();

        // Garbage collection does the work of the recovery on first open (dead pending records, abandoned staging) and
        // reports it; a dry run must not do it behind its report's back, so neither triggers the silent recovery.
        Interlocked.Exchange(ref _recovered, 1);
        using var connection = _db.Open();

        // The write lock is held from reading the references to the last deletion, so that no registration can start
        // relying on a blob between the moment it is judged unreferenced and the moment it is deleted.
        using var tx = connection.BeginTransaction();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.Command("SELECT DISTINCT sha256 FROM artifacts;", tx))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                keep.Add(reader.GetString(0));
            }
        }

        var stale = new List<(string Lease, string Sha)>();
        using (var command = connection.Command("SELECT lease, sha256 FROM pending;", tx))
        using (var reader = command.ExecuteReader())
        {
            var alive = new Dictionary<string, bool>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var lease = reader.GetString(0);
                if (!alive.TryGetValue(lease, out var live))
                {
                    alive[lease] = live = _store.IsStagingOwnerAlive(lease);
                }

                if (live)
                {
                    keep.Add(reader.GetString(1));
                }
                else
                {
                    stale.Add((lease, reader.GetString(1)));
                }
            }
        }

        await foreach (var blob in _store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!keep.Contains(blob.Id))
            {
                items.Add(blob);
            }
        }

        items.AddRange(stale.Select(s => new GarbageItem("pending", $"{s.Lease}/{s.Sha}", 0)));
        items.AddRange(await _store.RemoveAbandonedStagingAsync(dryRun: true, cancellationToken).ConfigureAwait(false));
        if (!dryRun)
        {
            foreach (var blob in items.Where(i => i.Kind == "blob"))
            {
                await _store.DeleteAsync(blob.Id, cancellationToken).ConfigureAwait(false);
            }

            foreach (var lease in stale.Select(s => s.Lease).Distinct(StringComparer.Ordinal))
            {
                connection.Execute("DELETE FROM pending WHERE lease = $l;", tx, ("$l", lease));
            }

            await _store.RemoveAbandonedStagingAsync(dryRun: false, cancellationToken).ConfigureAwait(false);
        }

        tx.Commit();
        var report = new GarbageCollectionReport(dryRun, items);
        LogGarbageCollected(_logger, dryRun, items.Count, report.Bytes);
        return report;
    }

    public async Task ExportAsync(ModelReference reference, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var version = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (version.State == ModelVersionState.Deleted)
        {
            throw new InvalidOperationException($"{version} is deleted; there is nothing to export.");
        }

        var model = await GetModelAsync(version.Name, cancellationToken).ConfigureAwait(false);
        var history = await GetHistoryAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
        VersionDocument document;
        using (var connection = Open())
        {
            document = JsonSerializer.Deserialize(
                connection.Scalar<string>("SELECT document FROM versions WHERE model = $m AND version = $v;", null, ("$m", version.Name), ("$v", version.Version))!,
                RegistryJsonContext.Default.VersionDocument)!;
        }

        var manifest = new BundleManifest
        {
            ExportedAt = _time.GetUtcNow(),
            Model = version.Name,
            ModelDescription = model.Description,
            ModelOwner = model.Owner,
            Version = version.Version,
            State = version.State,
            RegisteredAt = version.RegisteredAt,
            RegisteredBy = version.RegisteredBy,
            Tags = new Dictionary<string, string>(version.Tags, StringComparer.Ordinal),
            Document = document,
            Artifacts = [.. version.Artifacts],
            Audit = [.. history],
        };

        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        var entry = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal);
        var manifestStream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (manifestStream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(manifestStream, manifest, RegistryJsonContext.IndentedContext.BundleManifest, cancellationToken).ConfigureAwait(false);
        }

        foreach (var artifact in version.Artifacts.DistinctBy(a => a.Sha256))
        {
            var source = await OpenArtifactAsync(version, artifact.Name, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var target = await zip.CreateEntry($"artifacts/{artifact.Sha256}", CompressionLevel.Fastest).OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (target.ConfigureAwait(false))
                {
                    await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public async Task<ModelVersion> ImportAsync(Stream bundle, string? name = null, RegistryChange change = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (name is not null)
        {
            RegistryNames.ValidateModelName(name, nameof(name));
        }

        var (actor, reason) = Who(change);
        var source = bundle is FileStream file ? $"Bundle '{file.Name}'" : "The bundle";
        ZipArchive zip;
        try
        {
            zip = await ZipArchive.CreateAsync(bundle, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{source} is not a zip file: {ex.Message}", ex);
        }

        await using (zip.ConfigureAwait(false))
        {
            try
            {
                return await ImportAsync(zip, source, name, actor, reason, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or (IOException and not ArtifactIntegrityException) && !ex.Message.StartsWith(source, StringComparison.Ordinal))
            {
                // The zip reader's own complaints (a corrupt header, an unsupported method, a short entry).
                throw new InvalidDataException($"{source} is damaged: {ex.Message}", ex);
            }
        }
    }

    private async Task<ModelVersion> ImportAsync(ZipArchive zip, string source, string? name, string actor, string? reason, CancellationToken cancellationToken)
    {
        var budget = _options.MaxImportBytes;
        var manifest = await ReadManifestAsync(zip, source, budget, cancellationToken).ConfigureAwait(false);
        budget -= manifest.Bytes;
        var (target, specs, tags, declared) = CheckManifest(manifest.Manifest, name, source);
        if (declared > budget)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source}: its artifacts declare {declared:N0} bytes, more than the {_options.MaxImportBytes:N0} bytes an import may bring in (SqliteRegistryOptions.MaxImportBytes)."));
        }

        var content = manifest.Manifest;
        var staged = new List<StagedArtifact>();
        try
        {
            foreach (var artifact in content.Artifacts)
            {
                staged.Add(await StageBundleArtifactAsync(zip, artifact, content, source, cancellationToken).ConfigureAwait(false));
            }

            var trail = JsonSerializer.SerializeToUtf8Bytes(content.Audit, RegistryJsonContext.IndentedContext.ListAuditEntry);
            staged.Add(await _store.StageAsync((s, ct) => s.WriteAsync(trail, ct), cancellationToken).ConfigureAwait(false));
            specs.Add(new ArtifactSpec(SourceAuditTrail, ArtifactKinds.AuditTrail, "application/json", null, Sealed: true));
            var from = string.Create(CultureInfo.InvariantCulture, $"{content.Model}:{content.Version}");
            var commit = new VersionCommit(target, content.Document, tags, specs, actor, AuditAction.Imported, reason, from, content.ModelDescription, content.ModelOwner);
            try
            {
                return await CommitStagedAsync(commit, staged, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw Refused(source, ex);
            }
        }
        finally
        {
            foreach (var s in staged)
            {
                await s.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads <c>bundle.json</c> whole (within the import's byte budget) and checks it against the zip's CRC-32 before parsing it.</summary>
    private static async Task<(BundleManifest Manifest, long Bytes)> ReadManifestAsync(ZipArchive zip, string source, long budget, CancellationToken cancellationToken)
    {
        var entry = zip.GetEntry(ManifestEntry) ?? throw new InvalidDataException($"{source} has no {ManifestEntry}: it was not written by a registry export.");
        if (entry.Length > budget)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source}: its {ManifestEntry} declares {entry.Length:N0} bytes, more than the {budget:N0} bytes an import may bring in (SqliteRegistryOptions.MaxImportBytes)."));
        }

        byte[] bytes;
        try
        {
            var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                bytes = new byte[entry.Length];
                var read = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (read != bytes.Length || stream.ReadByte() >= 0)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source}: its {ManifestEntry} does not inflate to the {entry.Length:N0} bytes the zip declares; the bundle is damaged."));
                }
            }
        }
        catch (InvalidDataException ex) when (!ex.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}: its {ManifestEntry} cannot be read: {ex.Message}", ex);
        }

        var crc = System.IO.Hashing.Crc32.HashToUInt32(bytes);
        if (crc != entry.Crc32)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source}: its {ManifestEntry} fails its CRC-32 check (the zip records {entry.Crc32:x8}, the content hashes to {crc:x8}); the bundle is damaged."));
        }

        try
        {
            var manifest = JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.BundleManifest)
                ?? throw new InvalidDataException($"{source}: its {ManifestEntry} is empty.");
            return (manifest, bytes.Length);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: its {ManifestEntry} is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>Checks what a manifest would register, by the rules a registration follows; returns the target model, the artifacts' records, the tags and the bytes the artifacts declare.</summary>
    private (string Target, List<ArtifactSpec> Specs, Dictionary<string, string> Tags, long Declared) CheckManifest(BundleManifest manifest, string? name, string source)
    {
        if (manifest.Format != BundleManifest.CurrentFormat)
        {
            throw new InvalidDataException($"{source} has format '{manifest.Format}'; this version reads '{BundleManifest.CurrentFormat}'.");
        }

        try
        {
            RegistryNames.ValidateModelName(manifest.Model, "bundle");
            if (manifest.Artifacts is null || manifest.Artifacts.Exists(a => a is null) || manifest.Document is null || manifest.Audit is null || manifest.Audit.Exists(e => e is null))
            {
                throw new ArgumentException($"The bundle's {ManifestEntry} lacks its artifacts, document or audit trail.", nameof(manifest));
            }

            var specs = manifest.Artifacts.Select(a => new ArtifactSpec(a.Name, a.Kind, a.MediaType, a.FormatId, a.Sealed)).ToList();
            var target = name ?? manifest.Model;
            var tags = ValidateNewVersion(target, specs, manifest.Document, manifest.Tags, manifest.ModelDescription, manifest.ModelOwner);
            long declared = 0;
            foreach (var artifact in manifest.Artifacts)
            {
                FileArtifactStore.CheckHash(artifact.Sha256);
                if (artifact.Length < 0)
                {
                    throw new ArgumentException($"Artifact '{artifact.Name}' declares {artifact.Length} bytes.", nameof(manifest));
                }

                declared = declared > long.MaxValue - artifact.Length ? long.MaxValue : declared + artifact.Length;
            }

            if (specs.Exists(s => s.Name == SourceAuditTrail))
            {
                throw new ArgumentException($"The bundle already holds an artifact named '{SourceAuditTrail}', the name an import gives the source's audit trail.", nameof(manifest));
            }

            return (target, specs, tags, declared);
        }
        catch (ArgumentException ex)
        {
            throw Refused(source, ex);
        }
    }

    /// <summary>Stages one artifact of a bundle, reading at most one byte more than it declares, and checks its length and hash.</summary>
    private async Task<StagedArtifact> StageBundleArtifactAsync(ZipArchive zip, ArtifactDescriptor artifact, BundleManifest manifest, string source, CancellationToken cancellationToken)
    {
        var entry = zip.GetEntry($"artifacts/{artifact.Sha256}")
            ?? throw new ArtifactIntegrityException(ArtifactProblem.Missing, artifact.Sha256, null, artifact.Length, null, manifest.Model, manifest.Version, artifact.Name);
        if (entry.Length != artifact.Length)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source}: artifact '{artifact.Name}' of {manifest.Model}:{manifest.Version} is {entry.Length:N0} bytes in the zip but {artifact.Length:N0} in the manifest; the bundle is damaged."));
        }

        var inflatedTooFar = false;
        var copy = await _store.StageAsync(
            async (stream, ct) =>
            {
                var from = await entry.OpenAsync(ct).ConfigureAwait(false);
                await using (from.ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 16];
                    long copied = 0;
                    while (copied <= artifact.Length)
                    {
                        var want = (int)Math.Min(buffer.Length, artifact.Length + 1 - copied);
                        var n = await from.ReadAsync(buffer.AsMemory(0, want), ct).ConfigureAwait(false);
                        if (n == 0)
                        {
                            return;
                        }

                        if (copied + n > artifact.Length)
                        {
                            inflatedTooFar = true;
                            return;
                        }

                        await stream.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                        copied += n;
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (inflatedTooFar)
        {
            await copy.DisposeAsync().ConfigureAwait(false);
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source}: artifact '{artifact.Name}' of {manifest.Model}:{manifest.Version} inflates past the {artifact.Length:N0} bytes it declares; reading stopped there (a zip bomb, or a damaged bundle)."));
        }

        if (copy.Sha256 != artifact.Sha256 || copy.Length != artifact.Length)
        {
            await copy.DisposeAsync().ConfigureAwait(false);
            throw new ArtifactIntegrityException(
                copy.Length != artifact.Length ? ArtifactProblem.WrongLength : ArtifactProblem.Altered,
                artifact.Sha256, copy.Sha256, artifact.Length, copy.Length, manifest.Model, manifest.Version, artifact.Name);
        }

        return copy;
    }

    /// <summary>A bundle whose content breaks a registration rule: the rule's message, naming the bundle.</summary>
    private static InvalidDataException Refused(string source, ArgumentException ex)
    {
        var message = ex.ParamName is { } parameter ? ex.Message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal) : ex.Message;
        return new InvalidDataException($"{source} is refused: {message}", ex);
    }

    private async Task<Stream> OpenArtifactAsync(ModelVersion version, string artifact, CancellationToken cancellationToken)
    {
        if (version.State == ModelVersionState.Deleted)
        {
            throw new KeyNotFoundException($"{version} is deleted; its artifacts are gone.");
        }

        var found = version.FindArtifact(artifact)
            ?? throw new KeyNotFoundException($"{version} has no artifact '{artifact}'. Its artifacts: {string.Join(", ", version.Artifacts.Select(a => a.Name))}.");
        try
        {
            return await _store.OpenReadAsync(found.Sha256, found.Length, cancellationToken).ConfigureAwait(false);
        }
        catch (ArtifactIntegrityException ex)
        {
            throw ex.WithContext(version.Name, version.Version, artifact);
        }
    }

    private static (string Sha256, int Ordinal)? RequireAttachable(Microsoft.Data.Sqlite.SqliteConnection connection, string name, int version, string artifact, Microsoft.Data.Sqlite.SqliteTransaction? tx = null)
    {
        var state = StateOf(connection, tx, name, version);
        if (state == ModelVersionState.Deleted)
        {
            throw new InvalidOperationException($"Cannot attach '{artifact}' to {name}:{version}: it is deleted.");
        }

        using var command = connection.Command("SELECT sha256, ordinal, sealed FROM artifacts WHERE model = $m AND version = $v AND name = $n;", tx, ("$m", name), ("$v", version), ("$n", artifact));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return reader.GetInt32(2) != 0
            ? throw new InvalidOperationException($"Artifact '{artifact}' of {name}:{version} was stored at registration and never changes; attach under another name.")
            : (reader.GetString(0), reader.GetInt32(1));
    }
}
