using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Models;
using MLSystemDesign.Testing.Fuzzing;
using Xunit.Abstractions;

namespace MLSystemDesign.MLNet.Tests.Models;

/// <summary>
/// Mutations of the ML.NET model zip in the test data (make_mlnet_model.cs): each one is refused with an error naming
/// the file, or predicts exactly what the valid file predicts. The format checks every entry against its CRC-32 before
/// ML.NET reads it, so no mutation of an entry's content gets through. Counts are recorded in docs/guarantees.md.
/// </summary>
public sealed class MLNetZipFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Mutations_AreRefusedNamingTheFile_OrChangeNothing()
    {
        var valid = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "models", "cancer-fasttree.zip"));
        var rows = Fixtures.Cancer.Test.Features.ToArray()[..(30 * 40)];
        using var services = new ServiceCollection().AddMLSystem(ml => ml.AddMLNet()).BuildServiceProvider();
        var format = services.GetRequiredService<IModelFormatResolver>().Get("mlnet-zip");
        var report = await ModelFuzzer.RunAsync(
            "mlnet-zip", "model.zip", valid, Mutations.Binary(valid, seed: 2005, count: 300, StructuralOffsets.Zip(valid)), format, rows, TimeSpan.FromSeconds(10));
        output.WriteLine(report.ToString());
        Assert.True(report.Count(FuzzOutcome.Crashed) + report.Count(FuzzOutcome.Hung) + report.Count(FuzzOutcome.Different) == 0, report.Describe(allowDifferent: false));
    }
}
