using System.Runtime.CompilerServices;

namespace MLSystemDesign.Experiments.Internal;

/// <summary>A term summed by <see cref="PairwiseSum"/>: the value itself, or a function of it.</summary>
internal interface ISumTerm
{
    double Of(double x);
}

/// <summary>The value itself.</summary>
internal readonly struct Identity : ISumTerm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Of(double x) => x;
}

/// <summary>The squared deviation from a centre: what a variance sums.</summary>
internal readonly struct SquaredDeviation(double centre) : ISumTerm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Of(double x)
    {
        var d = x - centre;
        return d * d;
    }
}

/// <summary>
/// numpy's pairwise summation (<c>pairwise_sum</c> in numpy/core/src/umath/loops_utils.h.src), addition for addition:
/// fewer than 8 values are added in order; up to 128 values go to eight running sums combined as
/// ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)) with the tail added after; longer runs split in two at a multiple of
/// 8. Means and variances computed with it are bit-identical to numpy's on the same values (so statistics whose effect
/// is a small difference of large means still agree with SciPy to 1e-9), and its error grows with log n, not n.
/// </summary>
internal static class PairwiseSum
{
    private const int BlockSize = 128;

    public static double Sum(ReadOnlySpan<double> values) => Sum(values, default(Identity));

    public static double Sum<TTerm>(ReadOnlySpan<double> values, TTerm term)
        where TTerm : struct, ISumTerm
    {
        var n = values.Length;
        if (n < 8)
        {
            var res = 0.0;
            for (var i = 0; i < n; i++)
            {
                res += term.Of(values[i]);
            }

            return res;
        }

        if (n <= BlockSize)
        {
            double r0 = term.Of(values[0]), r1 = term.Of(values[1]), r2 = term.Of(values[2]), r3 = term.Of(values[3]);
            double r4 = term.Of(values[4]), r5 = term.Of(values[5]), r6 = term.Of(values[6]), r7 = term.Of(values[7]);
            var i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                r0 += term.Of(values[i]);
                r1 += term.Of(values[i + 1]);
                r2 += term.Of(values[i + 2]);
                r3 += term.Of(values[i + 3]);
                r4 += term.Of(values[i + 4]);
                r5 += term.Of(values[i + 5]);
                r6 += term.Of(values[i + 6]);
                r7 += term.Of(values[i + 7]);
            }

            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                res += term.Of(values[i]);
            }

            return res;
        }

        var half = n / 2;
        half -= half % 8;
        return Sum(values[..half], term) + Sum(values[half..], term);
    }
}
