using MLSystemDesign.Evaluation;
using MLSystemDesign.Monitoring.Performance;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// What a binary classifier's performance looked like on labelled reference data: the isotonic calibration of its
/// probabilities (for CBPE) and, per metric, the band its per-chunk values stayed in (mean ± 3σ). Stored in the
/// <see cref="ReferenceProfile"/> so that live windows can be estimated and checked for decay.
/// </summary>
public sealed class PerformanceReference
{
    /// <summary>The metrics CBPE estimates and the bands cover.</summary>
    public static IReadOnlyList<string> Metrics { get; } = [MetricNames.Accuracy, MetricNames.Precision, MetricNames.Recall, MetricNames.F1, MetricNames.Auc];

    internal PerformanceReference(double threshold, int chunkSize, IReadOnlyDictionary<string, ReferenceBand> bands, IsotonicCalibration? calibration, double prevalenceDrift = 0)
    {
        Threshold = threshold;
        ChunkSize = chunkSize;
        Bands = bands;
        Calibration = calibration;
        PrevalenceDrift = prevalenceDrift;
    }

    /// <summary>Gets the decision threshold: predicted positive when the probability reaches it.</summary>
    public double Threshold { get; }

    /// <summary>Gets the number of rows per reference chunk the bands were computed over.</summary>
    public int ChunkSize { get; }

    /// <summary>Gets the band of each metric.</summary>
    public IReadOnlyDictionary<string, ReferenceBand> Bands { get; }

    /// <summary>
    /// Gets how far the positive rate wandered between reference chunks beyond what label noise explains: the standard
    /// deviation of each chunk's mean residual (label − calibrated probability) after its binomial variance is taken out.
    /// CBPE cannot see such a shift (the features do not carry it: weather, a holiday); an expected business value adds
    /// it to its interval. 0 when the chunks vary no more than label noise (or for profiles written before it existed).
    /// </summary>
    public double PrevalenceDrift { get; }

    /// <summary>Gets whether probabilities are calibrated before estimation.</summary>
    public bool IsCalibrated => Calibration is not null;

    internal IsotonicCalibration? Calibration { get; }

    /// <summary>Learns the calibration and the bands from labelled reference predictions.</summary>
    /// <param name="probabilities">The model's probabilities of the positive class.</param>
    /// <param name="labels">The labels (0 or 1).</param>
    /// <param name="chunkSize">Rows per chunk; there must be at least two whole chunks. Default 5,000.</param>
    /// <param name="threshold">The decision threshold. Default 0.5.</param>
    /// <param name="calibrate">Whether to fit an isotonic calibration (NannyML does). Default <see langword="true"/>.</param>
    /// <param name="bandMultiplier">k in mean ± k·σ. Default 3.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, a label is not 0/1, a probability is outside [0, 1], or there are fewer than two chunks.</exception>
    public static PerformanceReference Create(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, int chunkSize = 5000, double threshold = 0.5, bool calibrate = true, double bandMultiplier = 3)
    {
        if (probabilities.Length != labels.Length)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities but {labels.Length} labels.", nameof(labels));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 10);
        var chunks = probabilities.Length / chunkSize;
        if (chunks < 2)
        {
            throw new ArgumentException($"A performance reference needs at least two chunks of {chunkSize} rows; got {probabilities.Length} rows.", nameof(probabilities));
        }

        var calibration = calibrate ? IsotonicCalibration.Fit(probabilities, labels) : null;
        var values = Metrics.ToDictionary(m => m, _ => new List<double>());
        for (var c = 0; c < chunks; c++)
        {
            var realized = MetricCalculator.Binary(labels.Slice(c * chunkSize, chunkSize), probabilities.Slice(c * chunkSize, chunkSize), threshold);
            foreach (var m in Metrics)
            {
                values[m].Add(realized[m]);
            }
        }

        var bands = values.ToDictionary(kv => kv.Key, kv => ReferenceBand.FromChunks(kv.Value, bandMultiplier));
        return new PerformanceReference(threshold, chunkSize, bands, calibration, PrevalenceDriftOf(probabilities, labels, chunkSize, chunks, calibration));
    }

    /// <summary>Maps a model probability to its calibrated probability (unchanged when not calibrated).</summary>
    /// <param name="probability">The model's probability.</param>
    /// <returns>The calibrated probability.</returns>
    public double Calibrate(double probability) => Calibration?.Apply(probability) ?? probability;

    /// <summary>Estimates the metrics of a chunk from the model's probabilities alone (CBPE after calibration).</summary>
    /// <param name="probabilities">The model's probabilities of the positive class.</param>
    /// <returns>The estimated metrics.</returns>
    public IReadOnlyDictionary<string, double> Estimate(ReadOnlySpan<float> probabilities)
    {
        var calibrated = new double[probabilities.Length];
        var scores = new double[probabilities.Length];
        for (var i = 0; i < calibrated.Length; i++)
        {
            scores[i] = probabilities[i];
            calibrated[i] = Calibrate(probabilities[i]);
        }

        return ConfidenceBasedPerformance.Estimate(calibrated, scores, Threshold);
    }

    /// <summary>Names the metrics whose value lies outside their reference band.</summary>
    /// <param name="metrics">Metric values (estimated or realized).</param>
    /// <returns>The metrics outside their band, in <see cref="Metrics"/> order.</returns>
    public IReadOnlyList<string> OutsideBands(IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Metrics.Where(m => metrics.TryGetValue(m, out var v) && Bands.TryGetValue(m, out var band) && double.IsFinite(v) && !band.Contains(v)).ToArray();
    }

    /// <summary>√max(0, var_c(r_c) − mean_c(Σ p̂(1 − p̂)/m²)) with r_c = mean(y − p̂) over chunk c of m rows.</summary>
    private static double PrevalenceDriftOf(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, int chunkSize, int chunks, IsotonicCalibration? calibration)
    {
        var residuals = new double[chunks];
        double noise = 0;
        for (var c = 0; c < chunks; c++)
        {
            double r = 0, v = 0;
            for (var i = c * chunkSize; i < (c + 1) * chunkSize; i++)
            {
                var p = calibration?.Apply(probabilities[i]) ?? probabilities[i];
                r += labels[i] - p;
                v += p * (1 - p);
            }

            residuals[c] = r / chunkSize;
            noise += v / ((double)chunkSize * chunkSize);
        }

        var mean = residuals.Average();
        var variance = residuals.Sum(r => (r - mean) * (r - mean)) / (chunks - 1);
        return Math.Sqrt(Math.Max(0, variance - noise / chunks));
    }
}
