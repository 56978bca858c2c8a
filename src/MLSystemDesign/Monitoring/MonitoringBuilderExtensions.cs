using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using MLSystemDesign;
using MLSystemDesign.Composition.Components;
using MLSystemDesign.Monitoring;
using MLSystemDesign.Monitoring.Live;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers model monitors, keyed by model name, and their health checks.</summary>
public static class MonitoringBuilderExtensions
{
    /// <summary>The prefix of a monitor's health-check name: the check of monitor <c>n</c> is named <c>model-monitor:n</c>.</summary>
    public const string HealthCheckNamePrefix = "model-monitor:";

    /// <summary>
    /// Adds a <see cref="ModelMonitor{T}"/> named <paramref name="name"/>. Several monitors of one record type coexist,
    /// each with its own name, options and setup (a champion and a canary, a model before and after a swap).
    /// </summary>
    /// <remarks>
    /// <para>
    /// <paramref name="setup"/> runs once, asynchronously, when the host starts (before any hosted service's
    /// <c>StartAsync</c>, so before a web server takes requests): read the reference profile from the registry there.
    /// If it fails, the host fails to start with an <see cref="InvalidOperationException"/> naming the monitor.
    /// </para>
    /// <para>
    /// After the host has started, resolve the monitor with <c>GetRequiredKeyedService&lt;ModelMonitor&lt;T&gt;&gt;(name)</c>
    /// (or the untyped <c>ModelMonitor</c>); before that, resolving it throws. Its model's predictions reach it through
    /// <c>GetRequiredKeyedService&lt;PredictionObservers&lt;T&gt;&gt;(name)</c> as well, which also calls the other
    /// observers registered for the name (<see cref="PredictionObserverBuilderExtensions"/>). The options are named
    /// options of that name, validated when the host starts (<c>ValidateOnStart</c>). A hosted service processes every
    /// monitor's samples every <see cref="ModelMonitorOptions.EvaluationInterval"/>; <c>IMeterFactory</c> is added.
    /// Add the health check with <see cref="AddModelMonitorHealthCheck"/>.
    /// </para>
    /// </remarks>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="builder">The ML system builder.</param>
    /// <param name="name">The monitor's name: the model's (or the rollout arm's), unique among monitors.</param>
    /// <param name="setup">Gives the reference profile and the fitted features (e.g. loaded from the model registry); runs when the host starts.</param>
    /// <param name="configure">Sets the monitor's options; validated on start.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">A monitor with this name is already registered.</exception>
    public static MLSystemBuilder AddModelMonitor<T>(
        this MLSystemBuilder builder,
        string name,
        Func<IServiceProvider, CancellationToken, ValueTask<ModelMonitorSetup<T>>> setup,
        Action<ModelMonitorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(setup);
        var services = builder.Services;
        ModelComponents.Add<ModelMonitorComponent>(services, ModelMonitorComponent.KindName, name, _ => new ModelMonitorComponent<T>(name, setup));
        services.AddMetrics();
        var options = services.AddOptionsWithValidateOnStart<ModelMonitorOptions, ModelMonitorOptionsValidator>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddKeyedSingleton<ModelMonitor<T>>(name, (sp, key) => Component<T>(sp, key).TypedMonitor);
        services.AddKeyedSingleton<ModelMonitor>(name, (sp, key) => sp.GetRequiredKeyedService<ModelMonitorComponent>(key).Monitor);
        services.AddKeyedSingleton<IPredictionObserver<T>>(name, (sp, key) => Component<T>(sp, key));
        PredictionObserverBuilderExtensions.AddObserverSet<T>(services, name);
        return builder;
    }

    /// <summary>
    /// Adds the health check of the monitor named <paramref name="name"/>, as <c>AddCheck</c> adds one: Healthy, or
    /// <paramref name="failureStatus"/> when its last window drifted or decayed, and before the host has set it up.
    /// The check is named <c>model-monitor:</c> followed by the monitor's name.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The monitor's name (as given to <c>AddModelMonitor</c>).</param>
    /// <param name="failureStatus">What a window that needs attention reports. Default <see cref="HealthStatus.Degraded"/>: drift calls for attention, not for taking the service out.</param>
    /// <param name="tags">Tags to filter checks by. Default <c>ml</c> and <c>drift</c>.</param>
    /// <param name="timeout">How long the check may take; none when omitted.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddModelMonitorHealthCheck(
        this IHealthChecksBuilder builder,
        string name,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            HealthCheckNamePrefix + name,
            sp => new ModelMonitorHealthCheck(name, sp.GetKeyedService<ModelMonitorComponent>(name)),
            failureStatus ?? HealthStatus.Degraded,
            tags ?? ["ml", "drift"],
            timeout));
    }

    private static ModelMonitorComponent<T> Component<T>(IServiceProvider services, object? key) =>
        services.GetRequiredKeyedService<ModelMonitorComponent>(key) as ModelMonitorComponent<T>
        ?? throw new InvalidOperationException($"The model monitor '{key}' does not watch records of type {typeof(T).Name}.");
}
