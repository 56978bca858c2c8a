using MLSystemDesign.Data;
using MLSystemDesign.Models;
using MLSystemDesign.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MLSystemDesign;

/// <summary>Adds components to the ML system. Returned by <c>AddMLSystem</c>; extension packages add methods to it (e.g. <c>AddMLNet</c>).</summary>
public sealed class MLSystemBuilder
{
    internal MLSystemBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Configures the system options.</summary>
    /// <param name="configure">Sets options.</param>
    /// <returns>This builder.</returns>
    public MLSystemBuilder Configure(Action<MLSystemOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

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
