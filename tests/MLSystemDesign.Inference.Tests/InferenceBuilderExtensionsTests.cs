using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference.Tests;

/// <summary>The inference core's own DI entry: it needs the builder from Abstractions, not the core package.</summary>
public sealed class InferenceBuilderExtensionsTests
{
    [Fact]
    public void AddInference_Twice_RegistersEachFormatOnceWithTheOptions()
    {
        var collection = new ServiceCollection();
        new MLSystemBuilder(collection).AddInference(o => o.DegreeOfParallelism = 2).AddInference();
        using var services = collection.BuildServiceProvider();
        var formats = services.GetServices<IModelFormat>().ToList();
        Assert.Equal(["mlsd", "xgboost-json"], formats.Select(f => f.FormatId).Order());
        Assert.Equal(2, services.GetRequiredService<InferenceOptions>().DegreeOfParallelism);
        Assert.IsType<MlsdModelFormat>(formats.Single(f => f.FormatId == "mlsd"));
    }

    [Fact]
    public void AddInference_WithInvalidOptions_FailsValidation()
    {
        var collection = new ServiceCollection();
        new MLSystemBuilder(collection).AddInference(o => o.DegreeOfParallelism = 0);
        using var services = collection.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<InferenceOptions>>().Value);
        Assert.Contains("DegreeOfParallelism", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddInference_ValidOptions_TheHostStarts()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        new MLSystemBuilder(builder.Services).AddInference(o => o.DegreeOfParallelism = InferenceOptions.MaxDegreeOfParallelism);
        using var host = builder.Build();
        await host.StartAsync();
        Assert.Equal(InferenceOptions.MaxDegreeOfParallelism, host.Services.GetRequiredService<InferenceOptions>().DegreeOfParallelism);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddInference_InvalidOptions_TheHostFailsToStart_NamingTheOptionAndItsRange()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        new MLSystemBuilder(builder.Services).AddInference(o =>
        {
            o.DegreeOfParallelism = 0;
            o.MinRowsPerThread = 0;
        });
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("InferenceOptions.DegreeOfParallelism must be between 1 and 256", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InferenceOptions.MinRowsPerThread must be between 1 and", ex.Message, StringComparison.Ordinal);
    }
}
