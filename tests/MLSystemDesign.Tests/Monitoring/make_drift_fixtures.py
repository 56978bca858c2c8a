#!/usr/bin/python3
"""Writes drift.fixture.json: SciPy's results for the batch drift tests, on samples that the tests regenerate.

Run with Debian's python3-scipy (SciPy 1.10.1):  /usr/bin/python3 make_drift_fixtures.py
Samples come from SplitMix64 and exactly-rounded arithmetic only, so the C# tests rebuild them bit for bit
(see DriftFixtures.cs); only the specs and the expected results are stored.
"""
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from oracle_samples import sample, spec  # noqa: E402

def binned(ref, cur, bins):
    distinct = np.unique(np.concatenate([ref, cur]))
    if len(distinct) <= bins:
        edges = distinct[1:]
    else:
        edges = np.unique(np.quantile(ref, np.arange(1, bins) / bins))
    r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1).astype(float)
    c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1).astype(float)
    return r, c


def psi(r, c):
    r = r / r.sum()
    c = c / c.sum()
    r = np.where(r == 0, 0.0001, r)
    c = np.where(c == 0, 0.0001, c)
    return float(np.sum((r - c) * np.log(r / c)))


def hellinger(r, c):
    r = r / r.sum()
    c = c / c.sum()
    return float(np.sqrt(np.sum((np.sqrt(r) - np.sqrt(c)) ** 2)) / np.sqrt(2))


pairs = [
    ("tiny", spec(1, 1), spec(2, 1)),
    ("small", spec(3, 5), spec(4, 7, shift=0.5)),
    ("equal-20", spec(5, 20), spec(6, 20, shift=0.3)),
    ("ties", spec(7, 200, "int", levels=6), spec(8, 150, "int", levels=6, shift=0.0)),
    ("ties-shifted", spec(9, 300, "int", levels=12), spec(10, 300, "int", levels=12, shift=1.0)),
    ("one-sided-shift", spec(11, 400), spec(12, 350, shift=0.25)),
    ("scale-change", spec(13, 1000, scale=2.0), spec(14, 800, scale=3.0)),
    ("same-dist-1000", spec(15, 1000), spec(16, 1000)),
    ("uniform-2000-3000", spec(17, 2000, "uniform", scale=10.0), spec(18, 3000, "uniform", scale=10.0, shift=0.2)),
    ("exact-limit", spec(19, 10000), spec(20, 9000, shift=0.02)),
    ("asymp-10001", spec(21, 10001), spec(22, 12000, shift=0.03)),
    ("asymp-small-en", spec(23, 20000), spec(24, 25, shift=0.4)),
    ("asymp-no-shift", spec(25, 15000), spec(26, 15000)),
    ("asymp-big-shift", spec(27, 20000), spec(28, 20000, shift=0.5)),
]

ks, wasser, cvm, binned_cases = [], [], [], []
for name, a, b in pairs:
    x, y = sample(a), sample(b)
    r = stats.ks_2samp(x, y, method="auto")
    ks.append({"name": name, "reference": a, "current": b, "statistic": float(r.statistic), "p_value": float(r.pvalue)})
    w = stats.wasserstein_distance(x, y)
    wasser.append({"name": name, "reference": a, "current": b, "distance": float(w), "reference_std": float(np.std(x)),
                   "normed": float(w / max(np.std(x), 0.001))})
    if len(x) >= 2 and len(y) >= 2 and len(x) + len(y) <= 30000:
        c = stats.cramervonmises_2samp(x, y)
        cvm.append({"name": name, "reference": a, "current": b, "statistic": float(c.statistic), "p_value": float(c.pvalue)})
    for bins in (10, 5):
        rc, cc = binned(x, y, bins)
        keep = (rc + cc) > 0
        entry = {"name": name, "reference": a, "current": b, "bins": bins, "psi": psi(rc, cc), "hellinger": hellinger(rc, cc),
                 "js": float(distance.jensenshannon(rc, cc)), "js_base2": float(distance.jensenshannon(rc, cc, base=2))}
        if keep.sum() >= 1:
            chi = stats.chi2_contingency(np.array([rc[keep], cc[keep]]), correction=False)
            entry["chi2"] = float(chi[0])
            entry["chi2_p"] = float(chi[1])
        binned_cases.append(entry)

