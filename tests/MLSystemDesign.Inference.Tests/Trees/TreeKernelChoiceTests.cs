using Microsoft.Extensions.Options;
using MLSystemDesign.Inference.Trees;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference.Tests.Trees;

/// <summary>How a compiled ensemble chooses its kernel: pinned, calibrated or by the CPU table, and says why.</summary>
public sealed class TreeKernelChoiceTests
{
    private static readonly TreeEnsembleDefinition Model = RandomModels.Trees(21, ModelTask.BinaryClassification, width: 10);

    [Fact]
    public void Compile_WithAPinnedKernel_RunsItAndSaysSo()
    {
        var model = InferenceModel.Compile(Model, new InferenceOptions { TreeKernel = TreeKernel.Scalar });
        var trees = Assert.IsType<TreeEnsembleModel>(model);
        Assert.Equal(TreeKernel.Scalar, trees.RowKernel);
        Assert.Equal(TreeKernel.Scalar, trees.BatchKernel);
        Assert.Contains("pinned to Scalar", model.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ByDefault_TakesTheCpuTable()
    {
        var model = Assert.IsType<TreeEnsembleModel>(InferenceModel.Compile(Model));
        Assert.Equal(TreeKernels.ResolveRow(TreeKernel.Auto, model.Layout), model.RowKernel);
        Assert.Equal(TreeKernels.ResolveBatch(TreeKernel.Auto), model.BatchKernel);
        Assert.Contains("CPU table", model.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_WithCalibration_ChoosesASupportedKernelAndGivesTheSameOutputs()
    {
        var calibrated = Assert.IsType<TreeEnsembleModel>(InferenceModel.Compile(Model, new InferenceOptions { CalibrateTreeKernel = true }));
        Assert.True(TreeKernels.IsSupported(calibrated.RowKernel));
        Assert.True(TreeKernels.IsSupported(calibrated.BatchKernel));
        Assert.Contains("calibrated in", calibrated.ToString(), StringComparison.Ordinal);

        var reference = InferenceModel.Compile(Model, new InferenceOptions { TreeKernel = TreeKernel.Scalar });
        var x = RandomModels.Rows(22, 10, 70);
        var a = new float[140];
        var b = new float[140];
        calibrated.PredictBatch(x, a);
        reference.PredictBatch(x, b);
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(b[i], a[i], 5);
        }
    }

    [Fact]
    public void Compile_WithAnUndefinedKernel_IsAnOptionsValidationException()
    {
        var error = Assert.Throws<OptionsValidationException>(() => InferenceModel.Compile(Model, new InferenceOptions { TreeKernel = (TreeKernel)99 }));
        Assert.Contains(nameof(InferenceOptions.TreeKernel), error.Message, StringComparison.Ordinal);
    }
}
