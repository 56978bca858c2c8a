using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Tests.Registry;

/// <summary>UseSqliteRegistry at host start: valid options start a working registry; invalid ones fail the start with every rule named.</summary>
public sealed class RegistryBuilderExtensionsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mlsd-registry-start", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task UseSqliteRegistry_ValidOptions_TheHostStartsAndTheRegistryWorks()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.UseSqliteRegistry(o =>
        {
            o.RootPath = _root;
            o.BusyTimeout = TimeSpan.FromMinutes(10);
            o.WatchPollInterval = TimeSpan.FromMilliseconds(10);
            o.MaxBufferedArtifactBytes = 0;
        }));
        using var host = builder.Build();
        await host.StartAsync();
        Assert.Empty(await host.Services.GetRequiredService<IModelRegistry>().ListModelsAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task UseSqliteRegistry_InvalidOptions_TheHostFailsToStart_NamingEachOption()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMLSystem(ml => ml.UseSqliteRegistry(o =>
        {
            o.RootPath = "bad\0path";
            o.DefaultActor = "robot\u0007";
            o.MaxBufferedArtifactBytes = -1;
            o.BusyTimeout = TimeSpan.Zero;
        }));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("holds characters that are not allowed in a path", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DefaultActor holds the control character U+0007", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SqliteRegistryOptions.MaxBufferedArtifactBytes must be between 0 and 2147483591", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SqliteRegistryOptions.BusyTimeout must be between 00:00:00.0010000 and 00:10:00", ex.Message, StringComparison.Ordinal);
    }
}
