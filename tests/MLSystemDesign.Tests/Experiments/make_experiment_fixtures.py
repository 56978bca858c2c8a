#!/usr/bin/python3
"""Writes experiments.fixture.json: statsmodels' and SciPy's results for the experiment statistics.

Run with Debian's python3-statsmodels (0.13.5) and python3-scipy (1.10.1):
    /usr/bin/python3 make_experiment_fixtures.py

Samples come from SplitMix64 and exactly-rounded arithmetic only (the same generator as the drift fixtures), so the C#
tests rebuild them bit for bit (ExperimentFixtures.cs); only the specs and the expected results are stored. Bootstrap
resamples are drawn by the same generator (index = floor(u * n), u a 53-bit uniform), their statistics summed in order,
and the intervals are computed by scipy.stats.bootstrap from that bootstrap distribution (n_resamples=0,
bootstrap_result=...), so the interval arithmetic (percentile, BCa with its jackknife) is SciPy's own.
"""
import json
import math
import os
import sys
import types
import warnings

import numpy as np
import scipy
import scipy.optimize
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (confint_proportions_2indep, proportion_effectsize, proportions_ztest,
                                          test_proportions_2indep)
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, _tconfint_generic, _zconfint_generic, _zstat_generic2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from oracle_samples import sample, spec, splitmix, uniform  # noqa: E402

def num(x):
    """JSON has no NaN or infinity: they are stored as strings."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def t_quantile(p, df):
    """The t quantile to machine precision: scipy.stats.t.ppf is CDFLIB's cdft, a search stopped at 1e-8, so the
    quantile is re-solved with brentq on SciPy's own tail function (stdtr), bracketed around t.ppf."""
    if not np.isfinite(df):
        return float("nan")
    x0 = stats.t.ppf(p, df)
    if p > 0.5:
        f = lambda x: (1 - p) - stats.t.sf(x, df)
    else:
        f = lambda x: stats.t.cdf(x, df) - p
    return scipy.optimize.brentq(f, x0 - 1e-6 * abs(x0), x0 + 1e-6 * abs(x0), xtol=1e-300, rtol=8.9e-16, maxiter=200)


def t_interval(diff, std_diff, df, alpha):
    """statsmodels' _tconfint_generic (two-sided) with the exact t quantile."""
    tcrit = t_quantile(1 - alpha / 2.0, df)
    return diff - tcrit * std_diff, diff + tcrit * std_diff


ALTERNATIVES = {"two_sided": "two-sided", "larger": "larger", "smaller": "smaller"}

# ---------------------------------------------------------------- two proportions (treatment first, control second)
proportion_cases = [
    ("typical", 65, 1000, 50, 1000),
    ("unequal-arms", 30, 400, 200, 2100),
    ("tiny", 1, 3, 2, 4),
    ("all-success-one-arm", 10, 10, 8, 10),
    ("all-success-both", 10, 10, 5, 5),
    ("no-success-both", 0, 10, 0, 12),
    ("all-vs-none", 7, 7, 0, 9),
    ("large", 510_000, 1_000_000, 500_000, 1_000_000),
    ("identical", 120, 1000, 120, 1000),
]
proportions = []
for name, s1, n1, s2, n2 in proportion_cases:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        case = {"name": name, "treatment": [s1, n1], "control": [s2, n2]}
        for key, alt in ALTERNATIVES.items():
            z, p = proportions_ztest([s1, s2], [n1, n2], alternative=alt)
            case[f"pooled_{key}"] = [num(z), num(p)]
            r = test_proportions_2indep(np.float64(s1), np.float64(n1), np.float64(s2), np.float64(n2), method="wald", compare="diff", alternative=alt)
            case[f"unpooled_{key}"] = [num(r.statistic), num(r.pvalue)]
        for alpha in (0.05, 0.1):
            lo, hi = confint_proportions_2indep(np.float64(s1), np.float64(n1), np.float64(s2), np.float64(n2), method="wald", compare="diff", alpha=alpha)
            case[f"wald_ci_{alpha}"] = [num(lo), num(hi)]
    proportions.append(case)

