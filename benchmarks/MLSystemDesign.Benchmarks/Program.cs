using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

// Run from the repository root, in Release:
//   dotnet run -c Release --project benchmarks/MLSystemDesign.Benchmarks -- --filter '*'
// Results land in BenchmarkDotNet.Artifacts/; docs/benchmarks.md records each run with its machine details.
var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableLogFile);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