# Extra CvM cases around the exact/asymptotic boundary.
for name, a, b in [("cvm-2-2", spec(31, 2), spec(32, 2)), ("cvm-exact-ties", spec(33, 15, "int", levels=4), spec(34, 18, "int", levels=4)),
                   ("cvm-20-13", spec(35, 20), spec(36, 13, shift=1.0)), ("cvm-21-20", spec(37, 21), spec(38, 20, shift=0.6))]:
    c = stats.cramervonmises_2samp(sample(a), sample(b))
    cvm.append({"name": name, "reference": a, "current": b, "statistic": float(c.statistic), "p_value": float(c.pvalue)})

# Category tables: counts per category, reference row and current row.
tables = [
    ("two-categories", {"a": 60, "b": 40}, {"a": 45, "b": 55}),
    ("unseen-category", {"x": 100, "y": 50, "z": 25}, {"x": 80, "y": 50, "z": 20, "new": 30}),
    ("many", {f"c{i}": 10 + 7 * i for i in range(12)}, {f"c{i}": 15 + 3 * i + (i % 4) * 9 for i in range(12)}),
    ("identical", {"p": 10, "q": 20, "r": 30}, {"p": 10, "q": 20, "r": 30}),
    ("one-category", {"only": 10}, {"only": 99}),
    ("huge-shift", {"a": 100000, "b": 10}, {"a": 10, "b": 100000}),
]
categorical = []
for name, ref, cur in tables:
    labels = sorted(set(k for k, v in ref.items() if v > 0) | set(k for k, v in cur.items() if v > 0))
    r = np.array([ref.get(k, 0) for k in labels], dtype=float)
    c = np.array([cur.get(k, 0) for k in labels], dtype=float)
    chi = stats.chi2_contingency(np.array([r, c]), correction=False)
    entry = {"name": name, "reference": ref, "current": cur, "chi2": float(chi[0]), "chi2_p": float(chi[1]),
             "js": float(distance.jensenshannon(r, c)), "js_base2": float(distance.jensenshannon(r, c, base=2)),
             "psi": psi(r, c), "hellinger": hellinger(r, c)}
    if len(labels) <= 2:
        n1, n2 = r.sum(), c.sum()
        p1, p2 = r[0] / n1, c[0] / n2
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        var = pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2)
        z = 0.0 if var == 0 else (p1 - p2) / np.sqrt(var)
        entry["z"] = float(z)
        entry["z_p"] = 1.0 if var == 0 else float(2 * stats.norm.sf(abs(z)))
    categorical.append(entry)

# The Kolmogorov distribution itself, on every branch of scipy.stats.kstwo.sf.
kstwo = []
for n in [1, 2, 3, 5, 10, 40, 100, 140, 141, 500, 1000, 5000, 10000, 99999, 100000, 100001, 500000, 999999, 1000000, 1000001, 3000000]:
    for x in [1e-4, 0.3 / n, 0.7 / n, 1.0 / n, 1.5 / n, 0.5 / math.sqrt(n), 0.8 / math.sqrt(n), 1.0 / math.sqrt(n), 1.3 / math.sqrt(n),
              1.6 / math.sqrt(n), 2.5 / math.sqrt(n), 4.0 / math.sqrt(n), 0.05, 0.2, 0.45, 0.55, 0.9, 1 - 0.5 / n]:
        if 0 < x < 1:
            kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n)), "cdf": float(stats.kstwo.cdf(x, n))})

with open("drift.fixture.json", "w") as f:
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "ks": ks, "wasserstein": wasser, "cvm": cvm,
               "binned": binned_cases, "categorical": categorical, "kstwo": kstwo}, f, indent=1)
print(f"wrote {len(ks)} ks, {len(cvm)} cvm, {len(binned_cases)} binned, {len(categorical)} categorical, {len(kstwo)} kstwo cases")
