using System.Text.Json;
using MLSystemDesign.Evaluation;

namespace MLSystemDesign.Tests.Evaluation;

/// <summary>Metrics against scikit-learn's, from fixtures made by make_metric_fixtures.py.</summary>
public sealed class MetricCalculatorTests
{
    private static readonly JsonElement[] Cases = LoadCases();

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Cases.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Metrics_MatchScikitLearn(int index)
    {
        var c = Cases[index];
        var labels = Floats(c, "labels");
        Dictionary<string, double> actual;
        string[] names;
        switch (c.GetProperty("kind").GetString())
        {
            case "binary":
                actual = MetricCalculator.Binary(labels, Floats(c, "probabilities"), c.GetProperty("threshold").GetDouble());
                names = ["auc", "log_loss", "accuracy", "precision", "recall", "f1"];
                break;
            case "multiclass":
                actual = MetricCalculator.Multiclass(labels, Floats(c, "probabilities"), c.GetProperty("classes").GetInt32());
                names = ["accuracy", "macro_f1", "log_loss"];
                break;
            default:
                actual = MetricCalculator.Regression(labels, Floats(c, "predictions"));
                names = ["rmse", "mae", "r2"];
                break;
        }

        foreach (var name in names)
        {
            var expected = c.GetProperty(name).GetDouble();
            Assert.True(
                Math.Abs(actual[name] - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)),
                $"case {index} {name}: expected {expected:R}, got {actual[name]:R}");
        }
    }

    [Fact]
    public void Auc_OneClassOnly_IsNaN()
    {
        Assert.True(double.IsNaN(MetricCalculator.Auc([1f, 1f, 1f], [0.1f, 0.5f, 0.9f])));
    }

    [Fact]
    public void Auc_AllTied_IsOneHalf()
    {
        Assert.Equal(0.5, MetricCalculator.Auc([0f, 1f, 0f, 1f], [0.3f, 0.3f, 0.3f, 0.3f]));
    }

    [Fact]
    public void Binary_LabelNotZeroOrOne_NamesTheRow()
    {
        var ex = Assert.Throws<ArgumentException>(() => MetricCalculator.Binary([0f, 2f], [0.1f, 0.2f]));
        Assert.Contains("Row 1", ex.Message);
    }

    [Fact]
    public void Binary_ProbabilityOutOfRange_NamesTheRow()
    {
        var ex = Assert.Throws<ArgumentException>(() => MetricCalculator.Binary([0f, 1f], [0.1f, float.NaN]));
        Assert.Contains("Row 1", ex.Message);
    }

    [Fact]
    public void Metrics_EmptyOrMismatched_Throw()
    {
        Assert.Throws<ArgumentException>(() => MetricCalculator.Regression([], []));
        Assert.Throws<ArgumentException>(() => MetricCalculator.Regression([1f], [1f, 2f]));
    }

    [Fact]
    public void Regression_ConstantTargetPredictedExactly_R2IsOne()
    {
        Assert.Equal(1, MetricCalculator.Regression([2f, 2f], [2f, 2f])[MetricNames.R2]);
        Assert.Equal(0, MetricCalculator.Regression([2f, 2f], [1f, 3f])[MetricNames.R2]);
    }

    private static float[] Floats(JsonElement c, string name) =>
        c.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    private static JsonElement[] LoadCases()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Evaluation", "metrics.fixture.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
