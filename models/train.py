#!/usr/bin/python3
"""Trains and exports the sample models of the edge agent, bound to `edge-agent simulate modbus`.

Run with Debian's interpreter (python3-onnx, python3-numpy; no PyPI, no torch):

    /usr/bin/python3 models/train.py                  # writes into models/ (next to this script)
    /usr/bin/python3 models/train.py --out DIR        # writes into DIR
    /usr/bin/python3 models/train.py --test-models DIR  # also the tiny models the agent's tests use

It writes, for each model, `name.onnx` and then `name.model.json` (the manifest last: the agent
loads a model only once both files exist and have stopped changing), plus `fixtures.json`: fixed
inputs and the outputs numpy computes for them, which the agent's tests compare with ONNX Runtime.
Everything is seeded: two runs write the same files.
"""

import argparse
import json
import os

# One BLAS thread: the same sums in the same order on every machine (and gateways are small).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the thread setting, which numpy reads on import)
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

OPSET = 17  # the newest opset Debian's onnx 1.12 knows; ONNX Runtime 1.31 runs it.
DEVICE = "simulator"  # the device name of `edge-agent simulate modbus --print-config`
POLL_S = 1.0  # the simulator config polls every 1000 ms


# --- the simulator's signals (edge-agent/src/EdgeCloud.Edge.Modbus/Simulator/SimulatorRegisterMap.cs)
def wave(t, period):
    return np.sin(2 * np.pi * t / period)


def temperature(t):
    return 21.5 + 2.5 * wave(t, 60)


def pressure(t):
    return 1013.25 + 5 * wave(t, 120)


def flow(t):
    return 12.5 + 2.5 * wave(t, 45)


# --- small helpers
def zscore_params(values):
    """Mean and standard deviation, rounded so that the manifest and the training agree exactly."""
    return round(float(np.mean(values)), 4), round(float(np.std(values)), 4)


def save(model, path):
    onnx.checker.check_model(model)
    # Write then rename: a watcher never sees half a file.
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(model.SerializeToString())
    os.replace(tmp, path)


def save_json(obj, path):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def make_model(graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="edgecloud-train")
    model.ir_version = 8
    return model


def f32(array):
    return np.asarray(array, dtype=np.float32)


# --- regression: a soft sensor for the pump's power from flow, pressure and temperature
def power_truth(temp, pres, flw):
    """The synthetic plant law the regression learns (kW)."""
    return 0.9 * flw * (1 + 0.004 * (pres - 1013.25)) + 0.15 * (temp - 21.5) ** 2


