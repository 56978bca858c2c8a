namespace MLSystemDesign.Monitoring.Performance;

/// <summary>
/// Isotonic calibration of scores against 0/1 labels (pool-adjacent-violators), applied by linear interpolation between
/// the fitted points and clipped outside them: what scikit-learn's <c>IsotonicRegression(out_of_bounds="clip")</c>
/// does and what NannyML's CBPE calibrates with.
/// </summary>
internal sealed class IsotonicCalibration
{
    private readonly double[] _x;
    private readonly double[] _y;

    public IsotonicCalibration(double[] x, double[] y)
    {
        if (x.Length != y.Length || x.Length == 0)
        {
            throw new ArgumentException("A calibration needs as many fitted scores as fitted probabilities, and at least one.");
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !(y[i] >= 0 && y[i] <= 1) || (i > 0 && (x[i] <= x[i - 1] || y[i] < y[i - 1])))
            {
                throw new ArgumentException($"Calibration point {i} breaks the order: scores must increase strictly, probabilities must not decrease and lie in [0, 1].");
            }
        }

        _x = x;
        _y = y;
    }

    public IReadOnlyList<double> Scores => _x;

    public IReadOnlyList<double> Probabilities => _y;

    public static IsotonicCalibration Fit(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        if (scores.Length != labels.Length || scores.IsEmpty)
        {
            throw new ArgumentException("Calibration needs one label per score, and at least one score.");
        }

        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);

        // Blocks of equal scores first (their mean label), then pool adjacent violators.
        var xs = new List<double>();
        var sums = new List<double>();
        var weights = new List<double>();
        for (var i = 0; i < keys.Length;)
        {
            var j = i;
            double sum = 0;
            while (j < keys.Length && keys[j] == keys[i])
            {
                sum += labels[order[j]];
                j++;
            }

            xs.Add(keys[i]);
            sums.Add(sum);
            weights.Add(j - i);
            i = j;
        }

        var blockStart = new List<int>();
        var blockSum = new List<double>();
        var blockWeight = new List<double>();
        for (var i = 0; i < xs.Count; i++)
        {
            blockStart.Add(i);
            blockSum.Add(sums[i]);
            blockWeight.Add(weights[i]);
            while (blockSum.Count > 1 && blockSum[^2] / blockWeight[^2] >= blockSum[^1] / blockWeight[^1])
            {
                blockSum[^2] += blockSum[^1];
                blockWeight[^2] += blockWeight[^1];
                blockSum.RemoveAt(blockSum.Count - 1);
                blockWeight.RemoveAt(blockWeight.Count - 1);
                blockStart.RemoveAt(blockStart.Count - 1);
            }
        }

        // Each block contributes its first and last score at the block's mean (the step function's corners).
        var fx = new List<double>();
        var fy = new List<double>();
        for (var b = 0; b < blockStart.Count; b++)
        {
            var first = blockStart[b];
            var last = b + 1 < blockStart.Count ? blockStart[b + 1] - 1 : xs.Count - 1;
            var mean = blockSum[b] / blockWeight[b];
            fx.Add(xs[first]);
            fy.Add(mean);
            if (last != first)
            {
                fx.Add(xs[last]);
                fy.Add(mean);
            }
        }

        return new IsotonicCalibration([.. fx], [.. fy]);
    }

    public double Apply(double score)
    {
        if (score <= _x[0])
        {
            return _y[0];
        }

        if (score >= _x[^1])
        {
            return _y[^1];
        }

        var i = Array.BinarySearch(_x, score);
        if (i >= 0)
        {
            return _y[i];
        }

        var upper = ~i;
        var lower = upper - 1;
        var t = (score - _x[lower]) / (_x[upper] - _x[lower]);
        return _y[lower] + t * (_y[upper] - _y[lower]);
    }
}
