namespace MLSystemDesign.Composition.Components;

/// <summary>
/// A component that exists once per model name (a monitor, and soon an endpoint or a rollout): registered as a keyed
/// singleton, set up asynchronously when the host starts (reading the registry, loading a model), then running its
/// background work until the host stops. <see cref="ModelComponentHost"/> drives every registered one.
/// </summary>
/// <param name="kind">What the component is, for messages (e.g. "model monitor").</param>
/// <param name="name">The model name it is keyed by.</param>
internal abstract class ModelComponent(string kind, string name)
{
    /// <summary>Gets what the component is, for messages.</summary>
    public string Kind { get; } = kind;

    /// <summary>Gets the model name the component is keyed by.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// Runs the component's asynchronous setup. Called once, when the host starts, before any hosted service's
    /// <c>StartAsync</c> (so before a web server accepts requests), concurrently with the other components' setups.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="cancellationToken">Cancelled when the host gives up starting.</param>
    /// <returns>A task that completes when the component is ready.</returns>
    public abstract ValueTask SetUpAsync(IServiceProvider services, CancellationToken cancellationToken);

    /// <summary>Runs background work after setup until <paramref name="stoppingToken"/> is cancelled; none by default.</summary>
    /// <param name="stoppingToken">Cancelled when the host stops.</param>
    /// <returns>A task that completes when the work has stopped.</returns>
    public virtual Task RunAsync(CancellationToken stoppingToken) => Task.CompletedTask;
}
