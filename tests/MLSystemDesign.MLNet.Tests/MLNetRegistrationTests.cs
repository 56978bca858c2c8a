using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.MLNet.Tests;

public sealed class MLNetRegistrationTests
{
    [Fact]
    public void AddMLNet_Twice_RegistersOnce()
    {
        var once = new ServiceCollection().AddMLSystem(ml => ml.AddMLNet());
        var twice = new ServiceCollection().AddMLSystem(ml => ml.AddMLNet()).AddMLSystem(ml => ml.AddMLNet());
        Assert.Equal(once.Count, twice.Count);
        var catalog = twice.BuildServiceProvider().GetRequiredService<ITrainerCatalog>();
        Assert.Equal(["fasttree", "lightgbm", "fastforest", "linear"], catalog.Names);
    }

    [Fact]
    public void Catalog_CreatesTrainersWithSystemSeed_AndRejectsUnknownParameters()
    {
        var sp = new ServiceCollection().AddMLSystem(ml => ml.AddMLNet().Configure(o => o.Seed = 7)).BuildServiceProvider();
        var catalog = sp.GetRequiredService<ITrainerCatalog>();
        Assert.Equal("7", catalog.Create("LightGBM", ModelTask.Regression).Parameters["seed"]);
        Assert.Equal("9", catalog.Create("fasttree", ModelTask.Regression, new Dictionary<string, string> { ["seed"] = "9" }).Parameters["seed"]);
        var unknown = Assert.Throws<ArgumentException>(() => catalog.Create("fasttree", ModelTask.Regression, new Dictionary<string, string> { ["depth"] = "3" }));
        Assert.Contains("depth", unknown.Message);
        var malformed = Assert.Throws<ArgumentException>(() => catalog.Create("linear", ModelTask.Regression, new Dictionary<string, string> { ["iterations"] = "-1" }));
        Assert.Contains("positive integer", malformed.Message);
        var missing = Assert.Throws<KeyNotFoundException>(() => catalog.Create("xgboost", ModelTask.Regression));
        Assert.Contains("fasttree", missing.Message);
        Assert.Contains("mlnet-zip", sp.GetRequiredService<IModelFormatResolver>().FormatIds);
    }

    [Fact]
    public async Task AddMLNet_ValidOptions_TheHostStarts()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.AddMLNet().Configure(o => o.Seed = 11));
        using var host = builder.Build();
        await host.StartAsync();
        Assert.Equal("11", host.Services.GetRequiredService<ITrainerCatalog>().Create("fastforest", ModelTask.BinaryClassification).Parameters["seed"]);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddMLNet_InvalidSystemOptions_TheHostFailsToStart()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.AddMLNet().Configure(o => o.MaxValidationExamples = 1001));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("MLSystemOptions.MaxValidationExamples must be between 0 and 1000", ex.Message, StringComparison.Ordinal);
    }
}
