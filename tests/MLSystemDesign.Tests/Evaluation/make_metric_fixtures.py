#!/usr/bin/env python3
"""Oracle fixtures for MetricCalculator: scikit-learn's metrics on seeded random cases.

Run with Debian's python3-sklearn (1.2.1 was used):  /usr/bin/python3 make_metric_fixtures.py
Writes metrics.fixture.json beside this script. Values are float32 inputs widened to float64, as the SDK sees them.
"""
import json
import numpy as np
import sklearn
from sklearn import metrics

rng = np.random.default_rng(20261126)
cases = []

def f32(a):
    return [float(x) for x in np.asarray(a, dtype=np.float32)]

# Binary: various sizes, with heavy ties (rounded probabilities) and without.
for n, decimals in [(10, None), (57, 1), (200, 2), (1000, None), (3, None), (500, 0)]:
    y = rng.integers(0, 2, n)
    y[0], y[-1] = 0, 1  # both classes present
    p = rng.random(n) * 0.6 + y * 0.2
    if decimals is not None:
        p = np.round(p, decimals)
    p = np.asarray(p, dtype=np.float32).astype(np.float64)
    pred = (p >= 0.5).astype(int)
    cases.append({
        "kind": "binary", "labels": f32(y), "probabilities": f32(p), "threshold": 0.5,
        "auc": metrics.roc_auc_score(y, p),
        "log_loss": metrics.log_loss(y, np.clip(p, 1e-15, 1 - 1e-15)),
        "accuracy": metrics.accuracy_score(y, pred),
        "precision": metrics.precision_score(y, pred, zero_division=0),
        "recall": metrics.recall_score(y, pred, zero_division=0),
        "f1": metrics.f1_score(y, pred, zero_division=0),
    })

# Multiclass: k classes, probabilities normalised per row; one case where a class is never predicted nor present.
for n, k in [(30, 3), (300, 5), (12, 4)]:
    y = rng.integers(0, k - (1 if n == 12 else 0), n)
    raw = rng.random((n, k)) + np.eye(k)[y] * 0.5
    if n == 12:
        raw[:, k - 1] = 0.0
    prob = (raw / raw.sum(axis=1, keepdims=True)).astype(np.float32).astype(np.float64)
    pred = prob.argmax(axis=1)
    labels_present = sorted(set(y) | set(pred))
    cases.append({
        "kind": "multiclass", "labels": f32(y), "probabilities": f32(prob.ravel()), "classes": k,
        "accuracy": metrics.accuracy_score(y, pred),
        "macro_f1": metrics.f1_score(y, pred, average="macro", labels=labels_present, zero_division=0),
        "log_loss": metrics.log_loss(y, np.clip(prob / prob.sum(axis=1, keepdims=True), 1e-15, 1 - 1e-15), labels=list(range(k))),
    })

# Regression.
for n in [5, 100, 1000]:
    y = rng.normal(10, 3, n).astype(np.float32).astype(np.float64)
    yhat = (y + rng.normal(0, 1, n)).astype(np.float32).astype(np.float64)
    cases.append({
        "kind": "regression", "labels": f32(y), "predictions": f32(yhat),
        "rmse": float(np.sqrt(metrics.mean_squared_error(y, yhat))),
        "mae": metrics.mean_absolute_error(y, yhat),
        "r2": metrics.r2_score(y, yhat),
    })

with open("metrics.fixture.json", "w") as f:
    json.dump({"generator": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}", "cases": cases}, f)
print(f"wrote {len(cases)} cases")
