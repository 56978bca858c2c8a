"""Writes two ONNX models of the breast-cancer data (../breast_cancer.csv), built node by node with onnx.helper from
scikit-learn models, and what scikit-learn predicts for 60 of the rows:

  cancer-gbt.onnx   GradientBoostingClassifier(n_estimators=12, max_depth=3, random_state=0) as one ai.onnx.ml
                    TreeEnsembleClassifier (BRANCH_LEQ, leaf weights = learning_rate * value, base = init log-odds,
                    post_transform LOGISTIC), the form skl2onnx writes
  cancer-mlp.onnx   MLPClassifier(hidden_layer_sizes=(16,), random_state=0) on standardised inputs, the scaler folded
                    into the first layer: MatMul, Add, Relu, MatMul, Add, Sigmoid
  cancer-onnx.expected.json  the rows and scikit-learn's class-1 probability of each model for them

Run from this folder with Debian's python3-sklearn (1.2.1), python3-onnx (1.12.0) and numpy:
  /usr/bin/python3 make_onnx_models.py
"""
import csv
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.neural_network import MLPClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "..", "breast_cancer.csv")) as f:
    rows = list(csv.reader(f))[1:]
data = np.array(rows, dtype=np.float64)
x = data[:, :30].astype(np.float32)
y = data[:, 30].astype(int)
WIDTH = 30


def model(graph):
    m = helper.make_model(graph, producer_name="make_onnx_models.py",
                          opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 3)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def gbt():
    clf = GradientBoostingClassifier(n_estimators=12, max_depth=3, random_state=0).fit(x, y)
    a = {k: [] for k in ["treeids", "nodeids", "featureids", "modes", "values", "true", "false", "wtree", "wnode", "wid", "wval"]}
    for t, est in enumerate(clf.estimators_[:, 0]):
        tree = est.tree_
        for n in range(tree.node_count):
            a["treeids"].append(t)
            a["nodeids"].append(n)
            leaf = tree.children_left[n] == -1
            a["featureids"].append(0 if leaf else int(tree.feature[n]))
            a["modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            a["values"].append(0.0 if leaf else float(tree.threshold[n]))
            a["true"].append(0 if leaf else int(tree.children_left[n]))
            a["false"].append(0 if leaf else int(tree.children_right[n]))
            if leaf:
                a["wtree"].append(t)
                a["wnode"].append(n)
                a["wid"].append(0)
                a["wval"].append(float(clf.learning_rate * tree.value[n][0][0]))
    prior = clf.init_.class_prior_
    node = helper.make_node(
        "TreeEnsembleClassifier", ["input"], ["label", "probabilities"], domain="ai.onnx.ml", name="gbt",
        nodes_treeids=a["treeids"], nodes_nodeids=a["nodeids"], nodes_featureids=a["featureids"],
        nodes_modes=a["modes"], nodes_values=a["values"], nodes_truenodeids=a["true"], nodes_falsenodeids=a["false"],
        nodes_missing_value_tracks_true=[0] * len(a["treeids"]),
        class_treeids=a["wtree"], class_nodeids=a["wnode"], class_ids=a["wid"], class_weights=a["wval"],
        classlabels_int64s=[0, 1], base_values=[float(np.log(prior[1] / prior[0]))], post_transform="LOGISTIC")
    graph = helper.make_graph(
        [node], "cancer_gbt",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", WIDTH])],
        [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])])
    return clf, model(graph)


def mlp():
    mu, sigma = x.mean(axis=0), x.std(axis=0)
    clf = MLPClassifier(hidden_layer_sizes=(16,), max_iter=2000, random_state=0).fit((x - mu) / sigma, y)
    w0, w1 = clf.coefs_
    b0, b1 = clf.intercepts_
    w0f = (w0 / sigma[:, None]).astype(np.float32)
    b0f = (b0 - (mu / sigma) @ w0).astype(np.float32)
    init = [helper.make_tensor("W0", TensorProto.FLOAT, w0f.shape, w0f.flatten()),
            helper.make_tensor("B0", TensorProto.FLOAT, b0f.shape, b0f),
            helper.make_tensor("W1", TensorProto.FLOAT, w1.shape, w1.astype(np.float32).flatten()),
            helper.make_tensor("B1", TensorProto.FLOAT, b1.shape, b1.astype(np.float32))]
    nodes = [helper.make_node("MatMul", ["input", "W0"], ["h0"], name="dense0"),
             helper.make_node("Add", ["h0", "B0"], ["h1"], name="bias0"),
             helper.make_node("Relu", ["h1"], ["h2"], name="relu0"),
             helper.make_node("MatMul", ["h2", "W1"], ["h3"], name="dense1"),
             helper.make_node("Add", ["h3", "B1"], ["h4"], name="bias1"),
             helper.make_node("Sigmoid", ["h4"], ["probability"], name="sigmoid")]
    graph = helper.make_graph(nodes, "cancer_mlp",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", WIDTH])],
                              [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["N", 1])], init)
    return clf, (mu, sigma), model(graph)


gbt_clf, gbt_model = gbt()
mlp_clf, (mu, sigma), mlp_model = mlp()
onnx.save(gbt_model, os.path.join(HERE, "cancer-gbt.onnx"))
onnx.save(mlp_model, os.path.join(HERE, "cancer-mlp.onnx"))
pick = np.random.default_rng(7).choice(len(x), 60, replace=False)
sample = x[pick]
expected = {
    "rows": sample.astype(float).tolist(),
    "gbt_probability": gbt_clf.predict_proba(sample)[:, 1].tolist(),
    "mlp_probability": mlp_clf.predict_proba((sample - mu) / sigma)[:, 1].tolist(),
}
with open(os.path.join(HERE, "cancer-onnx.expected.json"), "w") as f:
    json.dump(expected, f)
print("cancer-gbt.onnx", os.path.getsize(os.path.join(HERE, "cancer-gbt.onnx")), "bytes;",
      "cancer-mlp.onnx", os.path.getsize(os.path.join(HERE, "cancer-mlp.onnx")), "bytes")
