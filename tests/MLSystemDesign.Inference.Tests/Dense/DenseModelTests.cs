using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference.Tests.Dense;

/// <summary>Linear models and MLPs against a plain double-precision reference.</summary>
public sealed class DenseModelTests
{
    /// <summary>Every rung of the dense ladder, forced (a cap wider than the CPU's vectors runs the widest it has; 64 runs the scalar loops).</summary>
    private static readonly int[] VectorWidths = [0, 512, 256, 128, 64];

    private static IModel Compile(ModelDefinition d, int bits) => InferenceModel.Compile(d, new InferenceOptions { DenseVectorBits = bits });

    internal static MlpDefinition RandomMlp(int seed)
    {
        var rng = new Random(seed);
        var width = rng.Next(1, 70);
        var classes = rng.Next(2, 7);
        // Mostly narrow hidden layers (one to three 32-wide panels), sometimes wide ones (blocks of four panels and more).
        var hidden = Enumerable.Range(0, rng.Next(0, 3)).Select(_ => rng.Next(4) == 0 ? rng.Next(120, 300) : rng.Next(1, 80)).ToArray();
        var layers = new List<DenseLayer>();
        var inputs = width;
        foreach (var h in hidden.Append(classes))
        {
            var activation = h == classes && layers.Count == hidden.Length ? Activation.Identity : (Activation)rng.Next(0, 5);
            layers.Add(new DenseLayer(inputs, h, Values(rng, inputs * h), Values(rng, h), activation, 0.1f));
            inputs = h;
        }

        return new MlpDefinition(ModelSignature.Multiclass(width, classes), layers, OutputTransform.Softmax);
    }

    internal static float[] Values(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();

    /// <summary>The reference forward pass in double.</summary>
    internal static double[] Forward(IReadOnlyList<DenseLayer> layers, ReadOnlySpan<float> x)
    {
        var a = x.ToArray().Select(v => (double)v).ToArray();
        foreach (var layer in layers)
        {
            var w = layer.Weights.Span;
            var b = layer.Bias.Span;
            var y = new double[layer.Outputs];
            for (var n = 0; n < layer.Outputs; n++)
            {
                var s = (double)b[n];
                for (var k = 0; k < layer.Inputs; k++)
                {
                    s += w[(n * layer.Inputs) + k] * a[k];
                }

                y[n] = layer.Activation switch
                {
                    Activation.Relu => Math.Max(s, 0),
                    Activation.LeakyRelu => s > 0 ? s : layer.Alpha * s,
                    Activation.Tanh => Math.Tanh(s),
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-s)),
                    _ => s,
                };
            }

            a = y;
        }

