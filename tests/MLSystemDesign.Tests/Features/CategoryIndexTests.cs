using FsCheck;
using FsCheck.Fluent;
using MLSystemDesign.Features.Internal;

namespace MLSystemDesign.Tests.Features;

public sealed class CategoryIndexTests
{
    // Short strings over a tiny alphabet (with '\0' and a non-BMP half) make packed-key collisions as likely as possible.
    private static Gen<string> Categories => Gen.Elements('a', 'b', '\0', 'é', '\uD83D').ArrayOf().Where(a => a.Length <= 7).Select(a => new string(a));

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Find_AgreesWithADictionary() =>
        Prop.ForAll(Categories.ArrayOf().ToArbitrary(), Categories.ArrayOf().ToArbitrary(), (vocabulary, probes) =>
        {
            var distinct = vocabulary.Distinct(StringComparer.Ordinal).ToArray();
            var expected = distinct.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i, StringComparer.Ordinal);
            var index = new CategoryIndex(distinct);
            return distinct.Concat(probes).All(p => index.Find(p) == (expected.TryGetValue(p, out var slot) ? slot : -1));
        });

    [Fact]
    public void Find_EmptyVocabulary_FindsNothing()
    {
        var index = new CategoryIndex([]);
        Assert.Equal(-1, index.Find(string.Empty));
        Assert.Equal(-1, index.Find("SEA"));
        Assert.Equal(-1, index.Find("a long category"));
    }
}
