namespace MLSystemDesign.Architecture.Tests;

/// <summary>Each package references only what its row in the package table allows, so nobody is forced to take ML.NET or ONNX Runtime.</summary>
public sealed class PackageBoundaryTests
{
    public static TheoryData<string> PackageNames() => new(Packages.All.Select(a => a.GetName().Name!));

    [Theory]
    [MemberData(nameof(PackageNames))]
    public void Package_ReferencesOnlyWhatItsRowAllows(string package)
    {
        Assert.True(Packages.Allowed.TryGetValue(package, out var allowed), $"{package} has no row in Packages.Allowed; add one.");
        var assembly = Packages.All.Single(a => a.GetName().Name == package);
        var violations = assembly.GetReferencedAssemblies()
            .Select(r => r.Name!)
            .Where(name => !allowed.Any(p => Packages.Matches(name, p)))
            .ToList();
        Assert.True(violations.Count == 0, $"{package} references {string.Join(", ", violations)}, which its row does not allow.");
    }

    [Fact]
    public void CorePackage_DoesNotReachMLNetOrOnnxRuntime()
    {
        var core = Packages.All.Single(a => a.GetName().Name == "MLSystemDesign");
        Assert.DoesNotContain(core.GetReferencedAssemblies(), r => r.Name!.StartsWith("Microsoft.ML", StringComparison.Ordinal));
    }
}
