using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Data;
using MLSystemDesign.Features;
using MLSystemDesign.Models;
using MLSystemDesign.Registry;
using MLSystemDesign.Training;
using Spectre.Console;

namespace FlightDelays;

/// <summary>
/// Step 6: every candidate becomes an immutable registry version holding its model, the fitted features and its
/// lineage (training data fingerprint and description, trainer and parameters, metrics); the chosen one becomes
/// <c>champion</c> with the reason recorded; its model card is written.
/// </summary>
internal static class RegistryStep
{
    public const string ModelName = "flight-delays";

    public static async Task RunAsync(SampleConsole ui, ModelSelectionResult selection, IFittedFeaturePipeline<Flight> features, IReadOnlyList<Flight> train, IReadOnlyList<Flight> test, string dataFile, string outputDir)
    {
        var root = Path.Combine(outputDir, "registry");
        await using var services = new ServiceCollection()
            .AddMLSystem(ml => ml.AddMLNet().UseSqliteRegistry(o => o.RootPath = root))
            .BuildServiceProvider();
        var registry = services.GetRequiredService<IModelRegistry>();
        var format = services.GetRequiredService<IModelFormatResolver>().Get("mlnet-zip");

        await registry.UpdateModelAsync(
            ModelName,
            "Predicts whether a US domestic flight leaves more than 15 minutes late, from its departure time, distance and airports.",
            "flight-ops analytics",
            new RegistryChange("sample setup"));
        var previousChampion = (await registry.GetModelAsync(ModelName)).Aliases.TryGetValue("champion", out var v) ? v : (int?)null;

        var datasets = new List<DatasetLineage>
        {
            new("training", $"{dataFile}: January–February 2001 after quarantine", DatasetFingerprints.Compute(train), dataFile),
            new("validation", $"{dataFile}: March 2001 after quarantine", DatasetFingerprints.Compute(test), dataFile),
        };
        var registered = new List<(CandidateResult Candidate, ModelVersion Version)>();
        foreach (var candidate in selection.Candidates)
        {
            ModelVersion version;
            try
            {
                version = await registry.RegisterAsync(new NewModelVersion
                {
                    Name = ModelName,
                    Description = $"{candidate.Trainer} trained on January–February, evaluated on March",
                    Artifacts = [NewArtifact.ForModel(candidate.Model, format) with { MediaType = "application/zip" }, NewArtifact.ForFeatures(features)],
                    Metrics = candidate.Validation.Metrics,
                    Parameters = candidate.Parameters,
                    FeatureSchema = features.Schema,
                    Tags = new Dictionary<string, string> { ["candidate"] = "true", ["selection-metric"] = selection.PrimaryMetric },
                    Lineage = new ModelLineage { Trainer = candidate.Trainer, Datasets = datasets, ParentVersion = previousChampion },
                });
            }
            catch (DuplicateModelVersionException duplicate)
            {
                // Training is reproducible: a re-run gives the same bytes, which the registry already holds.
                version = await registry.GetAsync(duplicate.Existing);
                ui.Line($"{candidate.Trainer}: the same model as {duplicate.Existing} (sha256 {duplicate.Sha256[..16]}…); not registered again");
            }

            registered.Add((candidate, version));
        }

        // Best first by the metric's declared direction (log_loss: smallest first), among this run's versions.
        var best = (await registry.SearchAsync(new ModelVersionQuery
        {
            Name = ModelName,
            Tags = [new TagFilter("candidate")],
            OrderByMetric = selection.PrimaryMetric,
        })).First(found => registered.Any(r => r.Version.Version == found.Version));
        var runnerUp = selection.Candidates.Count > 1 ? selection.Candidates[1] : null;
        var reason = string.Create(CultureInfo.InvariantCulture, $"best {selection.PrimaryMetric} on March 2001: {best.Metrics[selection.PrimaryMetric]:0.0000}")
            + (runnerUp is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" vs {runnerUp.Validation[selection.PrimaryMetric]:0.0000} for {runnerUp.Trainer}"));
        var move = await registry.SetAliasAsync(ModelName, "champion", best.Version, new RegistryChange(reason));

        var table = new Table().Border(TableBorder.Rounded).Title("Registered versions").AddColumns("version", "trainer", selection.PrimaryMetric, "model sha256", "aliases");
        foreach (var (candidate, version) in registered)
        {
            table.AddRow(
                version.ToString(),
                candidate.Trainer,
                candidate.Validation[selection.PrimaryMetric].ToString("0.0000", CultureInfo.InvariantCulture),
                version.ModelArtifact!.Sha256[..16],
                version.Version == best.Version ? "champion" : string.Empty);
        }

        AnsiConsole.Write(table);
        ui.Line(move.PreviousVersion == best.Version
            ? $"champion stays at {ModelName}:{best.Version}: {reason}"
            : move.PreviousVersion is { } p
            ? $"champion moved from {ModelName}:{p} to {ModelName}:{best.Version}: {reason}"
            : $"champion set to {ModelName}:{best.Version}: {reason}");

        // Serving loads by alias; the model file is verified against its SHA-256 before it is used.
        var champion = await registry.LoadModelAsync(ModelReference.ForAlias(ModelName, "champion"));
        var servingFeatures = await registry.LoadFeaturesAsync(ModelReference.ForAlias(ModelName, "champion"), FlightModel.Features);
        var row = new float[servingFeatures.Width];
        var fromRegistry = new float[champion.Signature.OutputWidth];
        var inMemory = new float[champion.Signature.OutputWidth];
        var chosen = registered.Single(r => r.Version.Version == best.Version).Candidate.Model;
        var same = test.Take(1000).All(f =>
        {
            servingFeatures.Transform(f, row);
            champion.Predict(row, fromRegistry);
            chosen.Predict(row, inMemory);
            return fromRegistry.AsSpan().SequenceEqual(inMemory);
        });
        (champion as IDisposable)?.Dispose();
        ui.Line($"Loaded {ModelName}@champion back from the registry (hash verified): {(same ? "same scores as the trained model on 1,000 March flights" : "SCORES DIFFER")}");

        var card = await registry.WriteModelCardAsync(ModelReference.ForAlias(ModelName, "champion"));
        var cardPath = Path.Combine(outputDir, "model-card.md");
        await File.WriteAllTextAsync(cardPath, card.Markdown);
        var verification = await registry.VerifyAsync();
        ui.Line($"Registry {Path.GetRelativePath(Environment.CurrentDirectory, root)}: {verification.ArtifactsChecked} artifacts verified, {(verification.IsSound ? "all sound" : $"{verification.Damaged.Count} damaged")}");
        ui.Line($"Model card of {ModelName}:{best.Version}: {Path.GetRelativePath(Environment.CurrentDirectory, cardPath)} (stored in the registry as artifact '{card.Artifact.Name}', sha256 {card.Artifact.Sha256[..16]}…; regenerate with: mlsd registry card {ModelName}@champion --registry {Path.GetRelativePath(Environment.CurrentDirectory, root)})");
    }
}
