using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using MLSystemDesign.Benchmarks.Inference;
using MLSystemDesign.Inference;
using MLSystemDesign.Inference.Tests;
using MLSystemDesign.MLNet;
using MLSystemDesign.MLNet.Models;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.Onnx.Tests;

public sealed class OnnxModelFormatTests
{
    [Fact]
    public async Task Auto_CompilesWhatTheCoreReads_AndRunsTheRestOnOnnxRuntime()
    {
        var (exported, mlnet, rows) = await MLNetExportedGraphAsync();
        var format = new OnnxModelFormat();
        var lean = OnnxGraphs.TreeRegressor(RandomModels.Trees(2, ModelTask.Regression, width: 4));
        Assert.True(InferenceModel.TryGetDefinition(await format.LoadAsync(new MemoryStream(lean)), out _));

        // ML.NET's exporter wraps the trees in Identity/Cast/calibrator nodes: not compiled by the core, so ONNX Runtime runs it.
        var core = Assert.Throws<NotSupportedException>(() => format.Load(exported, OnnxEngine.Core));
        Assert.Contains("operator", core.Message);
        using var ort = (IDisposable)await format.LoadAsync(new MemoryStream(exported));
        var model = (IModel)ort;
        Assert.False(InferenceModel.TryGetDefinition(model, out _));
        var expected = new float[rows.Length / 6 * 2];
        var actual = new float[expected.Length];
        mlnet.PredictBatch(rows, expected);
        model.PredictBatch(rows, actual);
        for (var r = 0; r < expected.Length / 2; r++)
        {
            Assert.True(Math.Abs(actual[(2 * r) + 1] - expected[(2 * r) + 1]) < 1e-5, $"row {r}: {actual[(2 * r) + 1]} vs ML.NET {expected[(2 * r) + 1]}");
        }
    }

    [Fact]
    public async Task AddOnnx_RegistersTheFormatOnce_AndSaveIsNotSupported()
    {
        await using var services = new ServiceCollection().AddMLSystem(ml => ml.AddOnnx(o => o.Engine = OnnxEngine.Core).AddOnnx()).BuildServiceProvider();
        var formats = services.GetServices<IModelFormat>().Select(f => f.FormatId).Order().ToArray();
        Assert.Equal(["mlsd", "onnx", "xgboost-json"], formats);
        var onnx = services.GetRequiredService<IModelFormatResolver>().Get("onnx");
        Assert.False(onnx.CanSave(InferenceModel.Compile(RandomModels.Trees(1, ModelTask.Regression))));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await onnx.SaveAsync(InferenceModel.Compile(RandomModels.Trees(1, ModelTask.Regression)), new MemoryStream()));
    }

    [Fact]
    public void OnnxRuntime_RejectsGarbage_WithAFormatError() =>
        Assert.Throws<MLSystemDesign.Models.ModelFormatException>(() => OnnxRuntimeModels.Load([1, 2, 3, 4]));

    /// <summary>A FastTree model trained on synthetic rows, exported by ML.NET's ONNX converter.</summary>
    internal static async Task<(byte[] Graph, IModel Model, float[] Rows)> MLNetExportedGraphAsync()
    {
        var rng = new Random(5);
        var x = Enumerable.Range(0, 600 * 6).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 600).Select(r => x[r * 6] + x[(r * 6) + 1] > 1 ? 1f : 0f).ToArray();
        var model = await MLNetTrainers.FastTree(ModelTask.BinaryClassification, new TreeTrainerSettings { Trees = 10, Threads = 1 }).TrainAsync(new TrainingSet(ModelTask.BinaryClassification, x, 6, y));
        var m = (MLNetModel)model;
        var ml = new MLContext(1);
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(m.Transformer, MLNetData.FromMatrix(ml, x.AsMemory(0, 60), 6), stream);
        return (stream.ToArray(), model, x[..(6 * 100)]);
    }
}
