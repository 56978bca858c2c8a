using System.Globalization;
using System.Text.Json;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference;

/// <summary>
/// The <c>xgboost-json</c> format: a model written by XGBoost's <c>save_model("model.json")</c>, imported into the
/// inference core (load only). Supported: the <c>gbtree</c> and <c>dart</c> boosters with objectives
/// <c>binary:logistic</c>, <c>reg:squarederror</c> (and the other identity-link regressions) and
/// <c>multi:softprob</c>/<c>multi:softmax</c>. XGBoost's semantics are kept: a row goes left when
/// <c>x &lt; split_condition</c>, a missing value (NaN) follows the node's <c>default_left</c>, and <c>base_score</c>
/// enters as a margin (its logit for <c>binary:logistic</c>).
/// </summary>
public sealed class XGBoostJsonModelFormat : IModelFormat
{
    /// <summary>The format id.</summary>
    public const string Id = "xgboost-json";

    private static readonly string[] IdentityRegressions = ["reg:squarederror", "reg:linear", "reg:absoluteerror", "reg:pseudohubererror"];
    private readonly InferenceOptions _options;

    /// <summary>Creates the format with default <see cref="InferenceOptions"/>.</summary>
    public XGBoostJsonModelFormat()
        : this(new InferenceOptions())
    {
    }

    /// <summary>Creates the format; loaded models are compiled with <paramref name="options"/>.</summary>
    /// <param name="options">The options loaded models get.</param>
    public XGBoostJsonModelFormat(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid<InferenceOptions, InferenceOptionsValidator>(options);
        _options = options;
    }

    /// <inheritdoc />
    public string FormatId => Id;

    /// <inheritdoc />
    public bool CanSave(IModel model) => false;

    /// <inheritdoc />
    public ValueTask SaveAsync(IModel model, Stream destination, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Id} format is read-only: save the model in the mlsd format instead.");

