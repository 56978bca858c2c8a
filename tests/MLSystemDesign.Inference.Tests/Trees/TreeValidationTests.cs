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
        Assert.Contains("InferenceOptions.MaxInputWidth must be between 1 and", Assert.Throws<OptionsValidationException>(() => InferenceModel.Compile(d, new InferenceOptions { MaxInputWidth = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("InferenceOptions.MaxOutputWidth must be between 1 and", Assert.Throws<OptionsValidationException>(() => InferenceModel.Compile(d, new InferenceOptions { MaxOutputWidth = -1 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InputWidthAboveTheLimit_IsRefused_UntilTheOptionIsRaised()
    {
        var d = new TreeEnsembleDefinition(ModelSignature.Regression(InferenceOptions.DefaultMaxInputWidth + 1), [], OutputTransform.Identity);
        var ex = Assert.Throws<ArgumentException>(() => InferenceModel.Compile(d));
        Assert.Contains("declares 1048577 features; InferenceOptions.MaxInputWidth allows 1048576", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1048577, InferenceModel.Compile(d, new InferenceOptions { MaxInputWidth = 1 << 21 }).Signature.InputWidth);
    }

    [Fact]
    public void OutputWidthAboveTheLimit_IsRefused()
    {
        var d = new TreeEnsembleDefinition(ModelSignature.Multiclass(2, 5), [], OutputTransform.Softmax);
        var ex = Assert.Throws<ArgumentException>(() => InferenceModel.Compile(d, new InferenceOptions { MaxOutputWidth = 4 }));
        Assert.Contains("declares 5 outputs; InferenceOptions.MaxOutputWidth allows 4", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TreeAggregation.Sum)]
    [InlineData(TreeAggregation.Average)]
    public void LeavesWhoseSumCanOverflowFloat_AreRefused(TreeAggregation aggregation)
    {
        // Each leaf is a finite float, but two of them sum to infinity (the average is taken after the sum).
        DecisionTree Stump(double leaf) => new([TreeNode.Split(0, 1, 1, 2, false), TreeNode.Leaf(1), TreeNode.Leaf(leaf)]);
        var d = new TreeEnsembleDefinition(ModelSignature.Regression(1), [Stump(3e38), Stump(3e38)], OutputTransform.Identity, aggregation: aggregation);
        var ex = Assert.Throws<ArgumentException>(() => InferenceModel.Compile(d));
        Assert.Contains("Target 0's score can overflow a float", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BaseScoreAndLeavesThatCanOverflowFloat_AreRefused_ButOneLargeLeafIsFine()
    {
        DecisionTree Stump(double leaf) => new([TreeNode.Split(0, 1, 1, 2, false), TreeNode.Leaf(leaf), TreeNode.Leaf(-1)]);
        var overflowing = new TreeEnsembleDefinition(ModelSignature.Regression(1), [Stump(-3e38)], OutputTransform.Identity, baseScores: [-1e38]);
        Assert.Contains("overflow", Assert.Throws<ArgumentException>(() => InferenceModel.Compile(overflowing)).Message, StringComparison.Ordinal);

        var large = InferenceModel.Compile(new TreeEnsembleDefinition(ModelSignature.Regression(1), [Stump(-3e38)], OutputTransform.Identity, baseScores: [1e38]));
        var output = new float[1];
        large.Predict([0f], output);
        Assert.Equal((float)(-3e38 + 1e38), output[0], (float)1e32);
    }

    [Fact]
    public async Task ManyTargets_CompileInTimeLinearInTreesAndTargets()
    {
        // 65,536 classes with one stump each: a compiler that scans every tree for every target does 4·10^9 steps.
        var k = InferenceOptions.DefaultMaxOutputWidth;
        var trees = Enumerable.Range(0, k).Select(c => new DecisionTree([TreeNode.Split(0, 0, 1, 2, false), TreeNode.Leaf(c % 7), TreeNode.Leaf(-(c % 5))], c)).ToArray();
        var d = new TreeEnsembleDefinition(ModelSignature.Multiclass(1, k), trees, OutputTransform.Identity);
        var model = await Task.Run(() => InferenceModel.Compile(d)).WaitAsync(TimeSpan.FromSeconds(20));
        var output = new float[2 * k];
        model.PredictBatch([-1f, 1f], output);
        Assert.Equal(3f, output[3]);
        Assert.Equal(-3f, output[k + 3]);
    }
}
