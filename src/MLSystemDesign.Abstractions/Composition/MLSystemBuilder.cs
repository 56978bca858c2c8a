using MLSystemDesign.Data;
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
}
