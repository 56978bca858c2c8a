using System.Globalization;
using System.Numerics;

namespace MLSystemDesign.Experiments.Internal;

/// <summary>
/// SciPy's <c>mannwhitneyu</c> (scipy/stats/_mannwhitneyu.py, 1.10): average ranks, U₁ = R₁ − n₁(n₁+1)/2, the exact
/// null distribution or the tie-corrected normal approximation. The exact distribution's counts are the coefficients
/// of the Gaussian binomial [m+n choose m]_q, built exactly in 128-bit integers (or big integers when they overflow)
/// and only up to the degree the p-value needs.
/// </summary>
internal static class MannWhitney
{
    /// <summary>Above this many cells (m·n) the exact distribution is not built; the asymptotic p-value is used and said so.</summary>
    private const long MaxExactCells = 20_000_000;

    public static StatisticalTestResult Test(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Alternative alternative, MannWhitneyMethod method, bool continuity)
    {
        Check(x, "treatment");
        Check(y, "control");
        int n1 = x.Length, n2 = y.Length, n = n1 + n2;
        var values = new double[n];
        var fromX = new bool[n];
        x.CopyTo(values);
        y.CopyTo(values.AsSpan(n1));
        fromX.AsSpan(0, n1).Fill(true);
        Array.Sort(values, fromX);

        double r1 = 0, tieTerm = 0;
        var ties = false;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && values[end + 1] == values[start])
            {
                end++;
            }

            var rank = (start + end + 2) / 2.0;
            for (var k = start; k <= end; k++)
            {
                if (fromX[k])
                {
                    r1 += rank;
                }
            }

            double t = end - start + 1;
            if (t > 1)
            {
                ties = true;
                tieTerm += t * t * t - t;
            }

            start = end + 1;
        }

        var u1 = r1 - n1 * (n1 + 1.0) / 2;
        var u2 = (double)n1 * n2 - u1;
        var (u, factor) = alternative switch
        {
            Alternative.Larger => (u1, 1),
            Alternative.Smaller => (u2, 1),
            _ => (Math.Max(u1, u2), 2),
        };

        var exact = method switch
        {
            MannWhitneyMethod.Exact => true,
            MannWhitneyMethod.Asymptotic => false,
            _ => !(n1 > 8 && n2 > 8) && !ties,
        };
        var note = string.Empty;
        if (exact && (long)n1 * n2 > MaxExactCells)
        {
            exact = false;
            note = string.Create(CultureInfo.InvariantCulture, $"; the exact distribution over {(long)n1 * n2:N0} cells is too large, so the normal approximation was used");
        }

        double p;
        if (exact)
        {
            p = ExactSf((long)u, n1, n2);
        }
        else
        {
            var mu = (double)n1 * n2 / 2;
            var s = Math.Sqrt((double)n1 * n2 / 12 * ((n + 1) - tieTerm / ((double)n * (n - 1))));
            var numerator = u - mu;
            if (continuity)
            {
                numerator -= 0.5;
            }

            p = Distributions.NormalSf(numerator / s);
        }

        p = Math.Clamp(p * factor, 0, 1);
        return new StatisticalTestResult
        {
            Test = ExperimentTestNames.MannWhitney,
            Statistic = u1,
            PValue = double.IsNaN(p) ? double.NaN : p,
            Effect = u1 / ((double)n1 * n2),
            Alternative = alternative,
            Explanation = string.Create(CultureInfo.InvariantCulture, $"Mann–Whitney U of the treatment {u1:G10} over {n1} × {n2} values, {(exact ? "exact null distribution" : $"normal approximation{(ties ? " with the tie correction" : string.Empty)}{(continuity ? " and the continuity correction" : string.Empty)}")} (SciPy mannwhitneyu){note}"),
        };
    }

    /// <summary>P(U ≥ u) under the null: the count of arrangements with U ≤ m·n − u over C(m+n, m) (SciPy's <c>_MWU.sf</c>).</summary>
    internal static double ExactSf(long u, int m, int n)
    {
        var k = (long)m * n - u;
        if (k < 0)
        {
            return 0;
        }

        var small = Math.Min(m, n);
        var large = Math.Max(m, n);
        var degree = (int)Math.Min(k, (long)small * large);
        try
        {
            return TailOverTotal<Int128>(small, large, degree, k);
        }
        catch (OverflowException)
        {
            return TailOverTotal<BigInteger>(small, large, degree, k);
        }
    }

    /// <summary>Σ_{j ≤ k} c_j / C(m+n, m), with c_j the coefficients of ∏ᵢ (1 − q^(n+i)) / (1 − q^i), i = 1..m, kept up to <paramref name="degree"/>.</summary>
    private static double TailOverTotal<T>(int m, int n, int degree, long k)
        where T : IBinaryInteger<T>
    {
        var c = new T[degree + 1];
        c[0] = T.One;
        for (var i = 1; i <= m; i++)
        {
            var a = n + i;
            for (var j = degree; j >= a; j--)
            {
                c[j] = checked(c[j] - c[j - a]);
            }

            for (var j = i; j <= degree; j++)
            {
                c[j] = checked(c[j] + c[j - i]);
            }
        }

        var tail = T.Zero;
        for (var j = 0; j <= degree && j <= k; j++)
        {
            tail = checked(tail + c[j]);
        }

        var total = T.One;
        for (var i = 1; i <= m; i++)
        {
            total = checked(total * T.CreateChecked(n + i)) / T.CreateChecked(i);
        }

        return double.CreateChecked(tail) / double.CreateChecked(total);
    }

    private static void Check(ReadOnlySpan<double> values, string arm)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException($"The {arm} arm is empty; the Mann–Whitney U test needs at least one value in each arm.", arm);
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                throw new ArgumentException($"Value {i} of the {arm} arm is NaN.", arm);
            }
        }
    }
}
