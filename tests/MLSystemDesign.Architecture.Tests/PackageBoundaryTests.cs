namespace MLSystemDesign.Architecture.Tests;

/// <summary>
/// Each package references exactly what its row in the package table names (besides the .NET runtime), and the tables in
/// README.md and docs/architecture.md say the same, so nobody is forced to take ML.NET, ONNX Runtime or the core package
/// without the documentation saying so.
/// </summary>
public sealed class PackageBoundaryTests
{
    public static TheoryData<string> PackageNames() => new(Packages.All.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(PackageNames))]
    public void Package_ReferencesExactlyWhatItsRowNames(string name)
    {
        var package = Packages.Get(name);
        var referenced = package.Assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(n => !Packages.IsFramework(n)).ToHashSet(StringComparer.Ordinal);
        var unexpected = referenced.Except(package.References).Order(StringComparer.Ordinal).ToList();
        var unused = package.References.Except(referenced).Order(StringComparer.Ordinal).ToList();
        Assert.True(unexpected.Count == 0, $"{name} references {string.Join(", ", unexpected)}, which its row does not name.");
        Assert.True(unused.Count == 0, $"{name}'s row names {string.Join(", ", unused)}, which it no longer references; remove them from the row and the tables.");
    }

    [Theory]
    [InlineData("README.md", "## Packages")]
    [InlineData("architecture.md", "## Packages and their boundaries")]
    public void PackageTable_MatchesTheTestedReferences(string document, string section)
    {
        var rows = PackageTable.Read(Path.Combine(AppContext.BaseDirectory, document), section);
        Assert.Equal(Packages.All.Select(p => p.Name).Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var package in Packages.All)
        {
            var documented = rows[package.Name];
            Assert.True(documented.SetEquals(package.References), $"{document}: the row of {package.Name} names [{string.Join(", ", documented.Order(StringComparer.Ordinal))}]; its references are [{string.Join(", ", package.References.Order(StringComparer.Ordinal))}].");
        }
    }

    [Fact]
    public void Inference_DoesNotReachTheCorePackage()
    {
        Assert.DoesNotContain(Packages.Get("MLSystemDesign.Inference").Assembly.GetReferencedAssemblies(), r => r.Name == "MLSystemDesign");
        Assert.DoesNotContain(Packages.Get("MLSystemDesign").Assembly.GetReferencedAssemblies(), r => r.Name == "MLSystemDesign.Inference");
    }

    [Fact]
    public void CorePackage_DoesNotReachMLNetOrOnnxRuntime()
    {
        var core = Packages.Get("MLSystemDesign").Assembly;
        Assert.DoesNotContain(core.GetReferencedAssemblies(), r => r.Name!.StartsWith("Microsoft.ML", StringComparison.Ordinal));
    }

    [Fact]
    public void PackageTable_ExpandsBraceGroups()
    {
        Assert.Equal(["A", "Microsoft.Extensions.Options", "Microsoft.Extensions.Logging.Abstractions", "B"], PackageTable.ParseCell("`A`, `Microsoft.Extensions.{Options, Logging.Abstractions}`, B"));
        Assert.Empty(PackageTable.ParseCell("the .NET runtime only"));
    }
}
