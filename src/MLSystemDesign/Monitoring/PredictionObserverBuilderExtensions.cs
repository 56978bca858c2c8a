using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MLSystemDesign;
using MLSystemDesign.Monitoring;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers observers of a model's predictions, keyed by model name.</summary>
public static class PredictionObserverBuilderExtensions
{
    /// <summary>
    /// Adds an observer of the predictions of the model named <paramref name="name"/>. Whatever serves the model calls it
    /// through <c>GetRequiredKeyedService&lt;PredictionObservers&lt;T&gt;&gt;(name)</c>, with the model's monitor (if one has
    /// the name) and the other observers of the name. Registering the same type twice for a name adds it once.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <typeparam name="TObserver">The observer type, created by DI (a singleton).</typeparam>
    /// <param name="builder">The ML system builder.</param>
    /// <param name="name">The model's name.</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder AddPredictionObserver<T, TObserver>(this MLSystemBuilder builder, string name)
        where TObserver : class, IPredictionObserver<T>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Services.TryAddEnumerable(ServiceDescriptor.KeyedSingleton<IPredictionObserver<T>, TObserver>(name));
        AddObserverSet<T>(builder.Services, name);
        return builder;
    }

    /// <summary>Adds an observer, made by <paramref name="observer"/>, of the predictions of the model named <paramref name="name"/>.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="builder">The ML system builder.</param>
    /// <param name="name">The model's name.</param>
    /// <param name="observer">Creates the observer (once).</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder AddPredictionObserver<T>(this MLSystemBuilder builder, string name, Func<IServiceProvider, IPredictionObserver<T>> observer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(observer);
        builder.Services.AddKeyedSingleton(name, (sp, _) => observer(sp));
        AddObserverSet<T>(builder.Services, name);
        return builder;
    }

    /// <summary>Registers, once per name and record type, the set of the name's observers.</summary>
    internal static void AddObserverSet<T>(IServiceCollection services, string name) =>
        services.TryAddKeyedSingleton(name, (sp, key) => new PredictionObservers<T>(
            (string)key!,
            sp.GetKeyedServices<IPredictionObserver<T>>(key),
            sp.GetService<ILoggerFactory>()?.CreateLogger<PredictionObservers<T>>()));
}
