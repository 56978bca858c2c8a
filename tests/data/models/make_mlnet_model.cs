// Writes cancer-fasttree.zip: a FastTree binary classifier (5 trees, 8 leaves, one thread, seed 1) trained on the 569
// rows of ../breast_cancer.csv, saved in the mlnet-zip format. Run from this folder: dotnet run make_mlnet_model.cs
#:project ../../../src/MLSystemDesign.MLNet/MLSystemDesign.MLNet.csproj
#:package Microsoft.Extensions.DependencyInjection
#:property GenerateProgramFile=false
#:property PublishAot=false
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.MLNet;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

var rows = File.ReadLines("../breast_cancer.csv").Skip(1).Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
var x = rows.SelectMany(r => r[..30]).ToArray();
var y = rows.Select(r => r[30]).ToArray();
var settings = new TreeTrainerSettings { Trees = 5, Leaves = 8, Threads = 1, Seed = 1 };
var model = await MLNetTrainers.FastTree(ModelTask.BinaryClassification, settings).TrainAsync(new TrainingSet(ModelTask.BinaryClassification, x, 30, y));
await using var file = File.Create("cancer-fasttree.zip");
using var services = new ServiceCollection().AddMLSystem(ml => ml.AddMLNet()).BuildServiceProvider();
await services.GetRequiredService<IModelFormatResolver>().Get("mlnet-zip").SaveAsync(model, file);
Console.WriteLine($"cancer-fasttree.zip: {model.Signature}");
