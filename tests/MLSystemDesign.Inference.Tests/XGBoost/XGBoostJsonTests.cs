using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLSystemDesign.Models;
using MLSystemDesign.Testing;

namespace MLSystemDesign.Inference.Tests.XGBoost;

/// <summary>XGBoost JSON models against XGBoost's own predictions (fixtures made by make_xgboost_fixtures.py).</summary>
public sealed class XGBoostJsonTests
{
    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "XGBoost", file);

    public static TheoryData<string> Models => new() { "xgb-binary", "xgb-regression", "xgb-multiclass" };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Model_PredictsLikeXGBoost_IncludingMissingValuesAndThresholdTies(string name)
    {
        await using var file = File.OpenRead(Fixture($"{name}.model.json"));
        var model = await new XGBoostJsonModelFormat().LoadAsync(file);
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Fixture($"{name}.expected.json")));
        var rows = expected.RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? float.NaN : (float)v.GetDouble()).ToArray()).ToArray();
        var margins = expected.RootElement.GetProperty("margin").EnumerateArray().ToArray();
        var predictions = expected.RootElement.GetProperty("prediction").EnumerateArray().ToArray();
        Assert.Contains(rows, r => r.Any(float.IsNaN));
        var width = model.Signature.OutputWidth;
        var output = new float[width];
        var batch = new float[rows.Length * width];
        model.PredictBatch(rows.SelectMany(r => r).ToArray(), batch);
        for (var i = 0; i < rows.Length * 2; i++)
        {
            // Each row twice: once predicted alone, once taken from the batch.
            if (i < rows.Length)
            {
                model.Predict(rows[i], output);
            }
            else
            {
                batch.AsSpan((i - rows.Length) * width, width).CopyTo(output);
            }

            var row = i % rows.Length;
            switch (model.Signature.Task)
            {
                case ModelTask.MulticlassClassification:
                    var probabilities = predictions[row].EnumerateArray().Select(e => e.GetDouble()).ToArray();
                    for (var c = 0; c < width; c++)
                    {
                        Assert.True(Math.Abs(output[c] - probabilities[c]) < 2e-6, $"row {row} class {c}: {output[c]} vs {probabilities[c]}");
                    }

                    break;
                case ModelTask.BinaryClassification:
                    var margin = margins[row].GetDouble();
                    Assert.True(Math.Abs(output[0] - margin) <= 1e-5 * (1 + Math.Abs(margin)), $"row {row}: margin {output[0]} vs {margin}");
                    Assert.True(Math.Abs(output[1] - predictions[row].GetDouble()) < 2e-6, $"row {row}: probability {output[1]} vs {predictions[row].GetDouble()}");
                    break;
                default:
                    var score = predictions[row].GetDouble();
                    Assert.True(Math.Abs(output[0] - score) <= 1e-5 * (1 + Math.Abs(score)), $"row {row}: score {output[0]} vs {score}");
                    break;
            }
        }
    }

    [Fact]
    public void Definition_UsesStrictLessAndXGBoostBaseMargin()
    {
        var d = XGBoostJsonModelFormat.ReadDefinition(File.ReadAllBytes(Fixture("xgb-binary.model.json")));
        Assert.Equal(SplitComparison.Less, d.Comparison);
        Assert.Equal(30, d.Trees.Count);
        Assert.Equal(0.0, d.BaseScores[0], 12); // base_score 0.5 is a margin of logit(0.5) = 0
    }

    public static TheoryData<string, string> Hostile => new()
    {
        { "{", "" },
        { "{\"learner\":{}}", "learner_model_param" },
        { Mutate(n => n["learner"]!["objective"]!["name"] = "rank:pairwise"), "rank:pairwise" },
        { Mutate(n => n["learner"]!["gradient_booster"]!["name"] = "gblinear"), "gblinear" },
        { Mutate(n => Tree(n)["split_type"]![0] = 1), "categorical" },
        { Mutate(n => Tree(n)["left_children"]![0] = 9999), "children 9999" },
        { Mutate(n => Tree(n)["left_children"]![1] = 0), "reached twice" },
        { Mutate(n => Tree(n)["split_indices"]![0] = 4000), "feature 4000" },
        { Mutate(n => Tree(n)["right_children"]!.AsArray().RemoveAt(0)), "different lengths" },
        { Mutate(n => n["learner"]!["learner_model_param"]!["base_score"] = "7"), "base_score" },
        { Mutate(n => n["learner"]!["gradient_booster"]!["model"]!["tree_info"]![0] = 3), "class 3" },
        { Mutate(n => n["learner"]!["learner_model_param"]!["num_feature"] = "-2"), "num_feature" },
        { Mutate(n => Tree(n)["split_conditions"]![0] = "abc"), "" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task HostileModel_FailsWithAClearError(string json, string fragment)
    {
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await new XGBoostJsonModelFormat().LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Equal("xgboost-json", ex.FormatId);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3000000")]
    [InlineData("1000000000")]
    [InlineData("2147483647")]
    public void DeclaredClassCount_BeyondTheTreesTheFileHolds_IsRefusedBeforeAllocating(string numClass)
    {
        var json = Encoding.UTF8.GetBytes(Mutate("xgb-multiclass.model.json", n => n["learner"]!["learner_model_param"]!["num_class"] = numClass));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelFormatException>(() => XGBoostJsonModelFormat.ReadDefinition(json));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains($"learner_model_param.num_class is {numClass}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("100 trees", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 * json.Length, $"{allocated:N0} bytes allocated to refuse a {json.Length:N0}-byte file");
    }

    [Fact]
    public async Task DeclaredClassCount_AboveTheLimit_IsRefused_NamingTheFileAndTheOption()
    {
        using var folder = new TempFolder();
        var path = folder.Write("wide.model.json", Mutate("xgb-multiclass.model.json", n => n["learner"]!["learner_model_param"]!["num_class"] = "5"));
        await using var file = File.OpenRead(path);
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await new XGBoostJsonModelFormat(new InferenceOptions { MaxOutputWidth = 4 }).LoadAsync(file));
        Assert.Equal(path, ex.Source);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxOutputWidth", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("1000000000")]
    public async Task DeclaredFeatureCount_AboveTheLimit_IsRefused_NamingTheFile(string numFeature)
    {
        using var folder = new TempFolder();
        var path = folder.Write("wide.model.json", Mutate("xgb-regression.model.json", n => n["learner"]!["learner_model_param"]!["num_feature"] = numFeature));
        await using var file = File.OpenRead(path);
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await new XGBoostJsonModelFormat().LoadAsync(file));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{numFeature} features", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxInputWidth", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyRefusal_ReadFromAFile_NamesTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.Write("broken.model.json", "{\"learner\":{}}");
        await using var file = File.OpenRead(path);
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await new XGBoostJsonModelFormat().LoadAsync(file));
        Assert.Equal($"{path} (xgboost-json): the member 'learner_model_param' is missing.", ex.Message);
    }

    [Fact]
    public async Task LeavesWhoseSumOverflowsFloat_AreRefusedAtLoad()
    {
        var json = Encoding.UTF8.GetBytes(Mutate("xgb-regression.model.json", n =>
        {
            foreach (var tree in n["learner"]!["gradient_booster"]!["model"]!["trees"]!.AsArray())
            {
                var conditions = tree!["split_conditions"]!.AsArray();
                var left = tree["left_children"]!.AsArray();
                for (var i = 0; i < left.Count; i++)
                {
                    if ((int)left[i]! == -1)
                    {
                        conditions[i] = 3e38;
                    }
                }
            }
        }));
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await new XGBoostJsonModelFormat().LoadAsync(new MemoryStream(json)));
        Assert.Contains("score can overflow a float", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeeplyNestedJson_FailsFast()
    {
        var json = new string('[', 100_000) + new string(']', 100_000);
        Assert.Throws<ModelFormatException>(() => XGBoostJsonModelFormat.ReadDefinition(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public async Task Save_IsNotSupported()
    {
        var format = new XGBoostJsonModelFormat();
        var model = InferenceModel.Compile(RandomModels.Trees(1, ModelTask.Regression));
        Assert.False(format.CanSave(model));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await format.SaveAsync(model, new MemoryStream()));
    }

    private static JsonNode Tree(JsonNode n) => n["learner"]!["gradient_booster"]!["model"]!["trees"]![0]!;

    private static string Mutate(Action<JsonNode> change) => Mutate("xgb-binary.model.json", change);

    private static string Mutate(string fixture, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(File.ReadAllText(Fixture(fixture)))!;
        change(node);
        return node.ToJsonString();
    }
}
