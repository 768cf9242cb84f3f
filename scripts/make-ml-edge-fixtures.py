#!/usr/bin/env python3
"""Generate the edge-case fixtures of the ai.onnx.ml non-tree kernels.

Run from the repository root with an interpreter that has numpy, onnx and onnxruntime
(the pinned versions of scripts/fixtures-requirements.txt):

    .fixture-venv/bin/python scripts/make-ml-edge-fixtures.py

For every fixture NAME it writes Tests/Fixtures/ml/NAME.onnx and NAME.json: a tiny hand-built
model (one operator, attributes chosen to reach one rule of onnxruntime's kernel), a few input
rows, and onnxruntime's outputs for them, in the JSON format of scripts/make-fixtures.py
(a ZipMap output becomes an FP32 [N, C] tensor with the map keys in "labels").

Exporter-made models are covered by scripts/make-fixtures.py; these reach the corners the
exporters do not: each post_transform, single-row binary linear models, every SVM kernel with
and without probabilities, zero and NaN rows, unknown categories, 1-D inputs, index shapes.
Everything is deterministic (fixed seeds, one thread).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from fixture_json import render_json as render, tensor_json, zipmap_json
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "ml"
ML = "ai.onnx.ml"
TYPES = {
    np.float32: TensorProto.FLOAT,
    np.float64: TensorProto.DOUBLE,
    np.int64: TensorProto.INT64,
    np.int32: TensorProto.INT32,
    np.object_: TensorProto.STRING,
}


# --------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------


def tensor_type(arr: np.ndarray, dims) -> onnx.ValueInfoProto:
    return helper.make_tensor_type_proto(TYPES[arr.dtype.type], dims)


def model_of(nodes, inputs: dict[str, tuple[np.ndarray, list]], outputs: list[tuple[str, object]],
             initializers=()) -> onnx.ModelProto:
    """inputs: name -> (value, declared dims); outputs: (name, element type or 'zipmap-int'/'zipmap-str')."""
    graph_inputs = [helper.make_value_info(n, tensor_type(v, dims)) for n, (v, dims) in inputs.items()]
    graph_outputs = []
    for name, kind in outputs:
        if kind in ("zipmap-int", "zipmap-str"):
            key = TensorProto.INT64 if kind == "zipmap-int" else TensorProto.STRING
            t = helper.make_sequence_type_proto(
                helper.make_map_type_proto(key, helper.make_tensor_type_proto(TensorProto.FLOAT, [])))
            graph_outputs.append(helper.make_value_info(name, t))
        else:
            graph_outputs.append(helper.make_tensor_value_info(name, kind, None))
    graph = helper.make_graph(nodes, "edge", graph_inputs, graph_outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(ML, 3)],
                              producer_name="make-ml-edge-fixtures")
    model.ir_version = 8
    return model


def run(model: onnx.ModelProto, feeds: dict[str, np.ndarray]) -> list[dict]:
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    results = sess.run(None, feeds)
    outs = []
    for meta, value in zip(sess.get_outputs(), results):
        if meta.type.startswith("seq(map("):
            outs.append(zipmap_json(meta.name, value))
        else:
            outs.append(tensor_json(meta.name, np.asarray(value)))
    return outs


FIXTURES: list[str] = []


def write(name: str, description: str, model: onnx.ModelProto, feeds: dict[str, np.ndarray]) -> None:
    doc = {"model": name, "description": description,
           "inputs": [tensor_json(i.name, feeds[i.name]) for i in model.graph.input],
           "outputs": run(model, feeds)}
    (OUT / f"{name}.onnx").write_bytes(model.SerializeToString())
    (OUT / f"{name}.json").write_text(render(doc) + "\n")
    FIXTURES.append(name)


def single(name, description, op, x: np.ndarray, dims, outputs, **attrs):
    node = helper.make_node(op, ["X"], [o for o, _ in outputs], domain=ML, **attrs)
    write(name, description, model_of([node], {"X": (x, dims)}, outputs), {"X": x})


def floats(values) -> list[float]:
    return [float(v) for v in np.asarray(values, dtype=np.float32).reshape(-1)]


rng = np.random.RandomState(7)


def rows(n: int, f: int, scale: float = 1.0) -> np.ndarray:
    x = (rng.randn(n, f) * scale).astype(np.float32)
    x[0] = 0  # a zero row
    return x


LABEL = [("label", TensorProto.INT64), ("scores", TensorProto.FLOAT)]
LABEL_S = [("label", TensorProto.STRING), ("scores", TensorProto.FLOAT)]
Y = [("Y", TensorProto.FLOAT)]
TRANSFORMS = ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"]


def linear_classifier() -> None:
    x = rows(12, 3)
    x[1] = [1.0, -1.0, 0.5]
    w1 = [0.4, -0.3, 0.8]
    for pt in ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"]:
        single(f"linear_classifier_one_row_{pt.lower()}",
               f"LinearClassifier, one row of coefficients, labels [3, 7], post_transform {pt}: "
               "scores [N, 2] = [1 - s, s] (logistic(s) for LOGISTIC), label 7 iff s > 0",
               "LinearClassifier", x, [None, 3], LABEL, coefficients=w1, intercepts=[0.05],
               classlabels_ints=[3, 7], post_transform=pt)
    for pt in ["NONE", "LOGISTIC", "PROBIT"]:
        xs = (x * 0.2).astype(np.float32)
        single(f"linear_classifier_one_row_no_labels_{pt.lower()}",
               f"LinearClassifier, one row of coefficients and no labels, post_transform {pt}: "
               "labels 0/1 and scores [N, 1], changed by PROBIT only",
               "LinearClassifier", xs, [None, 3], LABEL, coefficients=w1, intercepts=[0.4],
               post_transform=pt)
    w3 = floats(rng.randn(3, 3))
    for pt in TRANSFORMS:
        xs = (x * (0.1 if pt == "PROBIT" else 1.0)).astype(np.float32)
        intercepts = [0.3, 0.35, 0.4] if pt == "PROBIT" else [0.0, 0.5, 0.0]
        single(f"linear_classifier_3class_{pt.lower()}",
               f"LinearClassifier, 3 classes, int labels, post_transform {pt} (row 0 is zeros)",
               "LinearClassifier", xs, [None, 3], LABEL, coefficients=w3, intercepts=intercepts,
               classlabels_ints=[10, 20, 30], post_transform=pt)
    tie = np.array([[1, 1], [2, 0], [0, 2], [0, 0], [-1, 3]], np.float32)
    single("linear_classifier_string_labels_ties",
           "LinearClassifier, string labels, rows whose scores tie: the first maximum wins",
           "LinearClassifier", tie, [None, 2], LABEL_S, coefficients=[1.0, 0.0, 0.0, 1.0, 0.5, 0.5],
           intercepts=[0.0, 0.0, 0.0], classlabels_strings=["cat", "dog", "eel"], multi_class=1)
    single("linear_classifier_one_row_string_labels",
           "LinearClassifier, one row of coefficients, string labels [neg, pos]",
           "LinearClassifier", x, [None, 3], LABEL_S, coefficients=w1, intercepts=[-0.1],
           classlabels_strings=["neg", "pos"])
    for dtype in (np.float64, np.int64, np.int32):
        xi = np.round(x * 3).astype(dtype)
        single(f"linear_classifier_{np.dtype(dtype).name}_input",
               f"LinearClassifier, {np.dtype(dtype).name} input (rounded to float32 first), SOFTMAX",
               "LinearClassifier", xi, [None, 3], LABEL, coefficients=w3, intercepts=[0.0, 0.5, 0.0],
               classlabels_ints=[0, 1, 2], post_transform="SOFTMAX")
    single("linear_classifier_1d_input", "LinearClassifier on a 1-D input [F]: one row",
           "LinearClassifier", x[1], [3], LABEL, coefficients=w3, intercepts=[0.0, 0.5, 0.0],
           classlabels_ints=[0, 1, 2])


def linear_regressor() -> None:
    x = rows(10, 4)
    w = floats(rng.randn(3, 4))
    for pt in TRANSFORMS:
        single(f"linear_regressor_3targets_{pt.lower()}",
               f"LinearRegressor, 3 targets, post_transform {pt} (per row)",
               "LinearRegressor", (x * 0.1).astype(np.float32), [None, 4], Y, coefficients=w,
               intercepts=[0.2, 0.3, 0.4], targets=3, post_transform=pt)
    for pt in ["LOGISTIC", "PROBIT"]:
        single(f"linear_regressor_1target_{pt.lower()}",
               f"LinearRegressor, 1 target, post_transform {pt}: only PROBIT changes a single target",
               "LinearRegressor", (x * 0.1).astype(np.float32), [None, 4], Y, coefficients=w[:4],
               intercepts=[0.5], post_transform=pt)
    single("linear_regressor_no_intercepts", "LinearRegressor without intercepts, default targets",
           "LinearRegressor", x, [None, 4], Y, coefficients=w[:4])


def normalizer() -> None:
    x = np.array([[1, -2, 0.5], [0, 0, 0], [-3, -1, -2], [np.nan, 1, 2], [4, 0, -4],
                  [np.inf, 1, 1]], np.float32)
    for norm in ["MAX", "L1", "L2"]:
        single(f"normalizer_{norm.lower()}_edges",
               f"Normalizer {norm}: zero row unchanged, negative max, NaN and infinity rows",
               "Normalizer", x, [None, 3], Y, norm=norm)
    xi = np.array([[50000, 3], [-7, 0], [0, 0], [2, -2]], np.int32)
    for norm in ["MAX", "L1", "L2"]:
        single(f"normalizer_{norm.lower()}_int32",
               f"Normalizer {norm} on int32 (L2 squares in int32, so 50000² wraps)",
               "Normalizer", xi, [None, 2], Y, norm=norm)
    xd = np.array([[1e-30, 3e-30], [-2.5, 1.5], [0, 0]], np.float64)
    single("normalizer_l2_double", "Normalizer L2 on float64 (squares in float64)",
           "Normalizer", xd, [None, 2], Y, norm="L2")
    single("normalizer_l1_1d", "Normalizer L1 on a 1-D input", "Normalizer", x[0], [3], Y, norm="L1")
    single("normalizer_default", "Normalizer without 'norm' (MAX)", "Normalizer", x, [None, 3], Y)


def scaler() -> None:
    x = rows(6, 3, 5.0)
    single("scaler_per_feature", "Scaler, one offset and scale per feature", "Scaler", x, [None, 3], Y,
           offset=[1.0, -0.5, 0.25], scale=[2.0, 0.1, -3.0])
    single("scaler_broadcast", "Scaler, a single offset and scale for all features", "Scaler", x,
           [None, 3], Y, offset=[0.3], scale=[1.5])
    xd = (x.astype(np.float64) + 1e-9)
    single("scaler_double", "Scaler on float64: computed in float64, then rounded",
           "Scaler", xd, [None, 3], Y, offset=[0.3, 0.1, 0.7], scale=[0.1, 3.0, 7.0])
    xi = np.array([[16777217, 2, -3], [0, 1, 5]], np.int64)
    single("scaler_int64", "Scaler on int64: rounded to float32 first (16777217 -> 16777216)",
           "Scaler", xi, [None, 3], Y, offset=[0.3, 0.1, 0.7], scale=[0.1, 3.0, 7.0])
    single("scaler_1d", "Scaler on a 1-D input", "Scaler", x[1], [3], Y, offset=[1.0, -0.5, 0.25],
           scale=[2.0, 0.1, -3.0])


def zipmap() -> None:
    p = rng.rand(5, 3).astype(np.float32)
    single("zipmap_int64_labels", "ZipMap with int64 labels straight from the input",
           "ZipMap", p, [None, 3], [("Z", "zipmap-int")], classlabels_int64s=[0, 4, 9])
    single("zipmap_string_labels", "ZipMap with string labels", "ZipMap", p, [None, 3],
           [("Z", "zipmap-str")], classlabels_strings=["a", "b", "c"])
    single("zipmap_1d", "ZipMap on a 1-D input: one row", "ZipMap", p[0], [3],
           [("Z", "zipmap-int")], classlabels_int64s=[1, 2, 3])


def array_feature_extractor() -> None:
    def afe(name, description, x, dims, indices, constant=True, index_dims=None):
        node = helper.make_node("ArrayFeatureExtractor", ["X", "I"], ["Z"], domain=ML)
        out = [("Z", TYPES[x.dtype.type])]
        if constant:
            m = model_of([node], {"X": (x, dims)}, out, [numpy_helper.from_array(indices, "I")])
            write(name, description, m, {"X": x})
        else:
            m = model_of([node], {"X": (x, dims), "I": (indices, index_dims)}, out)
            write(name, description, m, {"X": x, "I": indices})

    x = np.arange(20, dtype=np.float32).reshape(5, 4)
    afe("afe_2d", "ArrayFeatureExtractor on [N, 4] with indices [2, 0, 2]: [N, 3]", x, [None, 4],
        np.array([2, 0, 2], np.int64))
    afe("afe_2d_index_matrix", "ArrayFeatureExtractor, indices of shape [2, 1] are read flat",
        x.astype(np.float64), [None, 4], np.array([[3], [1]], np.int64))
    afe("afe_mlp_labels", "ArrayFeatureExtractor as in MLP exports: int32 class list [3] indexed "
        "by ArgMax's [N, 1] gives [1, N]", np.array([7, 8, 9], np.int32), [3],
        np.array([[2], [0], [1], [1], [2]], np.int64), constant=False, index_dims=[None, 1])
    afe("afe_1d_scalar_index", "ArrayFeatureExtractor, 1-D input and a scalar index: [1, 1]",
        np.array([5, 6, 7], np.int64), [3], np.array(1, np.int64))
    strings = np.array([["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"], ["j", "k", "l"]],
                       dtype=object).reshape(2, 2, 3)
    afe("afe_3d_strings", "ArrayFeatureExtractor on a [2, 2, 3] string tensor: [2, 2, 2]",
        strings, [2, 2, 3], np.array([2, 0], np.int64))


def one_hot_encoder() -> None:
    xi = np.array([[3], [1], [7], [5], [1]], np.int64)
    single("ohe_int64_unknown_zeros", "OneHotEncoder int64 [N, 1] -> [N, 1, 3]; 7 is unknown (zeros=1)",
           "OneHotEncoder", xi, [None, 1], Y, cats_int64s=[1, 3, 5], zeros=1)
    xs = np.array([["a"], ["z"], ["q"], ["nope"]], dtype=object)
    single("ohe_strings_duplicate", "OneHotEncoder strings; 'z' is listed twice and maps to its "
           "last position", "OneHotEncoder", xs, [None, 1], Y, cats_strings=["z", "a", "z", "q"])
    xf = np.array([[3.9], [-1.5], [np.nan], [1e30], [-0.5], [1.0]], np.float32)
    single("ohe_float_truncates", "OneHotEncoder float: truncation toward zero; NaN and 1e30 become "
           "INT64_MIN", "OneHotEncoder", xf, [None, 1], Y,
           cats_int64s=[1, 3, -1, 0, -9223372036854775808])
    xd = np.array([2.0, -2.7, 9.0], np.float64)
    single("ohe_double_1d", "OneHotEncoder float64 [N] -> [N, K]", "OneHotEncoder", xd, [None], Y,
           cats_int64s=[2, -2])
    x2 = np.array([[3, 1], [5, 7]], np.int64)
    single("ohe_int64_two_columns", "OneHotEncoder [N, 2] -> [N, 2, K]", "OneHotEncoder", x2,
           [None, 2], Y, cats_int64s=[1, 3, 5])


SV = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, -0.5], [0.5, 0.5, 0.5], [-1.0, 0.2, 0.3],
               [0.3, -0.7, 1.0], [0.8, 0.1, -0.9]], np.float32)
KERNELS = {"linear": ("LINEAR", [0.0, 0.0, 0.0]), "poly": ("POLY", [0.4, 1.0, 3.0]),
           "poly2": ("POLY", [0.5, 0.2, 2.0]), "rbf": ("RBF", [0.6, 0.0, 0.0]),
           "sigmoid": ("SIGMOID", [0.3, -0.2, 0.0])}


def svm_classifier() -> None:
    x = rows(10, 3)
    for kname, (kernel, params) in KERNELS.items():
        # binary: vectors 0-2 for class 0, 3-5 for class 1
        common = dict(kernel_type=kernel, kernel_params=params, support_vectors=floats(SV),
                      classlabels_ints=[4, 9])
        single(f"svm_binary_{kname}", f"SVMClassifier {kernel}, binary, no probabilities: "
               "scores [-s, s], label by vote", "SVMClassifier", x, [None, 3], LABEL,
               vectors_per_class=[3, 3], coefficients=[0.9, -0.4, 0.7, -0.6, -0.8, 0.3],
               rho=[0.05], **common)
        single(f"svm_binary_{kname}_proba", f"SVMClassifier {kernel}, binary with prob_a/prob_b",
               "SVMClassifier", x, [None, 3], LABEL, vectors_per_class=[3, 3],
               coefficients=[0.9, -0.4, 0.7, -0.6, -0.8, 0.3], rho=[0.05], prob_a=[-1.7],
               prob_b=[0.2], **common)
        common["classlabels_ints"] = [1, 2, 3]
        coefficients = floats(rng.randn(2, 6))
        single(f"svm_3class_{kname}", f"SVMClassifier {kernel}, 3 classes, no probabilities: "
               "[N, 3] pairwise scores", "SVMClassifier", x, [None, 3], LABEL,
               vectors_per_class=[2, 3, 1], coefficients=coefficients, rho=[0.1, -0.2, 0.3], **common)
        single(f"svm_3class_{kname}_proba", f"SVMClassifier {kernel}, 3 classes, pairwise coupling",
               "SVMClassifier", x, [None, 3], LABEL, vectors_per_class=[2, 3, 1],
               coefficients=coefficients, rho=[0.1, -0.2, 0.3], prob_a=[-1.5, -2.0, -0.8],
               prob_b=[0.1, -0.3, 0.05], **common)
    base = dict(kernel_type="RBF", kernel_params=[0.6, 0.0, 0.0], support_vectors=floats(SV),
                vectors_per_class=[3, 3], coefficients=[0.9, -0.4, 0.7, -0.6, -0.8, 0.3], rho=[0.05],
                classlabels_strings=["no", "yes"])
    for pt in ["LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"]:
        single(f"svm_binary_rbf_{pt.lower()}", f"SVMClassifier RBF binary, no probabilities, "
               f"post_transform {pt}: [1 - s, s] (logistic(s) for LOGISTIC)", "SVMClassifier", x,
               [None, 3], LABEL_S, post_transform=pt, **base)
    single("svm_binary_rbf_proba_probit", "SVMClassifier RBF binary with probabilities, PROBIT",
           "SVMClassifier", x, [None, 3], LABEL_S, post_transform="PROBIT", prob_a=[-1.7], prob_b=[0.2],
           **base)
    many = dict(kernel_type="POLY", kernel_params=[0.3, 0.5, 2.0], support_vectors=floats(rng.randn(8, 3)),
                vectors_per_class=[2, 2, 2, 2], coefficients=floats(rng.randn(3, 8)),
                rho=floats(rng.randn(6)), classlabels_ints=[0, 1, 2, 3])
    single("svm_4class_poly_softmax_zero", "SVMClassifier POLY, 4 classes, SOFTMAX_ZERO over the 6 "
           "pairwise scores", "SVMClassifier", x, [None, 3], LABEL, post_transform="SOFTMAX_ZERO", **many)
    single("svm_4class_poly_proba", "SVMClassifier POLY, 4 classes, pairwise coupling", "SVMClassifier",
           x, [None, 3], LABEL, prob_a=floats(-np.abs(rng.randn(6))), prob_b=floats(rng.randn(6) * 0.1),
           **many)
    for name, w in [("mixed", [1.0, -1.0, 2.0, 0.5, 0.5, -1.0]), ("positive", [1.0, 1.0, 2.0, 0.5, 0.5, 1.0])]:
        xl = np.concatenate([x, [[1, -2, 0.5], [0.1, 0.2, -0.3], [3, 1, 2], [0.2, 0.1, 0.05]]]).astype(np.float32)
        single(f"svm_linear_mode_binary_{name}", f"SVMClassifier without support vectors (weights), "
               f"binary, {name} weights: onnxruntime's top-score rule for the label", "SVMClassifier",
               xl, [None, 3], LABEL, kernel_type="LINEAR", kernel_params=[0.0, 0.0, 0.0], coefficients=w,
               rho=[0.1], classlabels_ints=[4, 9])
    single("svm_linear_mode_3class_logistic", "SVMClassifier without support vectors, 3 classes, "
           "rho[0] added to every class, LOGISTIC", "SVMClassifier", x, [None, 3], LABEL,
           kernel_type="LINEAR", kernel_params=[0.0, 0.0, 0.0], coefficients=floats(rng.randn(3, 3)),
           rho=[0.1, 5.0, 5.0], classlabels_ints=[1, 2, 3], post_transform="LOGISTIC")
    single("svm_int64_input", "SVMClassifier RBF on int64 input", "SVMClassifier",
           np.round(x * 2).astype(np.int64), [None, 3], LABEL_S, **base)


def svm_regressor() -> None:
    x = rows(10, 3)
    for kname, (kernel, params) in KERNELS.items():
        single(f"svr_{kname}", f"SVMRegressor {kernel}", "SVMRegressor", x, [None, 3], Y,
               kernel_type=kernel, kernel_params=params, support_vectors=floats(SV), n_supports=6,
               coefficients=[0.9, -0.4, 0.7, -0.6, -0.8, 0.3], rho=[0.05])
    single("svr_one_class", "SVMRegressor one_class: +1 / -1", "SVMRegressor", x, [None, 3], Y,
           kernel_type="RBF", kernel_params=[0.6, 0.0, 0.0], support_vectors=floats(SV), n_supports=6,
           coefficients=[0.9, -0.4, 0.7, -0.6, -0.8, 0.3], rho=[-0.05], one_class=1)
    single("svr_post_transform_ignored", "SVMRegressor with post_transform LOGISTIC, which onnxruntime "
           "does not apply", "SVMRegressor", x, [None, 3], Y, kernel_type="RBF",
           kernel_params=[0.6, 0.0, 0.0], support_vectors=floats(SV), n_supports=6,
           coefficients=[0.9, -0.4, 0.7, -0.6, -0.8, 0.3], rho=[0.05], post_transform="LOGISTIC")
    single("svr_linear_mode", "SVMRegressor without support vectors: a linear model plus rho[0]",
           "SVMRegressor", x, [None, 3], Y, kernel_type="RBF", kernel_params=[0.6, 0.0, 0.0],
           n_supports=0, coefficients=[1.0, -0.5, -0.7], rho=[0.1])
    single("svr_1d", "SVMRegressor on a 1-D input: [1, 1]", "SVMRegressor", x[1], [3], Y,
           kernel_type="POLY", kernel_params=[0.4, 1.0, 3.0], support_vectors=floats(SV), n_supports=6,
           coefficients=[0.9, -0.4, 0.7, -0.6, -0.8, 0.3], rho=[0.05])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in list(OUT.glob("*.onnx")) + list(OUT.glob("*.json")):
        old.unlink()
    linear_classifier()
    linear_regressor()
    normalizer()
    scaler()
    zipmap()
    array_feature_extractor()
    one_hot_encoder()
    svm_classifier()
    svm_regressor()
    print(f"wrote {len(FIXTURES)} fixtures to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