        return a;
    }

    [Property(MaxTest = 60)]
    public Property Mlp_SingleRowsAndBatches_MatchTheReference() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var d = RandomMlp(seed);
            var width = d.Signature.InputWidth;
            var k = d.TargetCount;
            var rows = seed % 61;
            var rng = new Random(seed + 1);
            var x = Values(rng, rows * width);
            if (seed % 3 != 0)
            {
                // Sparse rows (zero inputs are skipped by the single-row kernel): a share of zeros, +0 and -0, from 0 to 100 %.
                var zeros = rng.NextDouble();
                for (var i = 0; i < x.Length; i++)
                {
                    x[i] = rng.NextDouble() < zeros ? (rng.Next(2) == 0 ? 0f : -0f) : x[i];
                }
            }

            foreach (var bits in VectorWidths)
            {
                var model = Compile(d, bits);
                var batch = new float[rows * k];
                model.PredictBatch(x, batch);
                var one = new float[k];
                for (var r = 0; r < rows; r++)
                {
                    var expected = RandomModels.Outputs(d, Forward(d.Layers, x.AsSpan(r * width, width)));
                    model.Predict(x.AsSpan(r * width, width), one);
                    for (var j = 0; j < k; j++)
                    {
                        Assert.True(Same(one[j], expected[j]), $"{bits} bits, row {r} class {j}: single {one[j]} vs {expected[j]}");
                        Assert.True(Same(batch[(r * k) + j], expected[j]), $"{bits} bits, row {r} class {j}: batch {batch[(r * k) + j]} vs {expected[j]}");
                    }
                }
            }
        });

    /// <summary>
    /// Linear models (one to four margins, so the dot-product kernels run) of every width from 1 to 80, batches of 0 to
    /// 100 rows: whole 16-row groups, their tails, and the single-row path all equal the double-precision reference.
    /// </summary>
    [Property(MaxTest = 80)]
    public Property Linear_BatchesAndSingleRows_MatchTheReference() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var rng = new Random(seed);
            var width = rng.Next(1, 81);
            var margins = rng.Next(1, 5);
            var rows = rng.Next(0, 101);
            var signature = margins == 1 ? ModelSignature.Regression(width) : ModelSignature.Multiclass(width, margins);
            var d = new LinearModelDefinition(signature, Values(rng, width * margins), Values(rng, margins), margins == 1 ? OutputTransform.Identity : OutputTransform.Softmax);
            var x = Values(rng, rows * width);
            var layer = new[] { new DenseLayer(width, margins, d.Weights, d.Bias) };
            foreach (var bits in VectorWidths)
            {
                var model = Compile(d, bits);
                var batch = new float[rows * margins];
                model.PredictBatch(x, batch);
                var one = new float[margins];
                for (var r = 0; r < rows; r++)
                {
                    var expected = RandomModels.Outputs(d, Forward(layer, x.AsSpan(r * width, width)));
                    model.Predict(x.AsSpan(r * width, width), one);
                    for (var j = 0; j < margins; j++)
                    {
                        Assert.True(Math.Abs(one[j] - expected[j]) < 1e-5, $"{bits} bits, width {width}, row {r} of {rows}, output {j}: single {one[j]} vs {expected[j]}");
                        Assert.True(Math.Abs(batch[(r * margins) + j] - expected[j]) < 1e-5, $"{bits} bits, width {width}, row {r} of {rows}, output {j}: batch {batch[(r * margins) + j]} vs {expected[j]}");
                    }
                }
            }
        });

    /// <summary>
    /// Every rung of the ladder over every length 0..256, as TensorPrimitives tests its operators: a logistic model of
    /// width 1..256 (dot products, their tails, the binary head) and a layer of 1..256 outputs (whole and partial
    /// panels), each over a batch of 0 to 24 rows, against the double-precision reference.
    /// </summary>
    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(128)]
    [InlineData(64)]
    public void EveryRung_OverLengths0To256_MatchesTheReference(int bits)
    {
        var rng = new Random(bits);
        for (var n = 1; n <= 256; n++)
        {
            var rows = n % 25; // 0..24 rows: whole 4-, 6-, 8- and 16-row groups and their tails
            var logistic = new LinearModelDefinition(ModelSignature.Binary(n), Values(rng, n), Values(rng, 1), OutputTransform.Sigmoid);
            var inputs = 1 + (n % 19);
            var wide = new MlpDefinition(ModelSignature.Regression(inputs), [new DenseLayer(inputs, n, Values(rng, inputs * n), Values(rng, n), Activation.Relu), new DenseLayer(n, 1, Values(rng, n), Values(rng, 1))], OutputTransform.Identity);
            foreach (var (d, layers) in new (ModelDefinition, DenseLayer[])[] { (logistic, [new DenseLayer(n, 1, logistic.Weights, logistic.Bias)]), (wide, [.. wide.Layers]) })
            {
                var width = d.Signature.InputWidth;
                var outWidth = d.Signature.OutputWidth;
                var x = Values(rng, rows * width);
                var batch = new float[rows * outWidth];
                var model = Compile(d, bits);
                model.PredictBatch(x, batch);
                var one = new float[outWidth];
                for (var r = 0; r < rows; r++)
                {
                    var expected = RandomModels.Outputs(d, Forward(layers, x.AsSpan(r * width, width)));
                    model.Predict(x.AsSpan(r * width, width), one);
                    for (var j = 0; j < outWidth; j++)
                    {
                        Assert.True(Math.Abs(one[j] - expected[j]) <= 1e-4 * (1 + Math.Abs(expected[j])), $"{bits} bits, length {n}, row {r}, output {j}: single {one[j]} vs {expected[j]}");
                        Assert.True(Math.Abs(batch[(r * outWidth) + j] - expected[j]) <= 1e-4 * (1 + Math.Abs(expected[j])), $"{bits} bits, length {n}, row {r}, output {j}: batch {batch[(r * outWidth) + j]} vs {expected[j]}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(600, 40, 50)]
    [InlineData(784, 128, 21)]
    [InlineData(257, 33, 8)]
    public void WideInputs_AreSummedAcrossKBlocks(int width, int hidden, int rows)
    {
        // Inputs wider than one K block of the batch GEMM (256): later blocks add to what earlier ones left in C.
        var rng = new Random(width);
        var layers = new[]
        {
            new DenseLayer(width, hidden, Values(rng, width * hidden), Values(rng, hidden), Activation.Relu),
            new DenseLayer(hidden, 3, Values(rng, hidden * 3), Values(rng, 3)),
        };
        var d = new MlpDefinition(ModelSignature.Multiclass(width, 3), layers, OutputTransform.Softmax);
        var x = Values(rng, rows * width);
        var batch = new float[rows * 3];
        InferenceModel.Compile(d).PredictBatch(x, batch);
        for (var r = 0; r < rows; r++)
        {
            var expected = RandomModels.Outputs(d, Forward(layers, x.AsSpan(r * width, width)));
            for (var j = 0; j < 3; j++)
            {
                Assert.True(Math.Abs(batch[(r * 3) + j] - expected[j]) < 1e-4, $"row {r} class {j}: batch {batch[(r * 3) + j]} vs {expected[j]}");
            }
        }
    }

    [Fact]
    public void ZeroInput_TimesAnInfiniteWeight_IsNaN_AsInTheReference()
    {
        // A zero input is skipped only when every weight is finite: 0 · ∞ must still give NaN.
        var weights = new float[10 * 8];
        weights[3] = float.PositiveInfinity; // output 0, input 3
        var layer = new DenseLayer(10, 8, weights, new float[8]);
        var d = new MlpDefinition(ModelSignature.Multiclass(10, 8), [layer], OutputTransform.Identity);
        var x = new float[10];
        x[0] = 1;
        var output = new float[8];
        InferenceModel.Compile(d).Predict(x, output);
        Assert.True(float.IsNaN(output[0]), $"output 0 is {output[0]}");
        Assert.Equal(0f, output[1]);

        // A NaN input among zeros is kept (it is not zero) and reaches every output it has a weight for.
        Array.Fill(weights, 0.5f);
        var finite = new MlpDefinition(ModelSignature.Multiclass(10, 8), [new DenseLayer(10, 8, weights, new float[8])], OutputTransform.Identity);
        Array.Clear(x);
        x[7] = float.NaN;
        InferenceModel.Compile(finite).Predict(x, output);
        Assert.All(output, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Logistic_MatchesTheReference()
    {
        var rng = new Random(3);
        var weights = Values(rng, 30);
        var d = new LinearModelDefinition(ModelSignature.Binary(30), weights, new[] { 0.25f }, OutputTransform.PlattScaling(-1, 0));
        var model = InferenceModel.Compile(d);
        var x = Values(rng, 30 * 37);
        var batch = new float[37 * 2];
        model.PredictBatch(x, batch);
        for (var r = 0; r < 37; r++)
        {
            var margin = 0.25 + weights.Select((w, j) => (double)w * x[(r * 30) + j]).Sum();
            Assert.True(Math.Abs(margin - batch[2 * r]) < 1e-5, $"row {r}: margin {batch[2 * r]} vs {margin}");
            Assert.True(Math.Abs((1 / (1 + Math.Exp(-margin))) - batch[(2 * r) + 1]) < 1e-6, $"row {r}: probability");
        }
    }

    [Fact]
    public void MulticlassLinear_WithSoftmax_SumsToOne()
    {
        var rng = new Random(4);
        var d = new LinearModelDefinition(ModelSignature.Multiclass(5, 3), Values(rng, 15), Values(rng, 3), OutputTransform.Softmax);
        var output = new float[3];
        InferenceModel.Compile(d).Predict(Values(rng, 5), output);
        Assert.Equal(1f, output.Sum(), 5);
    }

    [Fact]
    public void Definitions_WithWrongSizes_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new DenseLayer(3, 2, new float[5], new float[2]));
        Assert.Throws<ArgumentException>(() => new DenseLayer(3, 2, new float[6], new float[3]));
        Assert.Throws<ArgumentException>(() => new LinearModelDefinition(ModelSignature.Regression(3), new float[2], new float[1], OutputTransform.Identity));
        var layer = new DenseLayer(3, 2, new float[6], new float[2]);
        Assert.Throws<ArgumentException>(() => new MlpDefinition(ModelSignature.Multiclass(4, 2), [layer], OutputTransform.Softmax));
        Assert.Throws<ArgumentException>(() => new MlpDefinition(ModelSignature.Multiclass(3, 3), [layer], OutputTransform.Softmax));
    }

    [Fact]
    public void WrongInputWidth_IsAnArgumentException()
    {
        var model = InferenceModel.Compile(RandomMlp(5));
        Assert.Throws<ArgumentException>(() => model.Predict(new float[model.Signature.InputWidth + 1], new float[model.Signature.OutputWidth]));
    }

    /// <summary>Within 1e-5, or both NaN.</summary>
    private static bool Same(float actual, double expected) => double.IsNaN(expected) ? float.IsNaN(actual) : Math.Abs(actual - expected) < 1e-5;
}