# ---------------------------------------------------------------- t-tests
t_cases = [
    ("tiny", spec(11, 2), spec(12, 3, shift=0.4)),
    ("small", spec(13, 6), spec(14, 9, shift=0.5, scale=2.0)),
    ("unequal-variance", spec(15, 40, scale=3.0), spec(16, 400, scale=0.5, shift=0.2)),
    ("ties", spec(17, 60, kind="int", levels=4), spec(18, 80, kind="int", levels=4, shift=0.25)),
    ("large", spec(19, 5000, shift=0.01), spec(20, 7000)),
    ("zero-variance-one-arm", spec(21, 10, kind="int", levels=1, shift=2.0), spec(22, 12, shift=1.5)),
    ("zero-variance-both-equal", spec(23, 5, kind="int", levels=1, shift=3.0), spec(24, 7, kind="int", levels=1, shift=3.0)),
    ("zero-variance-both-different", spec(25, 5, kind="int", levels=1, shift=3.0), spec(26, 7, kind="int", levels=1, shift=1.0)),
    ("bernoulli-all-success", spec(27, 20, kind="bernoulli", p=1.0), spec(28, 30, kind="bernoulli", p=0.6)),
    ("big-offset", spec(29, 50, shift=1e6), spec(30, 50, shift=1e6 + 0.1)),
]
ttests = []
for name, sx, sy in t_cases:
    x, y = sample(sx), sample(sy)
    case = {"name": name, "treatment": sx, "control": sy}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for test, equal in (("student", True), ("welch", False)):
            for key, alt in (("two_sided", "two-sided"), ("larger", "greater"), ("smaller", "less")):
                r = stats.ttest_ind(x, y, equal_var=equal, alternative=alt)
                case[f"{test}_{key}"] = [num(r.statistic), num(r.pvalue)]
            # statsmodels' interval (_tconfint_generic, as CompareMeans.tconfint_diff) on SciPy's moments: DescrStatsW
            # takes means by a BLAS dot product, which disagrees with numpy's pairwise mean by ~1e-10 when the means are
            # large and their difference small (the "big-offset" case), so the interval is built on the moments the test uses.
            cm = CompareMeans(DescrStatsW(x), DescrStatsW(y))
            usevar = "pooled" if equal else "unequal"
            _, _, df = cm.ttest_ind(usevar=usevar)
            denom_df, denom = (stats._stats_py._equal_var_ttest_denom if equal else stats._stats_py._unequal_var_ttest_denom)(
                x.var(ddof=1), len(x), y.var(ddof=1), len(y))
            lo, hi = t_interval(x.mean() - y.mean(), denom, df, 0.05)
            case[f"{test}_ci"] = [num(lo), num(hi)]
            case[f"{test}_ci_statsmodels"] = [num(v) for v in _tconfint_generic(x.mean() - y.mean(), denom, df, 0.05, "two-sided")]
            case[f"{test}_df"] = num(df)
    ttests.append(case)

# ---------------------------------------------------------------- Mann-Whitney U
mw_cases = [
    ("exact-small", spec(31, 5), spec(32, 4, shift=0.8)),
    ("exact-eight-by-twelve", spec(33, 8), spec(34, 12, shift=0.3)),
    ("exact-one", spec(35, 1), spec(36, 6)),
    ("exact-extreme", spec(37, 6, shift=10.0), spec(38, 7)),
    ("ties-small", spec(39, 7, kind="int", levels=3), spec(40, 6, kind="int", levels=3)),
    ("asymptotic", spec(41, 100), spec(42, 150, shift=0.2)),
    ("asymptotic-ties", spec(43, 300, kind="int", levels=5), spec(44, 250, kind="int", levels=5, shift=0.0)),
    ("all-equal", spec(45, 12, kind="int", levels=1), spec(46, 15, kind="int", levels=1)),
    ("exact-nine-by-nine-asymptotic", spec(47, 9), spec(48, 9, shift=0.5)),
]
mannwhitney = []
for name, sx, sy in mw_cases:
    x, y = sample(sx), sample(sy)
    case = {"name": name, "treatment": sx, "control": sy}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key, alt in (("two_sided", "two-sided"), ("larger", "greater"), ("smaller", "less")):
            r = stats.mannwhitneyu(x, y, alternative=alt)
            case[key] = [num(r.statistic), num(r.pvalue)]
        r = stats.mannwhitneyu(x, y, use_continuity=False, method="asymptotic")
        case["asymptotic_no_continuity"] = [num(r.statistic), num(r.pvalue)]
        ties = len(np.unique(np.concatenate([x, y]))) != len(x) + len(y)
        case["exact"] = bool(not (len(x) > 8 and len(y) > 8) and not ties)
    mannwhitney.append(case)

