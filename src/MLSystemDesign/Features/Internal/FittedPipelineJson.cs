using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLSystemDesign.Features.Internal;

/// <summary>
/// Saves fitted pipelines as versioned JSON and binds them back to a definition. Lambdas cannot be serialized, so the
/// code owns how a value is read from a record and the JSON owns what was learned: on load, each saved feature must
/// match the defined feature at the same position by name, kind and option signature.
/// </summary>
internal static class FittedPipelineJson
{
    public const string Format = "mlsd.feature-pipeline";
    public const int Version = 1;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Save<T>(Stream destination, FittedFeaturePipeline<T> pipeline)
    {
        var doc = new SavedPipeline
        {
            Format = Format,
            Version = Version,
            RecordType = typeof(T).FullName,
            Rows = pipeline.Rows,
            Width = pipeline.Width,
        };
        foreach (var feature in pipeline.Features)
        {
            doc.Features.Add(new SavedFeature
            {
                Name = feature.Name,
                Kind = feature.Kind,
                Definition = feature.Signature,
                State = feature.ToState(),
            });
        }

        JsonSerializer.Serialize(destination, doc, Options);
    }

    public static FittedFeaturePipeline<T> Load<T>(Stream json, IReadOnlyList<FeatureDefinition<T>> definitions)
    {
        SavedPipeline doc;
        try
        {
            doc = JsonSerializer.Deserialize<SavedPipeline>(json, Options) ?? throw new JsonException("The document is null.");
        }
        catch (JsonException ex)
        {
            throw new FeaturePipelineMismatchException($"The saved feature pipeline is not valid JSON: {ex.Message}", ex);
        }

        if (doc.Format != Format)
        {
            throw new FeaturePipelineMismatchException($"The document is not a fitted feature pipeline (format '{doc.Format}', expected '{Format}').");
        }

        if (doc.Version is < 1 or > Version)
        {
            throw new FeaturePipelineMismatchException($"The saved pipeline has format version {doc.Version}; this version of MLSystemDesign reads versions 1 to {Version}.");
        }

        var problems = new List<string>();
        if (doc.Features.Count != definitions.Count)
        {
            problems.Add($"the saved pipeline has {doc.Features.Count} features ({string.Join(", ", doc.Features.Select(f => f.Name))}); the definition has {definitions.Count} ({string.Join(", ", definitions.Select(d => d.Name))})");
        }

        for (var i = 0; i < Math.Min(doc.Features.Count, definitions.Count); i++)
        {
            var saved = doc.Features[i];
            var defined = definitions[i];
            if (saved.Name != defined.Name)
            {
                problems.Add($"feature {i} is '{saved.Name}' in the saved pipeline but '{defined.Name}' in the definition");
            }
            else if (saved.Kind != defined.Kind || saved.Definition != defined.Signature)
            {
                problems.Add($"feature '{saved.Name}' was saved as {saved.Definition} but is defined as {defined.Signature}");
            }
        }

        if (problems.Count > 0)
        {
            throw new FeaturePipelineMismatchException("The saved pipeline does not match its definition: " + string.Join("; ", problems) + ".");
        }

        var features = new FittedFeature<T>[definitions.Count];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = definitions[i].Restore(doc.Features[i].State);
        }

        var pipeline = new FittedFeaturePipeline<T>(features, doc.Rows);
        if (doc.Width != 0 && pipeline.Width != doc.Width)
        {
            throw new FeaturePipelineMismatchException($"The saved pipeline was {doc.Width} slots wide; bound to its definition it is {pipeline.Width}.");
        }

        return pipeline;
    }
}
