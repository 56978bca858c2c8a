using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MLSystemDesign.Inference;
using MLSystemDesign.Models;

namespace MLSystemDesign.Tests.Composition;

public sealed class InferenceRegistrationTests
{
    [Fact]
    public void AddInference_Twice_RegistersEachFormatOnceWithTheOptions()
    {
        using var services = new ServiceCollection()
            .AddMLSystem(ml => ml.AddInference(o => o.DegreeOfParallelism = 2).AddInference())
            .BuildServiceProvider();
        var formats = services.GetServices<IModelFormat>().Select(f => f.FormatId).ToList();
        Assert.Equal(["mlsd", "xgboost-json"], formats.Order());
        Assert.Equal(2, services.GetRequiredService<InferenceOptions>().DegreeOfParallelism);
        Assert.IsType<MlsdModelFormat>(services.GetRequiredService<IModelFormatResolver>().Get("mlsd"));
    }

    [Fact]
    public void AddInference_WithInvalidOptions_FailsValidation()
    {
        using var services = new ServiceCollection()
            .AddMLSystem(ml => ml.AddInference(o => o.DegreeOfParallelism = 0))
            .BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<InferenceOptions>>().Value);
        Assert.Contains("DegreeOfParallelism", ex.Message);
    }
}
