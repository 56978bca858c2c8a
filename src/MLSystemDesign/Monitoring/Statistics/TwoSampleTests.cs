using MathNet.Numerics;

namespace MLSystemDesign.Monitoring.Statistics;

/// <summary>
/// Two-sample statistics with SciPy's exact definitions (see each method). Numeric inputs are sorted ascending and
/// free of NaN; category inputs are aligned count vectors. Every method is allocation-light and thread-safe.
/// </summary>
internal static class TwoSampleTests
{
    /// <summary>The largest sample size for which <c>ks_2samp(method="auto")</c> computes the exact p-value.</summary>
    public const int KsMaxExactN = 10000;

    /// <summary>
    /// The two-sided two-sample Kolmogorov–Smirnov test, as <c>scipy.stats.ks_2samp(a, b, method="auto")</c>: the exact
    /// distribution when both samples hold at most 10,000 values (the statistic then snapped to a multiple of
    /// 1/lcm(n1, n2), as SciPy does), otherwise <c>kstwo.sf(D, round(n1·n2/(n1+n2)))</c>.
    /// </summary>
    public static (double Statistic, double PValue, bool Exact) KolmogorovSmirnov(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n1 = a.Length, n2 = b.Length;
        if (n1 == 0 || n2 == 0)
        {
            throw new ArgumentException("The Kolmogorov–Smirnov test needs at least one value in each sample.");
        }

        // max and min of cdf1 - cdf2 over every data point (right-continuous CDFs), as SciPy's searchsorted form.
        double maxS = double.NegativeInfinity, minDiff = double.PositiveInfinity;
        int i = 0, j = 0;
        double dn1 = n1, dn2 = n2;
        while (i < n1 || j < n2)
        {
            var x = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
            while (i < n1 && a[i] <= x)
            {
                i++;
            }

            while (j < n2 && b[j] <= x)
            {
                j++;
            }

            var diff = i / dn1 - j / dn2;
            maxS = Math.Max(maxS, diff);
            minDiff = Math.Min(minDiff, diff);
        }

        var minS = Math.Clamp(-minDiff, 0, 1);
        var d = minS > maxS ? minS : maxS;
        var g = Gcd(n1, n2);
        if (Math.Max(n1, n2) <= KsMaxExactN)
        {
            var (success, snapped, p) = ExactKs(n1, n2, g, d);
            d = snapped;
            if (success)
            {
                return (d, p, true);
            }
        }

        double m = Math.Max(n1, n2), n = Math.Min(n1, n2);
        var en = m * n / (m + n);
        var prob = Kolmogorov.TwoSidedSf((long)Math.Round(en, MidpointRounding.ToEven), d);
        return (d, Math.Clamp(prob, 0, 1), false);
    }

    private static (bool Success, double D, double P) ExactKs(int n1, int n2, int g, double d)
    {
        var lcm = (long)(n1 / g) * n2;
        var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        d = h * 1.0 / lcm;
        if (h == 0)
        {
            return (true, d, 1.0);
        }

        var prob = n1 == n2 ? ProbabilityOutsideSquare(n1, h) : OuterProbabilityInsideMethod(n1, n2, g, h);
        return prob is >= 0 and <= 1 ? (true, d, prob) : (false, d, prob);
    }

    /// <summary>Pr(D<sub>n,n</sub> ≥ h/n): SciPy's <c>_compute_prob_outside_square</c> (Horner-like, no cancellation).</summary>
    private static double ProbabilityOutsideSquare(long n, long h)
    {
        var p = 0.0;
        var k = (long)Math.Floor((double)n / h);
        while (k >= 0)
        {
            var p1 = 1.0;
            for (long j = 0; j < h; j++)
            {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }

            p = p1 * (1.0 - p);
            k--;
        }

        return 2 * p;
    }

    /// <summary>
    /// The share of lattice paths that leave the band |x/m − y/n| &lt; h/lcm(m, n): SciPy's
    /// <c>_compute_outer_prob_inside_method</c> (Hodges' inside method with Viehmann's recursion for 1 − p).
    /// </summary>
    private static double OuterProbabilityInsideMethod(long m, long n, long g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }

