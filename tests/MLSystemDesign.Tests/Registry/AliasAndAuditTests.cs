using FsCheck;
using FsCheck.Fluent;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Tests.Registry;

public sealed class AliasAndAuditTests : IDisposable
{
    private readonly TestRegistry _r = new();

    public void Dispose() => _r.Dispose();

    private async Task Versions(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _r.Registry.RegisterAsync(TestRegistry.Linear(name, i));
        }
    }

    [Fact]
    public async Task SetAlias_MovesAtomically_AndRecordsThePreviousVersion()
    {
        await Versions("m", 3);
        var first = await _r.Registry.SetAliasAsync("m", "champion", 1, new RegistryChange("first model", "ada"));
        Assert.Null(first.PreviousVersion);
        _r.Time.Advance(TimeSpan.FromDays(1));
        var moved = await _r.Registry.SetAliasAsync("m", "champion", 3, new RegistryChange("AUC 0.74 beats 0.71"));
        Assert.Equal((1, 3, "tester", "AUC 0.74 beats 0.71"), (moved.PreviousVersion, moved.Version, moved.Actor, moved.Reason));
        Assert.Equal(3, (await _r.Registry.GetAsync(ModelReference.Parse("m@champion"))).Version);
        Assert.Equal(["champion"], (await _r.Registry.GetAsync(ModelReference.Parse("m:3"))).Aliases);
        Assert.Empty((await _r.Registry.GetAsync(ModelReference.Parse("m:1"))).Aliases);

        var entry = (await _r.Registry.GetHistoryAsync("m")).Last();
        Assert.Equal((AuditAction.AliasSet, "champion", "1", "3", "AUC 0.74 beats 0.71"), (entry.Action, entry.Subject, entry.Before, entry.After, entry.Reason));
    }

    [Fact]
    public async Task GetAliasAt_AnswersWhichVersionWasChampionAtATime()
    {
        await Versions("m", 3);
        var t0 = _r.Time.GetUtcNow();
        _r.Time.Advance(TimeSpan.FromHours(1));
        await _r.Registry.SetAliasAsync("m", "champion", 1);
        var t1 = _r.Time.GetUtcNow();
        _r.Time.Advance(TimeSpan.FromHours(1));
        await _r.Registry.SetAliasAsync("m", "champion", 2);
        var t2 = _r.Time.GetUtcNow();
        _r.Time.Advance(TimeSpan.FromHours(1));
        await _r.Registry.RemoveAliasAsync("m", "champion", new RegistryChange("rolled back"));
        var t3 = _r.Time.GetUtcNow();

        Assert.Null(await _r.Registry.GetAliasAtAsync("m", "champion", t0));
        Assert.Equal(1, await _r.Registry.GetAliasAtAsync("m", "champion", t1));
        Assert.Equal(1, await _r.Registry.GetAliasAtAsync("m", "champion", t1.AddMinutes(59)));
        Assert.Equal(2, await _r.Registry.GetAliasAtAsync("m", "champion", t2));
        Assert.Null(await _r.Registry.GetAliasAtAsync("m", "champion", t3));
    }

    [Fact]
    public async Task DeleteOrArchive_AnAliasedVersion_IsRefused()
    {
        await Versions("m", 2);
        await _r.Registry.SetAliasAsync("m", "champion", 1);
        await _r.Registry.SetAliasAsync("m", "shadow", 1);
        var delete = await Assert.ThrowsAsync<InvalidOperationException>(() => _r.Registry.DeleteAsync("m", 1));
        Assert.Contains("'champion', 'shadow' point at it", delete.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _r.Registry.ArchiveAsync("m", 1));
        Assert.Equal(ModelVersionState.Active, (await _r.Registry.GetAsync(ModelReference.Parse("m:1"))).State);
    }

    [Fact]
    public async Task Alias_OnArchivedOrDeletedVersion_IsRefused()
    {
        await Versions("m", 2);
        await _r.Registry.ArchiveAsync("m", 1, new RegistryChange("superseded"));
        await _r.Registry.DeleteAsync("m", 2);
        Assert.Contains("archived", (await Assert.ThrowsAsync<InvalidOperationException>(() => _r.Registry.SetAliasAsync("m", "champion", 1))).Message);
        Assert.Contains("deleted", (await Assert.ThrowsAsync<InvalidOperationException>(() => _r.Registry.SetAliasAsync("m", "champion", 2))).Message);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _r.Registry.SetAliasAsync("m", "champion", 7));
    }

    [Fact]
    public async Task TagsArchiveRestoreDelete_AreAuditedWithThePreviousState()
    {
        await Versions("m", 2);
        await _r.Registry.SetTagAsync("m", 1, "stage", "candidate", new RegistryChange("trained", "bot"));
        await _r.Registry.SetTagAsync("m", 1, "stage", "reviewed");
        await _r.Registry.RemoveTagAsync("m", 1, "stage", new RegistryChange("cleanup"));
        await _r.Registry.ArchiveAsync("m", 1);
        await _r.Registry.RestoreAsync("m", 1);
        await _r.Registry.DeleteAsync("m", 2, new RegistryChange("leaked test data"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _r.Registry.RemoveTagAsync("m", 1, "stage"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _r.Registry.SetTagAsync("m", 2, "k", "v"));

        var history = (await _r.Registry.GetHistoryAsync("m")).Skip(2).ToList();
        Assert.Equal(
            [
                (AuditAction.TagSet, (int?)1, "stage", (string?)null, (string?)"candidate"),
                (AuditAction.TagSet, 1, "stage", "candidate", "reviewed"),
                (AuditAction.TagRemoved, 1, "stage", "reviewed", null),
                (AuditAction.Archived, 1, null, "active", "archived"),
                (AuditAction.Restored, 1, null, "archived", "active"),
                (AuditAction.Deleted, 2, null, history[5].Before, "deleted"),
            ],
            history.Select(e => (e.Action, e.Version, e.Subject, e.Before, e.After)));
        Assert.Contains("\"sha256\"", history[5].Before);
        Assert.Equal(["bot", "tester"], history.Select(e => e.Actor).Distinct().Order());
        Assert.Equal(history.Select(e => e.Sequence).Order(), history.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Delete_KeepsTheNumberTaken()
    {
        await Versions("m", 2);
        await _r.Registry.DeleteAsync("m", 2);
        Assert.Equal(ModelVersionState.Deleted, (await _r.Registry.GetAsync(ModelReference.Parse("m:2"))).State);
        Assert.Equal(3, (await _r.Registry.RegisterAsync(TestRegistry.Linear("m", 9))).Version);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _r.Registry.DeleteAsync("m", 2));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _r.Registry.OpenArtifactAsync("m", 2, "model"));
    }

    [Fact]
    public async Task History_OfAVersion_HoldsItsEntriesAndTheAliasMovesAwayFromIt()
    {
        await Versions("m", 2);
        await _r.Registry.SetAliasAsync("m", "champion", 1);
        await _r.Registry.SetTagAsync("m", 2, "k", "v");
        await _r.Registry.SetAliasAsync("m", "champion", 2);
        var history = await _r.Registry.GetHistoryAsync("m", 1);
        Assert.Equal([AuditAction.Registered, AuditAction.AliasSet, AuditAction.AliasSet], history.Select(e => e.Action));
        Assert.Equal("2", history[2].After);
    }

    public enum Op
    {
        Set,
        Remove,
    }

    private static readonly Gen<(Op Op, string Alias, int Version, int Minutes)> Move =
        from op in Gen.Elements(Op.Set, Op.Set, Op.Remove)
        from alias in Gen.Elements("champion", "challenger", "shadow")
        from version in Gen.Choose(1, 4)
        from minutes in Gen.Choose(0, 3)
        select (op, alias, version, minutes);

    [FsCheck.Xunit.Property(MaxTest = 25)]
    public Property AnySequenceOfAliasMoves_ReplayedFromTheAuditLog_GivesTheCurrentAliases() =>
        Prop.ForAll(Move.ListOf().Select(l => l.ToList()).ToArbitrary(), moves => ReplayAsync(moves).GetAwaiter().GetResult());

    private static async Task<bool> ReplayAsync(List<(Op Op, string Alias, int Version, int Minutes)> moves)
    {
        using var r = new TestRegistry();
        for (var i = 0; i < 4; i++)
        {
            await r.Registry.RegisterAsync(TestRegistry.Linear("m", i));
        }

        var times = new List<DateTimeOffset>();
        var current = new Dictionary<string, int>();
        foreach (var (op, alias, version, minutes) in moves)
        {
            r.Time.Advance(TimeSpan.FromMinutes(minutes));
            if (op == Op.Set)
            {
                await r.Registry.SetAliasAsync("m", alias, version);
                current[alias] = version;
            }
            else if (current.Remove(alias))
            {
                await r.Registry.RemoveAliasAsync("m", alias);
            }
            else
            {
                await Assert.ThrowsAsync<KeyNotFoundException>(() => r.Registry.RemoveAliasAsync("m", alias));
            }

            times.Add(r.Time.GetUtcNow());
        }

        var log = await r.Registry.GetHistoryAsync("m");
        var replayed = Replay(log, DateTimeOffset.MaxValue);
        var stored = (await r.Registry.GetModelAsync("m")).Aliases;
        Assert.Equal(current.OrderBy(p => p.Key), replayed.OrderBy(p => p.Key));
        Assert.Equal(current.OrderBy(p => p.Key), stored.OrderBy(p => p.Key));
        foreach (var t in times.Prepend(times.Count > 0 ? times[0].AddTicks(-1) : DateTimeOffset.MinValue.AddYears(2000)))
        {
            var then = Replay(log, t);
            foreach (var alias in new[] { "champion", "challenger", "shadow" })
            {
                Assert.Equal(then.TryGetValue(alias, out var v) ? v : null, await r.Registry.GetAliasAtAsync("m", alias, t));
            }
        }

        return true;
    }

    /// <summary>The oracle: folds the audit log's alias entries, checking each records the state it replaced.</summary>
    private static Dictionary<string, int> Replay(IReadOnlyList<AuditEntry> log, DateTimeOffset until)
    {
        var aliases = new Dictionary<string, int>();
        foreach (var e in log.Where(e => e.At <= until))
        {
            if (e.Action is AuditAction.AliasSet or AuditAction.AliasRemoved)
            {
                Assert.Equal(aliases.TryGetValue(e.Subject!, out var before) ? before.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, e.Before);
                if (e.Action == AuditAction.AliasSet)
                {
                    aliases[e.Subject!] = int.Parse(e.After!, System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    aliases.Remove(e.Subject!);
                }
            }
        }

        return aliases;
    }
}
