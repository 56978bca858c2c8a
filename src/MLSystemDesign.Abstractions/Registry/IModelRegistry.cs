using MLSystemDesign.Features;
using MLSystemDesign.Models;

namespace MLSystemDesign.Registry;

/// <summary>
/// A model registry: immutable, numbered versions of named models with their artifacts, metrics, parameters and
/// lineage; aliases that move atomically; an append-only audit log of every decision; model cards; integrity checks;
/// retention; and export to a portable bundle. Safe for concurrent use from several threads and processes.
/// </summary>
public interface IModelRegistry
{
    /// <summary>
    /// Registers a new version: stores its artifacts, then commits its metadata with the next version number of the
    /// model in one transaction. Until the commit nothing of the version is visible; a crash leaves only unreferenced
    /// blobs that garbage collection removes.
    /// </summary>
    /// <param name="version">What to register.</param>
    /// <param name="cancellationToken">Stops the registration before it commits.</param>
    /// <returns>The registered version.</returns>
    /// <exception cref="ArgumentException">A name, key or value breaks the naming rules, or two artifacts share a name.</exception>
    /// <exception cref="DuplicateModelVersionException">The model's bytes equal an existing version's model and <see cref="NewModelVersion.AllowDuplicateModel"/> is not set.</exception>
    Task<ModelVersion> RegisterAsync(NewModelVersion version, CancellationToken cancellationToken = default);

    /// <summary>Resolves a reference (<c>name</c>, <c>name:3</c>, <c>name@champion</c>) and reads the version's metadata.</summary>
    /// <param name="reference">The reference.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The version.</returns>
    /// <exception cref="KeyNotFoundException">No such model, version or alias; the message says which.</exception>
    Task<ModelVersion> GetAsync(ModelReference reference, CancellationToken cancellationToken = default);

    /// <summary>Reads a model's summary.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The model.</returns>
    /// <exception cref="KeyNotFoundException">No such model.</exception>
    Task<RegisteredModel> GetModelAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Lists every model, by name.</summary>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The models.</returns>
    Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Finds versions by name, tags, metrics and date; e.g. the best AUC among versions tagged <c>candidate</c>.</summary>
    /// <param name="query">The conditions and order.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>The matching versions.</returns>
    Task<IReadOnlyList<ModelVersion>> SearchAsync(ModelVersionQuery query, CancellationToken cancellationToken = default);

    /// <summary>Sets what a model is for and who owns it (creating the model when it has no version yet); audited.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="description">What the model is for; <see langword="null"/> keeps the current one.</param>
    /// <param name="owner">Who is responsible; <see langword="null"/> keeps the current one.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <returns>The model.</returns>
    Task<RegisteredModel> UpdateModelAsync(string name, string? description, string? owner, RegistryChange change = default, CancellationToken cancellationToken = default);

    /// <summary>Points an alias at a version, moving it atomically from where it pointed; audited with the previous version.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="alias">The alias, e.g. <c>champion</c>.</param>
    /// <param name="version">The version; it must be active.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <returns>The move.</returns>
    /// <exception cref="KeyNotFoundException">No such version.</exception>
    /// <exception cref="InvalidOperationException">The version is archived or deleted.</exception>
    Task<AliasChange> SetAliasAsync(string name, string alias, int version, RegistryChange change = default, CancellationToken cancellationToken = default);

    /// <summary>Removes an alias; audited with the version it pointed at.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <returns>The removal.</returns>
    /// <exception cref="KeyNotFoundException">The model has no such alias.</exception>
    Task<AliasChange> RemoveAliasAsync(string name, string alias, RegistryChange change = default, CancellationToken cancellationToken = default);

