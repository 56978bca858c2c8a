using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MLSystemDesign;
using MLSystemDesign.Monitoring;
using MLSystemDesign.Monitoring.Live;

namespace Microsoft.Extensions.DependencyInjection;


/// <summary>Registers model monitoring.</summary>
public static class MonitoringBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="ModelMonitor{T}"/> singleton, the hosted service that processes its samples on a schedule,
    /// and <c>IMeterFactory</c>. Add its health check with <see cref="AddModelMonitor{T}(IHealthChecksBuilder, string)"/>.
    /// Registering the same record type twice adds nothing twice.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="builder">The ML system builder.</param>
    /// <param name="setup">Gives the reference profile and the fitted features (e.g. loaded from the model registry).</param>
    /// <param name="configure">Sets the monitor's options; validated on start.</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder AddModelMonitor<T>(this MLSystemBuilder builder, Func<IServiceProvider, ModelMonitorSetup<T>> setup, Action<ModelMonitorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(setup);
        var services = builder.Services;
        var name = typeof(T).FullName ?? typeof(T).Name;
        services.AddMetrics();
        services.AddOptionsWithValidateOnStart<ModelMonitorOptions, ModelMonitorOptionsValidator>(name)
            .Configure(o => configure?.Invoke(o));
        services.TryAddSingleton(sp =>
        {
            var s = setup(sp);
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ModelMonitorOptions>>().Get(name);
            return new ModelMonitor<T>(s.Reference, s.Features, options, s.Expectations, sp.GetService<TimeProvider>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetService<ILogger<ModelMonitor<T>>>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ModelMonitorService<T>>(sp =>
            new ModelMonitorService<T>(sp.GetRequiredService<ModelMonitor<T>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetService<ILogger<ModelMonitorService<T>>>())));
        return builder;
    }

    /// <summary>Adds the health check of the <see cref="ModelMonitor{T}"/>: Healthy, or Degraded when the last window drifted or decayed.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default "model-monitor".</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddModelMonitor<T>(this IHealthChecksBuilder builder, string name = "model-monitor")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, sp => new ModelMonitorHealthCheck<T>(sp.GetRequiredService<ModelMonitor<T>>()), HealthStatus.Degraded, ["ml", "drift"]));
    }
}
