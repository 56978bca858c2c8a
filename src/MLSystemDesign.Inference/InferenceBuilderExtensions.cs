using MLSystemDesign;
using MLSystemDesign.Inference;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the inference core to the ML system.</summary>
public static class InferenceBuilderExtensions
{
    /// <summary>
    /// Registers the inference core's model formats, <c>mlsd</c> (save and load compiled models) and <c>xgboost-json</c>
    /// (import), with <see cref="InferenceOptions"/> validated on start. Calling it again adds nothing twice.
    /// </summary>
    /// <param name="builder">The ML system builder.</param>
    /// <param name="configure">Sets the options of loaded models (e.g. batch parallelism).</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder AddInference(this MLSystemBuilder builder, Action<InferenceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<InferenceOptions, InferenceOptionsValidator>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<InferenceOptions>>().Value);
        return builder.AddModelFormat<MlsdModelFormat>().AddModelFormat<XGBoostJsonModelFormat>();
    }
}