def train_regression(rng):
    # Simulator-shaped data: the three signals over an hour, plus uniform samples over their
    # ranges (the sines alone never visit every combination).
    t = np.arange(0, 3600, 2 * POLL_S)
    raw = np.stack([temperature(t), pressure(t), flow(t)], axis=1)
    box = np.stack([rng.uniform(19, 24, 2000), rng.uniform(1008.25, 1018.25, 2000), rng.uniform(10, 15, 2000)], axis=1)
    raw = np.concatenate([raw, box])
    y = power_truth(raw[:, 0], raw[:, 1], raw[:, 2])[:, None]

    norms = [zscore_params(raw[:, i]) for i in range(3)]
    x = (raw - np.array([m for m, _ in norms])) / np.array([s for _, s in norms])
    y_mean, y_std = float(y.mean()), float(y.std())
    yn = (y - y_mean) / y_std

    hidden = 16
    w1 = rng.normal(0, 0.5, (3, hidden))
    b1 = np.zeros(hidden)
    w2 = rng.normal(0, 0.5, (hidden, 1))
    b2 = np.zeros(1)
    params = [w1, b1, w2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, beta1, beta2, eps = 0.02, 0.9, 0.999, 1e-8
    for step in range(1, 2501):  # full-batch Adam on the mean squared error
        h = np.tanh(x @ w1 + b1)
        out = h @ w2 + b2
        err = out - yn
        g_out = 2 * err / len(x)
        g_w2 = h.T @ g_out
        g_b2 = g_out.sum(axis=0)
        g_h = (g_out @ w2.T) * (1 - h ** 2)
        g_w1 = x.T @ g_h
        g_b1 = g_h.sum(axis=0)
        for i, g in enumerate([g_w1, g_b1, g_w2, g_b2]):
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            params[i] -= lr * (m[i] / (1 - beta1 ** step)) / (np.sqrt(v[i] / (1 - beta2 ** step)) + eps)

    # Fold the target's de-normalization into the last layer: the graph outputs kW.
    w2_kw = w2 * y_std
    b2_kw = b2 * y_std + y_mean
    pred = np.tanh(x @ w1 + b1) @ w2_kw + b2_kw
    rmse = float(np.sqrt(np.mean((pred - y) ** 2)))
    return (f32(w1), f32(b1), f32(w2_kw), f32(b2_kw)), norms, rmse


def regression_graph(w1, b1, w2, b2):
    nodes = [
        helper.make_node("Gemm", ["features", "w1", "b1"], ["h_lin"]),
        helper.make_node("Tanh", ["h_lin"], ["h"]),
        helper.make_node("Gemm", ["h", "w2", "b2"], ["power_kw"]),
    ]
    inits = [numpy_helper.from_array(a, n) for a, n in [(w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2")]]
    graph = helper.make_graph(
        nodes, "regression",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 3])],
        [helper.make_tensor_value_info("power_kw", TensorProto.FLOAT, ["batch", 1])],
        inits)
    return make_model(graph)


def regression_numpy(weights, features):
    w1, b1, w2, b2 = weights
    return np.tanh(features @ w1 + b1) @ w2 + b2


# --- anomaly: a linear autoencoder (PCA) over the last 8 polls of temperature and flow
WINDOW = 8
COMPONENTS = 4


def anomaly_windows(rng, count):
    # Polls are not exactly 1 s apart and the values carry a little noise: train on that, so
    # that ordinary jitter scores low and only a real change of shape scores high.
    starts = rng.uniform(0, 3600, count)
    steps = np.arange(WINDOW) * POLL_S
    t = starts[:, None] + steps[None, :] + rng.uniform(-0.1, 0.1, (count, WINDOW))
    windows = np.stack([temperature(t), flow(t)], axis=2)  # [count, window, features], oldest first
    return windows + rng.normal(0, 0.01, windows.shape)


def train_anomaly(rng):
    raw = anomaly_windows(rng, 6000)
    norms = [zscore_params(raw[:, :, i]) for i in range(2)]
    x = ((raw - np.array([m for m, _ in norms])) / np.array([s for _, s in norms])).reshape(len(raw), -1)
    mu = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mu, full_matrices=False)
    basis = vt[:COMPONENTS].T  # [16, k]
    scores = anomaly_numpy((f32(mu), f32(basis)), f32(x))
    return (f32(mu), f32(basis)), norms, float(np.quantile(scores, 0.999))


def anomaly_graph(mu, basis):
    flat = WINDOW * 2
    nodes = [
        helper.make_node("Reshape", ["window", "flat_shape"], ["x"]),
        helper.make_node("Sub", ["x", "mu"], ["centered"]),
        helper.make_node("MatMul", ["centered", "encoder"], ["code"]),
        helper.make_node("MatMul", ["code", "decoder"], ["decoded"]),
        helper.make_node("Sub", ["centered", "decoded"], ["residual"]),
        helper.make_node("Mul", ["residual", "residual"], ["squared"]),
        helper.make_node("ReduceMean", ["squared"], ["score"], axes=[1], keepdims=1),
    ]
    inits = [
        numpy_helper.from_array(np.array([-1, flat], dtype=np.int64), "flat_shape"),
        numpy_helper.from_array(mu, "mu"),
        numpy_helper.from_array(basis, "encoder"),
        numpy_helper.from_array(np.ascontiguousarray(basis.T), "decoder"),
    ]
    graph = helper.make_graph(
        nodes, "anomaly",
        [helper.make_tensor_value_info("window", TensorProto.FLOAT, ["batch", WINDOW, 2])],
        [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["batch", 1])],
        inits)
    return make_model(graph)


def anomaly_numpy(weights, x):
    mu, basis = weights
    centered = x.reshape(len(x), -1) - mu
    residual = centered - (centered @ basis) @ basis.T
    return np.mean(residual * residual, axis=1, keepdims=True)


# --- manifests
def feature(tag, norm):
    mean, std = norm
    return {"tag": f"{DEVICE}/{tag}", "normalize": {"mean": mean, "std": std}}


def regression_manifest(norms, rmse):
    return {
        "description": f"Soft sensor: pump power (kW) from temperature, pressure and flow; a 3-16-1 tanh MLP, training RMSE {rmse:.4f} kW.",
        "runIntervalMs": 1000,
        "inputs": [{
            "name": "features",
            "window": 1,
            "fill": "hold",
            "features": [feature("temperature", norms[0]), feature("pressure", norms[1]), feature("flow", norms[2])],
        }],
        "outputs": [{"name": "power_kw", "tag": "model/power_kw"}],
    }


