using System.Text.Json;
using MLSystemDesign.Inference;
using MLSystemDesign.Models;

namespace MLSystemDesign.Onnx.Tests;

/// <summary>The ONNX models of the test data predict what scikit-learn predicted for them (make_onnx_models.py), on both engines.</summary>
public sealed class OnnxSklearnTests
{
    [Theory]
    [InlineData("cancer-gbt.onnx", "gbt_probability")]
    [InlineData("cancer-mlp.onnx", "mlp_probability")]
    public void Model_PredictsLikeScikitLearn_OnTheCoreAndOnOnnxRuntime(string file, string expectedName)
    {
        var bytes = File.ReadAllBytes(OnnxFuzzTests.Data(file));
        using var expected = JsonDocument.Parse(File.ReadAllBytes(OnnxFuzzTests.Data("cancer-onnx.expected.json")));
        var probabilities = expected.RootElement.GetProperty(expectedName).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var rows = OnnxFuzzTests.Rows();
        var core = OnnxInference.Compile(bytes);
        Assert.True(InferenceModel.TryGetDefinition(core, out _));
        using var ort = (OnnxRuntimeModel)OnnxRuntimeModels.Load(bytes);
        foreach (var model in new IModel[] { core, ort })
        {
            Assert.Equal(ModelSignature.Binary(30).Outputs, model.Signature.Outputs);
            var output = new float[probabilities.Length * 2];
            model.PredictBatch(rows, output);
            for (var r = 0; r < probabilities.Length; r++)
            {
                Assert.True(Math.Abs(output[(2 * r) + 1] - probabilities[r]) < 1e-5, $"{model.GetType().Name} row {r}: {output[(2 * r) + 1]} vs scikit-learn {probabilities[r]}");
            }
        }
    }
}
