// The README's quick start, compiled and run on the repository's data. The code between the quickstart markers must
// equal the README's snippet line for line (indentation aside); QuickStart_MatchesTheReadme checks it.
// quickstart:begin
using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Data;
using MLSystemDesign.Evaluation;
using MLSystemDesign.Features;
using MLSystemDesign.Models;
using MLSystemDesign.Training;
// quickstart:end

namespace MLSystemDesign.Architecture.Tests;

public sealed class QuickStartTests
{
    [Fact]
    public async Task QuickStart_Runs()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", "flights-5k-per-month.parquet");

        // quickstart:begin
        // Compose the system: data sources, formats, trainers.
        using var services = new ServiceCollection()
            .AddMLSystem(ml => ml.AddMLNet())
            .BuildServiceProvider();

        // Read typed records; columns map to properties by name.
        var flights = await DataSource.Parquet<Flight>(path).ToListAsync();

        // Declare features once; fit them on training data only.
        var features = FeaturePipeline.For<Flight>()
            .Numeric("hour", f => f.Date.Hour)
            .Numeric("distance", f => f.Distance, o => o.Scaling = NumericScaling.ZScore)
            .Categorical("origin", f => f.Origin, o => o.MaxCategories = 50)
            .Build()
            .Fit(flights.Where(f => f.Date.Month == 1));

        // Train and evaluate.
        var train = TrainingSets.Binary(flights.Where(f => f.Date.Month == 1).ToList(), features, f => f.Delay > 15);
        var test = TrainingSets.Binary(flights.Where(f => f.Date.Month == 2).ToList(), features, f => f.Delay > 15);
        var trainer = services.GetRequiredService<ITrainerCatalog>().Create("lightgbm", ModelTask.BinaryClassification);
        var model = await trainer.TrainAsync(train);
        var auc = ModelEvaluator.Evaluate(model, test)[MetricNames.Auc];

        // Serve: the same fitted features, no allocation per record.
        Span<float> row = stackalloc float[features.Width];
        Span<float> output = stackalloc float[model.Signature.OutputWidth];
        features.Transform(flights[0], row);
        model.Predict(row, output); // [score, probability]
        // quickstart:end

        Assert.InRange(auc, 0.55, 1);
        Assert.InRange(output[1], 0, 1);
    }

    [Fact]
    public void QuickStart_MatchesTheReadme()
    {
        var marked = ReadmeSnippets.FromSource(SourcePath(), "quickstart");
        marked.Add(RecordDeclaration);
        Assert.Equal(marked, ReadmeSnippets.FromReadme("quickstart"));
    }

    /// <summary>The record type the snippet ends with; declared below for the compiler.</summary>
    private const string RecordDeclaration = "public sealed record Flight(DateTime Date, long Delay, long Distance, string Origin, string Destination);";

    private static string SourcePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}

public sealed record Flight(DateTime Date, long Delay, long Distance, string Origin, string Destination);
