using Microsoft.Extensions.Hosting;

namespace MLSystemDesign.Composition.Components;

/// <summary>
/// Sets up every <see cref="ModelComponent"/> when the host starts and runs their background work until it stops. Setup
/// runs in <see cref="IHostedLifecycleService.StartingAsync"/>, which the host calls for all lifecycle services before
/// any hosted service's <c>StartAsync</c>, so components are ready before a web server (itself a hosted service) takes
/// requests. A failed setup fails the host's start, naming the component. One host serves every component kind.
/// </summary>
internal sealed class ModelComponentHost(IEnumerable<ModelComponent> components, IServiceProvider services) : IHostedLifecycleService, IDisposable
{
    private readonly ModelComponent[] _components = components.ToArray();
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _runs = [];

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_components.Select(c => SetUpAsync(c, cancellationToken))).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _runs = _components.Select(c => Task.Run(() => c.RunAsync(_stopping.Token), CancellationToken.None)).ToArray();
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(_runs).WaitAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    private async Task SetUpAsync(ModelComponent component, CancellationToken cancellationToken)
    {
        try
        {
            await component.SetUpAsync(services, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Setting up the {component.Kind} '{component.Name}' failed: {ex.Message}", ex);
        }
    }
}
