using Microsoft.Extensions.Options;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference.Tests.Trees;

/// <summary>Malformed ensembles fail at compile time with a message naming the tree and node.</summary>
public sealed class TreeValidationTests
{
    private static ArgumentException Fails(params TreeNode[] nodes) =>
        Assert.ThrowsAny<ArgumentException>(() => InferenceModel.Compile(new TreeEnsembleDefinition(ModelSignature.Regression(3), [new DecisionTree(nodes)], OutputTransform.Identity)));

    [Fact]
    public void Cycle_IsRefused() =>
        Assert.Contains("reached twice", Fails(TreeNode.Split(0, 1, 1, 2, false), TreeNode.Split(1, 1, 0, 2, false), TreeNode.Leaf(1)).Message);

    [Fact]
    public void SharedChild_IsRefused() =>
        Assert.Contains("reached twice", Fails(TreeNode.Split(0, 1, 1, 2, false), TreeNode.Split(1, 1, 3, 4, false), TreeNode.Split(1, 1, 3, 4, false), TreeNode.Leaf(1), TreeNode.Leaf(2)).Message);

    [Fact]
    public void ChildOutOfRange_IsRefused() =>
        Assert.Contains("children 1 and 7", Fails(TreeNode.Split(0, 1, 1, 7, false), TreeNode.Leaf(1)).Message);

    [Fact]
    public void SelfLoop_IsRefused() =>
        Assert.Contains("not the node itself", Fails(TreeNode.Split(0, 1, 0, 1, false), TreeNode.Leaf(1)).Message);

    [Fact]
    public void FeatureOutOfRange_IsRefused() =>
        Assert.Contains("feature 3", Fails(TreeNode.Split(3, 1, 1, 2, false), TreeNode.Leaf(1), TreeNode.Leaf(2)).Message);

    [Fact]
    public void NaNThreshold_IsRefused() =>
        Assert.Contains("NaN threshold", Fails(TreeNode.Split(0, float.NaN, 1, 2, false), TreeNode.Leaf(1), TreeNode.Leaf(2)).Message);

    [Fact]
    public void InfiniteLeaf_IsRefused() =>
        Assert.Contains("not a finite float", Fails(TreeNode.Split(0, 1, 1, 2, false), TreeNode.Leaf(1e300), TreeNode.Leaf(2)).Message);

    [Fact]
    public void EmptyTree_IsRefused() => Assert.Contains("no nodes", Fails().Message);

    [Fact]
    public void TargetOutOfRange_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new TreeEnsembleDefinition(ModelSignature.Binary(2), [new DecisionTree([TreeNode.Leaf(1)], target: 1)], OutputTransform.Sigmoid));

    [Fact]
    public void TransformThatDoesNotFitTheTask_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new TreeEnsembleDefinition(ModelSignature.Regression(2), [], OutputTransform.Softmax));

    [Fact]
    public void WrongInputWidth_IsAnArgumentException()
    {
        var model = InferenceModel.Compile(RandomModels.Trees(1, ModelTask.BinaryClassification, width: 4));
        Assert.Throws<ArgumentException>(() => model.Predict(new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => model.Predict(new float[4], new float[1]));
        Assert.Throws<ArgumentException>(() => model.PredictBatch(new float[9], new float[6]));
    }

    [Fact]
    public void Options_OutOfRange_AreRefused()
    {
        var d = RandomModels.Trees(1, ModelTask.Regression);
        var parallelism = Assert.Throws<OptionsValidationException>(() => InferenceModel.Compile(d, new InferenceOptions { DegreeOfParallelism = 0 }));
        Assert.Contains("InferenceOptions.DegreeOfParallelism must be between 1 and 256", parallelism.Message, StringComparison.Ordinal);
        var rows = Assert.Throws<OptionsValidationException>(() => InferenceModel.Compile(d, new InferenceOptions { MinRowsPerThread = 0 }));
        Assert.Contains("InferenceOptions.MinRowsPerThread must be between 1 and", rows.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => new MlsdModelFormat(new InferenceOptions { DegreeOfParallelism = 257 }));
        Assert.Throws<OptionsValidationException>(() => new XGBoostJsonModelFormat(new InferenceOptions { MinRowsPerThread = -1 }));
    }
}
