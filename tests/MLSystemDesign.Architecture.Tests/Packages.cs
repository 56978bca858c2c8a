using System.Reflection;
using System.Runtime.InteropServices;

namespace MLSystemDesign.Architecture.Tests;

/// <summary>
/// A shipped package: its assembly, exactly the assemblies it may reference besides the .NET runtime's own (the table of
/// docs/architecture.md), and exactly the packages it depends on (its project's references; the README's table).
/// </summary>
/// <param name="Name">The package id.</param>
/// <param name="Assembly">The package's assembly.</param>
/// <param name="References">The assembly names it references outside the shared framework.</param>
/// <param name="Dependencies">The NuGet packages and project packages it depends on.</param>
internal sealed record Package(string Name, Assembly Assembly, IReadOnlySet<string> References, IReadOnlySet<string> Dependencies);

/// <summary>The shipped packages and what each references: the package tables of README.md and docs/architecture.md.</summary>
internal static class Packages
{
    /// <summary>Every shipped package. Add new packages here, and a row to both tables.</summary>
    public static readonly Package[] All =
    [
        new("MLSystemDesign.Abstractions", typeof(MLSystemDesign.Models.IModel).Assembly, Set(
            "Microsoft.Extensions.DependencyInjection.Abstractions"), Set(
            "Microsoft.Extensions.DependencyInjection.Abstractions")),
        new("MLSystemDesign.Inference", typeof(MLSystemDesign.Inference.InferenceModel).Assembly, Set(
            "MLSystemDesign.Abstractions", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Options", "System.Numerics.Tensors", "System.IO.Hashing"), Set(
            "MLSystemDesign.Abstractions", "Microsoft.Extensions.Options", "System.Numerics.Tensors", "System.IO.Hashing")),
        new("MLSystemDesign", typeof(MLSystemDesign.Features.FeaturePipeline).Assembly, Set(
            "MLSystemDesign.Abstractions",
            "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Options", "Microsoft.Extensions.Logging.Abstractions",
            "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Diagnostics", "Microsoft.Extensions.Diagnostics.HealthChecks",
            "Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions",
            "Microsoft.Data.Sqlite", "Sylvan.Data.Csv", "Parquet", "System.IO.Hashing", "MathNet.Numerics"), Set(
            "MLSystemDesign.Abstractions",
            "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Options", "Microsoft.Extensions.Logging.Abstractions",
            "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Diagnostics", "Microsoft.Extensions.Diagnostics.HealthChecks",
            "Microsoft.Data.Sqlite", "Sylvan.Data.Csv", "Parquet.Net", "System.IO.Hashing", "MathNet.Numerics")),
        new("MLSystemDesign.MLNet", typeof(MLSystemDesign.MLNet.MLNetTrainers).Assembly, Set(
            "MLSystemDesign.Abstractions", "MLSystemDesign", "MLSystemDesign.Inference", "Microsoft.Extensions.Options",
            "Microsoft.ML.Core", "Microsoft.ML.Data", "Microsoft.ML.DataView", "Microsoft.ML.StandardTrainers", "Microsoft.ML.FastTree", "Microsoft.ML.LightGbm", "System.IO.Hashing"), Set(
            "MLSystemDesign", "MLSystemDesign.Inference", "Microsoft.ML", "Microsoft.ML.FastTree", "Microsoft.ML.LightGbm", "System.IO.Hashing")),
        new("MLSystemDesign.Onnx", typeof(MLSystemDesign.Onnx.OnnxInference).Assembly, Set(
            "MLSystemDesign.Abstractions", "MLSystemDesign.Inference", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Options",
            "Microsoft.ML.OnnxRuntime", "Google.Protobuf"), Set(
            "MLSystemDesign.Abstractions", "MLSystemDesign.Inference", "Microsoft.Extensions.Options", "Microsoft.ML.OnnxRuntime", "Google.Protobuf")),
        new("MLSystemDesign.Cli", Assembly.Load(new AssemblyName("mlsd")), Set(
            "MLSystemDesign.Abstractions", "MLSystemDesign", "MLSystemDesign.Inference", "MLSystemDesign.MLNet", "MLSystemDesign.Onnx",
            "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Options",
            "System.CommandLine", "Spectre.Console", "Spectre.Console.Ansi"), Set(
            "MLSystemDesign", "MLSystemDesign.MLNet", "MLSystemDesign.Onnx", "Microsoft.Extensions.DependencyInjection", "System.CommandLine", "Spectre.Console")),
    ];

    /// <summary>Gets a package by id.</summary>
    public static Package Get(string name) => All.Single(p => p.Name == name);

    /// <summary>
    /// Whether an assembly belongs to the .NET runtime's shared framework (Microsoft.NETCore.App): the one the tests run
    /// on holds a file of that name. Anything else, including a NuGet package named <c>System.*</c>, must be named in
    /// the package's row.
    /// </summary>
    public static bool IsFramework(string assemblyName) =>
        File.Exists(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), assemblyName + ".dll"));

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
