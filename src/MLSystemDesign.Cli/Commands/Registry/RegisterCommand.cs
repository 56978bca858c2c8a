using System.CommandLine;
using MLSystemDesign.Registry;
using static MLSystemDesign.Cli.Commands.Registry.RegistryCommandBuilder;

namespace MLSystemDesign.Cli.Commands.Registry;

/// <summary><c>mlsd registry register</c>: registers a model file (with its fitted features and lineage) as the next version of a model.</summary>
internal static class RegisterCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "The model name.", Required = true };
        var model = CommonOptions.ExistingFile("--model", "The model file.");
        var format = new Option<string>("--format") { Description = "The model format id.", DefaultValueFactory = _ => "mlnet-zip" };
        var features = new Option<FileInfo?>("--features") { Description = "The fitted features (JSON). Default: <model>.features.json when it exists (as written by 'mlsd train')." };
        var data = new Option<FileInfo>("--data") { Description = "The training data, fingerprinted for lineage." }.AcceptExistingOnly();
        var trainer = new Option<string?>("--trainer") { Description = "The trainer's name, for lineage." };
        var parent = new Option<int?>("--parent") { Description = "The version this one was derived from." };
        var tags = new Option<string[]>("--tag") { Description = "A tag key=value (repeatable).", AllowMultipleArgumentsPerToken = false };
        var metrics = new Option<string[]>("--metric") { Description = "A metric name=value (repeatable)." };
        var parameters = new Option<string[]>("--param") { Description = "A parameter name=value (repeatable)." };
        var description = new Option<string?>("--description") { Description = "What this version is." };
        var actor = ActorOption();
        var alias = new Option<string?>("--alias") { Description = "Point this alias (e.g. champion) at the new version; not moved when nothing is registered." };
        var allowDuplicate = AllowDuplicateOption();
        return Define(context, "register", "Register a model file (with its fitted features and lineage) as the next version of a model; the registry loads it once with its format first. A model whose bytes equal an existing version's is reported, not registered again, unless --allow-duplicate.", creates: true, null, async (parse, registry, json, ct) =>
        {
            var modelPath = parse.GetRequiredValue(model).FullName;
            var featuresPath = parse.GetValue(features)?.FullName ?? (File.Exists(modelPath + ".features.json") ? modelPath + ".features.json" : null);
            var artifacts = ModelRegistration.Artifacts(context, modelPath, parse.GetRequiredValue(format), featuresPath);
            var datasets = new List<DatasetLineage>();
            if (parse.GetValue(data) is { } dataFile)
            {
                datasets.Add(await ModelRegistration.TrainingDataAsync(context, dataFile, ct).ConfigureAwait(false));
            }

            var outcome = await ModelRegistration.RegisterAsync(registry, new NewModelVersion
            {
                Name = parse.GetRequiredValue(name),
                Artifacts = artifacts,
                Description = parse.GetValue(description),
                Tags = ModelRegistration.Pairs(parse.GetValue(tags), "--tag"),
                Metrics = ModelRegistration.Metrics(parse.GetValue(metrics)),
                Parameters = ModelRegistration.Pairs(parse.GetValue(parameters), "--param"),
                Lineage = new ModelLineage { Datasets = datasets, Trainer = parse.GetValue(trainer), ParentVersion = parse.GetValue(parent) },
                RegisteredBy = parse.GetValue(actor),
                AllowDuplicateModel = parse.GetValue(allowDuplicate),
            }, parse.GetValue(alias), ct).ConfigureAwait(false);
            ModelRegistration.Write(context, outcome, json);
            return ExitCodes.Success;
        }, name, model, format, features, data, trainer, parent, tags, metrics, parameters, description, actor, alias, allowDuplicate);
    }
}
