using MLSystemDesign.Tests;

namespace MLSystemDesign.Cli.Tests.Commands;

public sealed class ProfileCommandTests : IDisposable
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
}