def anomaly_manifest(norms, threshold):
    return {
        "description": (
            "Anomaly score: mean squared reconstruction error of a linear autoencoder (PCA, "
            f"{COMPONENTS} components) over the last {WINDOW} polls of temperature and flow. "
            f"Normal operation stays below {threshold:.2e} (99.9th percentile on the simulator); alarm above 10x that."),
        "runIntervalMs": 1000,
        "inputs": [{
            "name": "window",
            "window": WINDOW,
            "fill": "wait",
            "features": [feature("temperature", norms[0]), feature("flow", norms[1])],
        }],
        "outputs": [{"name": "score", "tag": "model/anomaly_score"}],
    }


# --- fixtures: fixed inputs and what numpy says the models output for them
def normalize(raw, norms):
    return (np.asarray(raw, dtype=np.float64) - np.array([m for m, _ in norms])) / np.array([s for _, s in norms])


def regression_fixtures(weights, norms):
    cases = []
    for temp, pres, flw in [(21.5, 1013.25, 12.5), (19.0, 1008.25, 10.0), (24.0, 1018.25, 15.0), (22.7, 1010.0, 13.9)]:
        features = f32(normalize([temp, pres, flw], norms))[None, :]
        out = regression_numpy(weights, features)
        cases.append({
            "tags": {f"{DEVICE}/temperature": [temp], f"{DEVICE}/pressure": [pres], f"{DEVICE}/flow": [flw]},
            "inputs": {"features": features.ravel().tolist()},
            "outputs": {"model/power_kw": float(out[0, 0])},
            "truth": float(power_truth(temp, pres, flw)),
        })
    return cases


def anomaly_fixtures(weights, norms):
    t = 100 + np.arange(WINDOW) * POLL_S
    normal = np.stack([temperature(t), flow(t)], axis=1)
    spike = normal.copy()
    spike[5, 0] += 3.0  # a 3 degC blip in one poll
    frozen_noise = normal.copy()
    frozen_noise[:, 1] = [12.0, 14.5, 10.5, 15.0, 11.0, 13.5, 10.2, 14.8]  # flow jumping around
    cases = []
    for label, raw in [("normal", normal), ("spike", spike), ("noisy flow", frozen_noise)]:
        window = f32(normalize(raw, norms))[None, :, :]
        out = anomaly_numpy(weights, window)
        cases.append({
            "label": label,
            "tags": {f"{DEVICE}/temperature": raw[:, 0].tolist(), f"{DEVICE}/flow": raw[:, 1].tolist()},
            "inputs": {"window": window.ravel().tolist()},
            "outputs": {"model/anomaly_score": float(out[0, 0])},
        })
    return cases


# --- tiny models for the agent's tests (not samples): y = x + offset, and a model with an int64 input
def offset_model(offset):
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "offset"], ["y"])], "offset",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 1])],
        [numpy_helper.from_array(np.array([offset], dtype=np.float32), "offset")])
    return make_model(graph)


def int64_input_model():
    graph = helper.make_graph(
        [helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT)], "int64_input",
        [helper.make_tensor_value_info("x", TensorProto.INT64, ["batch", 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 1])])
    return make_model(graph)


def write_test_models(folder):
    os.makedirs(folder, exist_ok=True)
    for name, offset in [("offset_0", 0.0), ("offset_half", 0.5), ("offset_million", 1_000_000.0)]:
        save(offset_model(offset), os.path.join(folder, name + ".onnx"))
    save(int64_input_model(), os.path.join(folder, "int64_input.onnx"))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=here, help="folder for the models, manifests and fixtures.json")
    parser.add_argument("--test-models", metavar="DIR", help="also write the agent tests' tiny models into DIR")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20261124)

    reg_weights, reg_norms, rmse = train_regression(rng)
    save(regression_graph(*reg_weights), os.path.join(args.out, "regression.onnx"))
    save_json(regression_manifest(reg_norms, rmse), os.path.join(args.out, "regression.model.json"))

    ano_weights, ano_norms, threshold = train_anomaly(rng)
    save(anomaly_graph(*ano_weights), os.path.join(args.out, "anomaly.onnx"))
    save_json(anomaly_manifest(ano_norms, threshold), os.path.join(args.out, "anomaly.model.json"))

    fixtures = {
        "regression": regression_fixtures(reg_weights, reg_norms),
        "anomaly": anomaly_fixtures(ano_weights, ano_norms),
    }
    save_json(fixtures, os.path.join(args.out, "fixtures.json"))
    if args.test_models:
        write_test_models(args.test_models)
    print(f"regression: training RMSE {rmse:.4f} kW; anomaly: 99.9th percentile of normal scores {threshold:.3e}")
    for case in fixtures["anomaly"]:
        print(f"  anomaly fixture '{case['label']}': score {case['outputs']['model/anomaly_score']:.3e}")


if __name__ == "__main__":
    main()
