using FsCheck;
using FsCheck.Fluent;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Abstractions.Tests.Registry;

public sealed class NamingTests
{
    [Theory]
    [InlineData("../x", "'.' is outside|start with a letter or digit")]
    [InlineData("a;DROP TABLE", "';' is outside the safe set")]
    [InlineData("", "is empty")]
    [InlineData("a..b", "contains '..'")]
    [InlineData("a b", "' ' is outside the safe set")]
    [InlineData("a/b", "'/' is outside the safe set")]
    [InlineData("tab\there", "U+0009")]
    public void ValidateModelName_HostileNames_AreRefusedWithTheRule(string name, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => RegistryNames.ValidateModelName(name));
        Assert.StartsWith("Model name", ex.Message);
        Assert.Contains(expected.Split('|'), e => ex.Message.Contains(e, StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateModelName_TenThousandCharacters_IsRefusedWithTheLimit()
    {
        var ex = Assert.Throws<ArgumentException>(() => RegistryNames.ValidateModelName(new string('x', 10_000)));
        Assert.Contains("10000 characters long; at most 128", ex.Message);
        Assert.True(ex.Message.Length < 300, "the message does not repeat the whole name");
    }

    [Theory]
    [InlineData("flight-delays")]
    [InlineData("fraud.v2_eu")]
    [InlineData("A1")]
    public void ValidateModelName_SafeNames_Pass(string name) => RegistryNames.ValidateModelName(name);

    [Theory]
    [InlineData("latest")]
    [InlineData("LATEST")]
    [InlineData("v3")]
    [InlineData("1champion")]
    [InlineData("champ.ion")]
    public void ValidateAlias_ReservedOrUnsafe_IsRefused(string alias) =>
        Assert.Throws<ArgumentException>(() => RegistryNames.ValidateAlias(alias));

    [Theory]
    [InlineData("champion")]
    [InlineData("challenger_2")]
    [InlineData("v2-candidate")]
    public void ValidateAlias_Safe_Passes(string alias) => RegistryNames.ValidateAlias(alias);

    [Fact]
    public void ValidateText_ControlCharacters_AreRefusedButLineBreaksPass()
    {
        RegistryNames.ValidateText("Reason", "line one\nline two\r\n\ttabbed");
        Assert.Contains("U+0000", Assert.Throws<ArgumentException>(() => RegistryNames.ValidateText("Reason", "nul\0")).Message);
        Assert.Contains("at most 5", Assert.Throws<ArgumentException>(() => RegistryNames.ValidateText("Reason", "too long", 5)).Message);
    }

    [Theory]
    [InlineData("m", "m", null, null)]
    [InlineData("m:12", "m", 12, null)]
    [InlineData("m@champion", "m", null, "champion")]
    [InlineData("a.b-c:1", "a.b-c", 1, null)]
    public void Parse_ReadsEveryForm(string text, string name, int? version, string? alias)
    {
        var reference = ModelReference.Parse(text);
        Assert.Equal((name, version, alias), (reference.Name, reference.Version, reference.Alias));
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("m:0")]
    [InlineData("m:-1")]
    [InlineData("m:x")]
    [InlineData("m@")]
    [InlineData("@champion")]
    [InlineData("../m:1")]
    public void Parse_Malformed_IsRefused(string text) => Assert.Throws<ArgumentException>(() => ModelReference.Parse(text));

    private static readonly Gen<string> NameGen =
        from first in Gen.Elements("abcXYZ019".ToCharArray())
        from rest in Gen.Elements("abcXYZ019_-.".ToCharArray()).ArrayOf()
        let name = first + new string(rest)
        where !name.Contains("..", StringComparison.Ordinal) && name.Length <= RegistryNames.MaxModelNameLength
        select name;

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Parse_OfToString_RoundTrips() =>
        Prop.ForAll(
            NameGen.ToArbitrary(),
            Gen.Choose(1, 100_000).ToArbitrary(),
            Gen.Elements("champion", "challenger", "shadow-1").ToArbitrary(),
            (name, version, alias) =>
                ModelReference.Parse(ModelReference.ForVersion(name, version).ToString()) == ModelReference.ForVersion(name, version)
                && ModelReference.Parse(ModelReference.ForAlias(name, alias).ToString()) == ModelReference.ForAlias(name, alias)
                && ModelReference.Parse(name) == ModelReference.Latest(name));

    [Fact]
    public void ArtifactIntegrityException_WithContext_NamesModelVersionArtifactAndHashes()
    {
        var bare = new ArtifactIntegrityException(ArtifactProblem.Altered, new string('a', 64), new string('b', 64), 10, 10);
        var named = bare.WithContext("m", 3, "model");
        Assert.Equal($"Artifact 'model' of m:3 is damaged: expected sha256 {new string('a', 64)}, found sha256 {new string('b', 64)} (10 bytes).", named.Message);
        Assert.Same(bare, named.InnerException);
    }

    [Fact]
    public void CodeVersion_FromAssembly_SplitsTheSourceRevision()
    {
        var code = CodeVersion.FromAssembly(typeof(RegistryNames).Assembly);
        Assert.Equal("MLSystemDesign.Abstractions", code.Assembly);
        Assert.False(string.IsNullOrEmpty(code.Version));
        Assert.DoesNotContain("+", code.Version, StringComparison.Ordinal);
    }
}
