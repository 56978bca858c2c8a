using System.Reflection;

namespace MLSystemDesign.Architecture.Tests;

/// <summary>The shipped packages and what each may depend on (docs/architecture.md, "Packages").</summary>
internal static class Packages
{
    /// <summary>Every shipped assembly, found through a type it holds. Add new packages here.</summary>
    public static readonly Assembly[] All =
    [
        typeof(MLSystemDesign.Models.IModel).Assembly,
        typeof(MLSystemDesign.Features.FeaturePipeline).Assembly,
        typeof(MLSystemDesign.MLNet.MLNetTrainers).Assembly,
        typeof(MLSystemDesign.Inference.InferenceModel).Assembly,
        typeof(MLSystemDesign.Onnx.OnnxInference).Assembly,
    ];

    private static readonly string[] Bcl = ["System", "System.*", "netstandard", "mscorlib", "Microsoft.Win32.*"];

    /// <summary>Assembly-name patterns each package may reference (a trailing * matches a prefix).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["MLSystemDesign.Abstractions"] = Bcl,
        ["MLSystemDesign"] =
        [
            .. Bcl, "MLSystemDesign.Abstractions", "MLSystemDesign.Inference", "Microsoft.Extensions.*", "Microsoft.Data.Sqlite",
            "Polly.Core", "Polly", "Sylvan.Data.Csv", "Parquet", "System.IO.Hashing", "MathNet.Numerics",
        ],
        ["MLSystemDesign.Inference"] = [.. Bcl, "MLSystemDesign.Abstractions", "System.Numerics.Tensors", "System.IO.Hashing"],
        ["MLSystemDesign.MLNet"] = [.. Bcl, "MLSystemDesign.Abstractions", "MLSystemDesign", "MLSystemDesign.Inference", "Microsoft.ML", "Microsoft.ML.*", "Microsoft.Extensions.*"],
        ["MLSystemDesign.Onnx"] = [.. Bcl, "MLSystemDesign.Abstractions", "MLSystemDesign", "MLSystemDesign.Inference", "Microsoft.ML.OnnxRuntime", "Microsoft.Extensions.*", "Google.Protobuf"],
    };

    public static bool Matches(string name, string pattern) =>
        pattern.EndsWith('*') ? name.StartsWith(pattern[..^1], StringComparison.Ordinal) : name == pattern;
}
