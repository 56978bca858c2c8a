using System.Xml.Linq;

namespace MLSystemDesign.Architecture.Tests;

/// <summary>
/// Each package references exactly the assemblies its row in docs/architecture.md names (besides the .NET runtime), and
/// depends on exactly the packages its row in the README names, so nobody is forced to take ML.NET, ONNX Runtime or the
/// core package without the documentation saying so.
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
    [MemberData(nameof(PackageNames))]
    public void Package_DependsOnExactlyWhatItsProjectReferences(string name)
    {
        // The project's references are what `dotnet pack` turns into the package's dependencies (the consumer test
        // checks the packed packages too); build-only references (PrivateAssets="all") are not dependencies.
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", name, name + ".csproj"));
        var referenced = project.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .Concat(project.Descendants("PackageReference")
                .Where(r => !string.Equals((string?)r.Attribute("PrivateAssets"), "all", StringComparison.OrdinalIgnoreCase))
                .Select(r => r.Attribute("Include")!.Value))
            .ToHashSet(StringComparer.Ordinal);
        var package = Packages.Get(name);
        Assert.True(referenced.SetEquals(package.Dependencies), $"{name}.csproj references [{string.Join(", ", referenced.Order(StringComparer.Ordinal))}]; Packages.cs and the README name [{string.Join(", ", package.Dependencies.Order(StringComparer.Ordinal))}].");
    }

    [Fact]
    public void ReadmePackageTable_NamesEachPackagesDependencies() =>
        AssertTable("README.md", "## Packages", p => p.Dependencies, "dependencies");

    [Fact]
    public void ArchitecturePackageTable_NamesEachPackagesAssemblyReferences() =>
        AssertTable("architecture.md", "## Packages and their boundaries", p => p.References, "assembly references");

    private static void AssertTable(string document, string section, Func<Package, IReadOnlySet<string>> expected, string what)
    {
        var rows = PackageTable.Read(Path.Combine(AppContext.BaseDirectory, document), section);
        Assert.Equal(Packages.All.Select(p => p.Name).Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var package in Packages.All)
        {
            var documented = rows[package.Name];
            var real = expected(package);
            Assert.True(documented.SetEquals(real), $"{document}: the row of {package.Name} names [{string.Join(", ", documented.Order(StringComparer.Ordinal))}]; its {what} are [{string.Join(", ", real.Order(StringComparer.Ordinal))}].");
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MLSystemDesign.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No MLSystemDesign.sln above {AppContext.BaseDirectory}.");
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