# ---------------------------------------------------------------- bootstrap
def seq_mean(a, axis=-1):
    # Summed in order (cumsum), as the C# side sums, so the bootstrap distribution is bit-identical.
    return np.cumsum(a, axis=axis)[..., -1] / a.shape[axis]


def diff_of_means(x, y, axis=-1):
    return seq_mean(x, axis) - seq_mean(y, axis)


def mean_stat(x, axis=-1):
    return seq_mean(x, axis)


def theta_b(samples, resamples, seed, statistic):
    gen = splitmix(seed)
    values = []
    for _ in range(resamples):
        drawn = []
        for s in samples:
            n = len(s)
            idx = [int(uniform(gen) * n) for _ in range(n)]
            drawn.append(s[idx])
        values.append(float(statistic(*drawn)))
    return np.array(values)


boot_cases = [
    ("diff-small", spec(51, 15), spec(52, 20, shift=0.3), 999, 0.95),
    ("diff-skewed", spec(53, 40, kind="uniform", scale=5.0), spec(54, 30, kind="uniform", scale=4.0), 2000, 0.9),
    ("diff-ties", spec(55, 30, kind="int", levels=3), spec(56, 25, kind="int", levels=3), 1500, 0.95),
    ("diff-constant", spec(57, 10, kind="int", levels=1, shift=1.0), spec(58, 12, kind="int", levels=1), 500, 0.95),
    ("mean-small", spec(59, 25, kind="uniform", scale=3.0), None, 1999, 0.95),
    ("mean-bernoulli", spec(60, 50, kind="bernoulli", p=0.2), None, 1000, 0.99),
    ("mean-constant", spec(61, 8, kind="int", levels=1, shift=4.0), None, 300, 0.95),
]
bootstrap = []
for name, sx, sy, resamples, level in boot_cases:
    data = (sample(sx),) if sy is None else (sample(sx), sample(sy))
    statistic = mean_stat if sy is None else diff_of_means
    seed = 1000 + len(bootstrap)
    dist = theta_b(data, resamples, seed, statistic)
    case = {"name": name, "treatment": sx, "control": sy, "resamples": resamples, "seed": seed, "confidence": level,
            "estimate": num(statistic(*data))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in ("percentile", "BCa"):
            r = stats.bootstrap(data, statistic, n_resamples=0, vectorized=True, confidence_level=level,
                                method=method, bootstrap_result=types.SimpleNamespace(bootstrap_distribution=dist))
            case[method.lower()] = [num(r.confidence_interval.low), num(r.confidence_interval.high)]
        case["standard_error"] = num(np.std(dist, ddof=1))
    bootstrap.append(case)

# ---------------------------------------------------------------- power and sample size (NormalIndPower)
power_solver = NormalIndPower()
sizes = []
size_cases = [
    # (kind, baseline or sd, mde, alpha, power, ratio, alternative)
    ("proportion", 0.10, 0.01, 0.05, 0.8, 1.0, "two-sided"),
    ("proportion", 0.10, 0.02, 0.05, 0.9, 1.0, "two-sided"),
    ("proportion", 0.05, 0.005, 0.01, 0.8, 2.0, "two-sided"),
    ("proportion", 0.50, 0.05, 0.1, 0.95, 0.5, "two-sided"),
    ("proportion", 0.90, 0.05, 0.1, 0.8, 3.7, "larger"),
    ("proportion", 0.01, 0.002, 0.05, 0.8, 1.0, "larger"),
    ("proportion", 0.30, -0.05, 0.05, 0.8, 1.0, "two-sided"),
    ("proportion", 0.30, -0.05, 0.05, 0.8, 1.0, "smaller"),
    ("mean", 12.0, 1.0, 0.05, 0.8, 1.0, "two-sided"),
    ("mean", 3.5, 0.2, 0.01, 0.9, 1.5, "two-sided"),
    ("mean", 1.0, 0.5, 0.05, 0.5, 1.0, "larger"),
    ("mean", 100.0, 2.0, 0.05, 0.8, 0.25, "two-sided"),
]
for kind, a, mde, alpha, power, ratio, alt in size_cases:
    es = proportion_effectsize(a + mde, a) if kind == "proportion" else mde / a
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n = power_solver.solve_power(effect_size=es, alpha=alpha, power=power, ratio=ratio, alternative=alt)
        converged = power_solver.cache_fit_res[0] == 1
    p_at_ceil = power_solver.power(es, math.ceil(n), alpha, ratio=ratio, alternative=alt)
    p_at_100 = power_solver.power(es, 100.0, alpha, ratio=ratio, alternative=alt)
    sizes.append({"kind": kind, "baseline_or_sd": a, "mde": mde, "alpha": alpha, "power": power, "ratio": ratio,
                  "alternative": alt.replace("-", "_"), "effect_size": num(es), "n_per_arm": num(n),
                  "converged": bool(converged), "power_at_ceil": num(p_at_ceil), "power_at_100": num(p_at_100)})

# ---------------------------------------------------------------- sample-ratio mismatch (chi-squared goodness of fit)
srm = []
for name, counts, weights in [
    ("balanced", [5000, 5012], [1, 1]),
    ("mismatch", [5000, 5400], [1, 1]),
    ("weighted", [2010, 7990], [0.2, 0.8]),
    ("three-arms", [3300, 3350, 3000], [1, 1, 1]),
    ("tiny", [3, 9], [1, 1]),
]:
    observed = np.array(counts, dtype=float)
    expected = np.array(weights, dtype=float) / np.sum(weights) * observed.sum()
    r = stats.chisquare(observed, f_exp=expected)
    srm.append({"name": name, "counts": counts, "weights": weights, "statistic": num(r.statistic), "p_value": num(r.pvalue)})

# ---------------------------------------------------------------- CUPED (theta pooled across arms) and delta-method lift
cuped = []
for name, n_t, n_c, slope, lift in [("correlated", 200, 220, 0.8, 0.3), ("weak", 60, 50, 0.1, 0.0), ("strong", 500, 500, 2.0, 0.05)]:
    seed = 70 + 4 * len(cuped)
    x_t, e_t = sample(spec(seed, n_t, scale=2.0, shift=5.0)), sample(spec(seed + 1, n_t))
    x_c, e_c = sample(spec(seed + 2, n_c, scale=2.0, shift=5.0)), sample(spec(seed + 3, n_c))
    y_t = slope * x_t + e_t + lift
    y_c = slope * x_c + e_c
    x_all, y_all = np.concatenate([x_t, x_c]), np.concatenate([y_t, y_c])
    theta = np.cov(y_all, x_all, ddof=1)[0, 1] / np.var(x_all, ddof=1)
    mx = x_all.mean()
    adj_t, adj_c = y_t - theta * (x_t - mx), y_c - theta * (x_c - mx)
    r = stats.ttest_ind(adj_t, adj_c, equal_var=False)
    cm = CompareMeans(DescrStatsW(adj_t), DescrStatsW(adj_c))
    _, denom = stats._stats_py._unequal_var_ttest_denom(adj_t.var(ddof=1), n_t, adj_c.var(ddof=1), n_c)
    lo, hi = t_interval(adj_t.mean() - adj_c.mean(), denom, cm.dof_satt(), 0.05)
    reduction = 1 - np.var(np.concatenate([adj_t - adj_t.mean(), adj_c - adj_c.mean()]), ddof=1) / np.var(
        np.concatenate([y_t - y_t.mean(), y_c - y_c.mean()]), ddof=1)
    cuped.append({"name": name, "seed": seed, "n_t": n_t, "n_c": n_c, "slope": slope, "lift": lift,
                  "theta": num(theta), "effect": num(adj_t.mean() - adj_c.mean()), "statistic": num(r.statistic),
                  "p_value": num(r.pvalue), "ci": [num(lo), num(hi)], "variance_reduction": num(reduction)})

lift_cases = []
for name, sx, sy in [("means", spec(81, 300, shift=10.0), spec(82, 280, shift=9.5)),
                     ("proportions", spec(83, 2000, kind="bernoulli", p=0.12), spec(84, 2100, kind="bernoulli", p=0.10)),
                     ("negative", spec(85, 50, shift=4.0), spec(86, 60, shift=5.0))]:
    x, y = sample(sx), sample(sy)
    mt, mc = x.mean(), y.mean()
    vt, vc = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    lift = mt / mc - 1
    # delta method: var(mt/mc) = vt/mc^2 + mt^2 vc/mc^4 (independent arms)
    se = math.sqrt(vt / mc ** 2 + mt ** 2 * vc / mc ** 4)
    z, p = _zstat_generic2(lift, se, "two-sided")
    lo, hi = _zconfint_generic(lift, se, 0.05, "two-sided")
    lift_cases.append({"name": name, "treatment": sx, "control": sy, "lift": num(lift), "standard_error": num(se),
                       "statistic": num(z), "p_value": num(p), "ci": [num(lo), num(hi)]})

# ---------------------------------------------------------------- Benjamini-Hochberg
bh = []
for name, pvals in [("mixed", [0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.049]),
                    ("ties", [0.02, 0.02, 0.02, 0.9]),
                    ("one", [0.03]),
                    ("all-large", [0.6, 0.9, 0.7])]:
    reject, adjusted, _, _ = multipletests(pvals, alpha=0.05, method="fdr_bh")
    bh.append({"name": name, "p_values": pvals, "adjusted": [num(v) for v in adjusted], "reject": [bool(r) for r in reject]})

# ---------------------------------------------------------------- always-valid test (mixture SPRT / asymptotic confidence sequence)
# The formulas of GrowthBook's gbstats (frequentist/tests.py: sequential_rho, sequential_interval_halfwidth and
# SequentialTwoSidedTTest.p_value; Waudby-Smith et al. 2023, eqs 9, 155, 161), written out here because gbstats is not a
# Debian package: n = n_t + n_c, se^2 = var_t/n_t + var_c/n_c, s2 = se^2 * n.
sequential = []
for name, sx, sy, alpha, tuning in [("typical", spec(91, 800, shift=0.05), spec(92, 820), 0.05, 5000),
                                    ("strong", spec(93, 3000, shift=0.2), spec(94, 3000), 0.05, 5000),
                                    ("tuned", spec(95, 400, shift=0.1), spec(96, 350), 0.1, 1000),
                                    ("bernoulli", spec(97, 5000, kind="bernoulli", p=0.11), spec(98, 5000, kind="bernoulli", p=0.10), 0.05, 10000)]:
    x, y = sample(sx), sample(sy)
    n = len(x) + len(y)
    est = x.mean() - y.mean()
    se2 = x.var(ddof=1) / len(x) + y.var(ddof=1) / len(y)
    rho = math.sqrt((-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / tuning)
    s2 = se2 * n
    half = math.sqrt(s2) * math.sqrt((2 * (n * rho ** 2 + 1)) * math.log(math.sqrt(n * rho ** 2 + 1) / alpha) / (n * rho) ** 2)
    st2 = est ** 2 * n / se2
    tr2p1 = n * rho ** 2 + 1
    evalue = math.exp(rho ** 2 * st2 / (2 * tr2p1)) / math.sqrt(tr2p1)
    sequential.append({"name": name, "treatment": sx, "control": sy, "alpha": alpha, "tuning": tuning, "rho": num(rho),
                       "estimate": num(est), "ci": [num(est - half), num(est + half)], "p_value": num(min(1 / evalue, 1))})

out = {
    "scipy": scipy.__version__,
    "statsmodels": statsmodels.__version__,
    "numpy": np.__version__,
    "proportions": proportions,
    "ttests": ttests,
    "mannwhitney": mannwhitney,
    "bootstrap": bootstrap,
    "sample_size": sizes,
    "srm": srm,
    "cuped": cuped,
    "lift": lift_cases,
    "benjamini_hochberg": bh,
    "sequential": sequential,
}
with open("experiments.fixture.json", "w") as f:
    json.dump(out, f, indent=1)
