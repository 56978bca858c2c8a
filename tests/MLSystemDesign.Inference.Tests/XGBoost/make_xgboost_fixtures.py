"""Trains small XGBoost models on the repository's test data and stores them with XGBoost's own predictions.

Run from this folder with Debian's python3-xgboost (1.7.4) and numpy:  /usr/bin/python3 make_xgboost_fixtures.py
Each model is written by save_model(...json); its expectations file holds held-out rows (with missing values as
null, and rows whose values sit exactly on split thresholds) and XGBoost's margins and predictions for them.
"""
import csv
import json
import os

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data")
rng = np.random.default_rng(2024)


def breast_cancer():
    with open(os.path.join(DATA, "breast_cancer.csv")) as f:
        rows = list(csv.reader(f))[1:]
    data = np.array(rows, dtype=np.float64)
    return data[:, :30].astype(np.float32), data[:, 30]


def weather():
    with open(os.path.join(DATA, "seattle-weather.csv")) as f:
        rows = list(csv.DictReader(f))
    classes = sorted({r["weather"] for r in rows})
    x = np.array([[float(r["precipitation"]), float(r["temp_min"]), float(r["wind"]), float(r["date"][5:7])] for r in rows], dtype=np.float32)
    temp_max = np.array([float(r["temp_max"]) for r in rows])
    label = np.array([classes.index(r["weather"]) for r in rows])
    return x, temp_max, label


def with_missing(x, share):
    x = x.copy()
    x[rng.random(x.shape) < share] = np.nan
    return x


def threshold_rows(booster, x_test, count):
    """Rows copied from test rows with one feature set exactly to one of the model's split thresholds."""
    trees = json.loads(booster.save_raw("json"))["learner"]["gradient_booster"]["model"]["trees"]
    splits = [(f, c) for t in trees for f, c, l in zip(t["split_indices"], t["split_conditions"], t["left_children"]) if l != -1]
    rows = []
    for i in range(count):
        f, c = splits[rng.integers(len(splits))]
        row = x_test[rng.integers(len(x_test))].copy()
        row[f] = np.float32(c)
        rows.append(row)
    return np.array(rows, dtype=np.float32)


def fixture(name, params, x, y, rounds):
    order = rng.permutation(len(x))
    cut = int(len(x) * 0.75)
    train, test = order[:cut], order[cut:]
    booster = xgb.train(params, xgb.DMatrix(x[train], label=y[train], missing=np.nan), num_boost_round=rounds)
    x_test = np.vstack([x[test][:120], threshold_rows(booster, x[test], 40)])
    d = xgb.DMatrix(x_test, missing=np.nan)
    booster.save_model(os.path.join(HERE, f"{name}.model.json"))
    margin = booster.predict(d, output_margin=True)
    prediction = booster.predict(d)
    expected = {
        "xgboost": xgb.__version__,
        "objective": params["objective"],
        "rows": [[None if np.isnan(v) else float(v) for v in row] for row in x_test],
        "margin": np.asarray(margin, dtype=np.float64).tolist(),
        "prediction": np.asarray(prediction, dtype=np.float64).tolist(),
    }
    with open(os.path.join(HERE, f"{name}.expected.json"), "w") as f:
        json.dump(expected, f)


x, y = breast_cancer()
fixture("xgb-binary", {"objective": "binary:logistic", "max_depth": 4, "eta": 0.3, "seed": 1}, with_missing(x, 0.1), y, 30)
wx, temp_max, label = weather()
fixture("xgb-regression", {"objective": "reg:squarederror", "max_depth": 5, "eta": 0.2, "seed": 2}, with_missing(wx, 0.15), temp_max, 40)
fixture("xgb-multiclass", {"objective": "multi:softprob", "num_class": 5, "max_depth": 4, "eta": 0.3, "seed": 3}, with_missing(wx, 0.15), label, 20)
