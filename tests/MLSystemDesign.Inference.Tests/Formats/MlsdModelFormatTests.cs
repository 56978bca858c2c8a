using MLSystemDesign.Inference.Tests.Dense;
using MLSystemDesign.Models;
using MLSystemDesign.Testing;

namespace MLSystemDesign.Inference.Tests.Formats;

/// <summary>The mlsd format: round trips, and hostile files that fail fast without large allocations.</summary>
public sealed class MlsdModelFormatTests
{
    public static TheoryData<int> Kinds => new() { 0, 1, 2, 3, 4 };

    private static ModelDefinition Definition(int kind)
    {
        var rng = new Random(kind);
        return kind switch
        {
            0 => RandomModels.Trees(10, ModelTask.BinaryClassification, integerLeaves: false),
            1 => OneVersusAll(RandomModels.Trees(11, ModelTask.MulticlassClassification, comparison: SplitComparison.Less, aggregation: TreeAggregation.Average)),
            2 => new LinearModelDefinition(ModelSignature.Binary(30, Enumerable.Range(0, 30).Select(i => $"x{i}").ToArray()), DenseModelTests.Values(rng, 30), new[] { 0.5f }, OutputTransform.PlattScaling(-1.25, 0.1)),
            3 => DenseModelTests.RandomMlp(12),
            _ => new TreeEnsembleDefinition(ModelSignature.Regression(3), [], OutputTransform.Identity, baseScores: [4.5]),
        };
    }

    private static TreeEnsembleDefinition OneVersusAll(TreeEnsembleDefinition d) =>
        new(d.Signature, d.Trees, OutputTransform.OneVersusAll(Enumerable.Range(0, d.TargetCount).Select(i => new PlattCalibration(-1 - i, 0.25 * i)).ToArray()), d.Comparison, d.Aggregation, d.BaseScores);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SaveThenLoad_PredictsTheSame(int kind)
    {
        var d = Definition(kind);
        var format = new MlsdModelFormat();
        var model = InferenceModel.Compile(d);
        Assert.True(format.CanSave(model));
        using var stream = new MemoryStream();
        await format.SaveAsync(model, stream);
        stream.Position = 0;
        var loaded = await format.LoadAsync(stream);
        Assert.Equal(model.Signature, loaded.Signature);
        var width = d.Signature.InputWidth;
        var x = RandomModels.Rows(kind, width, 50);
        var a = new float[50 * d.Signature.OutputWidth];
        var b = new float[a.Length];
        model.PredictBatch(x, a);
        loaded.PredictBatch(x, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task EveryTruncation_FailsWithAFormatError()
    {
        var bytes = MlsdModelFormat.Write(Definition(0));
        var format = new MlsdModelFormat();
        for (var length = 0; length < bytes.Length; length += Math.Max(1, length / 7))
        {
            var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await format.LoadAsync(new MemoryStream(bytes, 0, length)));
            Assert.Equal("mlsd", ex.FormatId);
        }
    }

    [Fact]
    public void AbsurdCount_IsRefusedBeforeAllocating()
    {
        var bytes = MlsdModelFormat.Write(Definition(2));
        var at = bytes.Length - 8 - (4 * 30) - 4 - 4 - 4; // the weight count of the linear model, before the checksum
        BitConverter.GetBytes(int.MaxValue).CopyTo(bytes, at);
        MlsdModelFormat.Seal(bytes);
        var ex = Assert.Throws<ModelFormatException>(() => MlsdModelFormat.Read(bytes));
        Assert.Contains("weight count", ex.Message);
    }

    [Fact]
    public async Task CorruptNode_IsRefusedWithItsPosition()
    {
        var d = new TreeEnsembleDefinition(ModelSignature.Regression(2), [new DecisionTree([TreeNode.Split(0, 1, 1, 2, false), TreeNode.Leaf(1), TreeNode.Leaf(2)])], OutputTransform.Identity);
        var bytes = MlsdModelFormat.Write(d);
        var rootLeft = bytes.Length - 8 - 9 - 9 - 1 - 4 - 4; // the checksum, two 9-byte leaves, then back over the root's flag, right and left child
        BitConverter.GetBytes(0).CopyTo(bytes, rootLeft);
        MlsdModelFormat.Seal(bytes);
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await new MlsdModelFormat().LoadAsync(new MemoryStream(bytes)));
        Assert.Contains("node 0", ex.Message);
    }

