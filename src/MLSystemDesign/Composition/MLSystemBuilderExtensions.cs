using MLSystemDesign;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Sets the options of the ML system itself.</summary>
public static class MLSystemBuilderExtensions
{
    /// <summary>Configures the system options (validated when the host starts).</summary>
    /// <param name="builder">The ML system builder.</param>
    /// <param name="configure">Sets options.</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder Configure(this MLSystemBuilder builder, Action<MLSystemOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
