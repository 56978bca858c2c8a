using System.Globalization;

namespace MLSystemDesign.Experiments.Internal;

/// <summary>
/// The root finder statsmodels' power solver uses, step for step, so that sample sizes agree with statsmodels to 1e-9:
/// its bracket search (<c>statsmodels.tools.rootfinding.brentq_expanding</c>: from a start bound, multiply by 10 until
/// the sign changes) and SciPy's <c>brentq</c> (scipy/optimize/Zeros/brentq.c, by Charles Harris). Unlike statsmodels,
/// a search that does not converge is an error, never a bracket bound or an fsolve guess (statsmodels #9884).
/// MathNet's Brent solver stops at a different point inside the same tolerance, which is why this is not it.
/// </summary>
internal static class BrentRoot
{
    /// <summary>SciPy's default relative tolerance, 4·ε.</summary>
    public const double DefaultRelativeTolerance = 8.881784197001252e-16;

    /// <summary>
    /// Solves f(x) = 0 for an f that is monotone on [low, ∞), searching upwards from <paramref name="startUpper"/> as
    /// <c>brentq_expanding(func, low=low, start_upp=startUpper, xtol=xtol)</c> does.
    /// </summary>
    public static double SolveExpanding(Func<double, double> f, double low, double startUpper, double xtol, string what, int maxExpansions = 100, int maxIterations = 100)
    {
        // statsmodels maps NaN to +inf inside the solver, so that brentq treats it as "above the root".
        double F(double x)
        {
            var v = f(x);
            return double.IsNaN(v) ? double.PositiveInfinity : v;
        }

        double sl = low, su = Math.Max(startUpper, low + 1);
        var increasing = F(sl) < F(su);
        double? left = low, right = null;
        if (!increasing)
        {
            (sl, su) = (su, sl);
            (left, right) = (right, left);
        }

        var expansions = 0;
        if (left is null && sl != 0)
        {
            var l = sl;
            while (F(l) > 0)
            {
                right = l;
                l *= 10;
                if (expansions++ >= maxExpansions)
                {
                    break;
                }
            }

            left = l;
        }

        if (right is null && su != 0)
        {
            var r = su;
            while (F(r) < 0)
            {
                left = r;
                r *= 10;
                if (expansions++ >= maxExpansions)
                {
                    break;
                }
            }

            right = r;
        }

        return Brentq(F, left!.Value, right!.Value, xtol, DefaultRelativeTolerance, maxIterations, what);
    }

    /// <summary>SciPy's <c>brentq</c>; throws where SciPy would report a sign error or non-convergence.</summary>
    public static double Brentq(Func<double, double> f, double xa, double xb, double xtol, double rtol, int iterations, string what)
    {
        double xpre = xa, xcur = xb;
        double xblk = 0, fblk = 0, spre = 0, scur = 0;
        var fpre = f(xpre);
        var fcur = f(xcur);
        if (fpre * fcur > 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"No solution for {what}: the search reached [{Math.Min(xa, xb):G6}, {Math.Max(xa, xb):G6}] without the function changing sign ({fpre:G6}, {fcur:G6})."));
        }

        if (fpre == 0)
        {
            return xpre;
        }

        if (fcur == 0)
        {
            return xcur;
        }

        for (var i = 0; i < iterations; i++)
        {
            if (fpre * fcur < 0)
            {
                xblk = xpre;
                fblk = fpre;
                spre = scur = xcur - xpre;
            }

            if (Math.Abs(fblk) < Math.Abs(fcur))
            {
                xpre = xcur;
                xcur = xblk;
                xblk = xpre;
                fpre = fcur;
                fcur = fblk;
                fblk = fpre;
            }

            var delta = (xtol + rtol * Math.Abs(xcur)) / 2;
            var sbis = (xblk - xcur) / 2;
            if (fcur == 0 || Math.Abs(sbis) < delta)
            {
                return xcur;
            }

            if (Math.Abs(spre) > delta && Math.Abs(fcur) < Math.Abs(fpre))
            {
                double stry;
                if (xpre == xblk)
                {
                    stry = -fcur * (xcur - xpre) / (fcur - fpre); // interpolate
                }
                else
                {
                    var dpre = (fpre - fcur) / (xpre - xcur); // extrapolate
                    var dblk = (fblk - fcur) / (xblk - xcur);
                    stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre));
                }

                if (2 * Math.Abs(stry) < Math.Min(Math.Abs(spre), 3 * Math.Abs(sbis) - delta))
                {
                    spre = scur; // good short step
                    scur = stry;
                }
                else
                {
                    spre = sbis;
                    scur = sbis;
                }
            }
            else
            {
                spre = sbis;
                scur = sbis;
            }

            xpre = xcur;
            fpre = fcur;
            xcur += Math.Abs(scur) > delta ? scur : (sbis > 0 ? delta : -delta);
            fcur = f(xcur);
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"No solution for {what}: the root search did not converge in {iterations} iterations (last estimate {xcur:G10})."));
    }
}
