using MLSystemDesign.Testing.Fuzzing;
using Xunit.Abstractions;

namespace MLSystemDesign.Inference.Tests.XGBoost;

/// <summary>
/// Mutations of XGBoost's own JSON model: every one is refused with an error naming the file or loads as a valid model.
/// JSON carries no checksum, so an edited number (a threshold, a leaf) is a different valid model; that is counted,
/// and everything else must be refused. Counts are recorded in docs/guarantees.md.
/// </summary>
public sealed class XGBoostJsonFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Mutations_AreRefusedNamingTheFile_OrLoadAsAValidModel()
    {
        var valid = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "XGBoost", "xgb-binary.model.json"));
        var rows = RandomModels.Rows(19, 30, 40);
        var format = new XGBoostJsonModelFormat();
        var mutations = Mutations.Text(valid, seed: 2002, count: 240)
            .Concat(Mutations.Binary(valid, seed: 2003, count: 60, StructuralOffsets.Json(valid, 30)))
            .ToList();
        var report = await ModelFuzzer.RunAsync(
            "xgboost-json", "model.json", valid, mutations, format, rows);
        output.WriteLine(report.ToString());
        foreach (var c in report.With(FuzzOutcome.Different))
        {
            output.WriteLine($"  different: {c.Mutation}");
        }

        Assert.True(report.Count(FuzzOutcome.Crashed) + report.Count(FuzzOutcome.Hung) == 0, report.Describe(allowDifferent: true));
    }
}
