using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLSystemDesign.Objectives;

/// <summary>
/// Reads and writes objective sets as snake_case JSON with a format version:
/// <c>{"format": "mlsd.objective-set", "format_version": 1, "name": …, "stakeholders": [{"name": …, "objectives":
/// [{"name": "recall", "kind": "ml_metric", "direction": "maximize", "weight": 1, "at_least": 0.6}]}]}</c>.
/// Unknown properties are an error, so a misspelt bound is never silently ignored.
/// </summary>
public static class ObjectiveSetJson
{
    /// <summary>The format's name, in every document's <c>format</c> property.</summary>
    public const string Format = "mlsd.objective-set";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>Writes a set as indented JSON.</summary>
    /// <param name="objectives">The set.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(ObjectiveSet objectives)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        return JsonSerializer.Serialize(ToDto(objectives), Options);
    }

    /// <summary>Writes a set to a stream (left open).</summary>
    /// <param name="objectives">The set.</param>
    /// <param name="destination">The stream.</param>
    public static void Save(ObjectiveSet objectives, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(destination);
        JsonSerializer.Serialize(destination, ToDto(objectives), Options);
    }

    /// <summary>Reads a set from JSON text.</summary>
    /// <param name="json">The text.</param>
    /// <returns>The set.</returns>
    /// <exception cref="JsonException">Not an objective set, another format version, an unknown property or enum value, or a set that breaks the rules of <see cref="ObjectiveSet"/>; the message names the path.</exception>
    public static ObjectiveSet Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromDto(JsonSerializer.Deserialize<SetDto>(json, Options));
    }

    /// <summary>Reads a set from a stream.</summary>
    /// <param name="source">The stream.</param>
    /// <returns>The set.</returns>
    /// <exception cref="JsonException">As <see cref="Deserialize"/>.</exception>
    public static ObjectiveSet Load(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return FromDto(JsonSerializer.Deserialize<SetDto>(source, Options));
    }

    private static SetDto ToDto(ObjectiveSet set) => new()
    {
        Format = Format,
        FormatVersion = ObjectiveSet.FormatVersion,
        Name = set.Name,
        Stakeholders = set.Stakeholders.Select(s => new StakeholderDto
        {
            Name = s.Name,
            Description = s.Description,
            Objectives = s.Objectives.Select(o => new ObjectiveDto
            {
                Name = o.Name,
                Kind = o.Kind,
                Direction = o.Direction,
                Weight = o.Weight,
                AtLeast = o.Constraint?.AtLeast,
                AtMost = o.Constraint?.AtMost,
                Unit = o.Unit,
                Description = o.Description,
            }).ToList(),
        }).ToList(),
    };

    private static ObjectiveSet FromDto(SetDto? dto)
    {
        if (dto is null)
        {
            throw new JsonException("The objective set JSON is null.");
        }

        if (dto.Format != Format)
        {
            throw new JsonException($"This JSON is not an objective set: its format is '{dto.Format ?? "missing"}', expected '{Format}'.");
        }

        if (dto.FormatVersion != ObjectiveSet.FormatVersion)
        {
            throw new JsonException($"Objective set format version {dto.FormatVersion} is not supported; this library reads version {ObjectiveSet.FormatVersion}.");
        }

        var stakeholders = new List<Stakeholder>();
        for (var s = 0; s < (dto.Stakeholders?.Count ?? 0); s++)
        {
            var sd = dto.Stakeholders![s];
            var objectives = new List<Objective>();
            for (var o = 0; o < (sd.Objectives?.Count ?? 0); o++)
            {
                var od = sd.Objectives![o];
                var where = $"$.stakeholders[{s}].objectives[{o}]";
                objectives.Add(new Objective
                {
                    Name = od.Name ?? throw new JsonException($"{where} has no name."),
                    Kind = od.Kind ?? throw new JsonException($"{where} ('{od.Name}') has no kind (ml_metric, business_metric, latency, cost_per_prediction)."),
                    Direction = od.Direction ?? throw new JsonException($"{where} ('{od.Name}') has no direction (maximize or minimize)."),
                    Weight = od.Weight ?? 1,
                    Constraint = od.AtLeast is null && od.AtMost is null ? null : new ObjectiveConstraint(od.AtLeast, od.AtMost),
                    Unit = od.Unit,
                    Description = od.Description,
                });
            }

            stakeholders.Add(new Stakeholder(sd.Name ?? throw new JsonException($"$.stakeholders[{s}] has no name."), objectives, sd.Description));
        }

        try
        {
            return new ObjectiveSet(dto.Name ?? throw new JsonException("The objective set has no name."), stakeholders);
        }
        catch (ArgumentException ex)
        {
            throw new JsonException($"The objective set is not valid: {ex.Message}", ex);
        }
    }

    private sealed class SetDto
    {
        public string? Format { get; set; }

        public int FormatVersion { get; set; }

        public string? Name { get; set; }

        public List<StakeholderDto>? Stakeholders { get; set; }
    }

    private sealed class StakeholderDto
    {
        public string? Name { get; set; }

        public string? Description { get; set; }

        public List<ObjectiveDto>? Objectives { get; set; }
    }

    private sealed class ObjectiveDto
    {
        public string? Name { get; set; }

        public ObjectiveKind? Kind { get; set; }

        public ObjectiveDirection? Direction { get; set; }

        public double? Weight { get; set; }

        public double? AtLeast { get; set; }

        public double? AtMost { get; set; }

        public string? Unit { get; set; }

        public string? Description { get; set; }
    }
}
