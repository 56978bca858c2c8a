using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Models;
using MLSystemDesign.Testing;
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

    /// <summary>A FastTree model of the breast-cancer data in the test data (tests/data/models/make_mlnet_model.cs).</summary>
    private static byte[] CancerModel() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "models", "cancer-fasttree.zip"));

    /// <summary>Where an entry's stored bytes start and how many there are, from its local header.</summary>
    private static (int Start, int Length) EntryData(byte[] zip, string name)
    {
        for (var at = 0; at + 30 <= zip.Length; at++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)) != 0x04034b50)
            {
                continue;
            }

            var compressed = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 18));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 26));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28));
            if (Encoding.UTF8.GetString(zip, at + 30, nameLength) == name)
            {
                return (at + 30 + nameLength + extraLength, compressed);
            }
        }

        throw new InvalidOperationException($"no entry {name}");
    }

    [Theory]
    [InlineData("Schema")]
    [InlineData("TransformerChain/Model/Predictor/Model.key")]
    [InlineData("mlsd/signature.json")]
    public async Task FlippedByte_InAnEntry_IsRefusedNamingTheFile_OrChangesNothing(string entry)
    {
        var valid = CancerModel();
        var format = Format();
        var rows = Fixtures.Cancer.Test.Features.ToArray();
        var expected = new float[rows.Length / 30 * 2];
        (await format.LoadAsync(new MemoryStream(valid))).PredictBatch(rows, expected);
        var (start, length) = EntryData(valid, entry);
        using var folder = new TempFolder();
        var refused = 0;
        for (var i = 0; i < length; i += 1 + (length / 40))
        {
            var bytes = (byte[])valid.Clone();
            bytes[start + i] ^= 0x20;
            var path = folder.Write($"flip-{i}.zip", bytes);
            await using var file = File.OpenRead(path);
            try
            {
                // A flip that inflates to the same bytes (an unused Huffman code, the padding after the last block) is harmless.
                var actual = new float[expected.Length];
                (await format.LoadAsync(file)).PredictBatch(rows, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{entry} byte {i}: loaded and predicts differently");
            }
            catch (ModelFormatException ex)
            {
                Assert.True(ex.Message.StartsWith($"{path} (mlnet-zip): ", StringComparison.Ordinal), ex.Message);
                refused++;
            }
        }

        Assert.True(refused > 0);
    }

    [Theory]
    [InlineData("\"InputWidth\":30", "\"InputWidth\":2147483647")]
    [InlineData("\"InputWidth\":30", "\"InputWidth\":31")]
    [InlineData("\"Task\":1", "\"Task\":0")]
    public async Task SignatureEntry_ThatDisagreesWithTheModel_IsRefused(string from, string to)
    {
        var bytes = RewriteSignature(CancerModel(), json => json.Replace(from, to, StringComparison.Ordinal));
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await Format().LoadAsync(new MemoryStream(bytes)));
        Assert.Contains("mlsd/signature.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancerModel_FromTheTestData_Loads()
    {
        var model = await Format().LoadAsync(new MemoryStream(CancerModel()));
        Assert.Equal(ModelSignature.Binary(30), model.Signature);
    }

    private static byte[] RewriteSignature(byte[] zip, Func<string, string> change)
    {
        using var buffer = new MemoryStream();
        buffer.Write(zip);
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry("mlsd/signature.json")!;
            string json;
            using (var reader = new StreamReader(entry.Open()))
            {
                json = reader.ReadToEnd();
            }

            entry.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("mlsd/signature.json").Open());
            var changed = change(json);
            Assert.NotEqual(json, changed);
            writer.Write(changed);
        }

        return buffer.ToArray();
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
