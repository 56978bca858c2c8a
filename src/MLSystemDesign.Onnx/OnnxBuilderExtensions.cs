using MLSystemDesign;
using MLSystemDesign.Onnx;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds ONNX to the ML system.</summary>
public static class OnnxBuilderExtensions
{
    /// <summary>
    /// Registers the <c>onnx</c> model format (and, through <c>AddInference</c>, the core's formats), with
    /// <see cref="OnnxFormatOptions"/> validated on start. Calling it again adds nothing twice.
    /// </summary>
    /// <param name="builder">The ML system builder.</param>
    /// <param name="configure">Chooses the engine and ONNX Runtime's threads.</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder AddOnnx(this MLSystemBuilder builder, Action<OnnxFormatOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddInference();
        builder.Services.AddOptionsWithValidateOnStart<OnnxFormatOptions, OnnxFormatOptionsValidator>();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<OnnxFormatOptions>>().Value);
        return builder.AddModelFormat<OnnxModelFormat>();
    }
}
