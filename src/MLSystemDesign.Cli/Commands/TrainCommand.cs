using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Cli.Output;
using MLSystemDesign.Data;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Features;
using MLSystemDesign.Models;
using MLSystemDesign.Training;
using Spectre.Console;

namespace MLSystemDesign.Cli.Commands;

/// <summary>
/// <c>mlsd train</c>: trains a default model from a data file with an automatic feature pipeline, prints its evaluation
/// on a held-out split, and saves the model (<c>mlnet-zip</c>) and its fitted features (<c>&lt;out&gt;.features.json</c>).
/// </summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var data = CommonOptions.ExistingFile("--data", "The training data (.csv, .tsv, .jsonl, .parquet).");
        var label = new Option<string>("--label") { Description = "The label column.", Required = true };
        var task = new Option<string>("--task") { Description = "binary, regression or multiclass.", Required = true };
        task.AcceptOnlyFromAmong("binary", "regression", "multiclass");
        var output = new Option<FileInfo>("--out") { Description = "Where to write the model (mlnet-zip); the fitted features go to <out>.features.json.", Required = true };
        var trainer = new Option<string>("--trainer") { Description = "fasttree, lightgbm, fastforest or linear.", DefaultValueFactory = _ => "lightgbm" };
        var testFraction = new Option<double>("--test-fraction") { Description = "The share of rows held out for evaluation.", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "The seed of the split and the trainer.", DefaultValueFactory = _ => 42 };
        var json = CommonOptions.Json();
        var skipBad = CommonOptions.SkipBadRecords();
        var command = new Command("train", "Train a model with an automatic feature pipeline (numeric columns, one-hot categories, date parts), evaluate it on a held-out split, and save it; with --register, register it with its metrics, trainer options and data lineage. The same data, options and seed give the same model bytes.")
        {
            data, label, task, output, trainer, testFraction, seed, json, skipBad,
        };
        var registration = TrainRegistration.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var modelTask = parse.GetRequiredValue(task) switch
            {
                "binary" => ModelTask.BinaryClassification,
                "regression" => ModelTask.Regression,
                _ => ModelTask.MulticlassClassification,
            };
            var fraction = parse.GetValue(testFraction);
            if (!(fraction > 0 && fraction < 1))
            {
                throw new ArgumentException($"--test-fraction must lie strictly between 0 and 1; got {fraction.ToString(CultureInfo.InvariantCulture)}.");
            }

            var (records, read) = await CommonOptions.ReadTabularAsync(context, parse.GetRequiredValue(data).FullName, parse.GetValue(skipBad), ct).ConfigureAwait(false);
            if (records.Count == 0)
            {
                throw new InvalidOperationException("The data file has no records.");
            }

            var schema = records[0].Schema;
            var labelName = parse.GetRequiredValue(label);
            var labelOrdinal = schema.IndexOf(labelName);
            if (labelOrdinal < 0)
            {
                throw new ArgumentException($"There is no label column '{labelName}'. Columns: {string.Join(", ", schema.Fields.Select(f => f.Name))}.");
            }

            var labels = LabelEncoding.Create(modelTask, records, labelOrdinal, labelName);
            var labelled = records.Where(r => !r[labelOrdinal].IsMissing).ToList();
            var leftOut = records.Count - labelled.Count;
            var plan = TabularFeatures.Infer(schema, labelled.Take(10_000).ToList(), schema.Fields[labelOrdinal].Name);
            var seedValue = parse.GetValue(seed);
            var split = modelTask == ModelTask.Regression
                ? DataSplits.Random(labelled, fraction, seedValue)
                : DataSplits.Stratified(labelled, r => r[labelOrdinal].ToString(), fraction, seedValue);
            if (split.Train.Count == 0 || split.Test.Count == 0)
            {
                throw new InvalidOperationException($"{labelled.Count} labelled rows are too few to hold out {fraction:P0} for evaluation.");
            }

            var features = plan.Pipeline.Fit(split.Train);
            var trainSet = TrainingSets.Build(split.Train, features, modelTask, labels.Encode, labels.Classes);
            var testSet = TrainingSets.Build(split.Test, features, modelTask, labels.Encode, labels.Classes);
            var catalog = context.Services.GetRequiredService<ITrainerCatalog>();
            var trainerName = parse.GetValue(trainer)!;
            var chosen = catalog.Create(trainerName, modelTask, new Dictionary<string, string> { ["seed"] = seedValue.ToString(CultureInfo.InvariantCulture) });
            var model = await chosen.TrainAsync(trainSet, cancellationToken: ct).ConfigureAwait(false);
            var evaluation = ModelEvaluator.Evaluate(model, testSet);

            var outPath = parse.GetRequiredValue(output).FullName;
            Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
            var format = context.Services.GetRequiredService<IModelFormatResolver>().Get("mlnet-zip");
            await using (var file = File.Create(outPath))
            {
                await format.SaveAsync(model, file, ct).ConfigureAwait(false);
            }

            var featuresPath = outPath + ".features.json";
            await using (var file = File.Create(featuresPath))
            {
                features.Save(file);
            }

            (model as IDisposable)?.Dispose();
            var registered = await registration.RegisterAsync(context, parse, new TrainedRun(outPath, format.FormatId, featuresPath, features.Schema, parse.GetRequiredValue(data).FullName, labelName, modelTask, fraction, chosen, evaluation), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.WriteJson(new
                {
                    Model = outPath,
                    Features = featuresPath,
                    Task = modelTask,
                    Trainer = chosen.Name,
                    chosen.Parameters,
                    Rows = new { Train = split.Train.Count, Test = split.Test.Count, MissingLabel = leftOut, Unreadable = read.RecordsSkipped },
                    FeatureWidth = features.Width,
                    Columns = plan.Decisions,
                    ClassLabels = labels.Classes,
                    Metrics = evaluation.Metrics,
                    Registration = registered?.Json(),
                });
            }
            else
            {
                Render(context.Console, plan, features, chosen, split, leftOut, labels, evaluation, outPath, featuresPath);
                if (registered is not null)
                {
                    Commands.Registry.ModelRegistration.Write(context, registered, json: false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, TabularFeaturePlan plan, IFittedFeaturePipeline<TabularRecord> features, ITrainer trainer, DataSplit<TabularRecord> split, int leftOut, LabelEncoding labels, EvaluationResult evaluation, string outPath, string featuresPath)
    {
        var columns = new Table().Border(TableBorder.Simple).AddColumns("column", "feature");
        foreach (var d in plan.Decisions)
        {
            columns.AddRow(TerminalText.Markup(d.Column), TerminalText.Markup(d.Decision));
        }

        console.Write(columns);
        console.MarkupLine($"{features.Width} feature slots; {split.Train.Count} training rows, {split.Test.Count} held out{(leftOut > 0 ? $", {leftOut} without a label left out" : string.Empty)}.");
        if (labels.Classes is { } classes)
        {
            console.MarkupLine(TerminalText.Markup($"classes: {string.Join(", ", classes.Select((c, i) => $"{i}={c}"))}"));
        }

        var metrics = new Table().Border(TableBorder.Simple).AddColumns("metric", "held-out value");
        foreach (var (name, value) in evaluation.Metrics)
        {
            metrics.AddRow(name, value.ToString("0.0000", CultureInfo.InvariantCulture));
        }

        console.MarkupLine(TerminalText.Markup($"{trainer.Name} ({string.Join(", ", trainer.Parameters.Select(p => $"{p.Key}={p.Value}"))})"));
        console.Write(metrics);
        console.MarkupLine(TerminalText.Markup($"model: {outPath}"));
        console.MarkupLine(TerminalText.Markup($"features: {featuresPath}"));
    }
}

/// <summary>Turns a label column into numeric labels for a task, with the class names when there are classes.</summary>
internal sealed class LabelEncoding
{
    private readonly int _ordinal;
    private readonly Dictionary<string, int>? _index;

    private LabelEncoding(int ordinal, IReadOnlyList<string>? classes)
    {
        _ordinal = ordinal;
        Classes = classes;
        _index = classes?.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<string>? Classes { get; }

    public static LabelEncoding Create(ModelTask task, IReadOnlyList<TabularRecord> records, int ordinal, string name)
    {
        var present = records.Select(r => r[ordinal]).Where(v => !v.IsMissing).ToList();
        if (present.Count == 0)
        {
            throw new InvalidOperationException($"The label column '{name}' has no values.");
        }

        if (task == ModelTask.Regression)
        {
            return present.All(v => v.Kind == FieldValueKind.Number)
                ? new LabelEncoding(ordinal, null)
                : throw new InvalidOperationException($"Regression needs a numeric label; '{name}' holds '{present.First(v => v.Kind != FieldValueKind.Number)}'.");
        }

        var classes = present.Select(v => v.ToString()).Distinct(StringComparer.Ordinal)
            .OrderBy(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN)
            .ThenBy(c => c, StringComparer.Ordinal)
            .ToList();
        if (task == ModelTask.BinaryClassification && classes.Count != 2)
        {
            throw new InvalidOperationException($"Binary classification needs exactly two label values; '{name}' has {classes.Count}: {string.Join(", ", classes.Take(10))}.");
        }

        if (task == ModelTask.MulticlassClassification && classes.Count < 2)
        {
            throw new InvalidOperationException($"Multiclass classification needs at least two classes; '{name}' has {classes.Count}.");
        }

        return new LabelEncoding(ordinal, classes);
    }

    public float Encode(TabularRecord record) =>
        _index is null ? (float)record[_ordinal].Number : _index[record[_ordinal].ToString()];
}
