using System.Xml.Linq;
using PackageConsumer;

namespace MLSystemDesign.Architecture.Tests.Readme;

/// <summary>The package table check: a row names exactly its package's dependencies.</summary>
public sealed class PackageChecksTests
{
    [Fact]
    public void Names_BraceGroupsAndBackticks_ExpandToPackageIds()
    {
        var names = PackageChecks.Names(" `MLSystemDesign.Abstractions`, `Microsoft.Extensions.{Options, Logging.Abstractions}`, Parquet.Net ");

        Assert.Equal(
            ["MLSystemDesign.Abstractions", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Options", "Parquet.Net"],
            names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Names_BclOnly_IsNone() => Assert.Empty(PackageChecks.Names(" BCL only "));

    [Fact]
    public void Table_RowThatMissesOrAddsADependency_NamesBoth()
    {
        const string readme = """
            | Package | Depends on | Holds |
            |---|---|---|
            | `MLSystemDesign.Inference` | `MLSystemDesign.Abstractions`, `Polly.Core` | the core |
            | `MLSystemDesign.Gone` | BCL only | nothing |
            """;
        var inference = Package("MLSystemDesign.Inference", "MLSystemDesign.Abstractions", "System.Numerics.Tensors");
        var onnx = Package("MLSystemDesign.Onnx", "MLSystemDesign");

        var problems = PackageChecks.Table(readme, [inference, onnx]);

        Assert.Equal(
        [
            "README.md package table: MLSystemDesign.Inference depends on System.Numerics.Tensors, which its row does not name.",
            "README.md package table: the row of MLSystemDesign.Inference names Polly.Core, which it does not depend on.",
            "README.md package table: no row for MLSystemDesign.Onnx.",
            "README.md package table: MLSystemDesign.Gone has a row but no package was packed.",
        ], problems);
    }

    private static PackedPackage Package(string id, params string[] dependencies)
    {
        XNamespace ns = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";
        var metadata = new XElement(ns + "metadata",
            new XElement(ns + "id", id),
            new XElement(ns + "dependencies", new XElement(ns + "group", dependencies.Select(d => new XElement(ns + "dependency", new XAttribute("id", d), new XAttribute("version", "1.0.0"))))));
        return new PackedPackage(id, $"/packages/{id}.1.0.0.nupkg", 1000, metadata, [$"lib/net10.0/{id}.dll"]);
    }
}