        var mg = m / g;
        var ng = n / g;
        long minj = 0;
        var maxj = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var curlen = maxj - minj;
        var lenA = (int)Math.Min(2 * maxj + 2, n + 1);
        var a = new double[lenA];
        Array.Fill(a, 1.0);
        Array.Clear(a, 0, (int)Math.Min(maxj, lenA));
        for (long i = 1; i <= m; i++)
        {
            var lastminj = minj;
            var lastlen = curlen;
            minj = Math.Max((long)Math.Floor((double)(ng * i - h) / mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = Math.Min((long)Math.Ceiling((double)(ng * i + h) / mg), n + 1);
            if (maxj <= minj)
            {
                return 1.0;
            }

            var val = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                var jv = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * jv) / (i + jv);
                a[jj] = val;
            }

            curlen = maxj - minj;
            if (lastlen > curlen)
            {
                var from = (int)(maxj - minj);
                var to = (int)Math.Min(maxj - minj + (lastlen - curlen), lenA);
                Array.Fill(a, 1.0, from, Math.Max(0, to - from));
            }
        }

        return a[maxj - minj - 1];
    }

    /// <summary>The first Wasserstein distance between two empirical distributions: <c>scipy.stats.wasserstein_distance(a, b)</c>.</summary>
    public static double Wasserstein(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n1 = a.Length, n2 = b.Length;
        if (n1 == 0 || n2 == 0)
        {
            throw new ArgumentException("The Wasserstein distance needs at least one value in each sample.");
        }

        // Walk the distinct values of the pooled sample; between consecutive ones the CDFs are constant.
        double dn1 = n1, dn2 = n2, sum = 0;
        int i = 0, j = 0;
        var x = Math.Min(a[0], b[0]);
        while (true)
        {
            while (i < n1 && a[i] <= x)
            {
                i++;
            }

            while (j < n2 && b[j] <= x)
            {
                j++;
            }

            if (i == n1 && j == n2)
            {
                return sum;
            }

            var next = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
            sum += Math.Abs(i / dn1 - j / dn2) * (next - x);
            x = next;
        }
    }

    /// <summary>The population standard deviation (ddof = 0), as <c>numpy.std</c>.</summary>
    public static double PopulationStandardDeviation(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        var ss = 0.0;
        foreach (var v in values)
        {
            ss += (v - mean) * (v - mean);
        }

        return Math.Sqrt(ss / values.Length);
    }

    /// <summary>
    /// The two-sample Cramér–von Mises test: <c>scipy.stats.cramervonmises_2samp(a, b, method="auto")</c>, exact when
    /// both samples hold at most 20 values, otherwise the normalized statistic against the limiting distribution.
    /// </summary>
    public static (double Statistic, double PValue, bool Exact) CramerVonMises(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int nx = x.Length, ny = y.Length;
        if (nx <= 1 || ny <= 1)
        {
            throw new ArgumentException("The Cramér–von Mises test needs at least two values in each sample.");
        }

        // U = nx Σ (r_i − i)² + ny Σ (s_j − j)² with mid-ranks in the pooled sample; 4U is an integer.
        Int128 fourUx = 0, fourUy = 0;
        int i = 0, j = 0, position = 0;
        while (i < nx || j < ny)
        {
            var v = i < nx && (j >= ny || x[i] <= y[j]) ? x[i] : y[j];
            int i0 = i, j0 = j;
            while (i < nx && x[i] == v)
            {
                i++;
            }

            while (j < ny && y[j] == v)
            {
                j++;
            }

            var groupSize = (i - i0) + (j - j0);
            long twiceMidRank = 2L * position + groupSize + 1; // (first + last) rank, 1-based
            for (var k = i0; k < i; k++)
            {
                Int128 diff = twiceMidRank - 2L * (k + 1);
                fourUx += diff * diff;
            }

            for (var k = j0; k < j; k++)
            {
                Int128 diff = twiceMidRank - 2L * (k + 1);
                fourUy += diff * diff;
            }

            position += groupSize;
        }

        var fourU = nx * fourUx + ny * fourUy;
        var u = (double)fourU / 4.0;
        long k2 = (long)nx * ny, bigN = nx + ny;
        var t = u / ((double)k2 * bigN) - (4.0 * k2 - 1) / (6.0 * bigN);
        if (Math.Max(nx, ny) <= 20)
        {
            return (t, CramerVonMisesExactPValue(fourU, nx, ny), true);
        }

        var et = (1 + 1.0 / bigN) / 6;
        Int128 vtNumerator = (Int128)(bigN + 1) * ((Int128)4 * k2 * bigN - 3 * ((Int128)nx * nx + (Int128)ny * ny) - 2 * (Int128)k2);
        Int128 vtDenominator = (Int128)45 * bigN * bigN * 4 * k2;
        var vt = (double)vtNumerator / (double)vtDenominator;
        var tn = 1.0 / 6 + (t - et) / Math.Sqrt(45 * vt);
        var p = tn < 0.003 ? 1.0 : Math.Max(0, 1.0 - CramerVonMisesLimitCdf(tn));
        return (t, p, false);
    }

    /// <summary>SciPy's <c>_pval_cvm_2samp_exact</c>: the frequency table of the statistic over all lattice paths.</summary>
    private static double CramerVonMisesExactPValue(Int128 fourU, int m, int n)
    {
        long lcm = (long)m / Gcd(m, n) * n;
        long a = lcm / m, b = lcm / n;
        long mn = (long)m * n;

        // zeta = lcm² (m + n) (6 s − mn (4 mn − 1)) // (6 mn²), with s = U = fourU / 4, floored like Python's //.
        // Scaled by 4 to stay in integers: 6 s = 6 fourU / 4 → numerator·4 = lcm²(m+n)(6·fourU − 4 mn(4mn−1)).
        Int128 numerator = (Int128)lcm * lcm * (m + n) * (6 * fourU - 4 * (Int128)mn * (4 * mn - 1));
        Int128 denominator = 4 * 6 * (Int128)mn * mn;
        var zeta = FloorDivide(numerator, denominator);

        var gs = new Dictionary<long, long>[m + 1];
        gs[0] = new Dictionary<long, long> { [0] = 1 };
        for (var v = 1; v <= m; v++)
        {
            gs[v] = [];
        }

        for (var u = 0; u <= n; u++)
        {
            var next = new Dictionary<long, long>[m + 1];
            Dictionary<long, long> tmp = [];
            for (var v = 0; v <= m; v++)
            {
                var merged = new Dictionary<long, long>(tmp.Count + gs[v].Count);
                var step = (a * v - b * u) * (a * v - b * u);
                foreach (var (value, freq) in tmp)
                {
                    merged[value + step] = freq;
                }

                foreach (var (value, freq) in gs[v])
                {
                    merged[value + step] = merged.GetValueOrDefault(value + step) + freq;
                }

                tmp = merged;
                next[v] = tmp;
            }

            gs = next;
        }

        double total = 0;
        foreach (var (value, freq) in gs[m])
        {
            if (value >= zeta)
            {
                total += freq;
            }
        }

        return total / SpecialFunctions.Binomial(m + n, m);
    }

    private static Int128 FloorDivide(Int128 a, Int128 b)
    {
        var q = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q;
    }

    /// <summary>SciPy's <c>_cdf_cvm_inf</c>: the limiting distribution, its series summed until a term falls below 1e-7.</summary>
    private static double CramerVonMisesLimitCdf(double x)
    {
        var total = 0.0;
        var pi15 = Math.Pow(Math.PI, 1.5);
        for (var k = 0; ; k++)
        {
            var u = Math.Exp(SpecialFunctions.GammaLn(k + 0.5) - SpecialFunctions.GammaLn(k + 1)) / (pi15 * Math.Sqrt(x));
            double y = 4 * k + 1;
            var q = y * y / (16 * x);
            // kv(1/4, q)·e^(−q) = kve(1/4, q)·e^(−2q)
            var term = u * Math.Sqrt(y) * Math.Exp(-2 * q) * BesselKScaled(0.25, q);
            total += term;
            if (!(Math.Abs(term) >= 1e-7))
            {
                return total;
            }
        }
    }

    /// <summary>
    /// e<sup>z</sup>·K<sub>ν</sub>(z) for z &gt; 0: the integral ∫₀^∞ e^(−z(cosh t − 1)) cosh(νt) dt by the trapezoidal
    /// rule, which converges geometrically fast for this doubly-exponentially decaying analytic integrand.
    /// </summary>
    internal static double BesselKScaled(double nu, double z)
    {
        const double step = 0.03125;
        var sum = 0.5; // the t = 0 term, halved
        for (var k = 1; ; k++)
        {
            var t = k * step;
            var f = Math.Exp(-z * (Math.Cosh(t) - 1)) * Math.Cosh(nu * t);
            sum += f;
            if (f < 1e-18 * sum)
            {
                return sum * step;
            }
        }
    }

    /// <summary>
    /// The chi-squared test of homogeneity on the 2 × k table (reference row, current row):
    /// <c>scipy.stats.chi2_contingency(table, correction=False)</c>. Categories empty in both rows must be left out.
    /// </summary>
    public static (double Statistic, double PValue, int DegreesOfFreedom) ChiSquared(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        var k = reference.Length;
        if (k != current.Length)
        {
            throw new ArgumentException("The two rows of the contingency table differ in length.");
        }

        double r0 = 0, r1 = 0;
        for (var c = 0; c < k; c++)
        {
            r0 += reference[c];
            r1 += current[c];
        }

        if (r0 == 0 || r1 == 0)
        {
            throw new ArgumentException("The chi-squared test needs at least one value in each sample.");
        }

        var dof = k - 1;
        if (dof == 0)
        {
            return (0.0, 1.0, 0);
        }

        var total = r0 + r1;
        var statistic = 0.0;
        for (var c = 0; c < k; c++)
        {
            var column = reference[c] + current[c];
            var e0 = r0 * column / total;
            var e1 = r1 * column / total;
            statistic += (reference[c] - e0) * (reference[c] - e0) / e0;
            statistic += (current[c] - e1) * (current[c] - e1) / e1;
        }

        return (statistic, ChiSquaredSf(statistic, dof), dof);
    }

    /// <summary>The chi-squared survival function, <c>scipy.stats.chi2.sf</c>: Q(dof/2, x/2).</summary>
    public static double ChiSquaredSf(double x, int dof) => x <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(dof / 2.0, x / 2.0);

    /// <summary>The standard normal survival function, <c>scipy.stats.norm.sf</c>.</summary>
    public static double NormalSf(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2));

    /// <summary>
    /// The two-proportion Z-test for independent samples (Evidently's <c>z</c> test): z = (p₁ − p₂)/√(P(1−P)(1/n₁+1/n₂))
    /// with the pooled share P, and the two-sided p-value 2·Φ(−|z|). Identical single-valued samples give z = 0, p = 1.
    /// </summary>
    public static (double Statistic, double PValue) ZTest(long successesReference, long reference, long successesCurrent, long current)
    {
        if (reference == 0 || current == 0)
        {
            throw new ArgumentException("The Z-test needs at least one value in each sample.");
        }

        var p1 = (double)successesReference / reference;
        var p2 = (double)successesCurrent / current;
        var pooled = (p1 * reference + p2 * current) / (reference + current);
        var variance = pooled * (1 - pooled) * (1.0 / reference + 1.0 / current);
        if (variance == 0)
        {
            return (0.0, 1.0);
        }

        var z = (p1 - p2) / Math.Sqrt(variance);
        return (z, 2 * NormalSf(Math.Abs(z)));
    }

    /// <summary>The Jensen–Shannon distance between two frequency vectors: <c>scipy.spatial.distance.jensenshannon(p, q, base)</c>.</summary>
    public static double JensenShannon(ReadOnlySpan<double> p, ReadOnlySpan<double> q, double? logBase = null)
    {
        double sp = Sum(p), sq = Sum(q);
        double left = 0, right = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var pi = p[i] / sp;
            var qi = q[i] / sq;
            var m = (pi + qi) / 2.0;
            left += RelativeEntropy(pi, m);
            right += RelativeEntropy(qi, m);
        }

        var js = left + right;
        if (logBase is { } b)
        {
            js /= Math.Log(b);
        }

        return Math.Sqrt(js / 2.0);
    }

    private static double RelativeEntropy(double x, double y) => x > 0 && y > 0 ? x * Math.Log(x / y) : x == 0 && y >= 0 ? 0 : double.PositiveInfinity;

    /// <summary>The Population Stability Index Σ (r − c)·ln(r/c) over shares, an empty bin's share replaced by 0.0001.</summary>
    public static double PopulationStabilityIndex(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        double sr = Sum(reference), sc = Sum(current), psi = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            var r = reference[i] / sr;
            var c = current[i] / sc;
            r = r == 0 ? 0.0001 : r;
            c = c == 0 ? 0.0001 : c;
            psi += (r - c) * Math.Log(r / c);
        }

        return psi;
    }

    /// <summary>The Hellinger distance √(Σ(√r − √c)²)/√2 between two frequency vectors, in [0, 1].</summary>
    public static double Hellinger(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        double sr = Sum(reference), sc = Sum(current), sum = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            var d = Math.Sqrt(reference[i] / sr) - Math.Sqrt(current[i] / sc);
            sum += d * d;
        }

        return Math.Sqrt(sum) / Math.Sqrt(2);
    }

    /// <summary>numpy's default (<c>linear</c>) quantile of sorted values.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        var n = sorted.Length;
        var virtualIndex = (n - 1) * q;
        if (virtualIndex >= n - 1)
        {
            return sorted[n - 1];
        }

        if (virtualIndex < 0)
        {
            return sorted[0];
        }

        var previous = Math.Floor(virtualIndex);
        var gamma = virtualIndex - previous;
        var a = sorted[(int)previous];
        var b = sorted[(int)previous + 1];
        var diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        var s = 0.0;
        foreach (var v in values)
        {
            s += v;
        }

        return s;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
