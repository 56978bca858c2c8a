using System.Globalization;

namespace MLSystemDesign.Business;

/// <summary>
/// What a batch of predictions is worth in business terms: realized from outcomes, or expected from calibrated
/// probabilities before outcomes arrive, with a confidence interval for the total.
/// </summary>
public sealed record BusinessValue
{
    /// <summary>Gets the mapper's name.</summary>
    public required string Mapper { get; init; }

    /// <summary>Gets the unit of the value (e.g. <c>EUR</c>).</summary>
    public required string Unit { get; init; }

    /// <summary>Gets whether the value is expected (estimated without labels) rather than realized.</summary>
    public required bool Estimated { get; init; }

    /// <summary>Gets the number of records.</summary>
    public required long Count { get; init; }

    /// <summary>Gets the total value of the batch (negative for a cost).</summary>
    public required double Total { get; init; }

    /// <summary>Gets the value per record.</summary>
    public double PerRecord => Count == 0 ? double.NaN : Total / Count;

    /// <summary>
    /// Gets the standard error of the total: for an expected value, how much the realized total varies around it when
    /// the outcomes follow the calibrated probabilities; for a realized value, the sampling error of the total of a new
    /// batch of the same size (the standard deviation of the per-record values times √n). NaN when the mapper has none
    /// (a proxy, whose uncertainty lies in its assumption).
    /// </summary>
    public double StandardError { get; init; } = double.NaN;

    /// <summary>Gets the confidence level of <see cref="Lower"/> and <see cref="Upper"/>.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Gets the lower bound of the total's confidence interval (NaN when there is no standard error).</summary>
    public double Lower { get; init; } = double.NaN;

    /// <summary>Gets the upper bound of the total's confidence interval (NaN when there is no standard error).</summary>
    public double Upper { get; init; } = double.NaN;

    /// <summary>Gets the parts the value is made of: cell counts (<c>tp</c>, <c>fp</c>, <c>fn</c>, <c>tn</c>, or <c>actual_i_predicted_j</c>), the metric a proxy mapped, and so on.</summary>
    public IReadOnlyDictionary<string, double> Breakdown { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets how the value was computed, in words (for a proxy, its assumption).</summary>
    public string Explanation { get; init; } = string.Empty;

    /// <summary>Gets whether a total lies within the confidence interval.</summary>
    /// <param name="total">A total, e.g. the realized value of the batch.</param>
    /// <returns>Whether it lies within [<see cref="Lower"/>, <see cref="Upper"/>].</returns>
    public bool IntervalContains(double total) => total >= Lower && total <= Upper;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(Estimated ? "expected" : "realized")} {Mapper}: {Total:G6} {Unit} over {Count} records ({PerRecord:G6} per record){(double.IsNaN(Lower) ? string.Empty : $", {Confidence:P0} interval {Lower:G6} to {Upper:G6}")}");
}
