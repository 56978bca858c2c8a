using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MLSystemDesign.Inference;
using MLSystemDesign.Models;

namespace MLSystemDesign.Onnx.Tests;

/// <summary>AddOnnx at host start: its options and the inference options it brings are validated, nested ones too.</summary>
public sealed class OnnxBuilderExtensionsTests
{
    [Fact]
    public async Task AddOnnx_ValidOptions_TheHostStartsWithEveryFormatResolvable()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.AddOnnx(o =>
        {
            o.Engine = OnnxEngine.OnnxRuntime;
            o.Runtime.IntraOpThreads = 2;
        }).AddOnnx());
        using var host = builder.Build();
        await host.StartAsync();
        var resolver = host.Services.GetRequiredService<IModelFormatResolver>();
        Assert.Equal(["mlsd", "onnx", "xgboost-json"], resolver.FormatIds.Order(StringComparer.Ordinal));
        Assert.IsType<OnnxModelFormat>(resolver.Get("onnx"));
        Assert.IsType<MlsdModelFormat>(resolver.Get("mlsd"));
        Assert.Equal(2, host.Services.GetRequiredService<OnnxFormatOptions>().Runtime.IntraOpThreads);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddOnnx_InvalidNestedRuntimeOptions_TheHostFailsToStart_NamingThePath()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.AddOnnx(o =>
        {
            o.Engine = (OnnxEngine)7;
            o.Runtime.IntraOpThreads = 0;
        }));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("OnnxFormatOptions.Runtime.IntraOpThreads must be between 1 and 1024", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Engine", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOnnx_InvalidInferenceOptions_TheHostFailsToStart()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.AddOnnx().AddInference(o => o.DegreeOfParallelism = 1000));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("InferenceOptions.DegreeOfParallelism must be between 1 and 256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_CreatedDirectlyWithInvalidOptions_ThrowsTheSameValidationException()
    {
        var runtime = Assert.Throws<OptionsValidationException>(() => new OnnxModelFormat(new OnnxFormatOptions { Runtime = { IntraOpThreads = -1 } }, new InferenceOptions()));
        Assert.Contains("OnnxFormatOptions.Runtime.IntraOpThreads must be between 1 and 1024", runtime.Message, StringComparison.Ordinal);
        var inference = Assert.Throws<OptionsValidationException>(() => new OnnxModelFormat(new OnnxFormatOptions(), new InferenceOptions { MinRowsPerThread = 0 }));
        Assert.Contains("InferenceOptions.MinRowsPerThread must be between 1 and", inference.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => OnnxRuntimeModels.Load([1, 2, 3], new OnnxRuntimeOptions { IntraOpThreads = 0 }));
    }
}
