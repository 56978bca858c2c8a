namespace PackageConsumer;

/// <summary>The command line of the consumer test.</summary>
/// <param name="Repository">The repository root (the folder holding MLSystemDesign.sln).</param>
/// <param name="Only">Run only these README blocks (with the blocks they continue); empty for all.</param>
/// <param name="Keep">Keep the work folder even when every check passed.</param>
/// <param name="WorkFolder">Where to pack, install and build; a new temporary folder when null.</param>
internal sealed record ConsumerOptions(string Repository, IReadOnlyList<string> Only, bool Keep, string? WorkFolder)
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Usage: dotnet run --project tests/PackageConsumer -c Release [-- options]
          --only NAME     run only the README block NAME (repeatable); packing, the package checks and the tool install run always
          --keep          keep the work folder (it is kept anyway when a check fails)
          --work DIR      pack, install and build in DIR instead of a new temporary folder
          --repo DIR      the repository root (default: found above the current folder)
        """;

    /// <summary>Reads the arguments; null (after printing why) when they are wrong.</summary>
    public static ConsumerOptions? Parse(string[] args, TextWriter error)
    {
        var only = new List<string>();
        var keep = false;
        string? work = null;
        string? repository = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{args[i]} needs a value.");
                }

                return args[++i];
            }

            try
            {
                switch (args[i])
                {
                    case "--only": only.Add(Value()); break;
                    case "--keep": keep = true; break;
                    case "--work": work = Path.GetFullPath(Value()); break;
                    case "--repo": repository = Path.GetFullPath(Value()); break;
                    case "-h" or "--help": error.WriteLine(Usage); return null;
                    default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
            catch (ArgumentException e)
            {
                error.WriteLine(e.Message);
                error.WriteLine(Usage);
                return null;
            }
        }

        repository ??= FindRepository(Environment.CurrentDirectory) ?? FindRepository(AppContext.BaseDirectory);
        if (repository is null || !File.Exists(Path.Combine(repository, "MLSystemDesign.sln")))
        {
            error.WriteLine($"No MLSystemDesign.sln in {repository ?? "the current folder or above it"}; pass --repo.");
            return null;
        }

        return new ConsumerOptions(repository, only, keep, work);
    }

    private static string? FindRepository(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLSystemDesign.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
