using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLSystemDesign.Expectations;

/// <summary>Reads and writes expectation suites as JSON (camelCase, enums as strings).</summary>
public static class ExpectationSuiteJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Gets the serializer options suites and reports are written with.</summary>
    public static JsonSerializerOptions SerializerOptions => Options;

    /// <summary>Writes a suite as indented JSON.</summary>
    /// <param name="suite">The suite.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(ExpectationSuite suite) => JsonSerializer.Serialize(suite, Options);

    /// <summary>Reads a suite; unknown properties are an error so that a misspelt rule is not silently ignored.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="JsonException">The text is not a valid suite; the message names the path and line.</exception>
    public static ExpectationSuite Deserialize(string json) =>
        JsonSerializer.Deserialize<ExpectationSuite>(json, Options) ?? throw new JsonException("The expectation suite is null.");
}
