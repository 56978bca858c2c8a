using MLSystemDesign.MLNet.Models;
using MLSystemDesign;
using MLSystemDesign.MLNet.Trainers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds ML.NET to the ML system.</summary>
public static class MLNetBuilderExtensions
{
    /// <summary>
    /// Registers the ML.NET trainers (<c>fasttree</c>, <c>fastforest</c>, <c>lightgbm</c>, <c>linear</c>) in the trainer
    /// catalog and the <c>mlnet-zip</c> model format. Calling it again adds nothing twice.
    /// </summary>
    /// <param name="builder">The ML system builder.</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder AddMLNet(this MLSystemBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddTrainer<FastTreeTrainerFactory>()
            .AddTrainer<LightGbmTrainerFactory>()
            .AddTrainer<FastForestTrainerFactory>()
            .AddTrainer<LinearTrainerFactory>()
            .AddModelFormat<MLNetZipFormat>();
    }
}
