using System.Text.RegularExpressions;

namespace PackageConsumer;

/// <summary>What every package must carry to be published, and the README's package table against the real dependencies.</summary>
internal static partial class PackageChecks
{
    [GeneratedRegex(@"^\|\s*`(?<id>[A-Za-z][\w.]*)`\s*\|(?<depends>[^|]*)\|")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"(?<prefix>[A-Za-z][\w.]*)\.\{(?<names>[^}]*)\}")]
    private static partial Regex Group();

    /// <summary>
    /// Each package has a README, a licence expression, project and repository URLs with the commit, tags, a
    /// description and the third-party notices; each library package has its symbol package beside it.
    /// </summary>
    /// <param name="packages">The packages.</param>
    /// <param name="folder">Where they were packed.</param>
    /// <returns>One line per problem.</returns>
    public static IReadOnlyList<string> Metadata(IReadOnlyList<PackedPackage> packages, string folder)
    {
        var problems = new List<string>();
        foreach (var p in packages)
        {
            void Require(bool ok, string what)
            {
                if (!ok)
                {
                    problems.Add($"{p.Id}: {what}");
                }
            }

            var readme = p.Metadata("readme");
            Require(readme is not null && p.Entries.Contains(readme), "has no README (PackageReadmeFile and the file in the package)");
            Require(p.Metadata("license") is { Length: > 0 } && p.Metadata("license", "type") == "expression", "has no licence expression");
            Require(p.Metadata("projectUrl") is { Length: > 0 }, "has no project URL");
            Require(p.Metadata("repository", "url") is { Length: > 0 }, "has no repository URL");
            Require(p.Metadata("repository", "commit") is { Length: 40 }, "names no repository commit (SourceLink)");
            Require(p.Metadata("tags") is { Length: > 0 }, "has no tags");
            Require(p.Metadata("description") is { Length: > 0 }, "has no description");
            Require(p.Entries.Contains("THIRD-PARTY-NOTICES.md"), "does not carry THIRD-PARTY-NOTICES.md");
            if (!p.IsTool)
            {
                Require(File.Exists(Path.ChangeExtension(p.Path, ".snupkg")), "has no symbol package (.snupkg)");
            }
        }

        return problems;
    }

    /// <summary>
    /// The "Depends on" cell of each row of the README's package table names exactly the package's NuGet dependencies.
    /// A cell lists package ids separated by commas, <c>Prefix.{A, B}</c> standing for <c>Prefix.A, Prefix.B</c>;
    /// "BCL only" means none. Tool packages carry their dependencies inside and are not checked.
    /// </summary>
    /// <param name="readme">The README text.</param>
    /// <param name="packages">The packages.</param>
    /// <returns>One line per problem.</returns>
    public static IReadOnlyList<string> Table(string readme, IReadOnlyList<PackedPackage> packages)
    {
        var rows = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var line in readme.ReplaceLineEndings("\n").Split('\n'))
        {
            var row = TableRow().Match(line);
            if (row.Success && row.Groups["id"].Value.StartsWith("MLSystemDesign", StringComparison.Ordinal))
            {
                rows[row.Groups["id"].Value] = Names(row.Groups["depends"].Value);
            }
        }

        var problems = new List<string>();
        foreach (var p in packages.Where(p => !p.IsTool))
        {
            if (!rows.TryGetValue(p.Id, out var named))
            {
                problems.Add($"README.md package table: no row for {p.Id}.");
                continue;
            }

            var real = p.Dependencies.ToHashSet(StringComparer.Ordinal);
            var missing = real.Except(named).Order(StringComparer.Ordinal).ToList();
            var extra = named.Except(real).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"README.md package table: {p.Id} depends on {string.Join(", ", missing)}, which its row does not name.");
            }

            if (extra.Count > 0)
            {
                problems.Add($"README.md package table: the row of {p.Id} names {string.Join(", ", extra)}, which it does not depend on.");
            }
        }

        foreach (var id in rows.Keys.Where(id => packages.All(p => p.Id != id)))
        {
            problems.Add($"README.md package table: {id} has a row but no package was packed.");
        }

        return problems;
    }

    /// <summary>The package ids a table cell names.</summary>
    internal static IReadOnlySet<string> Names(string cell)
    {
        var text = cell.Replace("`", string.Empty, StringComparison.Ordinal).Trim();
        if (text.Equals("BCL only", StringComparison.OrdinalIgnoreCase))
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        text = Group().Replace(text, m => string.Join(", ", m.Groups["names"].Value.Split(',').Select(n => m.Groups["prefix"].Value + "." + n.Trim())));
        return text.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
    }
}
