using System.CommandLine;
using System.Globalization;
using MLSystemDesign.Cli.Commands.Registry;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Features;
using MLSystemDesign.Models;
using MLSystemDesign.Registry;
using MLSystemDesign.Training;

namespace MLSystemDesign.Cli.Commands;

/// <summary>
/// <c>mlsd train --register &lt;registry&gt; --name &lt;model&gt; [--alias champion] [--allow-duplicate]</c>: registers what
/// <c>train</c> just wrote, with what it computed (held-out metrics, the trainer and its options, the data's
/// fingerprint and lineage), through the same <see cref="ModelRegistration"/> path as <c>registry register</c>.
/// </summary>
internal sealed class TrainRegistration
{
    private readonly Option<DirectoryInfo?> _registry = new("--register")
    {
        Description = "Register the trained model in this registry folder (created when there is none, and said so), with its held-out metrics, trainer options, data fingerprint and lineage.",
    };

    private readonly Option<string?> _name = new("--name") { Description = "With --register: the model name." };

    private readonly Option<string?> _alias = new("--alias") { Description = "With --register: point this alias (e.g. champion) at the new version; not moved when nothing is registered." };

    private readonly Option<bool> _allowDuplicate = RegistryCommandBuilder.AllowDuplicateOption();

    private TrainRegistration()
    {
    }

    /// <summary>Adds the registration options to <c>train</c>, checked before any training starts.</summary>
    public static TrainRegistration AddTo(Command command)
    {
        var r = new TrainRegistration();
        command.Options.Add(r._registry);
        command.Options.Add(r._name);
        command.Options.Add(r._alias);
        command.Options.Add(r._allowDuplicate);
        command.Validators.Add(result =>
        {
            var registering = result.GetValue(r._registry) is not null;
            if (registering && string.IsNullOrWhiteSpace(result.GetValue(r._name)))
            {
                result.AddError("--register needs --name <model>.");
            }
            else if (!registering && (result.GetValue(r._name) is not null || result.GetValue(r._alias) is not null || result.GetValue(r._allowDuplicate)))
            {
                result.AddError("--name, --alias and --allow-duplicate go with --register <registry>.");
            }
            else if (registering)
            {
                RegistryNames.ValidateModelName(result.GetValue(r._name)!, "--name");
            }
        });
        return r;
    }

    /// <summary>Registers the trained model when <c>--register</c> was given; <see langword="null"/> otherwise.</summary>
    public async Task<RegistrationOutcome?> RegisterAsync(CliContext context, ParseResult parse, TrainedRun run, CancellationToken cancellationToken)
    {
        if (parse.GetValue(_registry) is not { } folder)
        {
            return null;
        }

        var dropped = run.Evaluation.Metrics.Where(m => !double.IsFinite(m.Value)).Select(m => m.Key).ToList();
        if (dropped.Count > 0)
        {
            await context.Error.WriteLineAsync($"warning: not registering metrics that are not finite numbers: {string.Join(", ", dropped)}.").ConfigureAwait(false);
        }

        var parameters = new Dictionary<string, string>(run.Trainer.Parameters, StringComparer.Ordinal)
        {
            ["task"] = run.Task.ToString(),
            ["label"] = run.Label,
            ["test_fraction"] = run.TestFraction.ToString(CultureInfo.InvariantCulture),
        };
        var data = new FileInfo(run.DataPath);
        var lineage = await ModelRegistration.TrainingDataAsync(context, data, cancellationToken).ConfigureAwait(false);
        return await ModelRegistration.OpenAsync(context, folder.FullName, creates: true, null, async registry =>
        {
            var outcome = await ModelRegistration.RegisterAsync(registry, new NewModelVersion
            {
                Name = parse.GetValue(_name)!,
                Artifacts = ModelRegistration.Artifacts(context, run.ModelPath, run.FormatId, run.FeaturesPath),
                Description = $"mlsd train --trainer {run.Trainer.Name} on {data.Name}",
                Metrics = run.Evaluation.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
                Parameters = parameters,
                FeatureSchema = run.Features,
                Lineage = new ModelLineage { Datasets = [lineage], Trainer = run.Trainer.Name },
                AllowDuplicateModel = parse.GetValue(_allowDuplicate),
            }, parse.GetValue(_alias), cancellationToken).ConfigureAwait(false);
            return outcome;
        }).ConfigureAwait(false);
    }
}

/// <summary>What <c>train</c> produced, for its registration.</summary>
/// <param name="ModelPath">The saved model.</param>
/// <param name="FormatId">The model's format.</param>
/// <param name="FeaturesPath">The saved fitted features.</param>
/// <param name="Features">The fitted features' schema.</param>
/// <param name="DataPath">The training data file.</param>
/// <param name="Label">The label column.</param>
/// <param name="Task">The task.</param>
/// <param name="TestFraction">The held-out share.</param>
/// <param name="Trainer">The trainer, with its options.</param>
/// <param name="Evaluation">The held-out evaluation.</param>
internal sealed record TrainedRun(string ModelPath, string FormatId, string FeaturesPath, FeatureSchema Features, string DataPath, string Label, ModelTask Task, double TestFraction, ITrainer Trainer, EvaluationResult Evaluation);
