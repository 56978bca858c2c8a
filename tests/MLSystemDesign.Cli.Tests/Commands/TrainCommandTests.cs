using System.Text.Json;
using MLSystemDesign.Tests;

namespace MLSystemDesign.Cli.Tests.Commands;

public sealed class TrainCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Train_Multiclass_Weather_SavesModelAndFeatures()
    {
        var model = _dir.File("weather.zip");
        var (exit, output, error) = await Mlsd.RunAsync("train", "--data", TestData.Weather, "--label", "weather", "--task", "multiclass", "--out", model, "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("metrics").GetProperty("accuracy").GetDouble() > 0.7);
        Assert.Equal(["drizzle", "fog", "rain", "snow", "sun"], root.GetProperty("class_labels").EnumerateArray().Select(e => e.GetString()));
        Assert.True(File.Exists(model));
        Assert.True(File.Exists(model + ".features.json"));
        Assert.Contains(root.GetProperty("columns").EnumerateArray(), c => c.GetProperty("decision").GetString()!.StartsWith("date parts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Train_Binary_Penguins_TextLabelWithTwoValues()
    {
        var data = _dir.File("two.jsonl", string.Concat(File.ReadLines(TestData.Penguins).Where(l => !l.Contains("Chinstrap", StringComparison.Ordinal)).Select(l => l + "\n")));
        var (exit, output, error) = await Mlsd.RunAsync("train", "--data", data, "--label", "Species", "--task", "binary", "--trainer", "fasttree", "--out", _dir.File("p.zip"));
        Assert.True(exit == 0, error);
        Assert.Contains("classes: 0=Adelie, 1=Gentoo", output);
        Assert.Contains("auc", output);
    }

    [Fact]
    public async Task Train_Regression_OnTextLabel_IsAClearError()
    {
        var (exit, _, error) = await Mlsd.RunAsync("train", "--data", TestData.Weather, "--label", "weather", "--task", "regression", "--out", _dir.File("r.zip"));
        Assert.Equal(2, exit);
        Assert.Contains("numeric label", error);
    }

    [Fact]
    public async Task Train_UnknownLabelColumn_ListsColumns()
    {
        var (exit, _, error) = await Mlsd.RunAsync("train", "--data", TestData.Weather, "--label", "rain", "--task", "binary", "--out", _dir.File("x.zip"));
        Assert.Equal(2, exit);
        Assert.Contains("temp_max", error);
    }

    [Fact]
    public async Task Train_BinaryWithThreeClasses_IsRefused()
    {
        var (exit, _, error) = await Mlsd.RunAsync("train", "--data", TestData.Penguins, "--label", "Species", "--task", "binary", "--out", _dir.File("x.zip"));
        Assert.Equal(2, exit);
        Assert.Contains("exactly two", error);
    }

    [Fact]
    public async Task Train_BadTaskName_IsAUsageError()
    {
        var (exit, _, error) = await Mlsd.RunAsync("train", "--data", TestData.Weather, "--label", "weather", "--task", "ranking", "--out", _dir.File("x.zip"));
        Assert.Equal(2, exit);
        Assert.Contains("ranking", error);
    }
}
