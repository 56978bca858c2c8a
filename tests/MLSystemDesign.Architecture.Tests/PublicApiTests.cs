using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace MLSystemDesign.Architecture.Tests;

/// <summary>
/// The public API of every package is checked in under api/. A change to it fails here until the baseline is updated on
/// purpose: run the tests with MLSD_ACCEPT_API=1 (e.g. <c>MLSD_ACCEPT_API=1 dotnet test tests/MLSystemDesign.Architecture.Tests</c>)
/// and review the diff of api/*.txt in the commit.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> PackageNames() => new(Packages.All.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(PackageNames))]
    public void PublicApi_MatchesTheCheckedInBaseline(string package)
    {
        var assembly = Packages.Get(package).Assembly;
        var actual = Normalize(assembly.GeneratePublicApi(Options));
        var path = Path.Combine(ApiFolder(), package + ".txt");
        if (Environment.GetEnvironmentVariable("MLSD_ACCEPT_API") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"No API baseline for {package}; run the tests with MLSD_ACCEPT_API=1 to create {path}.");
        var expected = Normalize(File.ReadAllText(path));
        if (expected != actual)
        {
            var added = actual.Split('\n').Except(expected.Split('\n')).Take(15);
            var removed = expected.Split('\n').Except(actual.Split('\n')).Take(15);
            Assert.Fail($"The public API of {package} changed. Added:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}\nIf intended, run with MLSD_ACCEPT_API=1 and commit api/{package}.txt.");
        }
    }

    [Theory]
    [MemberData(nameof(PackageNames))]
    public void PublicApi_TracksEveryExportedTypeInEveryNamespace(string package)
    {
        var assembly = Packages.Get(package).Assembly;
        var api = Normalize(assembly.GeneratePublicApi(Options));
        var namespaces = api.Split('\n').Where(l => l.StartsWith("namespace ", StringComparison.Ordinal)).Select(l => l["namespace ".Length..].Trim()).ToHashSet(StringComparer.Ordinal);
        var missing = assembly.GetExportedTypes()
            .Where(t => !t.IsNested && !namespaces.Contains(t.Namespace ?? string.Empty))
            .Select(t => t.FullName)
            .ToList();
        Assert.True(missing.Count == 0, $"The API baseline of {package} leaves out {string.Join(", ", missing)}.");
    }

    /// <summary>Every namespace is part of the surface, including <c>Microsoft.Extensions.DependencyInjection</c>, where the <c>Add…</c> entry points live.</summary>
    private static readonly ApiGeneratorOptions Options = new()
    {
        IncludeAssemblyAttributes = false,
        DenyNamespacePrefixes = [],
        UseDenyNamespacePrefixesForExtensionMethods = false,
    };

    private static string Normalize(string text) => text.ReplaceLineEndings("\n").Trim() + "\n";

    private static string ApiFolder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "api");
}