    /// <summary>Answers "which version did this alias point at, at time T?" from the audit log.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="alias">The alias.</param>
    /// <param name="at">The time.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The version, or <see langword="null"/> when the alias pointed nowhere then.</returns>
    Task<int?> GetAliasAtAsync(string name, string alias, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Sets a tag on a version; audited with the previous value.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="value">The value.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <returns>A task that completes when the tag is set.</returns>
    Task SetTagAsync(string name, int version, string key, string value, RegistryChange change = default, CancellationToken cancellationToken = default);

    /// <summary>Removes a tag from a version; audited with the previous value.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <returns>A task that completes when the tag is removed.</returns>
    /// <exception cref="KeyNotFoundException">The version has no such tag.</exception>
    Task RemoveTagAsync(string name, int version, string key, RegistryChange change = default, CancellationToken cancellationToken = default);

    /// <summary>Archives an active version (refused while an alias points at it); audited.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <returns>The archived version.</returns>
    Task<ModelVersion> ArchiveAsync(string name, int version, RegistryChange change = default, CancellationToken cancellationToken = default);

    /// <summary>Makes an archived version active again; audited.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <returns>The restored version.</returns>
    Task<ModelVersion> RestoreAsync(string name, int version, RegistryChange change = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a version: its artifacts are released for garbage collection, its number is never reused, its audit
    /// history stays. Refused while an alias points at it.
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <returns>A task that completes when the version is deleted.</returns>
    /// <exception cref="InvalidOperationException">An alias points at the version; the message names it.</exception>
    Task DeleteAsync(string name, int version, RegistryChange change = default, CancellationToken cancellationToken = default);

    /// <summary>Reads the audit log, oldest first.</summary>
    /// <param name="name">Only this model's entries; every model's when <see langword="null"/>.</param>
    /// <param name="version">Only entries about this version (and the aliases that pointed at it).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<AuditEntry>> GetHistoryAsync(string? name = null, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams alias moves as they happen, from now on: at once for moves made through this instance, and within
    /// one poll interval (see the registry options) for moves made by other processes.
    /// </summary>
    /// <param name="name">Only this model's aliases; every model's when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The moves, in the order they were made.</returns>
    IAsyncEnumerable<AliasChange> WatchAliasesAsync(string? name = null, CancellationToken cancellationToken = default);

    /// <summary>Opens an artifact for reading after verifying its hash.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="artifact">The artifact name.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The verified content.</returns>
    /// <exception cref="ArtifactIntegrityException">The artifact is missing, truncated or altered; the exception names the model, version and artifact.</exception>
    Task<Stream> OpenArtifactAsync(string name, int version, string artifact, CancellationToken cancellationToken = default);

    /// <summary>
    /// Attaches an artifact to a registered version (a model card, a reference profile), or replaces one attached before.
    /// Artifacts stored at registration cannot be replaced. Audited with the previous hash.
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <returns>The stored artifact.</returns>
    Task<ArtifactDescriptor> AttachArtifactAsync(string name, int version, NewArtifact artifact, RegistryChange change = default, CancellationToken cancellationToken = default);

    /// <summary>Loads a version's model with the model format its artifact names, after verifying its hash.</summary>
    /// <param name="reference">The version.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArtifactIntegrityException">The model file is damaged.</exception>
    /// <exception cref="KeyNotFoundException">The version has no model artifact, or its format is not registered.</exception>
    Task<IModel> LoadModelAsync(ModelReference reference, CancellationToken cancellationToken = default);

    /// <summary>Loads a version's fitted feature pipeline, re-bound to its definition, after verifying its hash.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="reference">The version.</param>
    /// <param name="definition">The pipeline definition the features were fitted from.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <returns>The fitted pipeline.</returns>
    Task<IFittedFeaturePipeline<T>> LoadFeaturesAsync<T>(ModelReference reference, IFeaturePipeline<T> definition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Generates the version's model card from what the registry knows (purpose, owner, data lineage, features,
    /// metrics, parameters, aliases, decision history) and stores it as the attached artifact <c>model-card</c>.
    /// </summary>
    /// <param name="reference">The version.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the generation.</param>
    /// <returns>The card and where it is stored.</returns>
    Task<ModelCard> WriteModelCardAsync(ModelReference reference, RegistryChange change = default, CancellationToken cancellationToken = default);

    /// <summary>Re-hashes every artifact of every version that is not deleted (or of one version).</summary>
    /// <param name="only">Only this version, when given.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <returns>What was checked and what is damaged.</returns>
    Task<VerificationReport> VerifyAsync(ModelReference? only = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes blobs that no version references and the staging areas of processes that ended mid-registration.
    /// Content another process is registering right now is kept.
    /// </summary>
    /// <param name="dryRun">When <see langword="true"/>, lists what would go and removes nothing.</param>
    /// <param name="cancellationToken">Stops the collection.</param>
    /// <returns>What was (or would be) removed.</returns>
    Task<GarbageCollectionReport> CollectGarbageAsync(bool dryRun = false, CancellationToken cancellationToken = default);

    /// <summary>Writes a version (metadata, artifacts, audit trail) as one bundle (a zip file) another registry can import.</summary>
    /// <param name="reference">The version.</param>
    /// <param name="destination">Where to write the bundle.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>A task that completes when the bundle is written.</returns>
    Task ExportAsync(ModelReference reference, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports a bundle as the next version of a model, verifying every artifact against the hash the bundle
    /// records. The source's audit trail is kept as the artifact <c>source-audit-trail</c>.
    /// </summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="name">The model to import into; the bundle's model name when <see langword="null"/>.</param>
    /// <param name="change">Who and why.</param>
    /// <param name="cancellationToken">Stops the import before it commits.</param>
    /// <returns>The imported version.</returns>
    /// <exception cref="ArtifactIntegrityException">An artifact in the bundle does not match its recorded hash.</exception>
    /// <exception cref="InvalidDataException">The bundle is not a registry bundle.</exception>
    Task<ModelVersion> ImportAsync(Stream bundle, string? name = null, RegistryChange change = default, CancellationToken cancellationToken = default);
}
