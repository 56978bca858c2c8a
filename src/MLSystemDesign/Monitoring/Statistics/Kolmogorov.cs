using System.Diagnostics;

namespace MLSystemDesign.Monitoring.Statistics;

/// <summary>
/// The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D<sub>n</sub> for finite n, and the
/// one-sided Smirnov distribution it uses: the same case analysis and algorithms as SciPy's <c>kstwo</c>
/// (<c>scipy/stats/_ksstats.py</c>: Ruben–Gambino, Durbin matrix after Marsaglia–Tsang–Wang, Pomeranz, Pelz–Good)
/// and cephes' <c>smirnov</c>. General-purpose libraries do not carry this distribution (see ADR 0401).
/// </summary>
internal static class Kolmogorov
{
    private const int E128 = 128;
    private const double MinLog = -708;
    private const double CephesMinLog = -7.451332191019412076235E2;
    private const int SmirnovMaxComputeN = 1_000_000;
    private const double MachineEpsilon = 2.220446049250313e-16;
    private static readonly double EP128 = Math.ScaleB(1.0, E128);
    private static readonly double EM128 = Math.ScaleB(1.0, -E128);
    private static readonly double Sqrt2Pi = Math.Sqrt(2 * Math.PI);
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
    private static readonly double Sqrt3 = Math.Sqrt(3);
    private static readonly double PiSquared = Math.PI * Math.PI;
    private static readonly double PiFour = Math.Pow(Math.PI, 4);
    private static readonly double PiSix = Math.Pow(Math.PI, 6);

    private static readonly double[] StirlingCoefficients =
    [
        -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
        -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
    ];

    /// <summary>P(D<sub>n</sub> ≥ x): SciPy's <c>kstwo.sf(x, n)</c>.</summary>
    /// <param name="n">The sample size, positive.</param>
    /// <param name="x">The statistic.</param>
    /// <returns>The survival probability.</returns>
    public static double TwoSidedSf(long n, double x) => Kolmogn(n, x, cdf: false);

    /// <summary>P(D<sub>n</sub> ≤ x): SciPy's <c>kstwo.cdf(x, n)</c>.</summary>
    /// <param name="n">The sample size, positive.</param>
    /// <param name="x">The statistic.</param>
    /// <returns>The cumulative probability.</returns>
    public static double TwoSidedCdf(long n, double x) => Kolmogn(n, x, cdf: true);

    private static double Select(double cdfProbability, double sfProbability, bool cdf) =>
        Math.Clamp(cdf ? cdfProbability : sfProbability, 0.0, 1.0);

    private static double Kolmogn(long n, double x, bool cdf)
    {
        if (n <= 0 || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x >= 1.0)
        {
            return Select(1.0, 0.0, cdf);
        }

        if (x <= 0.0)
        {
            return Select(0.0, 1.0, cdf);
        }

        var t = n * x;
        if (t <= 1.0)
        {
            // Ruben–Gambino: 1/2n <= x <= 1/n.
            if (t <= 0.5)
            {
                return Select(0.0, 1.0, cdf);
            }

            double prob;
            if (n <= 140)
            {
                prob = 1.0;
                var factor = 1.0 / n;
                for (var i = 1; i <= n; i++)
                {
                    prob *= i * factor * (2 * t - 1);
                }
            }
            else
            {
                prob = Math.Exp(LogNFactorialDivNPowN(n) + n * Math.Log(2 * t - 1));
            }

            return Select(prob, 1.0 - prob, cdf);
        }

        if (t >= n - 1)
        {
            // Ruben–Gambino: 1 - 1/n <= x < 1.
            var prob = 2 * Math.Pow(1.0 - x, n);
            return Select(1 - prob, prob, cdf);
        }

        if (x >= 0.5)
        {
            var prob = 2 * SmirnovSf(n, x);
            return Select(1.0 - prob, prob, cdf);
        }

        var nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693)
            {
                var prob = DurbinMatrixCdf((int)n, x);
                return Select(prob, 1.0 - prob, cdf);
            }

            if (nxSquared <= 4)
            {
                var prob = PomeranzCdf((int)n, x);
                return Select(prob, 1.0 - prob, cdf);
            }

