using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.Abstractions.Tests.Training;

public sealed class TrainingSetTests
{
    [Fact]
    public void Labels_AreCheckedForTheTask_AndNameTheRow()
    {
        Assert.Contains("row 1", Assert.Throws<ArgumentException>(() => new TrainingSet(ModelTask.BinaryClassification, new float[4], 2, new float[] { 0, 2 })).Message);
        Assert.Contains("row 0", Assert.Throws<ArgumentException>(() => new TrainingSet(ModelTask.MulticlassClassification, new float[2], 2, new float[] { 0.5f })).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => new TrainingSet(ModelTask.Regression, new float[2], 2, new float[] { float.NaN })).Message);
        Assert.Contains("weight of row 0", Assert.Throws<ArgumentException>(() => new TrainingSet(ModelTask.Regression, new float[2], 2, new float[] { 1 }, weights: new float[] { -1 })).Message);
        Assert.Throws<ArgumentException>(() => new TrainingSet(ModelTask.Regression, new float[3], 2, new float[] { 1 }));
    }

    [Fact]
    public void ClassCount_FollowsLabelsOrNames()
    {
        Assert.Equal(2, new TrainingSet(ModelTask.BinaryClassification, new float[2], 1, new float[] { 0, 0 }).ClassCount);
        Assert.Equal(4, new TrainingSet(ModelTask.MulticlassClassification, new float[2], 1, new float[] { 0, 3 }).ClassCount);
        Assert.Equal(5, new TrainingSet(ModelTask.MulticlassClassification, new float[2], 1, new float[] { 0, 3 }, classLabels: ["a", "b", "c", "d", "e"]).ClassCount);
        var set = new TrainingSet(ModelTask.Regression, new float[] { 1, 2, 3, 4 }, 2, new float[] { 5, 6 });
        Assert.Equal(new float[] { 3, 4 }, set.Row(1).ToArray());
        Assert.Equal(2, set.RowCount);
    }
}
