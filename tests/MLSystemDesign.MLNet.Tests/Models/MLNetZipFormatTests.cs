using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.MLNet.Tests.Models;

public sealed class MLNetZipFormatTests
{
    private static IModelFormat Format() =>
        new ServiceCollection().AddMLSystem(ml => ml.AddMLNet()).BuildServiceProvider().GetRequiredService<IModelFormatResolver>().Get("mlnet-zip");

    [Theory]
    [InlineData(ModelTask.BinaryClassification)]
    [InlineData(ModelTask.MulticlassClassification)]
    [InlineData(ModelTask.Regression)]
    public async Task SaveLoad_GivesTheSamePredictionsAndSignature(ModelTask task)
    {
        var (train, test) = task switch
        {
            ModelTask.BinaryClassification => Fixtures.Cancer,
            ModelTask.MulticlassClassification => Fixtures.Penguins,
            _ => Fixtures.Weather,
        };
        var model = await MLNetTrainers.FastTree(task, new TreeTrainerSettings { Trees = 20 }).TrainAsync(train);
        var format = Format();
        Assert.True(format.CanSave(model));
        using var stream = new MemoryStream();
        await format.SaveAsync(model, stream);
        stream.Position = 0;
        var loaded = await format.LoadAsync(stream);
        Assert.Equal(model.Signature, loaded.Signature);
        var width = model.Signature.OutputWidth;
        var a = new float[test.RowCount * width];
        var b = new float[test.RowCount * width];
        model.PredictBatch(test.Features.Span, a);
        loaded.PredictBatch(test.Features.Span, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Load_Garbage_IsAModelFormatException()
    {
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await Format().LoadAsync(new MemoryStream([1, 2, 3, 4])));
        Assert.Equal("mlnet-zip", ex.FormatId);
    }

    [Fact]
    public async Task Save_ForeignModel_IsNotSupported()
    {
        var format = Format();
        var foreign = new ForeignModel();
        Assert.False(format.CanSave(foreign));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await format.SaveAsync(foreign, new MemoryStream()));
    }

    private sealed class ForeignModel : IModel
    {
        public ModelSignature Signature { get; } = ModelSignature.Regression(1);

        public void Predict(ReadOnlySpan<float> features, Span<float> output) => output[0] = features[0];

        public void PredictBatch(ReadOnlySpan<float> features, Span<float> output) => features.CopyTo(output);
    }
}