    [Fact]
    public void WrongMagicOrVersion_IsRefused()
    {
        Assert.Contains("magic", Assert.Throws<ModelFormatException>(() => MlsdModelFormat.Read("NOPE...."u8)).Message);
        Assert.Contains("truncated", Assert.Throws<ModelFormatException>(() => MlsdModelFormat.Read("MLS"u8)).Message);
        Assert.Contains("before the format version", Assert.Throws<ModelFormatException>(() => MlsdModelFormat.Read("MLSD\u0002"u8)).Message);
        var bytes = MlsdModelFormat.Write(Definition(0));
        bytes[4] = 9;
        Assert.Contains("version 9", Assert.Throws<ModelFormatException>(() => MlsdModelFormat.Read(bytes)).Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task FlippedByte_AnywhereInTheFile_IsRefused_NamingTheFile(int kind)
    {
        var bytes = MlsdModelFormat.Write(Definition(kind));
        using var folder = new TempFolder();
        var format = new MlsdModelFormat();
        var rng = new Random(kind);
        for (var at = 0; at < bytes.Length; at += 1 + (bytes.Length / 300))
        {
            var flipped = (byte[])bytes.Clone();
            flipped[at] ^= (byte)rng.Next(1, 256);
            var path = folder.Write($"flip-{at}.mlsd", flipped);
            await using var file = File.OpenRead(path);
            var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await format.LoadAsync(file));
            Assert.StartsWith($"{path} (mlsd): ", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Checksum_NamesWhatWasStoredAndComputed()
    {
        var bytes = MlsdModelFormat.Write(Definition(3));
        bytes[bytes.Length / 2] ^= 0x10;
        var ex = Assert.Throws<ModelFormatException>(() => MlsdModelFormat.Read(bytes));
        Assert.Contains("checksum does not match", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CRC-64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version1File_IsRefused_SayingHowToUpgradeIt()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", "models", "cancer-xgb.v1.mlsd");
        await using var file = File.OpenRead(path);
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await new MlsdModelFormat().LoadAsync(file));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("version 1 carries no checksum", ex.Message, StringComparison.Ordinal);
        Assert.Contains("mlsd convert", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_Version1File_GivesACurrentFile_ThatPredictsLikeTheModelItWasWrittenFrom()
    {
        var v1 = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "models", "cancer-xgb.v1.mlsd"));
        Assert.Equal(1, MlsdModelFormat.ReadVersion(v1));
        var upgraded = MlsdModelFormat.Upgrade(v1);
        Assert.Equal(MlsdModelFormat.CurrentVersion, MlsdModelFormat.ReadVersion(upgraded));
        Assert.Equal(upgraded, MlsdModelFormat.Upgrade(upgraded));

        // The v1 file was written from XGBoost's model of the same name: the upgraded file predicts what it predicts.
        var source = await new XGBoostJsonModelFormat().LoadAsync(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "XGBoost", "xgb-binary.model.json")));
        var loaded = await new MlsdModelFormat().LoadAsync(new MemoryStream(upgraded));
        Assert.Equal(source.Signature, loaded.Signature);
        var x = RandomModels.Rows(3, 30, 200);
        var a = new float[200 * 2];
        var b = new float[a.Length];
        source.PredictBatch(x, a);
        loaded.PredictBatch(x, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Upgrade_DamagedVersion1File_IsRefusedWhereItsStructureBreaks()
    {
        var v1 = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "models", "cancer-xgb.v1.mlsd"));
        Assert.Contains("truncated", Assert.Throws<ModelFormatException>(() => MlsdModelFormat.Upgrade(v1.AsSpan(0, v1.Length - 3))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1_000_000_000)]
    public void DeclaredInputWidth_AboveTheLimit_IsRefusedNamingTheOption(int width)
    {
        var bytes = MlsdModelFormat.Write(Definition(0));
        BitConverter.GetBytes(width).CopyTo(bytes, 9); // magic, version, kind, then the input width
        MlsdModelFormat.Seal(bytes);
        var ex = Assert.Throws<ModelFormatException>(() => MlsdModelFormat.Read(bytes));
        Assert.Contains($"at byte 9: the model declares {width} features; InferenceOptions.MaxInputWidth allows 1048576", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclaredOutputs_AboveTheLimit_AreRefusedNamingTheOption()
    {
        var bytes = MlsdModelFormat.Write(Definition(1));
        var format = new MlsdModelFormat(new InferenceOptions { MaxOutputWidth = 2 });
        var ex = await Assert.ThrowsAsync<ModelFormatException>(async () => await format.LoadAsync(new MemoryStream(bytes)));
        Assert.Contains("InferenceOptions.MaxOutputWidth allows 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForeignModel_CannotBeSaved()
    {
        var format = new MlsdModelFormat();
        Assert.False(format.CanSave(new ForeignModel()));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await format.SaveAsync(new ForeignModel(), new MemoryStream()));
    }

    private sealed class ForeignModel : IModel
    {
        public ModelSignature Signature { get; } = ModelSignature.Regression(1);

        public void Predict(ReadOnlySpan<float> features, Span<float> output) => output[0] = features[0];

        public void PredictBatch(ReadOnlySpan<float> features, Span<float> output) => features.CopyTo(output);
    }
}
