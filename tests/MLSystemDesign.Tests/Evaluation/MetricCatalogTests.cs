using Microsoft.Extensions.DependencyInjection;
using MLSystemDesign.Evaluation;

namespace MLSystemDesign.Tests.Evaluation;

public sealed class MetricCatalogTests
{
    [Theory]
    [InlineData("auc", true)]
    [InlineData("accuracy", true)]
    [InlineData("precision", true)]
    [InlineData("recall", true)]
    [InlineData("f1", true)]
    [InlineData("macro_f1", true)]
    [InlineData("r2", true)]
    [InlineData("log_loss", false)]
    [InlineData("rmse", false)]
    [InlineData("mae", false)]
    [InlineData("mse", false)]
    [InlineData("LOG_LOSS", false)]
    [InlineData("latency_p99_ms", false)]
    [InlineData("training_time_s", false)]
    public void Get_BuiltInMetric_KnowsItsDirection(string metric, bool higher) =>
        Assert.Equal(higher, MetricNames.CreateCatalog().Get(metric).HigherIsBetter);

    [Fact]
    public void Get_UndeclaredMetric_SaysHowToDeclareIt()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => MetricNames.CreateCatalog().Get("cost_per_1000"));
        Assert.Contains("'cost_per_1000' has no declared direction", ex.Message);
        Assert.Contains("log_loss", ex.Message);
        Assert.Contains("AddMetric(\"cost_per_1000\"", ex.Message);
        Assert.False(MetricNames.CreateCatalog().TryGet("cost_per_1000", out _));
    }

    [Fact]
    public void AddMetric_UserMetric_IsInTheCatalogWithTheBuiltIns()
    {
        using var services = new ServiceCollection().AddMLSystem(ml => ml.AddMetric("cost_per_1000", higherIsBetter: false, "Expected cost per 1,000 flights.").AddMetric("cost_per_1000", higherIsBetter: false)).BuildServiceProvider();
        var catalog = services.GetRequiredService<IMetricCatalog>();
        var cost = catalog.Get("Cost_Per_1000");
        Assert.False(cost.HigherIsBetter);
        Assert.Equal("Expected cost per 1,000 flights.", cost.Description);
        Assert.Single(catalog.Definitions, d => d.Name == "cost_per_1000");
        Assert.True(catalog.Get(MetricNames.Auc).HigherIsBetter);
        Assert.Equal(MetricNames.BuiltIn.Count + 1, catalog.Definitions.Count);
    }

    [Fact]
    public void AddMetric_OtherDirectionThanDeclared_IsRefused()
    {
        var services = new ServiceCollection();
        var ex = Assert.Throws<ArgumentException>(() => services.AddMLSystem(ml => ml.AddMetric("log_loss", higherIsBetter: true)));
        Assert.Contains("'log_loss' is already declared lower-is-better", ex.Message);
        Assert.Throws<ArgumentException>(() => services.AddMLSystem(ml => ml.AddMetric("cost", false).AddMetric("COST", true)));
        Assert.Throws<ArgumentException>(() => services.AddMLSystem(ml => ml.AddMetric(" ", false)));
    }

    [Fact]
    public void CreateCatalog_ConflictingDefinitions_AreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => MetricNames.CreateCatalog([new MetricDefinition("rmse", true)]));
        Assert.Contains("'rmse' is declared both lower-is-better and higher-is-better", ex.Message);
    }
}
