using System.Text.Json;
using MLSystemDesign.Testing.Fuzzing;
using Xunit.Abstractions;

namespace MLSystemDesign.Onnx.Tests;

/// <summary>
/// Mutations of the two ONNX models in the test data (a tree ensemble and an MLP, written by make_onnx_models.py):
/// each one is refused with an error naming the file, or loads as a valid model. ONNX carries no checksum, so a
/// changed weight, threshold or feature index is a different valid model: such cases are counted and listed, and
/// docs/guarantees.md explains them. Counts are recorded there.
/// </summary>
public sealed class OnnxFuzzTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models => new() { "cancer-gbt.onnx", "cancer-mlp.onnx" };

    internal static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", "models", file);

    internal static float[] Rows()
    {
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Data("cancer-onnx.expected.json")));
        return expected.RootElement.GetProperty("rows").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => (float)v.GetDouble())).ToArray();
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Mutations_AreRefusedNamingTheFile_OrLoadAsAValidModel(string model)
    {
        var valid = File.ReadAllBytes(Data(model));
        var rows = Rows();
        var format = new OnnxModelFormat();

        // Forged lengths: every length prefix set to 2^31 - 1 and to 2^62 (varints, so the file's length changes too).
        var forged = StructuralOffsets.ProtobufLengths(valid)
            .SelectMany(l => new[] { (l, (ulong)int.MaxValue), (l, 1UL << 62) })
            .Select(x => StructuralOffsets.Replace(valid, x.l.Offset, x.l.Size, StructuralOffsets.Varint(x.Item2), $"length at {x.l.Offset} = {x.Item2}"))
            .Where((_, i) => i % 3 == 0)
            .Take(60)
            .ToList();
        var mutations = Mutations.Binary(valid, seed: 2004, count: 300 - forged.Count, StructuralOffsets.Protobuf(valid)).Concat(forged).ToList();
        var report = await ModelFuzzer.RunAsync(
            $"onnx ({model})", model, valid, mutations, format, rows, TimeSpan.FromSeconds(10));
        output.WriteLine(report.ToString());
        foreach (var c in report.With(FuzzOutcome.Different))
        {
            output.WriteLine($"  different: {c.Mutation}");
        }

        Assert.True(report.Count(FuzzOutcome.Crashed) + report.Count(FuzzOutcome.Hung) == 0, report.Describe(allowDifferent: true));
    }
}
