using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MLSystemDesign.Data;
using MLSystemDesign.Expectations;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.Tests.Composition;

public sealed class AddMLSystemTests
{
    [Fact]
    public void AddMLSystem_ResolvesEverythingItRegisters()
    {
        var services = new ServiceCollection().AddMLSystem();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        foreach (var descriptor in services.Where(d => !d.ServiceType.IsGenericTypeDefinition))
        {
            Assert.NotNull(provider.GetService(descriptor.ServiceType));
        }

        Assert.Equal(["csv", "jsonl", "parquet"], provider.GetRequiredService<IDataSourceFactory>().Kinds);
        Assert.NotNull(provider.GetRequiredService<DataValidator>());
        Assert.NotNull(provider.GetRequiredService<ModelSelector>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.Empty(provider.GetRequiredService<IModelFormatResolver>().FormatIds);
        Assert.Contains("AddMLNet", Assert.Throws<KeyNotFoundException>(() => provider.GetRequiredService<ITrainerCatalog>().Create("fasttree", ModelTask.Regression)).Message);
    }

    [Fact]
    public void AddMLSystem_Twice_AddsNothingTwice()
    {
        var once = new ServiceCollection().AddMLSystem();
        var twice = new ServiceCollection().AddMLSystem().AddMLSystem();
        Assert.Equal(once.Select(d => (d.ServiceType, d.ImplementationType)), twice.Select(d => (d.ServiceType, d.ImplementationType)));
    }

    [Fact]
    public void AddMLSystem_KeepsAUsersTimeProvider()
    {
        var fake = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var provider = new ServiceCollection().AddSingleton<TimeProvider>(fake).AddMLSystem().BuildServiceProvider();
        Assert.Same(fake, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task ValidOptions_TheHostStarts()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.Configure(o => o.MaxValidationExamples = 1000));
        using var host = builder.Build();
        await host.StartAsync();
        Assert.Equal(1000, host.Services.GetRequiredService<IOptions<MLSystemOptions>>().Value.MaxValidationExamples);
        await host.StopAsync();
    }

    [Fact]
    public async Task InvalidOptions_FailWhenTheHostStarts()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMLSystem(ml => ml.Configure(o => o.MaxValidationExamples = -1));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("MaxValidationExamples", ex.Message);
    }

    [Fact]
    public void DataSourceFactory_UnknownExtension_ListsKinds()
    {
        using var provider = new ServiceCollection().AddMLSystem().BuildServiceProvider();
        var ex = Assert.Throws<NotSupportedException>(() => provider.GetRequiredService<IDataSourceFactory>().Open<TabularRecord>("x.avro"));
        Assert.Contains("csv, jsonl, parquet", ex.Message);
        Assert.Equal("parquet", provider.GetRequiredService<IDataSourceFactory>().Open<TabularRecord>("x.PARQUET").Descriptor.Kind);
    }

    [Fact]
    public void ModelFormatResolver_UnknownId_ListsRegistered()
    {
        using var provider = new ServiceCollection().AddMLSystem(ml => ml.AddModelFormat<EchoFormat>()).BuildServiceProvider();
        var resolver = provider.GetRequiredService<IModelFormatResolver>();
        Assert.IsType<EchoFormat>(resolver.Get("ECHO"));
        Assert.Contains("echo", Assert.Throws<KeyNotFoundException>(() => resolver.Get("onnx")).Message);
    }

    private sealed class EchoFormat : IModelFormat
    {
        public string FormatId => "echo";

        public bool CanSave(IModel model) => false;

        public ValueTask SaveAsync(IModel model, Stream destination, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<IModel> LoadAsync(Stream source, CancellationToken cancellationToken = default) => throw new ModelFormatException(FormatId, "nothing to load");
    }
}
