using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Training;

using MLSystemDesign.Tests;

namespace MLSystemDesign.MLNet.Tests;

/// <summary>Labelled sets from the repository's data, shared by the trainer tests.</summary>
internal static class Fixtures
{
    private static readonly Lazy<(TrainingSet Train, TrainingSet Test)> CancerSets = new(() =>
    {
        var rows = DataSource.Csv<TabularRecord>(TestData.BreastCancer, TestData.BreastCancerCsv).ToListAsync().GetAwaiter().GetResult();
        var split = DataSplits.Stratified(rows, r => r["target"].Number, 0.25, seed: 1);
        var builder = FeaturePipeline.For<TabularRecord>();
        for (var i = 0; i < 30; i++)
        {
            var ordinal = i;
            builder.Numeric($"x{i}", r => r[ordinal].Number, o => o.Scaling = NumericScaling.ZScore);
        }

        var fitted = builder.Build().Fit(split.Train);
        return (
            TrainingSets.Binary(split.Train, fitted, r => r["target"].Number == 1),
            TrainingSets.Binary(split.Test, fitted, r => r["target"].Number == 1));
    });

    private static readonly Lazy<(TrainingSet Train, TrainingSet Test)> PenguinSets = new(() =>
    {
        var rows = DataSource.JsonLines<Penguin>(TestData.Penguins).ToListAsync().GetAwaiter().GetResult();
        var split = DataSplits.Stratified(rows, p => p.Species, 0.3, seed: 3);
        var fitted = FeaturePipeline.For<Penguin>()
            .Numeric("beak_length", p => p.BeakLength, o => o.Scaling = NumericScaling.ZScore)
            .Numeric("beak_depth", p => p.BeakDepth, o => o.Scaling = NumericScaling.ZScore)
            .Numeric("flipper", p => p.FlipperLength, o => { o.Scaling = NumericScaling.ZScore; o.AddMissingIndicator = true; })
            .Numeric("mass", p => p.BodyMass, o => o.Scaling = NumericScaling.ZScore)
            .Categorical("island", p => p.Island)
            .Build().Fit(split.Train);
        string[] classes = ["Adelie", "Chinstrap", "Gentoo"];
        return (
            TrainingSets.Multiclass(split.Train, fitted, p => p.Species, classes),
            TrainingSets.Multiclass(split.Test, fitted, p => p.Species, classes));
    });

    private static readonly Lazy<(TrainingSet Train, TrainingSet Test)> WeatherSets = new(() =>
    {
        var rows = DataSource.Csv<TabularRecord>(TestData.Weather).ToListAsync().GetAwaiter().GetResult();
        var split = DataSplits.Random(rows, 0.25, seed: 5);
        var fitted = FeaturePipeline.For<TabularRecord>()
            .Numeric("temp_min", r => r["temp_min"].Number)
            .Numeric("precipitation", r => r["precipitation"].Number)
            .Numeric("wind", r => r["wind"].Number)
            .Numeric("month", r => r["date"].Timestamp.Month)
            .Categorical("weather", r => r["weather"].Text)
            .Build().Fit(split.Train);
        return (
            TrainingSets.Regression(split.Train, fitted, r => r["temp_max"].Number),
            TrainingSets.Regression(split.Test, fitted, r => r["temp_max"].Number));
    });

    public static (TrainingSet Train, TrainingSet Test) Cancer => CancerSets.Value;

    public static (TrainingSet Train, TrainingSet Test) Penguins => PenguinSets.Value;

    public static (TrainingSet Train, TrainingSet Test) Weather => WeatherSets.Value;
}
