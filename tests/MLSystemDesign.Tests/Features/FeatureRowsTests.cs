using MLSystemDesign.Features;
using MLSystemDesign.Features.Internal;

namespace MLSystemDesign.Tests.Features;

public sealed class FeatureRowsTests
{
    [Fact]
    public void Clear_ZeroesExactlyTheRow_AtEveryLengthAndAlignment()
    {
        var buffer = new float[400];
        for (var start = 0; start < 17; start++)
        {
            for (var length = 0; length <= 300; length++)
            {
                Array.Fill(buffer, 7f);
                FeatureRows.Clear(buffer.AsSpan(start, length));
                for (var i = 0; i < buffer.Length; i++)
                {
                    Assert.Equal(i >= start && i < start + length ? 0f : 7f, buffer[i]);
                }
            }
        }
    }

    [Fact]
    public void Transform_WideRowOverGarbage_WritesEverySlot()
    {
        // 300 categories: wide enough for the vector clear, written over NaN at an odd offset.
        var train = Enumerable.Range(0, 3000).Select(i => new Row(i % 11, $"c{i % 300}")).ToArray();
        var fitted = FeaturePipeline.For<Row>().Numeric("x", r => r.X).Categorical("cat", r => r.Cat).Build().Fit(train);
        var vocabulary = fitted.Schema.Slots.Where(s => s.RawFeature == "cat").Select(s => s.Name["cat=".Length..]).ToList();
        var buffer = new float[fitted.Width + 3];
        var matrix = new float[(fitted.Width * 5) + 1];
        foreach (var probe in train.Take(40).Append(new Row(-1, "unseen")))
        {
            Array.Fill(buffer, float.NaN);
            fitted.Transform(probe, buffer.AsSpan(1));
            var expected = new float[fitted.Width];
            expected[0] = (float)probe.X;
            var slot = vocabulary.IndexOf(probe.Cat);
            expected[1 + (slot >= 0 ? slot : vocabulary.Count - 1)] = 1f;
            Assert.Equal(expected, buffer.AsSpan(1, fitted.Width).ToArray());
            Assert.True(float.IsNaN(buffer[0]) && float.IsNaN(buffer[^2]) && float.IsNaN(buffer[^1]));

            Array.Fill(matrix, float.NaN);
            fitted.TransformBatch([probe, probe, probe, probe, probe], matrix.AsSpan(1));
            for (var r = 0; r < 5; r++)
            {
                Assert.Equal(expected, matrix.AsSpan(1 + (r * fitted.Width), fitted.Width).ToArray());
            }
        }
    }

    public sealed record Row(double X, string Cat);
}
