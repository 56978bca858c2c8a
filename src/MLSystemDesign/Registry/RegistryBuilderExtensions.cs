using MLSystemDesign;
using MLSystemDesign.Registry;
using MLSystemDesign.Registry.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the embedded model registry to the ML system.</summary>
public static class RegistryBuilderExtensions
{
    /// <summary>
    /// Adds the embedded model registry: metadata in SQLite (WAL, busy timeout), artifacts in a content-addressed
    /// folder named by SHA-256. <see cref="IModelRegistry"/> and <see cref="IArtifactStore"/> resolve as singletons;
    /// <see cref="SqliteRegistryOptions"/> are validated on start. Calling it again adds nothing twice.
    /// </summary>
    /// <param name="builder">The ML system builder.</param>
    /// <param name="configure">Sets the options (e.g. the root folder).</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder UseSqliteRegistry(this MLSystemBuilder builder, Action<SqliteRegistryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<SqliteRegistryOptions, SqliteRegistryOptionsValidator>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<IArtifactStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SqliteRegistryOptions>>().Value;
            return new FileArtifactStore(options.RootPath, options.FlushToDisk, options.MaxBufferedArtifactBytes);
        });
        services.TryAddSingleton<IModelRegistry>(sp => new SqliteModelRegistry(
            sp.GetRequiredService<IOptions<SqliteRegistryOptions>>().Value,
            sp.GetRequiredService<IArtifactStore>(),
            sp.GetRequiredService<MLSystemDesign.Models.IModelFormatResolver>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<SqliteModelRegistry>(),
            sp.GetService<MLSystemDesign.Evaluation.IMetricCatalog>()));
        return builder;
    }
}