    /// <inheritdoc />
    public async ValueTask<IModel> LoadAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var path = ModelFormatException.SourceOf(source);
        try
        {
            using var buffer = new MemoryStream();
            await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return InferenceModel.CompileForFormat(Id, ReadDefinition(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), _options), _options);
        }
        catch (ModelFormatException ex) when (path is not null)
        {
            throw ex.WithSource(path);
        }
    }

    /// <summary>Parses an XGBoost JSON model into a tree ensemble definition, with the default <see cref="InferenceOptions"/> limits.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ModelFormatException">The JSON is not a supported XGBoost model, or declares more features or classes than it holds or the limits allow; the message says what and where.</exception>
    public static TreeEnsembleDefinition ReadDefinition(ReadOnlyMemory<byte> json) => ReadDefinition(json, new InferenceOptions());

    /// <summary>Parses an XGBoost JSON model; every size it declares is checked against what it holds and against <paramref name="limits"/> before anything is sized by it.</summary>
    internal static TreeEnsembleDefinition ReadDefinition(ReadOnlyMemory<byte> json, InferenceOptions limits)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
            var learner = Get(doc.RootElement, "learner");
            var param = Get(learner, "learner_model_param");
            var featureCount = ParseInt(Get(param, "num_feature"), "learner_model_param.num_feature");
            var classCount = ParseInt(Get(param, "num_class"), "learner_model_param.num_class");
            var baseScore = ParseBaseScore(Get(param, "base_score"));
            var objective = Get(Get(learner, "objective"), "name").GetString() ?? string.Empty;
            if (featureCount <= 0)
            {
                throw new FormatException($"learner_model_param.num_feature is {featureCount}.");
            }

            var booster = Get(learner, "gradient_booster");
            var boosterName = Get(booster, "name").GetString();
            double[]? weightDrop = null;
            if (boosterName == "dart")
            {
                weightDrop = Get(booster, "weight_drop").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                booster = Get(booster, "gbtree");
            }
            else if (boosterName != "gbtree")
            {
                throw new FormatException($"the booster '{boosterName}' is not supported; supported: gbtree, dart.");
            }

            var model = Get(booster, "model");
            var treesJson = Get(model, "trees");
            if (treesJson.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the member 'trees' is not an array.");
            }

            var treeCount = treesJson.GetArrayLength();
            var multiclass = objective is "multi:softprob" or "multi:softmax";
            if (multiclass && classCount > treeCount)
            {
                // XGBoost grows one tree per class in every round: a file cannot hold fewer trees than classes.
                throw new FormatException($"learner_model_param.num_class is {classCount}, but the file holds {treeCount} trees (XGBoost grows at least one per class).");
            }

            limits.CheckWidths(featureCount, multiclass ? classCount : 1);

            string[]? featureNames = null;
            if (learner.TryGetProperty("feature_names", out var names) && names.ValueKind == JsonValueKind.Array && names.GetArrayLength() == featureCount)
            {
                featureNames = names.EnumerateArray().Select(n => n.GetString() ?? string.Empty).ToArray();
            }

            ModelSignature signature;
            OutputTransform output;
            double baseMargin;
            if (objective == "binary:logistic")
            {
                if (!(baseScore > 0 && baseScore < 1))
                {
                    throw new FormatException($"binary:logistic needs a base_score strictly between 0 and 1; it is {baseScore}.");
                }

                signature = ModelSignature.Binary(featureCount, featureNames);
                output = OutputTransform.Sigmoid;
                baseMargin = -Math.Log((1 / baseScore) - 1);
            }
            else if (IdentityRegressions.Contains(objective))
            {
                signature = ModelSignature.Regression(featureCount, featureNames);
                output = OutputTransform.Identity;
                baseMargin = baseScore;
            }
            else if (multiclass)
            {
                if (classCount < 2)
                {
                    throw new FormatException($"{objective} needs num_class of at least 2; it is {classCount}.");
                }

                signature = ModelSignature.Multiclass(featureCount, classCount, featureNames);
                output = OutputTransform.Softmax;
                baseMargin = baseScore;
            }
            else
            {
                throw new FormatException($"the objective '{objective}' is not supported; supported: binary:logistic, {string.Join(", ", IdentityRegressions)}, multi:softprob, multi:softmax.");
            }

            var treeInfo = Get(model, "tree_info").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var trees = new List<DecisionTree>(treeCount);
            var targets = signature.Task == ModelTask.MulticlassClassification ? classCount : 1;
            var index = 0;
            foreach (var tree in treesJson.EnumerateArray())
            {
                if (index >= treeInfo.Length)
                {
                    throw new FormatException($"there are more trees than tree_info entries ({treeInfo.Length}).");
                }

                var target = treeInfo[index];
                if (target < 0 || target >= targets)
                {
                    throw new FormatException($"tree {index} belongs to class {target}, outside the model's {targets} output(s).");
                }

                var weight = weightDrop is null ? 1.0 : index < weightDrop.Length ? weightDrop[index] : throw new FormatException($"dart weight_drop has no weight for tree {index}.");
                trees.Add(ReadTree(tree, index, weight, target));
                index++;
            }

            return new TreeEnsembleDefinition(signature, trees, output, SplitComparison.Less, TreeAggregation.Sum, Enumerable.Repeat(baseMargin, targets).ToArray());
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            throw new ModelFormatException(Id, ex.Message, ex);
        }
    }

    private static DecisionTree ReadTree(JsonElement tree, int index, double weight, int target)
    {
        var left = Ints(tree, "left_children", index);
        var right = Ints(tree, "right_children", index);
        var feature = Ints(tree, "split_indices", index);
        var defaultLeft = Ints(tree, "default_left", index);
        var condition = Get(tree, "split_conditions").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var n = left.Length;
        if (right.Length != n || feature.Length != n || defaultLeft.Length != n || condition.Length != n || n == 0)
        {
            throw new FormatException($"tree {index}: its node arrays have different lengths ({n}, {right.Length}, {feature.Length}, {defaultLeft.Length}, {condition.Length}) or are empty.");
        }

        if (tree.TryGetProperty("split_type", out var splitType) && splitType.EnumerateArray().Any(e => e.GetInt32() != 0))
        {
            throw new FormatException($"tree {index} has categorical splits, which are not supported.");
        }

        var nodes = new TreeNode[n];
        for (var i = 0; i < n; i++)
        {
            if (left[i] == -1)
            {
                // XGBoost stores a leaf's value in split_conditions.
                nodes[i] = TreeNode.Leaf(condition[i] * weight);
                continue;
            }

            nodes[i] = TreeNode.Split(feature[i], (float)condition[i], left[i], right[i], defaultLeft[i] != 0);
        }

        return new DecisionTree(nodes, target);
    }

    private static int[] Ints(JsonElement tree, string name, int index)
    {
        var array = Get(tree, name);
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"tree {index}: '{name}' is not an array.");
        }

        return array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    private static JsonElement Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"the member '{name}' is missing.");

    private static int ParseInt(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : value.ValueKind == JsonValueKind.Number ? value.GetInt32() : throw new FormatException($"{name} is not an integer.");

    /// <summary>base_score is a string such as "5E-1" (XGBoost 1.x) or "[5E-1]" (2.x).</summary>
    private static double ParseBaseScore(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim('[', ']', ' ') : value.GetRawText();
        if (text.Contains(',', StringComparison.Ordinal))
        {
            throw new FormatException($"a vector base_score ({text}) is not supported.");
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new FormatException($"base_score '{text}' is not a finite number.");
    }
}
