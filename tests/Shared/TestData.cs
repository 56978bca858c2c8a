using System.ComponentModel.DataAnnotations.Schema;
using MLSystemDesign.Data;

namespace MLSystemDesign.Tests;

/// <summary>Paths to the repository's test data (copied next to the test assembly) and its record types.</summary>
internal static class TestData
{
    public static string Path(string file)
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "data", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Test data '{file}' is missing; expected at {path}.", path);
    }

    public static string Flights => Path("flights-5k-per-month.parquet");

    public static string BreastCancer => Path("breast_cancer.csv");

    public static string Penguins => Path("penguins.jsonl");

    public static string Weather => Path("seattle-weather.csv");

    /// <summary>The 30 feature columns and the target of the breast-cancer file (which has no header line).</summary>
    public static CsvSourceOptions BreastCancerCsv => new()
    {
        SkipLines = 1,
        HasHeader = false,
        ColumnNames = [.. Enumerable.Range(0, 30).Select(i => $"x{i}"), "target"],
    };

    public static async Task<List<Flight>> LoadFlightsAsync(int? months = null)
    {
        var all = await DataSource.Parquet<Flight>(Flights).ToListAsync();
        return months is { } m ? all.Where(f => f.Date.Month <= m).ToList() : all;
    }
}

/// <summary>A flight as the flights Parquet files hold it.</summary>
public sealed record Flight
{
    public DateTime Date { get; init; }

    public long Delay { get; init; }

    public long Distance { get; init; }

    public string Origin { get; init; } = string.Empty;

    public string Destination { get; init; } = string.Empty;

    [NotMapped]
    public bool Late => Delay > 15;
}

/// <summary>A penguin as penguins.jsonl holds it; measurements may be missing.</summary>
public sealed class Penguin
{
    public string Species { get; set; } = string.Empty;

    public string Island { get; set; } = string.Empty;

    [Column("Beak Length (mm)")]
    public double BeakLength { get; set; }

    [Column("Beak Depth (mm)")]
    public double BeakDepth { get; set; }

    [Column("Flipper Length (mm)")]
    public double? FlipperLength { get; set; }

    [Column("Body Mass (g)")]
    public double? BodyMass { get; set; }

    public string? Sex { get; set; }
}
