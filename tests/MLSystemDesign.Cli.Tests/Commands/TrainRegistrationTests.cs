using System.Security.Cryptography;
using System.Text.Json;
using MLSystemDesign.Tests;

namespace MLSystemDesign.Cli.Tests.Commands;

public sealed class TrainRegistrationTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Registry => Path.Combine(_dir.Path, "reg");

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Theory]
    [InlineData("lightgbm")]
    [InlineData("fasttree")]
    [InlineData("fastforest")]
    [InlineData("linear")]
    public async Task Train_TwiceWithTheSameDataOptionsAndSeed_WritesIdenticalBytes(string trainer)
    {
        var first = _dir.File($"{trainer}-1.zip");
        var second = _dir.File($"{trainer}-2.zip");
        foreach (var path in new[] { first, second })
        {
            var (exit, _, error) = await Mlsd.RunAsync("train", "--data", TestData.Weather, "--label", "weather", "--task", "multiclass", "--trainer", trainer, "--out", path);
            Assert.True(exit == 0, error);
        }

        Assert.Equal(Sha256(first), Sha256(second));
        Assert.Equal(Sha256(first + ".features.json"), Sha256(second + ".features.json"));
    }

    [Fact]
    public async Task TrainRegister_RecordsWhatTrainComputed_AndARerunMovesNoAlias()
    {
        var model = _dir.File("model.zip");
        string[] train = ["train", "--data", TestData.Weather, "--label", "weather", "--task", "multiclass", "--out", model, "--register", Registry, "--name", "weather", "--alias", "champion"];
        var (exit, output, error) = await Mlsd.RunAsync([.. train, "--json"]);
        Assert.True(exit == 0, error);
        Assert.Contains("note: created a new registry", error);
        double accuracy;
        using (var doc = JsonDocument.Parse(output))
        {
            accuracy = doc.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble();
            var registered = doc.RootElement.GetProperty("registration");
            Assert.Equal(1, registered.GetProperty("version").GetInt32());
            Assert.Equal(["champion"], registered.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        }

        (exit, output, error) = await Mlsd.RunAsync("registry", "show", "weather@champion", "--registry", Registry, "--json");
        Assert.True(exit == 0, error);
        using (var doc = JsonDocument.Parse(output))
        {
            var v = doc.RootElement;
            Assert.Equal(accuracy, v.GetProperty("metrics").GetProperty("accuracy").GetDouble());
            Assert.True(v.GetProperty("metrics").TryGetProperty("log_loss", out _));
            var parameters = v.GetProperty("parameters");
            Assert.Equal("42", parameters.GetProperty("seed").GetString());
            Assert.Equal("100", parameters.GetProperty("trees").GetString());
            Assert.Equal("weather", parameters.GetProperty("label").GetString());
            Assert.Equal("MulticlassClassification", parameters.GetProperty("task").GetString());
            var lineage = v.GetProperty("lineage");
            Assert.Equal("lightgbm", lineage.GetProperty("trainer").GetString());
            Assert.Equal(1461, lineage.GetProperty("datasets")[0].GetProperty("fingerprint").GetProperty("row_count").GetInt64());
            Assert.Equal(["model", "features"], v.GetProperty("artifacts").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
            Assert.Equal(Sha256(model), v.GetProperty("artifacts")[0].GetProperty("sha256").GetString());
            Assert.Contains("date_month", v.GetProperty("feature_slots").EnumerateArray().Select(s => s.GetString()));
        }

        (exit, output, error) = await Mlsd.RunAsync(train);
        Assert.True(exit == 0, error);
        Assert.Contains("not registered: weather:1 already holds this model", output);
        (exit, output, _) = await Mlsd.RunAsync("registry", "list", "--registry", Registry, "--json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(output))
        {
            var m = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal(1, m.GetProperty("latest_version").GetInt32());
            Assert.Equal(1, m.GetProperty("aliases").GetProperty("champion").GetInt32());
        }

        (exit, output, error) = await Mlsd.RunAsync([.. train, "--allow-duplicate"]);
        Assert.True(exit == 0, error);
        Assert.Contains("registered weather:2", output);
        Assert.Contains("weather@champion -> 2 (was 1)", output);
    }

    [Theory]
    [InlineData("--register needs --name", "--register", "reg")]
    [InlineData("go with --register", "--name", "weather")]
    [InlineData("go with --register", "--alias", "champion")]
    [InlineData("go with --register", "--allow-duplicate")]
    public async Task TrainRegister_IncompleteOptions_AreRefusedBeforeTraining(string expected, params string[] extra)
    {
        var model = _dir.File("x.zip");
        var (exit, _, error) = await Mlsd.RunAsync(["train", "--data", TestData.Weather, "--label", "weather", "--task", "multiclass", "--out", model, .. extra]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.False(File.Exists(model));
    }
}
