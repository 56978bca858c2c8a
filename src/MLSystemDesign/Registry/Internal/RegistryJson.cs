using System.Text.Json;
using System.Text.Json.Serialization;
using MLSystemDesign.Features;

namespace MLSystemDesign.Registry.Internal;

/// <summary>The immutable part of a version, stored as one JSON document per version.</summary>
internal sealed class VersionDocument
{
    public string? Description { get; set; }

    public Dictionary<string, double> Metrics { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

    public FeatureSchemaDocument? FeatureSchema { get; set; }

    public ModelLineage Lineage { get; set; } = new();
}

/// <summary>A feature schema as JSON.</summary>
internal sealed class FeatureSchemaDocument
{
    public List<RawFeature> RawFeatures { get; set; } = [];

    public List<FeatureSlot> Slots { get; set; } = [];

    public static FeatureSchemaDocument? From(FeatureSchema? schema) =>
        schema is null ? null : new FeatureSchemaDocument { RawFeatures = [.. schema.RawFeatures], Slots = [.. schema.Slots] };

    public FeatureSchema ToSchema() => new(RawFeatures, Slots);
}

/// <summary>The manifest of an export bundle (<c>bundle.json</c>).</summary>
internal sealed class BundleManifest
{
    public const string CurrentFormat = "mlsd-registry-bundle/1";

    public string Format { get; set; } = CurrentFormat;

    public DateTimeOffset ExportedAt { get; set; }

    public string Model { get; set; } = string.Empty;

    public string? ModelDescription { get; set; }

    public string? ModelOwner { get; set; }

    public int Version { get; set; }

    public ModelVersionState State { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public string RegisteredBy { get; set; } = string.Empty;

    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    public VersionDocument Document { get; set; } = new();

    public List<ArtifactDescriptor> Artifacts { get; set; } = [];

    public List<AuditEntry> Audit { get; set; } = [];
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(VersionDocument))]
[JsonSerializable(typeof(BundleManifest))]
[JsonSerializable(typeof(List<AuditEntry>))]
[JsonSerializable(typeof(List<ArtifactDescriptor>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext
{
    private static RegistryJsonContext? s_indented;

    /// <summary>Gets the same context writing indented JSON (bundles meant to be read by people).</summary>
    public static RegistryJsonContext IndentedContext =>
        s_indented ??= new RegistryJsonContext(new JsonSerializerOptions(Default.Options!) { WriteIndented = true });
}
