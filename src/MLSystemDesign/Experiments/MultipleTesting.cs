namespace MLSystemDesign.Experiments;

/// <summary>Corrections for testing several metrics (or arms) at once.</summary>
public static class MultipleTesting
{
    /// <summary>
    /// Benjamini–Hochberg adjusted p-values (controls the false discovery rate): the k-th smallest p-value times m/k,
    /// made monotone from the largest down and capped at 1 (statsmodels' <c>multipletests(method="fdr_bh")</c>).
    /// </summary>
    /// <param name="pValues">The p-values, in any order; each in [0, 1].</param>
    /// <returns>The adjusted p-values, in the same order.</returns>
    /// <exception cref="ArgumentException">A p-value is NaN or outside [0, 1].</exception>
    public static double[] BenjaminiHochberg(ReadOnlySpan<double> pValues)
    {
        var m = pValues.Length;
        var adjusted = new double[m];
        if (m == 0)
        {
            return adjusted;
        }

        var order = new int[m];
        var sorted = new double[m];
        for (var i = 0; i < m; i++)
        {
            order[i] = i;
            sorted[i] = CheckP(pValues[i], i);
        }

        Array.Sort(sorted, order);
        var running = double.PositiveInfinity;
        for (var rank = m; rank >= 1; rank--)
        {
            running = Math.Min(running, sorted[rank - 1] / ((double)rank / m));
            adjusted[order[rank - 1]] = Math.Min(1, running);
        }

        return adjusted;
    }

    /// <summary>Which hypotheses Benjamini–Hochberg rejects at a false discovery rate: the largest k with p₍k₎ ≤ k·q/m, and every smaller p-value.</summary>
    /// <param name="pValues">The p-values.</param>
    /// <param name="falseDiscoveryRate">The rate q. Default 0.05.</param>
    /// <returns>Whether each hypothesis is rejected, in the input order.</returns>
    public static bool[] BenjaminiHochbergRejections(ReadOnlySpan<double> pValues, double falseDiscoveryRate = 0.05)
    {
        if (!(falseDiscoveryRate > 0 && falseDiscoveryRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falseDiscoveryRate), falseDiscoveryRate, "The false discovery rate lies in (0, 1).");
        }

        var m = pValues.Length;
        var sorted = new double[m];
        var order = new int[m];
        for (var i = 0; i < m; i++)
        {
            sorted[i] = CheckP(pValues[i], i);
            order[i] = i;
        }

        Array.Sort(sorted, order);
        var last = -1;
        for (var k = 0; k < m; k++)
        {
            if (sorted[k] <= (k + 1.0) / m * falseDiscoveryRate)
            {
                last = k;
            }
        }

        var reject = new bool[m];
        for (var k = 0; k <= last; k++)
        {
            reject[order[k]] = true;
        }

        return reject;
    }

    private static double CheckP(double p, int index) =>
        p >= 0 && p <= 1 ? p : throw new ArgumentException($"p-value {index} is {p}; a p-value lies in [0, 1].", nameof(p));
}
