// FlightDelays: predict whether a US domestic flight leaves more than 15 minutes late, on real 2001 flight data.
// Run from the repository root:  dotnet run --project samples/FlightDelays
using System.Diagnostics;
using FlightDelays;
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Data;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Expectations;
using MLSystemDesign.Models;
using MLSystemDesign.Training;
using Spectre.Console;

var clock = Stopwatch.StartNew();
var dataPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "flights-2001h1-100k-per-month.parquet");
var outputDir = Path.Combine(Environment.CurrentDirectory, "artifacts", "flight-delays");

using var services = new ServiceCollection()
    .AddMLSystem(ml => ml.AddMLNet().Configure(o => o.Seed = 2001))
    .BuildServiceProvider();
if (Console.IsOutputRedirected)
{
    AnsiConsole.Console.Profile.Width = 160; // logs and pipes get whole table rows
}

var ui = new SampleConsole(AnsiConsole.Console);

ui.Title("Flight delays: from raw flights to a chosen model");

// 1. Data: stream the Parquet file into typed records.
var flights = await ui.StepAsync("Reading flights", () => DataSource.Parquet<Flight>(dataPath).ToListAsync());
var fingerprint = DatasetFingerprints.Compute(flights);
ui.Line($"{flights.Count:N0} flights from {Path.GetFileName(dataPath)} (fingerprint {fingerprint.ShortForm})");
ui.MonthlyLateRates(flights);

// 2. Validation: the data contract must hold before anything is trained on it. Records that break a row rule
//    (the real file holds two departures "953 and 1116 minutes early") are quarantined and counted, never dropped silently.
var validation = services.GetRequiredService<DataValidator>().Validate(flights, FlightModel.Expectations, Path.GetFileName(dataPath));
ui.Validation(validation);
var quarantine = DataValidator.Quarantine(flights, FlightModel.Expectations);
if (quarantine.Rejected.Count > 0)
{
    ui.Line($"Quarantined {quarantine.Rejected.Count} of {flights.Count:N0} records: {string.Join("; ", quarantine.Rejected.Take(5).Select(r => $"#{r.RecordNumber} {string.Join(", ", r.Violations)}"))}");
    if (quarantine.Rejected.Count > flights.Count / 100)
    {
        ui.Line("More than 1% of the records break the contract: stopping.");
        return 1;
    }

    flights = quarantine.Accepted.ToList();
}

// 3. Features: fit on January–February only, so that March is a true future test.
var train = flights.Where(f => f.Date.Month <= 2).ToList();
var test = flights.Where(f => f.Date.Month == 3).ToList();
var features = await ui.StepAsync("Fitting features on January–February", () => Task.FromResult(FlightModel.Features.Fit(train)));
ui.Line($"{features.Width} feature slots from {features.Schema.RawFeatures.Count} raw features; {train.Count:N0} training flights, {test.Count:N0} March flights to evaluate on");
var trainSet = TrainingSets.Binary(train, features, f => f.Late);
var testSet = TrainingSets.Binary(test, features, f => f.Late);

// 4. Candidates: four ML.NET trainers, compared on March by AUC.
var catalog = services.GetRequiredService<ITrainerCatalog>();
ITrainer[] candidates =
[
    catalog.Create("lightgbm", ModelTask.BinaryClassification),
    catalog.Create("fasttree", ModelTask.BinaryClassification),
    catalog.Create("fastforest", ModelTask.BinaryClassification, new Dictionary<string, string> { ["trees"] = "50" }),
    catalog.Create("linear", ModelTask.BinaryClassification),
];
var selection = await ui.TrainCandidatesAsync(services.GetRequiredService<ModelSelector>(), candidates, trainSet, testSet, MetricNames.Auc);
ui.Comparison(selection, testSet);

// 5. Keep the chosen model and its fitted features together: the same features serve training and scoring.
Directory.CreateDirectory(outputDir);
var format = services.GetRequiredService<IModelFormatResolver>().Get("mlnet-zip");
var modelPath = Path.Combine(outputDir, "model.zip");
await using (var file = File.Create(modelPath))
{
    await format.SaveAsync(selection.Best.Model, file);
}

var featuresPath = Path.Combine(outputDir, "features.json");
await using (var file = File.Create(featuresPath))
{
    features.Save(file);
}

ui.Line($"Saved the model to {Path.GetRelativePath(Environment.CurrentDirectory, modelPath)} and its features to {Path.GetRelativePath(Environment.CurrentDirectory, featuresPath)}");

// 6. Registry: every candidate becomes an immutable version with its lineage; the chosen one becomes champion, with the reason.
await RegistryStep.RunAsync(ui, selection, features, train, test, Path.GetFileName(dataPath), outputDir);

// 7. Monitoring: profile March (labelled, unseen in training), replay April–June month by month, watch drift, CBPE and realized performance.
await MonitoringStep.RunAsync(ui, test, flights, features, selection.Best.Model, outputDir);

// 8. Serve it fast: the same model compiled into the SIMD inference core, checked against ML.NET on March.
await FastScoring.RunAsync(ui, selection.Best.Model, testSet, outputDir);
ui.Line($"Done in {clock.Elapsed.TotalSeconds:0.0} s.");
return 0;
