"""Trains the benchmark MLP (784-128-64-10, ReLU, softmax) on Fashion-MNIST's 10k test split and writes it as ONNX.

Run from this folder with Debian's python3-sklearn, python3-numpy and python3-onnx:  /usr/bin/python3 make_fashion_mlp.py
The graph is MatMul + Add + Relu per hidden layer, MatMul + Add + Softmax at the end, float32 weights; the model is
only a realistic set of weights for timing, so it is trained briefly and on the split the benchmarks score.
"""
import gzip
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.neural_network import MLPClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
with gzip.open(os.path.join(HERE, "t10k-images-idx3-ubyte.gz")) as f:
    images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255.0
with gzip.open(os.path.join(HERE, "t10k-labels-idx1-ubyte.gz")) as f:
    labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)

mlp = MLPClassifier(hidden_layer_sizes=(128, 64), activation="relu", max_iter=15, random_state=0)
mlp.fit(images, labels)
print("training accuracy", mlp.score(images, labels))

nodes, inits, current = [], [], "input"
for i, (w, b) in enumerate(zip(mlp.coefs_, mlp.intercepts_)):
    inits += [numpy_helper.from_array(w.astype(np.float32), f"W{i}"), numpy_helper.from_array(b.astype(np.float32), f"b{i}")]
    nodes += [helper.make_node("MatMul", [current, f"W{i}"], [f"m{i}"], name=f"matmul{i}"),
              helper.make_node("Add", [f"m{i}", f"b{i}"], [f"h{i}"], name=f"add{i}")]
    current = f"h{i}"
    if i < len(mlp.coefs_) - 1:
        nodes.append(helper.make_node("Relu", [current], [f"r{i}"], name=f"relu{i}"))
        current = f"r{i}"
nodes.append(helper.make_node("Softmax", [current], ["probabilities"], name="softmax", axis=-1))
graph = helper.make_graph(nodes, "fashion_mnist_mlp",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 784])],
                          [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 10])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="MLSystemDesign")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(HERE, "fashion-mnist-mlp-784-128-64-10.onnx"))
