using MLSystemDesign.Data;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Models;
using MLSystemDesign.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MLSystemDesign;

/// <summary>
/// Adds components to the ML system. <c>AddMLSystem</c> returns one; each package adds its own entry point to it as an
/// extension method (<c>AddInference</c>, <c>AddMLNet</c>, <c>AddOnnx</c>, <c>UseSqliteRegistry</c>, <c>AddModelMonitor</c>),
/// so the builder lives here, below every package, as Polly's builders live in Polly.Core below Polly.Extensions.
/// </summary>
public sealed class MLSystemBuilder
{
    /// <summary>Wraps a service collection. <c>AddMLSystem</c> creates the builder; create one directly only to add components to a collection that gets <c>AddMLSystem</c> elsewhere.</summary>
    /// <param name="services">The service collection.</param>
    public MLSystemBuilder(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
    }

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers a model format; registering the same type twice adds it once.</summary>
    /// <typeparam name="TFormat">The format type.</typeparam>
    /// <returns>This builder.</returns>
    public MLSystemBuilder AddModelFormat<TFormat>()
        where TFormat : class, IModelFormat
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelFormat, TFormat>());
        return this;
    }

    /// <summary>Registers a trainer factory; registering the same type twice adds it once.</summary>
    /// <typeparam name="TFactory">The factory type.</typeparam>
    /// <returns>This builder.</returns>
    public MLSystemBuilder AddTrainer<TFactory>()
        where TFactory : class, ITrainerFactory
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrainerFactory, TFactory>());
        return this;
    }

    /// <summary>Registers a data source provider; registering the same type twice adds it once.</summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <returns>This builder.</returns>
    public MLSystemBuilder AddDataSourceProvider<TProvider>()
        where TProvider : class, IDataSourceProvider
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataSourceProvider, TProvider>());
        return this;
    }

    /// <summary>
    /// Declares a metric and which way it is better, so model selection, registry queries ordered by it and model cards
    /// rank it correctly (e.g. <c>AddMetric("cost_per_1000", higherIsBetter: false)</c>). Declaring a metric again with the
    /// same direction adds nothing; declaring it with the other direction (a built-in's included) is refused.
    /// </summary>
    /// <param name="name">The metric name as it is recorded (compared ordinally, ignoring case).</param>
    /// <param name="higherIsBetter"><see langword="true"/> for scores; <see langword="false"/> for losses, errors and costs.</param>
    /// <param name="description">What the metric measures, if worth saying.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty, or the metric is already declared with the other direction.</exception>
    public MLSystemBuilder AddMetric(string name, bool higherIsBetter, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (var existing in Services.Where(d => d.ServiceType == typeof(MetricDefinition)).Select(d => d.ImplementationInstance).OfType<MetricDefinition>())
        {
            if (string.Equals(existing.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return existing.HigherIsBetter == higherIsBetter
                    ? this
                    : throw new ArgumentException($"Metric '{name}' is already declared {(existing.HigherIsBetter ? "higher" : "lower")}-is-better; it cannot also be {(higherIsBetter ? "higher" : "lower")}-is-better.", nameof(higherIsBetter));
            }
        }

        Services.AddSingleton(new MetricDefinition(name, higherIsBetter, description));
        return this;
    }
}
