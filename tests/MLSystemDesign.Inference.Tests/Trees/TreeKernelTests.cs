using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MLSystemDesign.Inference.Trees;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference.Tests.Trees;

/// <summary>Every tree kernel, single row and batch, against a reference that walks the definition itself.</summary>
public sealed class TreeKernelTests
{
    private static readonly TreeKernel[] Kernels = [TreeKernel.Scalar, TreeKernel.Interleaved, TreeKernel.Avx2Gather, TreeKernel.Avx2Permute, TreeKernel.Avx512, TreeKernel.Avx512Refill, TreeKernel.Avx512Refill2, TreeKernel.Avx512Refill8, TreeKernel.Vector128];

    private static IEnumerable<TreeKernel> Supported => Kernels.Where(TreeKernels.IsSupported);

    private static IModel Compile(ModelDefinition d, TreeKernel kernel) => InferenceModel.Compile(d, new InferenceOptions { TreeKernel = kernel });

    [Property(MaxTest = 150)]
    public Property EveryKernel_WithIntegerLeaves_EqualsTheReferenceExactly() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), Arb.From(Gen.Elements(SplitComparison.LessOrEqual, SplitComparison.Less)), (seed, comparison) =>
        {
            // Integer leaves and bases make every summation order exact, so any difference is a routing difference.
            var task = (seed % 2) == 0 ? ModelTask.Regression : ModelTask.MulticlassClassification;
            var d = RandomModels.Trees(seed, task, width: seed % 3 == 0 ? 8 : null, comparison: comparison, output: OutputTransform.Identity);
            var rows = 1 + (seed % 53);
            var x = RandomModels.Rows(seed, d.Signature.InputWidth, rows);
            var k = d.TargetCount;
            foreach (var kernel in Supported)
            {
                var model = Compile(d, kernel);
                var batch = new float[rows * k];
                model.PredictBatch(x, batch);
                var single = new float[k];
                for (var r = 0; r < rows; r++)
                {
                    var expected = RandomModels.Margins(d, x.AsSpan(r * d.Signature.InputWidth, d.Signature.InputWidth));
                    model.Predict(x.AsSpan(r * d.Signature.InputWidth, d.Signature.InputWidth), single);
                    for (var j = 0; j < k; j++)
                    {
                        Assert.True((float)expected[j] == single[j], $"{kernel} single row {r} target {j}: {single[j]} != {expected[j]}");
                        Assert.True((float)expected[j] == batch[(r * k) + j], $"{kernel} batch row {r} target {j}: {batch[(r * k) + j]} != {expected[j]}");
                    }
                }
            }
        });

    [Property(MaxTest = 60)]
    public Property EveryKernel_WithRealLeavesAndProbabilities_MatchesTheReference() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var task = (ModelTask)(seed % 3);
            var aggregation = seed % 5 == 0 ? TreeAggregation.Average : TreeAggregation.Sum;
            var d = RandomModels.Trees(seed, task, aggregation: aggregation, integerLeaves: false);
            var rows = 1 + (seed % 40);
            var width = d.Signature.InputWidth;
            var x = RandomModels.Rows(seed + 1, width, rows);
            var outWidth = d.Signature.OutputWidth;
            foreach (var kernel in Supported)
            {
                var model = Compile(d, kernel);
                var batch = new float[rows * outWidth];
                model.PredictBatch(x, batch);
                for (var r = 0; r < rows; r++)
                {
                    var expected = RandomModels.Outputs(d, RandomModels.Margins(d, x.AsSpan(r * width, width)));
                    for (var j = 0; j < outWidth; j++)
                    {
                        var actual = batch[(r * outWidth) + j];
                        Assert.True(Math.Abs(actual - expected[j]) <= 1e-5 * (1 + Math.Abs(expected[j])), $"{kernel} row {r} output {j}: {actual} vs {expected[j]}");
                    }
                }
            }
        });

    [Fact]
    public void Batch_OfEveryLengthUpTo130_EqualsSingleRows()
    {
        var d = RandomModels.Trees(7, ModelTask.BinaryClassification, width: 12);
        var x = RandomModels.Rows(8, 12, 130);
        foreach (var kernel in Supported)
        {
            var model = Compile(d, kernel);
            for (var rows = 0; rows <= 130; rows += rows < 40 ? 1 : 9)
            {
                var batch = new float[rows * 2];
                model.PredictBatch(x.AsSpan(0, rows * 12), batch);
                var one = new float[2];
                for (var r = 0; r < rows; r++)
                {
                    model.Predict(x.AsSpan(r * 12, 12), one);
                    Assert.Equal(one[0], batch[2 * r], 5);
                    Assert.Equal(one[1], batch[(2 * r) + 1], 5);
                }
            }
        }
    }

    [Fact]
    public void Auto_WithoutAvx2_TakesThe128BitWalks()
    {
        // Runs its assertion under DOTNET_EnableAVX2=0 (CI) and on Arm64; elsewhere it checks that AVX2 kernels are taken.
        var layout = TreeLayout.Compile(RandomModels.Trees(3, ModelTask.Regression, width: 12));
        TreeKernel? expected = System.Runtime.Intrinsics.X86.Avx2.IsSupported ? null : System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? TreeKernel.Vector128 : TreeKernel.Scalar;
        if (expected is { } kernel)
        {
            Assert.Equal(kernel, TreeKernels.ResolveRow(TreeKernel.Auto, layout));
            Assert.Equal(kernel, TreeKernels.ResolveBatch(TreeKernel.Auto));
        }
        else
        {
            Assert.NotEqual(TreeKernel.Vector128, TreeKernels.ResolveBatch(TreeKernel.Auto));
        }
    }

    [Fact]
    public void Parallel_Batch_EqualsSequentialBatch()
    {
        var d = RandomModels.Trees(11, ModelTask.MulticlassClassification, width: 6);
        var k = d.Signature.OutputWidth;
        var x = RandomModels.Rows(12, 6, 5000);
        var sequential = new float[5000 * k];
        var parallel = new float[5000 * k];
        InferenceModel.Compile(d).PredictBatch(x, sequential);
        InferenceModel.Compile(d, new InferenceOptions { DegreeOfParallelism = 3, MinRowsPerThread = 700 }).PredictBatch(x, parallel);
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void MissingValue_FollowsEachNodesDirection()
    {
        // x0 <= 1 ? (x1 < ... ) — a stump whose missing values go right, and one whose missing values go left.
        var right = new DecisionTree([TreeNode.Split(0, 1f, 1, 2, missingGoesLeft: false), TreeNode.Leaf(-1), TreeNode.Leaf(1)]);
        var left = new DecisionTree([TreeNode.Split(0, 1f, 1, 2, missingGoesLeft: true), TreeNode.Leaf(-10), TreeNode.Leaf(10)]);
        var model = InferenceModel.Compile(new TreeEnsembleDefinition(ModelSignature.Regression(1), [right, left], OutputTransform.Identity));
        var output = new float[1];
        model.Predict([float.NaN], output);
        Assert.Equal(1f - 10f, output[0]);
        model.Predict([1f], output);
        Assert.Equal(-11f, output[0]);
        model.Predict([float.BitIncrement(1f)], output);
        Assert.Equal(11f, output[0]);
    }

    [Fact]
    public void LessComparison_SendsTheThresholdItselfRight()
    {
        var stump = new DecisionTree([TreeNode.Split(0, 0.5f, 1, 2, false), TreeNode.Leaf(1), TreeNode.Leaf(2)]);
        var model = InferenceModel.Compile(new TreeEnsembleDefinition(ModelSignature.Regression(1), [stump], OutputTransform.Identity, SplitComparison.Less));
        var output = new float[1];
        model.Predict([0.5f], output);
        Assert.Equal(2f, output[0]);
        model.Predict([float.BitDecrement(0.5f)], output);
        Assert.Equal(1f, output[0]);
        model.Predict([float.PositiveInfinity], output);
        Assert.Equal(2f, output[0]);
    }
}
