using System.Text.Json;

namespace MLSystemDesign.Testing.Oracles;

/// <summary>A <c>*.fixture.json</c> file copied next to the test assembly: a reference implementation's results, by kind of case.</summary>
/// <param name="relativePath">The file's path under the test assembly's folder, e.g. <c>Monitoring/drift.fixture.json</c>.</param>
public sealed class OracleFixture(string relativePath)
{
    private readonly Lazy<JsonDocument> _document = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relativePath))));

    /// <summary>Gets the document's root.</summary>
    public JsonElement Root => _document.Value.RootElement;

    /// <summary>Gets the cases of one kind (a property holding an array).</summary>
    /// <param name="kind">The kind, e.g. <c>ks</c>.</param>
    /// <returns>The cases.</returns>
    public IEnumerable<JsonElement> Cases(string kind) => Root.GetProperty(kind).EnumerateArray();

    /// <summary>Gets the names of the cases of one kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Each case's <c>name</c>.</returns>
    public IEnumerable<string> Names(string kind) => Cases(kind).Select(c => c.GetProperty("name").GetString()!);

    /// <summary>Gets a case by kind and name.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="name">The case's name.</param>
    /// <returns>The case.</returns>
    public JsonElement Case(string kind, string name) => Cases(kind).First(c => c.GetProperty("name").GetString() == name);
}
