using MLSystemDesign;
using MLSystemDesign.Composition;
using MLSystemDesign.Data;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Expectations;
using MLSystemDesign.Models;
using MLSystemDesign.Training;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ML system in a service collection.</summary>
public static class MLSystemServiceCollectionExtensions
{
    /// <summary>
    /// Adds the ML system: data source providers (CSV, JSON Lines, Parquet) behind <see cref="IDataSourceFactory"/>,
    /// <see cref="IModelFormatResolver"/>, <see cref="ITrainerCatalog"/>, <see cref="DataValidator"/>,
    /// <see cref="IMetricCatalog"/> (the built-in metrics of <see cref="MetricNames.BuiltIn"/> and those added with
    /// <c>ml.AddMetric(...)</c>), <see cref="ModelSelector"/> and <see cref="TimeProvider"/>, with <see cref="MLSystemOptions"/> validated on start.
    /// Calling it again adds nothing twice.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds components (e.g. <c>ml =&gt; ml.AddMLNet()</c>) and sets options.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddMLSystem(this IServiceCollection services, Action<MLSystemBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(MLSystemMarker)))
        {
            services.AddSingleton<MLSystemMarker>();
            services.AddOptionsWithValidateOnStart<MLSystemOptions, MLSystemOptionsValidator>();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataSourceProvider, CsvSourceProvider>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataSourceProvider, JsonLinesSourceProvider>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataSourceProvider, ParquetSourceProvider>());
            services.TryAddSingleton<IDataSourceFactory, DataSourceFactory>();
            services.TryAddSingleton<IModelFormatResolver, ModelFormatResolver>();
            services.TryAddSingleton<ITrainerCatalog, TrainerCatalog>();
            services.TryAddSingleton(sp => new DataValidator(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<MLSystemOptions>>().Value.MaxValidationExamples));
            foreach (var metric in MetricNames.BuiltIn)
            {
                services.AddSingleton(metric);
            }

            services.TryAddSingleton<IMetricCatalog>(sp => new MetricCatalog(sp.GetServices<MetricDefinition>()));
            services.TryAddSingleton(sp => new ModelSelector(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IMetricCatalog>()));
        }

        configure?.Invoke(new MLSystemBuilder(services));
        return services;
    }

    /// <summary>Marks a collection the ML system was added to.</summary>
    private sealed class MLSystemMarker;
}
