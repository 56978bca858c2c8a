using FsCheck;
using FsCheck.Fluent;
using MLSystemDesign.Features;
using MLSystemDesign.Features.Internal;

namespace MLSystemDesign.Tests.Features;

public sealed class CategoryIndexTests
{
    /// <summary>Short and long strings over a small alphabet that includes NUL and a non-ASCII letter, so keys collide in every way they can.</summary>
    private static Gen<string> Categories =>
        from length in Gen.Frequency((3, Gen.Choose(0, 3)), (2, Gen.Choose(4, 12)))
        from units in Gen.Elements('a', 'b', '\0', 'é', 'Z').ArrayOf(length)
        select new string(units);

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Find_AgreesWithADictionary() =>
        Prop.ForAll(
            Categories.ListOf().Select(l => l.Distinct(StringComparer.Ordinal).ToList()).ToArbitrary(),
            Categories.ListOf().ToArbitrary(),
            (vocabulary, probes) =>
            {
                var index = new CategoryIndex(vocabulary, "f");
                var oracle = vocabulary.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
                return vocabulary.Concat(probes).All(c => index.Find(c) == (oracle.TryGetValue(c, out var slot) ? slot : vocabulary.Count))
                    && index.Count == vocabulary.Count;
            });

    [Fact]
    public void Find_TellsApartKeysThatOnlyPaddingOrLengthSeparate()
    {
        string[] vocabulary = ["A", "A\0", "A\0\0", string.Empty, "\0", "AB", "ABC", "ABCD", "ABCDE"];
        var index = new CategoryIndex(vocabulary, "f");
        for (var i = 0; i < vocabulary.Length; i++)
        {
            Assert.Equal(i, index.Find(vocabulary[i]));
            Assert.Equal(i, index.Find(new string(vocabulary[i].AsSpan()))); // an equal string, not the same instance
        }

        Assert.Equal(vocabulary.Length, index.Find("\0\0"));
        Assert.Equal(vocabulary.Length, index.Find("ABCDEF"));
        Assert.Equal(vocabulary.Length, index.Find("B"));
    }

    [Fact]
    public void Find_WithTenThousandCodesSharingPrefixAndSuffix()
    {
        var vocabulary = Enumerable.Range(0, 10_000).Select(i => $"item-{i:00000}-x").Concat(Enumerable.Range(0, 1000).Select(i => $"{i:000}")).ToArray();
        var index = new CategoryIndex(vocabulary, "f");
        for (var i = 0; i < vocabulary.Length; i++)
        {
            Assert.Equal(i, index.Find(vocabulary[i]));
        }

        Assert.Equal(vocabulary.Length, index.Find("item-10000-x"));
        Assert.Equal(vocabulary.Length, index.Find("1000"));
    }

    [Fact]
    public void Constructor_DuplicateCategory_NamesFeatureAndCategory()
    {
        var error = Assert.Throws<FeaturePipelineMismatchException>(() => new CategoryIndex(["ORD", "SEA", "ORD"], "origin"));
        Assert.Contains("'origin'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ORD'", error.Message, StringComparison.Ordinal);
        Assert.Throws<FeaturePipelineMismatchException>(() => new CategoryIndex(["Seattle", "Seattle"], "city"));
    }
}
