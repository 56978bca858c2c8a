namespace PackageConsumer;

/// <summary>A code block of the README between <c>&lt;!-- consumer:NAME:start --&gt;</c> and <c>&lt;!-- consumer:NAME:end --&gt;</c>.</summary>
/// <param name="Name">The name in the markers.</param>
/// <param name="Language">The fence's language: <c>csharp</c> or <c>bash</c>.</param>
/// <param name="After">The block this one continues (<c>after=NAME</c> in its start marker), or null.</param>
/// <param name="FirstLine">The README line (1-based) of the block's first code line.</param>
/// <param name="Lines">The code lines, without the fences.</param>
internal sealed record ReadmeBlock(string Name, string Language, string? After, int FirstLine, IReadOnlyList<string> Lines)
{
    /// <summary>Gets whether the block is C#.</summary>
    public bool IsCSharp => Language == "csharp";
}

/// <summary>A C# block the README marks as not compiled, with the reason it gives.</summary>
/// <param name="Line">The README line of the block's opening fence.</param>
/// <param name="Reason">The reason after <c>consumer:skip</c>.</param>
internal sealed record SkippedBlock(int Line, string Reason);

/// <summary>What the README holds for the consumer test.</summary>
/// <param name="Blocks">The marked blocks, in README order.</param>
/// <param name="Skipped">The C# blocks marked <c>consumer:skip</c>.</param>
/// <param name="Problems">Everything wrong with the markers, each naming its README line.</param>
internal sealed record ReadmeScan(IReadOnlyList<ReadmeBlock> Blocks, IReadOnlyList<SkippedBlock> Skipped, IReadOnlyList<string> Problems)
{
    /// <summary>The block of the given name.</summary>
    public ReadmeBlock? Find(string name) => Blocks.FirstOrDefault(b => b.Name == name);

    /// <summary>The block and the blocks it continues, first first.</summary>
    public IReadOnlyList<ReadmeBlock> Chain(ReadmeBlock block)
    {
        var chain = new List<ReadmeBlock> { block };
        while (chain[0].After is { } after && Find(after) is { } previous && !chain.Contains(previous))
        {
            chain.Insert(0, previous);
        }

        return chain;
    }
}