            var sf = 2 * SmirnovSf(n, x);
            return Select(1.0 - sf, sf, cdf);
        }

        if (!cdf)
        {
            if (nxSquared >= 370.0)
            {
                return 0.0;
            }

            if (nxSquared >= 2.2)
            {
                return Math.Clamp(2 * SmirnovSf(n, x), 0.0, 1.0);
            }
        }

        double cdfProbability;
        if (nxSquared >= 18.0)
        {
            cdfProbability = 1.0;
        }
        else if (n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4)
        {
            cdfProbability = DurbinMatrixCdf((int)n, x);
        }
        else
        {
            cdfProbability = PelzGoodCdf(n, x);
        }

        return Select(cdfProbability, 1.0 - cdfProbability, cdf);
    }

    private static double LogNFactorialDivNPowN(long n)
    {
        var rn = 1.0 / n;
        var z = rn / n;
        var poly = 0.0;
        foreach (var c in StirlingCoefficients)
        {
            poly = poly * z + c;
        }

        return Math.Log(n) / 2 - n + Log2Pi / 2 + rn * poly;
    }

    /// <summary>Durbin's matrix algorithm as improved by Marsaglia, Tsang and Wang: the CDF.</summary>
    private static double DurbinMatrixCdf(int n, double d)
    {
        if (d >= 1.0)
        {
            return 1.0;
        }

        var nd = n * d;
        if (nd <= 0.5)
        {
            return 0.0;
        }

        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = 2 * k - 1;
        var v = new double[m];
        var w = new double[m];
        var fac = 1.0;
        for (var j = 1; j <= m; j++)
        {
            v[j - 1] = 1.0 - Math.Pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }

        var tt = Math.Pow(Math.Max(2 * h - 1.0, 0), m) - 2 * Math.Pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;

        var hm = new double[m * m];
        for (var i = 1; i < m; i++)
        {
            for (var row = i - 1; row < m; row++)
            {
                hm[row * m + i] = w[row - (i - 1)];
            }
        }

        for (var row = 0; row < m; row++)
        {
            hm[row * m] = v[row];
        }

        for (var col = 0; col < m; col++)
        {
            hm[(m - 1) * m + col] = v[m - 1 - col];
        }

        var power = new double[m * m];
        for (var i = 0; i < m; i++)
        {
            power[i * m + i] = 1.0;
        }

        var scratch = new double[m * m];
        var nn = n;
        var exponent = 0;
        var hExponent = 0;
        while (nn > 0)
        {
            if (nn % 2 == 1)
            {
                MatMul(power, hm, scratch, m);
                (power, scratch) = (scratch, power);
                exponent += hExponent;
            }

            MatMul(hm, hm, scratch, m);
            (hm, scratch) = (scratch, hm);
            hExponent *= 2;
            if (Math.Abs(hm[(k - 1) * m + k - 1]) > EP128)
            {
                for (var i = 0; i < hm.Length; i++)
                {
                    hm[i] /= EP128;
                }

                hExponent += E128;
            }

            nn /= 2;
        }

        var p = power[(k - 1) * m + k - 1];
        for (var i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < EM128)
            {
                p *= EP128;
                exponent -= E128;
            }
        }

        if (exponent != 0)
        {
            p = Math.ScaleB(p, exponent);
        }

        return Math.Clamp(p, 0.0, 1.0);
    }

    private static void MatMul(double[] a, double[] b, double[] result, int m)
    {
        Array.Clear(result);
        for (var i = 0; i < m; i++)
        {
            for (var k = 0; k < m; k++)
            {
                var aik = a[i * m + k];
                if (aik == 0)
                {
                    continue;
                }

                for (var j = 0; j < m; j++)
                {
                    result[i * m + j] += aik * b[k * m + j];
                }
            }
        }
    }

    private static (int J1, int J2) PomeranzJ1J2(int i, int n, int ll, int ceilf, int roundf)
    {
        int j1, j2;
        if (i == 0)
        {
            (j1, j2) = (-ll - ceilf - 1, ll + ceilf - 1);
        }
        else
        {
            var ip1div2 = (i + 1) / 2;
            var ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0)
            {
                if (ip1div2 == n + 1)
                {
                    (j1, j2) = (n - ll - ceilf - 1, n + ll + ceilf - 1);
                }
                else
                {
                    (j1, j2) = (ip1div2 - 1 - ll - roundf - 1, ip1div2 + ll - 1 + ceilf - 1);
                }
            }
            else
            {
                (j1, j2) = (ip1div2 - 1 - ll - 1, ip1div2 + ll + roundf - 1);
            }
        }

        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    /// <summary>Pomeranz's recursion (Simard and L'Ecuyer's formulation): the CDF.</summary>
    private static double PomeranzCdf(int n, double x)
    {
        var t = n * x;
        var ll = (int)Math.Floor(t);
        var f = t - ll;
        var g = Math.Min(f, 1.0 - f);
        var ceilf = f > 0 ? 1 : 0;
        var roundf = f > 0.5 ? 1 : 0;
        var npwrs = 2 * (ll + 1);
        var gpower = new double[npwrs];
        var twogpower = new double[npwrs];
        var onem2gpower = new double[npwrs];
        gpower[0] = twogpower[0] = onem2gpower[0] = 1.0;
        var exponent = 0;
        double gOverN = g / n, twoGOverN = 2 * g / n, oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (var m = 1; m < npwrs; m++)
        {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
        }

        var v0 = new double[npwrs];
        var v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0, v1s = 0;
        var (j1, j2) = PomeranzJ1J2(0, n, ll, ceilf, roundf);
        var conv = new double[2 * npwrs];
        for (var i = 1; i < 2 * n + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0s, v1s) = (v1s, v0s);
            Array.Clear(v1);
            (j1, j2) = PomeranzJ1J2(i, n, ll, ceilf, roundf);
            var pwrs = i == 1 || i == 2 * n + 1 ? gpower : i % 2 == 1 ? twogpower : onem2gpower;
            var ln2 = j2 - k1 + 1;
            if (ln2 > 0)
            {
                // Full convolution of V0[k1 - V0s : k1 - V0s + ln2] (clipped at the end like a slice) with pwrs[:ln2].
                var start = k1 - v0s;
                Debug.Assert(start >= 0, "Pomeranz window starts inside the vector.");
                var aLength = Math.Min(ln2, npwrs - start);
                var convLength = aLength + ln2 - 1;
                Array.Clear(conv, 0, convLength);
                for (var a = 0; a < aLength; a++)
                {
                    var va = v0[start + a];
                    if (va == 0)
                    {
                        continue;
                    }

                    for (var b = 0; b < ln2; b++)
                    {
                        conv[a + b] += va * pwrs[b];
                    }
                }

                var convStart = j1 - k1;
                var copyLength = j2 - j1 + 1;
                var max = 0.0;
                for (var c = 0; c < copyLength; c++)
                {
                    v1[c] = conv[convStart + c];
                    max = Math.Max(max, v1[c]);
                }

                if (max > 0 && max < EM128)
                {
                    for (var c = 0; c < v1.Length; c++)
                    {
                        v1[c] *= EP128;
                    }

                    exponent -= E128;
                }

                v1s = v0s + j1 - k1;
            }
        }

        var answer = v1[n - v1s];
        for (var m = 1; m <= n; m++)
        {
            if (Math.Abs(answer) > EP128)
            {
                answer *= EM128;
                exponent += E128;
            }

            answer *= m;
        }

        if (exponent != 0)
        {
            answer = Math.ScaleB(answer, exponent);
        }

        return Math.Clamp(answer, 0.0, 1.0);
    }

    /// <summary>The Pelz–Good asymptotic series: the CDF.</summary>
    private static double PelzGoodCdf(long n, double x)
    {
        if (x <= 0.0)
        {
            return 0.0;
        }

        if (x >= 1.0)
        {
            return 1.0;
        }

        var z = Math.Sqrt(n) * x;
        double zsquared = z * z, zthree = z * z * z, zfour = Math.Pow(z, 4), zsix = Math.Pow(z, 6);
        var qlog = -PiSquared / 8 / zsquared;
        if (qlog < MinLog)
        {
            return 0.0;
        }

        var q = Math.Exp(qlog);
        var k1a = -zsquared;
        var k1b = PiSquared / 4;
        var k2a = 6 * zsix + 2 * zfour;
        var k2b = (2 * zfour - 5 * zsquared) * PiSquared / 4;
        var k2c = PiFour * (1 - 2 * zsquared) / 16;
        var k3d = PiSix * (5 - 30 * zsquared) / 64;
        var k3c = PiFour * (-60 * zsquared + 212 * zfour) / 16;
        var k3b = PiSquared * (135 * zfour - 96 * zsix) / 4;
        var k3a = -30 * zsix - 90 * Math.Pow(z, 8);
        Span<double> k0to3 = stackalloc double[4];
        k0to3.Clear();
        var maxk = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxk; k > 0; k--)
        {
            double m = 2 * k - 1;
            double msquared = m * m, mfour = Math.Pow(m, 4), msix = Math.Pow(m, 6);
            var qpower = Math.Pow(q, 8 * k);
            k0to3[0] = k0to3[0] * qpower + 1.0;
            k0to3[1] = k0to3[1] * qpower + (k1a + k1b * msquared);
            k0to3[2] = k0to3[2] * qpower + (k2a + k2b * msquared + k2c * mfour);
            k0to3[3] = k0to3[3] * qpower + (k3a + k3b * msquared + k3c * mfour + k3d * msix);
        }

        for (var i = 0; i < 4; i++)
        {
            k0to3[i] *= q;
            k0to3[i] *= Sqrt2Pi;
        }

        k0to3[0] /= z;
        k0to3[1] /= 6 * zfour;
        k0to3[2] /= 72 * Math.Pow(z, 7);
        k0to3[3] /= 6480 * Math.Pow(z, 10);

        q = Math.Exp(-PiSquared / 2 / zsquared);
        var sqrt3z = Sqrt3 * z;
        double k2extra = 0, k3extra = 0;
        for (var k = maxk; k > 0; k--)
        {
            double ksquared = (double)k * k;
            var qpower = Math.Pow(q, ksquared);
            var kspi = Math.PI * k;
            k2extra += ksquared * qpower;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpower;
        }

        k2extra *= PiSquared * Sqrt2Pi / (-36 * zthree);
        k0to3[2] += k2extra;
        k3extra *= PiSquared * Sqrt2Pi / (216 * zsix);
        k0to3[3] += k3extra;

        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            sum += k0to3[i] / Math.Pow(n, i / 2.0);
        }

        return sum;
    }

    /// <summary>
    /// The one-sided Smirnov survival function P(D<sub>n</sub><sup>+</sup> ≥ x), cephes' <c>smirnov(n, x)</c>: the
    /// Birnbaum–Tingey sum, each term formed in logarithms with n·x split exactly, so no term loses precision.
    /// </summary>
    /// <param name="n">The sample size.</param>
    /// <param name="x">The statistic.</param>
    /// <returns>The survival probability.</returns>
    public static double SmirnovSf(long n, double x)
    {
        if (!(n > 0 && x >= 0.0 && x <= 1.0))
        {
            return double.NaN;
        }

        if (n == 1)
        {
            return 1 - x;
        }

        if (x == 0.0)
        {
            return 1.0;
        }

        if (x == 1.0)
        {
            return 0.0;
        }

        // n·x = nxHi + nxLo exactly; its floor and fractional part alpha.
        double nd = n;
        var nxHi = nd * x;
        var nxLo = Math.FusedMultiplyAdd(nd, x, -nxHi);
        var floor = Math.Floor(nxHi);
        if (floor == nxHi && nxLo < 0)
        {
            floor -= 1;
        }

        var alpha = (nxHi - floor) + nxLo;
        if (alpha >= 1)
        {
            floor += 1;
            alpha = 0;
        }

        var nxfl = (long)floor;
        if (nxfl == 0 || (nxfl == 1 && alpha == 0))
        {
            var tpow = Math.Pow(1 + x, n - 1);
            return 1 - x * tpow;
        }

        if (-2 * n * x * x < CephesMinLog)
        {
            return 0;
        }

        if (nxfl >= n - 1)
        {
            return Math.Pow(1 - x, n);
        }

        if (n > SmirnovMaxComputeN)
        {
            var logp = -Math.Pow(6.0 * n * x + 1, 2) / 18.0 / n;
            return logp < -Math.Log(2) ? Math.Exp(logp) : 1 - (-(double.ExpM1(logp)));
        }

        // The lower sum: sf = x · Σ_{j=0}^{n-⌊nx⌋-1} C(n, j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1).
        // (cephes switches to the upper sum only for x <= 0.5/√n, which the two-sided callers never reach.)
        var nTerms = n - nxfl;
        var vmid = n / 2;
        var logBinomial = 0.0; // log C(n, j), accumulated term by term
        var compensation = 0.0;
        var sum = 0.0;
        for (long j = 0; j < nTerms; j++)
        {
            if (j > 0)
            {
                // Neumaier-compensated running sum: the sum grows to ~n while each step is ~log n.
                var step = Math.Log((double)(n - j + 1) / j);
                var t = logBinomial + step;
                compensation += Math.Abs(logBinomial) >= Math.Abs(step) ? (logBinomial - t) + step : (step - t) + logBinomial;
                logBinomial = t;
            }

            // x + j/n = (n·x + j) / n with n·x carried in two parts; log(1 - x - j/n) = log1p(-(x + j/n)) keeps its precision.
            var upper = ((j + nxHi) + nxLo) / nd;
            var logTerm = (logBinomial + compensation) + (n - j) * double.LogP1(-upper) + (j - 1) * Math.Log(upper);
            var term = Math.Exp(logTerm);
            if (term != 0)
            {
                sum += term;
                if (j > 0 && 4 * (nTerms - j) * term < MachineEpsilon * sum && j != nTerms - 1)
                {
                    break;
                }
            }
            else if (j > vmid)
            {
                break;
            }
        }

        return Math.Clamp(x * sum, 0.0, 1.0);
    }
}
