#!/usr/bin/python3
"""Times SciPy on the benchmark's own data, inside the same BenchmarkDotNet run.

The benchmark process starts this worker once (GlobalSetup) with the data it generated or read, then sends one
command per benchmark invocation on stdin; the worker runs the SciPy call and answers "done". BenchmarkDotNet
therefore times SciPy's call plus one pipe round trip (tens of microseconds, negligible next to the calls).

Commands:
  ks           scipy.stats.ks_2samp(a, b, method="auto") on the two float64 samples
  wasserstein  scipy.stats.wasserstein_distance(a, b)
  profile      per numeric column: min, max, mean, std, 101 exact quantiles and a 4,096-value sample;
               per categorical column: counts per category and missing count (pandas value_counts)
  quit

Arguments: <a.f64> <b.f64> [<profile-dir>]  (raw little-endian float64 files; the profile dir holds
num_*.f64 numeric columns and cat_*.txt categorical columns, one value per line, empty for missing).
Needs Debian's python3-scipy and python3-pandas.
"""
import os
import sys

import numpy as np
import pandas as pd
from scipy import stats


def main():
    a = np.fromfile(sys.argv[1], dtype="<f8")
    b = np.fromfile(sys.argv[2], dtype="<f8")
    numeric, categorical = [], []
    if len(sys.argv) > 3:
        folder = sys.argv[3]
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if name.startswith("num_"):
                numeric.append(np.fromfile(path, dtype="<f8"))
            elif name.startswith("cat_"):
                with open(path, encoding="utf-8") as f:
                    values = f.read().split("\n")
                categorical.append(pd.Series([v if v else None for v in values], dtype=object))
    rng = np.random.default_rng(42)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        if command == "ks":
            stats.ks_2samp(a, b, method="auto")
        elif command == "wasserstein":
            stats.wasserstein_distance(a, b)
        elif command == "profile":
            for column in numeric:
                present = column[~np.isnan(column)]
                present.min(), present.max(), present.mean(), present.std()
                np.quantile(present, np.linspace(0, 1, 101))
                rng.choice(present, 4096, replace=False)
            for column in categorical:
                column.value_counts(dropna=True)
                column.isna().sum()
        else:
            sys.stdout.write(f"unknown command {command}\n")
            sys.stdout.flush()
            continue
        sys.stdout.write("done\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
