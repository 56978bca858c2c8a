using MLSystemDesign.Models;

namespace MLSystemDesign.Abstractions.Tests.Models;

public sealed class ModelSignatureTests
{
    [Fact]
    public void Factories_NameTheOutputs()
    {
        Assert.Equal(["score"], ModelSignature.Regression(3).Outputs);
        Assert.Equal(["score", "probability"], ModelSignature.Binary(3).Outputs);
        Assert.Equal(["prob_0", "prob_1", "prob_2"], ModelSignature.Multiclass(3, 3).Outputs);
        Assert.Equal(3, ModelSignature.Multiclass(3, 3).OutputWidth);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelSignature.Multiclass(3, 1));
        Assert.Throws<ArgumentException>(() => ModelSignature.Binary(2, ["a"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelSignature.Binary(0));
    }

    [Fact]
    public void Validate_ExplainsWrongWidths()
    {
        var s = ModelSignature.Binary(4);
        Assert.Contains("takes 4 features; 3 were given", Assert.Throws<ArgumentException>(() => s.ValidateRow(new float[3], new float[2])).Message);
        Assert.Contains("writes 2 outputs", Assert.Throws<ArgumentException>(() => s.ValidateRow(new float[4], new float[1])).Message);
        Assert.Equal(3, s.ValidateBatch(new float[12], new float[6]));
        Assert.Contains("not a multiple", Assert.Throws<ArgumentException>(() => s.ValidateBatch(new float[10], new float[6])).Message);
        Assert.Contains("3 rows need 6", Assert.Throws<ArgumentException>(() => s.ValidateBatch(new float[12], new float[5])).Message);
    }

    [Fact]
    public void Equality_CoversNamesAndLabels()
    {
        Assert.Equal(ModelSignature.Multiclass(2, 2, ["a", "b"], ["x", "y"]), ModelSignature.Multiclass(2, 2, ["a", "b"], ["x", "y"]));
        Assert.NotEqual(ModelSignature.Multiclass(2, 2, ["a", "b"], ["x", "y"]), ModelSignature.Multiclass(2, 2, ["a", "b"], ["x", "z"]));
        Assert.NotEqual(ModelSignature.Binary(2), ModelSignature.Regression(2));
    }
}
