// The consumer test (docs/packaging.md): what a user of the packages gets, checked from the outside. Run from the
// repository: dotnet run --project tests/PackageConsumer -c Release [-- --only NAME] [-- --keep]
using PackageConsumer;

var options = ConsumerOptions.Parse(args, Console.Error);
if (options is null)
{
    return 2;
}

return await new ConsumerRun(options, new Report(Console.Out)).RunAsync();
