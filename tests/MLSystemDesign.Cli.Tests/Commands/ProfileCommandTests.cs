using MLSystemDesign.Testing.Fuzzing;
using MLSystemDesign.Tests;
using Xunit.Abstractions;

namespace MLSystemDesign.Cli.Tests.Commands;

public sealed class ProfileCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Profile_ReservoirSizeOutOfRange_ExitCode2_NamesTheOptionAndItsRange()
    {
        var (exit, output, error) = await Mlsd.RunAsync("profile", "--data", TestData.Flights, "--out", _dir.File("profile.json"), "--reservoir-size", "2");
        Assert.True(exit == 2, output + error);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("ReservoirSize must be between 16 and 1000000", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    /// <summary>What <c>mlsd profile</c> said when it refused a file: exit code 2 and its error output.</summary>
    private sealed class Refusal(string error) : Exception(error);

    [Fact]
    public async Task Profile_MutatedParquet_ExitsZeroOrTwoWithOneLineNamingTheFile_NeverAnUnhandledError()
    {
        var valid = await ParquetFixtures.SliceAsync(TestData.Flights, rowGroups: 2, rowsPerGroup: 100);
        var offsets = await ParquetFixtures.StructuralOffsetsAsync(valid);
        var mutations = Mutations.Binary(valid, seed: 2005, count: 200, offsets);
        var report = await Fuzzer.RunAsync(
            "mlsd profile (parquet)",
            "flights.parquet",
            valid,
            mutations,
            async (path, _) =>
            {
                var profile = Path.Combine(Path.GetDirectoryName(path)!, "profile.json");
                var (exit, stdout, error) = await Mlsd.RunAsync("profile", "--data", path, "--out", profile);
                return exit switch
                {
                    0 => await File.ReadAllTextAsync(profile),
                    2 => throw new Refusal(error),
                    _ => throw new InvalidOperationException($"exit code {exit}: {error}{stdout}"),
                };
            },
            string.Equals,
            (e, path) => e is Refusal && e.Message.TrimEnd().Split('\n') is [var line] && line.StartsWith("error: ", StringComparison.Ordinal) && line.Contains(path, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));

        output.WriteLine(report.ToString());
        Assert.True(report.Count(FuzzOutcome.Crashed) == 0 && report.Count(FuzzOutcome.Hung) == 0, report.Describe(allowDifferent: true));
        Assert.True(report.Count(FuzzOutcome.Refused) > 0, report.ToString());
    }
}
