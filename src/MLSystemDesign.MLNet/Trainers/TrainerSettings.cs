using System.Globalization;

namespace MLSystemDesign.MLNet;

/// <summary>Hyper-parameters of the tree trainers (FastTree, FastForest, LightGBM). A value left <see langword="null"/> keeps ML.NET's default.</summary>
public sealed class TreeTrainerSettings
{
    /// <summary>Gets or sets the number of trees (boosting iterations). ML.NET's default: 100.</summary>
    public int? Trees { get; set; }

    /// <summary>Gets or sets the maximum number of leaves per tree. ML.NET's default: 20 for FastTree and FastForest, automatic for LightGBM.</summary>
    public int? Leaves { get; set; }

    /// <summary>Gets or sets the minimum number of training rows in a leaf. ML.NET's default: 10 (FastTree, FastForest), automatic (LightGBM).</summary>
    public int? MinExamplesPerLeaf { get; set; }

    /// <summary>Gets or sets the learning rate of boosted trees (ignored by FastForest). ML.NET's default: 0.2 (FastTree), automatic (LightGBM).</summary>
    public double? LearningRate { get; set; }

    /// <summary>Gets or sets the random seed. Default: the system seed (<c>MLSystemOptions.Seed</c>, 42).</summary>
    public int? Seed { get; set; }

    /// <summary>Gets or sets the number of training threads. ML.NET's default: all cores.</summary>
    public int? Threads { get; set; }

    internal static TreeTrainerSettings Parse(IReadOnlyDictionary<string, string>? parameters, string trainer)
    {
        var s = new TreeTrainerSettings();
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            switch (key.ToUpperInvariant())
            {
                case "TREES" or "ITERATIONS": s.Trees = ParseInt(trainer, key, value); break;
                case "LEAVES": s.Leaves = ParseInt(trainer, key, value); break;
                case "MIN_LEAF": s.MinExamplesPerLeaf = ParseInt(trainer, key, value); break;
                case "LEARNING_RATE": s.LearningRate = ParseDouble(trainer, key, value); break;
                case "SEED": s.Seed = ParseInt(trainer, key, value); break;
                case "THREADS": s.Threads = ParseInt(trainer, key, value); break;
                default: throw new ArgumentException($"Trainer '{trainer}' has no parameter '{key}'. Known: trees, leaves, min_leaf, learning_rate, seed, threads.", nameof(parameters));
            }
        }

        return s;
    }

    internal static int ParseInt(string trainer, string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new ArgumentException($"Trainer '{trainer}': parameter '{key}' must be a positive integer; got '{value}'.");

    internal static double ParseDouble(string trainer, string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v)
            ? v
            : throw new ArgumentException($"Trainer '{trainer}': parameter '{key}' must be a non-negative number; got '{value}'.");
}

/// <summary>Hyper-parameters of the linear trainers (L-BFGS logistic regression and maximum entropy, SDCA regression). A value left <see langword="null"/> keeps ML.NET's default.</summary>
public sealed class LinearTrainerSettings
{
    /// <summary>Gets or sets the L1 regularization weight.</summary>
    public float? L1 { get; set; }

    /// <summary>Gets or sets the L2 regularization weight.</summary>
    public float? L2 { get; set; }

    /// <summary>Gets or sets the maximum number of optimizer iterations (passes for SDCA).</summary>
    public int? MaxIterations { get; set; }

    /// <summary>Gets or sets the random seed. Default: the system seed.</summary>
    public int? Seed { get; set; }

    /// <summary>Gets or sets the number of training threads.</summary>
    public int? Threads { get; set; }

    internal static LinearTrainerSettings Parse(IReadOnlyDictionary<string, string>? parameters, string trainer)
    {
        var s = new LinearTrainerSettings();
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            switch (key.ToUpperInvariant())
            {
                case "L1": s.L1 = (float)TreeTrainerSettings.ParseDouble(trainer, key, value); break;
                case "L2": s.L2 = (float)TreeTrainerSettings.ParseDouble(trainer, key, value); break;
                case "ITERATIONS": s.MaxIterations = TreeTrainerSettings.ParseInt(trainer, key, value); break;
                case "SEED": s.Seed = TreeTrainerSettings.ParseInt(trainer, key, value); break;
                case "THREADS": s.Threads = TreeTrainerSettings.ParseInt(trainer, key, value); break;
                default: throw new ArgumentException($"Trainer '{trainer}' has no parameter '{key}'. Known: l1, l2, iterations, seed, threads.", nameof(parameters));
            }
        }

        return s;
    }
}
