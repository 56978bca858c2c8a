using System.IO.Compression;
using System.Xml.Linq;

namespace PackageConsumer;

/// <summary>A package that <c>dotnet pack</c> wrote: what its nuspec says and which files it holds.</summary>
/// <param name="Id">The package id.</param>
/// <param name="Path">The .nupkg file.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Nuspec">The nuspec's metadata element.</param>
/// <param name="Entries">The paths inside the package.</param>
internal sealed record PackedPackage(string Id, string Path, long Length, XElement Nuspec, IReadOnlyList<string> Entries)
{
    /// <summary>Gets whether the package is a .NET tool (its own or one of its platform packages).</summary>
    public bool IsTool => Nuspec.Descendants().Any(e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool")
        || Entries.Any(e => e.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));

    /// <summary>Gets the ids of the packages it depends on.</summary>
    public IReadOnlyList<string> Dependencies => Nuspec.Descendants()
        .Where(e => e.Name.LocalName == "dependency")
        .Select(e => (string)e.Attribute("id")!)
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The value of a metadata element (e.g. <c>readme</c>), or null.</summary>
    public string? Metadata(string name) => Nuspec.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>An attribute of a metadata element (e.g. <c>repository</c>'s <c>commit</c>), or null.</summary>
    public string? Metadata(string name, string attribute) => (string?)Nuspec.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Attribute(attribute);

    /// <summary>Reads every .nupkg of a folder with the given version.</summary>
    /// <param name="folder">The pack output.</param>
    /// <param name="version">The version packed.</param>
    /// <returns>The packages, by id.</returns>
    public static IReadOnlyList<PackedPackage> ReadAll(string folder, string version)
    {
        var suffix = "." + version + ".nupkg";
        return Directory.GetFiles(folder, "*" + suffix)
            .Order(StringComparer.Ordinal)
            .Select(path => Read(path, System.IO.Path.GetFileName(path)[..^suffix.Length]))
            .ToList();
    }

    private static PackedPackage Read(string path, string id)
    {
        using var zip = ZipFile.OpenRead(path);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = nuspec.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().First(e => e.Name.LocalName == "metadata");
        return new PackedPackage(id, path, new FileInfo(path).Length, metadata, zip.Entries.Select(e => e.FullName).ToList());
    }
}
