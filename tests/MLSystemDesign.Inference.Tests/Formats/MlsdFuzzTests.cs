using System.Buffers.Binary;
using MLSystemDesign.Models;
using MLSystemDesign.Testing.Fuzzing;
using Xunit.Abstractions;

namespace MLSystemDesign.Inference.Tests.Formats;

/// <summary>
/// Mutations of a valid mlsd file from the test data: every one is refused with an error naming the file, or (never,
/// for a checksummed format) predicts exactly what the valid file predicts. Counts are recorded in docs/guarantees.md.
/// </summary>
public sealed class MlsdFuzzTests(ITestOutputHelper output)
{
    private static string Model => Path.Combine(AppContext.BaseDirectory, "data", "models", "cancer-xgb.mlsd");

    [Fact]
    public async Task Mutations_AreRefusedNamingTheFile_NeverSilentlyDifferent()
    {
        var valid = File.ReadAllBytes(Model);
        var rows = RandomModels.Rows(17, 30, 40);
        var format = new MlsdModelFormat();
        var report = await ModelFuzzer.RunAsync(
            "mlsd", "model.mlsd", valid, Mutations.Binary(valid, seed: 2001, count: 400, Offsets(valid)), format, rows);
        output.WriteLine(report.ToString());
        Assert.True(report.Count(FuzzOutcome.Crashed) + report.Count(FuzzOutcome.Hung) + report.Count(FuzzOutcome.Different) == 0, report.Describe(allowDifferent: false));
        Assert.Equal(400, report.Count(FuzzOutcome.Refused));
    }

    /// <summary>The start of every field of the header, signature and output transform, and of each tree and node, and the checksum.</summary>
    internal static IReadOnlyList<int> Offsets(byte[] file)
    {
        var offsets = new List<int> { 0, 4, 8 };
        var at = 9;
        int Int()
        {
            offsets.Add(at);
            var v = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at));
            at += 4;
            return v;
        }

        void Skip(int bytes)
        {
            offsets.Add(at);
            at += bytes;
        }

        void Strings()
        {
            Skip(1);
            if (file[at - 1] == 0)
            {
                return;
            }

            var count = Int();
            for (var i = 0; i < count; i++)
            {
                var length = Int();
                at += length;
            }
        }

        var kind = file[8];
        Int(); // input width
        Skip(1); // task
        Strings();
        Strings();
        Strings();
        Skip(1); // transform
        Skip(8);
        Skip(8);
        var calibrations = Int();
        at += 16 * calibrations;
        Assert.Equal(1, kind); // the fixture is a tree ensemble
        Skip(1);
        Skip(1);
        var baseScores = Int();
        at += 8 * baseScores;
        var trees = Int();
        for (var t = 0; t < trees; t++)
        {
            Int(); // target
            var nodes = Int();
            for (var n = 0; n < nodes; n++)
            {
                Skip(file[at] == 1 ? 9 : 18);
            }
        }

        Assert.Equal(file.Length - 8, at);
        offsets.Add(at);
        return offsets;
    }
}
