using System.Text;
using MLSystemDesign.Testing.Fuzzing;

namespace MLSystemDesign.Tests.Testing;

public sealed class FuzzerTests
{
    private static readonly byte[] Valid = Encoding.UTF8.GetBytes("a,b\n1,2\n3,4\n");

    [Fact]
    public void Binary_SameSeed_SameMutations()
    {
        var first = Mutations.Binary(Valid, seed: 7, count: 50, structuralOffsets: [0, 4]);
        var second = Mutations.Binary(Valid, seed: 7, count: 50, structuralOffsets: [0, 4]);

        Assert.Equal(50, first.Count);
        Assert.Equal(first.Select(m => m.Description), second.Select(m => m.Description));
        Assert.All(first.Zip(second), p => Assert.Equal(p.First.Bytes, p.Second.Bytes));
        Assert.Contains(first, m => m.Description == "truncate at structural offset 4" && m.Bytes.Length == 4);
        Assert.All(first, m => Assert.NotEqual(Valid, m.Bytes));
    }

    [Fact]
    public void Text_Mutations_HitSyntaxAndNumbers()
    {
        var mutations = Mutations.Text(Valid, seed: 3, count: 200);

        Assert.Equal(200, mutations.Count);
        Assert.Contains(mutations, m => m.Description.StartsWith("number at", StringComparison.Ordinal));
        Assert.Contains(mutations, m => m.Description.StartsWith("invalid UTF-8", StringComparison.Ordinal) || m.Description.Contains("invalid UTF-8", StringComparison.Ordinal));
        Assert.Contains(mutations, m => m.Description.StartsWith("delete line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ClassifiesEveryOutcome()
    {
        Mutation[] mutations =
        [
            new("same", (byte[])Valid.Clone()),
            new("changed", Encoding.UTF8.GetBytes("a,b\n1,9\n3,4\n")),
            new("refused", Encoding.UTF8.GetBytes("refuse")),
            new("crash", Encoding.UTF8.GetBytes("crash")),
            new("hang", Encoding.UTF8.GetBytes("hang")),
        ];

        var report = await Fuzzer.RunAsync(
            "toy", "toy.csv", Valid, mutations,
            async (path, ct) =>
            {
                var text = await File.ReadAllTextAsync(path, ct);
                return text switch
                {
                    "refuse" => throw new MLSystemDesign.Data.DataSchemaException(path, "not a toy file"),
                    "crash" => throw new InvalidOperationException("Sequence contains no elements"),
                    "hang" => await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => text, TaskScheduler.Default),
                    _ => text,
                };
            },
            string.Equals,
            timeout: TimeSpan.FromMilliseconds(200));

        Assert.Equal(
            [FuzzOutcome.Identical, FuzzOutcome.Different, FuzzOutcome.Refused, FuzzOutcome.Crashed, FuzzOutcome.Hung],
            report.Cases.Select(c => c.Outcome));
        Assert.Equal("toy: 5 mutations, 1 refused, 1 identical, 1 different, 1 crashes, 1 hangs", report.ToString());
    }
}
