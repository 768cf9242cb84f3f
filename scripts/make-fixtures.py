#!/usr/bin/env python3
"""Generate the ONNX runtime test fixtures and the example model repository.

Run from the repository root:

    python3 -m venv .fixture-venv && .fixture-venv/bin/pip install -r scripts/fixtures-requirements.txt
    .fixture-venv/bin/python scripts/make-fixtures.py              # fixtures and examples
    .fixture-venv/bin/python scripts/make-fixtures.py --fixtures   # Tests/Fixtures/runtime only
    .fixture-venv/bin/python scripts/make-fixtures.py --examples   # examples/models only

(`python3 scripts/make-fixtures.py` works with any interpreter that has the pinned packages.)

For every fixture NAME it writes Tests/Fixtures/runtime/NAME.onnx and NAME.json, the JSON
holding 32 input rows and onnxruntime's outputs for them (every graph output, in graph
order). onnxruntime is the reference: where scikit-learn, XGBoost or LightGBM disagree with
it (float32 thresholds, NaN routing), the fixture records what onnxruntime computes.

JSON schema (one object per file):
    {"model": NAME, "description": "...", "zipmap": bool,
     "inputs":  [{"name", "datatype", "shape", "data"}],
     "outputs": [{"name", "datatype", "shape", "data", "labels"?}]}
datatype is FP32, FP64, INT64, INT32, BYTES or BOOL; data is flat, row-major. Floats are
JSON numbers printed from float(v) of the float32/float64 value, so parsing them as Float32
(or Double) is exact; NaN and infinities are the strings "NaN", "Infinity", "-Infinity".
A ZipMap output (a sequence of maps) is written as an FP32 [N, C] tensor whose columns follow
the map keys in the order onnxruntime returns them (the classlabels order), with the keys
in "labels"; the top-level "zipmap" says whether the model has such an output.

Models that no exporter produces (ai.onnx.ml opset 3 `*_as_tensor` trees, the opset 5
TreeEnsemble operator, other node modes and post transforms) are derived here from exported
models with onnx.helper and checked against the model they came from before being written.

Everything is deterministic: fixed seeds, single-threaded training and inference, so two
runs give byte-identical files. Nothing is skipped: any failure stops the script.
"""

from __future__ import annotations

import os
import sys

# skl2onnx orders opset imports by iterating a set of strings: fix the hash seed (by
# re-executing) so that order, and so the .onnx bytes, are the same on every run.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, *sys.argv])

# Single-threaded BLAS and OpenMP before numpy loads: bitwise-reproducible training.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import copy
import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fixture_json import datatype_of, json_scalar, render_json, tensor_json, zipmap_json
import onnx
import onnxruntime as ort
import pandas as pd
from onnx import TensorProto, helper, numpy_helper

import lightgbm
import onnxmltools
import sklearn
import skl2onnx
import xgboost
from lightgbm import LGBMClassifier, LGBMRegressor
from onnxmltools import convert_lightgbm, convert_xgboost
from onnxmltools.convert.common.data_types import FloatTensorType as MLFloatTensorType
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import (
    DoubleTensorType,
    FloatTensorType,
    Int64TensorType,
    StringTensorType,
)
from skl2onnx.common.tree_ensemble import add_tree_to_attribute_pairs
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Normalizer, OneHotEncoder, StandardScaler
from sklearn.svm import SVC, SVR, LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from xgboost import XGBClassifier, XGBRegressor

warnings.filterwarnings("ignore")  # convergence and feature-name chatter from the trainers

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIR = ROOT / "Tests" / "Fixtures" / "runtime"
EXAMPLES_DIR = ROOT / "examples" / "models"
N_ROWS = 32

# Where the row layout of tree-model inputs puts its edge cases (see tree_rows()).
ROWS_ON_THRESHOLD = range(20, 28)
ROW_ABOVE_THRESHOLD = 28
ROW_BELOW_THRESHOLD = 29
ROW_FAR_OUT = 30
ROW_ALL_NAN = 31

ML_DOMAIN = "ai.onnx.ml"
TREE_OPS = ("TreeEnsembleRegressor", "TreeEnsembleClassifier", "TreeEnsemble")


# --------------------------------------------------------------------------------------
# Fixture records and the JSON writer
# --------------------------------------------------------------------------------------


@dataclass
class Fixture:
    name: str
    description: str
    model: onnx.ModelProto
    feeds: dict[str, np.ndarray]
    # Filled in by write_fixture().
    summary: dict = field(default_factory=dict)


# --------------------------------------------------------------------------------------
# onnxruntime
# --------------------------------------------------------------------------------------


def ort_session(model: onnx.ModelProto) -> ort.InferenceSession:
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.log_severity_level = 3  # LightGBM's declared label shape [1] makes ORT warn.
    return ort.InferenceSession(
        model.SerializeToString(), so, providers=["CPUExecutionProvider"]
    )


def ort_run(model: onnx.ModelProto, feeds: dict[str, np.ndarray]) -> list:
    sess = ort_session(model)
    expected = [i.name for i in sess.get_inputs()]
    if sorted(expected) != sorted(feeds):
        raise ValueError(f"feeds {sorted(feeds)} do not match model inputs {expected}")
    return sess.run(None, feeds)


def ort_outputs_json(model: onnx.ModelProto, feeds) -> tuple[list[dict], bool]:
    sess = ort_session(model)
    results = sess.run(None, feeds)
    outs, has_zipmap = [], False
    for meta, value in zip(sess.get_outputs(), results):
        if meta.type.startswith("seq(map("):
            has_zipmap = True
            outs.append(zipmap_json(meta.name, value))
        else:
            outs.append(tensor_json(meta.name, np.asarray(value)))
    return outs, has_zipmap


# --------------------------------------------------------------------------------------
# Model inspection
# --------------------------------------------------------------------------------------


def operators_of(model: onnx.ModelProto) -> list[str]:
    ops = []
    for n in model.graph.node:
        label = f"{n.domain or 'ai.onnx'}:{n.op_type}"
        if label not in ops:
            ops.append(label)
    return ops


def opsets_of(model: onnx.ModelProto) -> list[str]:
    return [f"{o.domain or 'ai.onnx'}={o.version}" for o in model.opset_import]


def attr(node: onnx.NodeProto, name: str, default=None):
    for a in node.attribute:
        if a.name == name:
            v = helper.get_attribute_value(a)
            if isinstance(v, TensorProto):
                return numpy_helper.to_array(v)
            if isinstance(v, bytes):
                return v.decode()
            if isinstance(v, list) and v and isinstance(v[0], bytes):
                return [s.decode() for s in v]
            return v
    return default


def set_attr(node: onnx.NodeProto, name: str, value) -> None:
    """Replace (or add) one attribute, keeping attributes sorted by name."""
    attrs = [a for a in node.attribute if a.name != name]
    attrs.append(helper.make_attribute(name, value))
    attrs.sort(key=lambda a: a.name)
    del node.attribute[:]
    node.attribute.extend(attrs)


def remove_attr(node: onnx.NodeProto, name: str) -> None:
    attrs = [a for a in node.attribute if a.name != name]
    del node.attribute[:]
    node.attribute.extend(attrs)


def tree_node(model: onnx.ModelProto) -> onnx.NodeProto:
    nodes = [n for n in model.graph.node if n.op_type in TREE_OPS]
    if len(nodes) != 1:
        raise ValueError(f"expected one tree ensemble node, found {len(nodes)}")
    return nodes[0]


def tree_splits(model: onnx.ModelProto) -> list[tuple[int, int, float, bool]]:
    """(tree, feature, threshold, is_root) of every branch node, in node order."""
    node = tree_node(model)
    if node.op_type == "TreeEnsemble":
        roots = set(attr(node, "tree_roots"))
        modes = attr(node, "nodes_modes")
        splits = attr(node, "nodes_splits")
        feats = attr(node, "nodes_featureids")
        out, tree = [], -1
        for i, (m, f, s) in enumerate(zip(modes, feats, splits)):
            if i in roots:
                tree += 1
            if m != 6:  # BRANCH_MEMBER has no threshold
                out.append((tree, int(f), float(s), i in roots))
        return out
    values = attr(node, "nodes_values_as_tensor")
    if values is None:
        values = np.array(attr(node, "nodes_values"), dtype=np.float32)
    treeids = attr(node, "nodes_treeids")
    nodeids = attr(node, "nodes_nodeids")
    modes = attr(node, "nodes_modes")
    feats = attr(node, "nodes_featureids")
    children = {
        (t, c)
        for t, a, b, m in zip(
            treeids, attr(node, "nodes_truenodeids"), attr(node, "nodes_falsenodeids"), modes
        )
        if m != "LEAF"
        for c in (a, b)
    }
    return [
        (int(t), int(f), float(v), (t, n) not in children)
        for t, n, m, f, v in zip(treeids, nodeids, modes, feats, values)
        if m != "LEAF"
    ]


# --------------------------------------------------------------------------------------
# Input rows
# --------------------------------------------------------------------------------------


def dense_rows(X: np.ndarray, dtype=np.float32) -> np.ndarray:
    """32 rows for linear, kernel and neural models: 30 held-out rows and two far-out rows
    (|x| = 1000) that push logits far enough to saturate softmax and sigmoid."""
    rows = np.array(X[:N_ROWS], dtype=dtype, copy=True)
    f = rows.shape[1]
    rows[30] = np.where(np.arange(f) % 2 == 0, 1000.0, -1000.0)
    rows[31] = np.where(np.arange(f) % 2 == 0, -1000.0, 1000.0)
    return rows


def tree_rows(
    X: np.ndarray,
    model: onnx.ModelProto,
    dtype=np.float32,
    nan: bool = False,
    sklearn_thresholds: list[tuple[int, float]] | None = None,
    seed: int = 0,
) -> np.ndarray:
    """32 rows for tree models.

    rows 0-19: held-out data (row 19: sklearn's own float64 thresholds rounded to the
               input type, where given: they may differ from the exported threshold);
    rows 20-27: cells set exactly to thresholds read from the exported model (roots of the
               first trees plus deeper nodes), so `x <= t` is decided on equality;
    row 28/29: thresholds on up to three features (roots first) one ulp up/down in the
               input type;
    row 30:    far-out values (and +/-Infinity when nan=True);
    row 31:    far-out values, or all NaN when nan=True.
    With nan=True about 10% of the other cells are NaN (never a threshold cell)."""
    rows = np.array(X[:N_ROWS], dtype=dtype, copy=True)
    n_features = rows.shape[1]
    splits = tree_splits(model)
    roots = [s for s in splits if s[3]]
    deeper = [s for s in splits if not s[3]] or roots
    protected = np.zeros(rows.shape, dtype=bool)

    def put(r, f, v):
        rows[r, f] = v
        protected[r, f] = True

    if sklearn_thresholds:
        for f, t in list(dict(reversed(sklearn_thresholds)).items())[:3]:  # first per feature
            put(19, f, dtype(t))
    for k, r in enumerate(ROWS_ON_THRESHOLD):
        _, f, t, _ = roots[k % len(roots)]
        put(r, f, dtype(t))
        used = {f}
        # Two deeper thresholds on other features, spread over the node list.
        for j in range(2):
            start = ((2 * k + j) * len(deeper)) // (2 * len(ROWS_ON_THRESHOLD))
            for i in range(len(deeper)):
                _, f2, t2, _ = deeper[(start + i) % len(deeper)]
                if f2 not in used:
                    put(r, f2, dtype(t2))
                    used.add(f2)
                    break
    nudged = {}  # up to three thresholds on distinct features, roots first
    for _, f, t, _ in roots + deeper:
        if len(nudged) < 3 and f not in nudged:
            nudged[f] = t
    for r, direction in ((ROW_ABOVE_THRESHOLD, np.inf), (ROW_BELOW_THRESHOLD, -np.inf)):
        for f, t in nudged.items():
            put(r, f, np.nextafter(dtype(t), dtype(direction)))
    rows[ROW_FAR_OUT] = np.where(np.arange(n_features) % 2 == 0, 1e6, -1e6)
    rows[ROW_ALL_NAN] = np.where(np.arange(n_features) % 2 == 0, -1e6, 1e6)
    if nan:
        rng = np.random.RandomState(seed + 1234)
        mask = (rng.rand(*rows.shape) < 0.10) & ~protected
        mask[ROW_FAR_OUT] = False
        rows[mask] = np.nan
        rows[ROW_FAR_OUT, 0] = np.inf
        rows[ROW_FAR_OUT, n_features - 1] = -np.inf
        rows[ROW_ALL_NAN] = np.nan
    return rows


def sk_root_thresholds(est) -> list[tuple[int, float]]:
    """(feature, float64 threshold) of the root split of each fitted sklearn tree."""
    trees = list(np.ravel(est.estimators_)) if hasattr(est, "estimators_") else [est]
    out = []
    for t in trees:
        tree = t.tree_
        if tree.children_left[0] != -1:
            out.append((int(tree.feature[0]), float(tree.threshold[0])))
    return out


# --------------------------------------------------------------------------------------
# Data sets (all seeded)
# --------------------------------------------------------------------------------------


def binary_data(n_features=6, n_samples=300, seed=0):
    X, y = make_classification(
        n_samples=n_samples, n_features=n_features, n_informative=4, n_redundant=0,
        n_classes=2, random_state=seed,
    )
    X = X.astype(np.float32)
    return X[:-N_ROWS], y[:-N_ROWS], X[-N_ROWS:]


def multiclass_data(n_features=6, n_classes=3, n_samples=300, seed=0):
    X, y = make_classification(
        n_samples=n_samples, n_features=n_features, n_informative=4, n_redundant=0,
        n_classes=n_classes, n_clusters_per_class=1, random_state=seed,
    )
    X = X.astype(np.float32)
    return X[:-N_ROWS], y[:-N_ROWS], X[-N_ROWS:]


def regression_data(n_features=6, n_samples=300, seed=0):
    X, y = make_regression(
        n_samples=n_samples, n_features=n_features, n_informative=4, noise=5.0,
        random_state=seed,
    )
    X = X.astype(np.float32)
    return X[:-N_ROWS], y[:-N_ROWS], X[-N_ROWS:]


def iris_data():
    """Iris shuffled with a fixed seed: 118 rows to train, 32 held out."""
    X, y = load_iris(return_X_y=True)
    perm = np.random.RandomState(0).permutation(len(X))
    X, y = X[perm].astype(np.float32), y[perm]
    return X[:-N_ROWS], y[:-N_ROWS], X[-N_ROWS:]


def with_nan(X: np.ndarray, seed: int, frac: float = 0.1) -> np.ndarray:
    X = X.copy()
    X[np.random.RandomState(seed).rand(*X.shape) < frac] = np.nan
    return X


# --------------------------------------------------------------------------------------
# Exporters
# --------------------------------------------------------------------------------------


def skl(model, n_features, dtype=np.float32, zipmap=None, target_opset=None):
    tensor_type = FloatTensorType if dtype == np.float32 else DoubleTensorType
    options = None
    if zipmap is not None:
        est = model.steps[-1][1] if isinstance(model, Pipeline) else model
        options = {id(est): {"zipmap": zipmap}}
    return convert_sklearn(
        model,
        initial_types=[("X", tensor_type([None, n_features]))],
        options=options,
        target_opset=target_opset,
    )


def _coerce_missing_flag_to_int() -> None:
    """skl2onnx 1.20 gives HistGradientBoosting leaves a Python `False` as their
    nodes_missing_value_tracks_true; protobuf 7 refuses a bool in an `ints` field, so every
    HistGradientBoosting export fails. Pass the flag on as an int instead."""
    import skl2onnx.common.tree_ensemble as tree_ensemble

    original = tree_ensemble.add_node
    if getattr(original, "coerces_missing_flag", False):
        return

    def add_node(*args, nodes_missing_value_tracks_true=0, **kwargs):
        return original(*args, nodes_missing_value_tracks_true=int(
            nodes_missing_value_tracks_true), **kwargs)

    add_node.coerces_missing_flag = True
    tree_ensemble.add_node = add_node


_coerce_missing_flag_to_int()


def xgb(model, n_features):
    return convert_xgboost(model, initial_types=[("input", MLFloatTensorType([None, n_features]))])


def lgbm(model, n_features, zipmap):
    return convert_lightgbm(
        model, initial_types=[("input", MLFloatTensorType([None, n_features]))], zipmap=zipmap
    )


def set_ml_opset(model: onnx.ModelProto, version: int) -> None:
    for o in model.opset_import:
        if o.domain == ML_DOMAIN:
            o.version = version
            return
    model.opset_import.append(helper.make_opsetid(ML_DOMAIN, version))


def single_input(X: np.ndarray, model: onnx.ModelProto) -> dict[str, np.ndarray]:
    return {model.graph.input[0].name: X}


# --------------------------------------------------------------------------------------
# Derived tree models: ai.onnx.ml opset 3 (*_as_tensor) and opset 5 (TreeEnsemble)
# --------------------------------------------------------------------------------------


def double_tree_attrs(est, classifier: bool) -> dict:
    """skl2onnx's own attribute lists for a random forest, kept in float64 (skl2onnx 1.20
    computes them in float64 for double inputs but then stores them as float32 `floats`)."""
    attrs = {k: [] for k in (
        "nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
        "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
        "nodes_hitrates", "class_treeids", "class_nodeids", "class_ids", "class_weights",
        "target_treeids", "target_nodeids", "target_ids", "target_weights",
    )}
    n = len(est.estimators_)
    for tree_id, e in enumerate(est.estimators_):
        add_tree_to_attribute_pairs(
            attrs, classifier, e.tree_, tree_id, 1.0 / n, 0, classifier, True, dtype=np.float64
        )
    return attrs


def to_ml3_double(model: onnx.ModelProto, est, classifier: bool) -> onnx.ModelProto:
    """Rewrite a double-input skl2onnx forest as ai.onnx.ml opset 3 with float64
    `nodes_values_as_tensor` and `{class,target}_weights_as_tensor`."""
    model = copy.deepcopy(model)
    node = tree_node(model)
    attrs = double_tree_attrs(est, classifier)
    for key in ("nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_truenodeids",
                "nodes_falsenodeids"):
        if list(attr(node, key)) != [int(v) for v in attrs[key]]:
            raise ValueError(f"recomputed {key} differs from skl2onnx's")
    weights = "class_weights" if classifier else "target_weights"
    remove_attr(node, "nodes_values")
    remove_attr(node, weights)
    remove_attr(node, "nodes_hitrates")
    set_attr(node, "nodes_values_as_tensor",
             numpy_helper.from_array(np.array(attrs["nodes_values"], dtype=np.float64)))
    set_attr(node, f"{weights}_as_tensor",
             numpy_helper.from_array(np.array(attrs[weights], dtype=np.float64)))
    set_ml_opset(model, 3)
    # The ML operators' scores are float32 whatever the input type.
    for out in model.graph.output:
        if out.type.tensor_type.elem_type == TensorProto.DOUBLE:
            out.type.tensor_type.elem_type = TensorProto.FLOAT
    onnx.checker.check_model(model)
    return model


MODE_CODES = {"BRANCH_LEQ": 0, "BRANCH_LT": 1, "BRANCH_GTE": 2, "BRANCH_GT": 3,
              "BRANCH_EQ": 4, "BRANCH_NEQ": 5, "BRANCH_MEMBER": 6}
POST_CODES = {"NONE": 0, "SOFTMAX": 1, "LOGISTIC": 2, "SOFTMAX_ZERO": 3, "PROBIT": 4}
AGGREGATE_CODES = {"AVERAGE": 0, "SUM": 1, "MIN": 2, "MAX": 3}


@dataclass
class TE5:
    """Builder of TreeEnsemble (ai.onnx.ml opset 5) attributes: nodes in preorder per
    tree, leaves appended as they are reached."""

    dtype: type
    featureids: list = field(default_factory=list)
    splits: list = field(default_factory=list)
    modes: list = field(default_factory=list)
    truenodeids: list = field(default_factory=list)
    trueleafs: list = field(default_factory=list)
    falsenodeids: list = field(default_factory=list)
    falseleafs: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    membership: list = field(default_factory=list)
    leaf_targetids: list = field(default_factory=list)
    leaf_weights: list = field(default_factory=list)
    roots: list = field(default_factory=list)

    def leaf(self, target: int, weight: float) -> int:
        self.leaf_targetids.append(int(target))
        self.leaf_weights.append(weight)
        return len(self.leaf_weights) - 1

    def branch(self, feature, mode, split, missing=0, members=None) -> int:
        self.featureids.append(int(feature))
        self.modes.append(MODE_CODES[mode])
        self.splits.append(split)
        self.missing.append(int(missing))
        if mode == "BRANCH_MEMBER":
            self.membership.extend(list(members) + [np.nan])
        for lst in (self.truenodeids, self.trueleafs, self.falsenodeids, self.falseleafs):
            lst.append(-1)
        return len(self.featureids) - 1

    def link(self, index: int, true_child: tuple[bool, int], false_child: tuple[bool, int]):
        self.trueleafs[index], self.truenodeids[index] = int(true_child[0]), true_child[1]
        self.falseleafs[index], self.falsenodeids[index] = int(false_child[0]), false_child[1]

    def constant_tree(self, target: int, weight: float) -> None:
        """A tree that is a single leaf: one node whose branches both name that leaf."""
        leaf = self.leaf(target, weight)
        root = self.branch(0, "BRANCH_LEQ", 0.0)
        self.link(root, (True, leaf), (True, leaf))
        self.roots.append(root)

    def node(self, n_targets, post_transform="NONE", aggregate="SUM") -> onnx.NodeProto:
        t = lambda v: numpy_helper.from_array(np.array(v, dtype=self.dtype))  # noqa: E731
        kwargs = dict(
            n_targets=int(n_targets),
            aggregate_function=AGGREGATE_CODES[aggregate],
            post_transform=POST_CODES[post_transform],
            tree_roots=self.roots,
            nodes_featureids=self.featureids,
            nodes_splits=t(self.splits),
            nodes_modes=numpy_helper.from_array(np.array(self.modes, dtype=np.uint8)),
            nodes_truenodeids=self.truenodeids,
            nodes_trueleafs=self.trueleafs,
            nodes_falsenodeids=self.falsenodeids,
            nodes_falseleafs=self.falseleafs,
            leaf_targetids=self.leaf_targetids,
            leaf_weights=t(self.leaf_weights),
        )
        if any(self.missing):
            kwargs["nodes_missing_value_tracks_true"] = self.missing
        if self.membership:
            kwargs["membership_values"] = t(self.membership)
        return helper.make_node("TreeEnsemble", ["X"], ["Y"], domain=ML_DOMAIN, **kwargs)


def te5_from_v1(node: onnx.NodeProto, dtype, aggregate="SUM", post_transform=None,
                binary_as_single_target=False) -> tuple[TE5, int, str]:
    """Convert TreeEnsembleRegressor/Classifier (ai.onnx.ml 1 or 3) attributes to the
    TreeEnsemble form. A tree whose leaves feed several targets becomes one tree per
    target; base_values become single-leaf trees (so only SUM keeps the meaning)."""
    classifier = node.op_type == "TreeEnsembleClassifier"
    p = "class" if classifier else "target"
    values = attr(node, "nodes_values_as_tensor")
    if values is None:
        values = np.array(attr(node, "nodes_values"), dtype=np.float32)
    weights = attr(node, f"{p}_weights_as_tensor")
    if weights is None:
        weights = np.array(attr(node, f"{p}_weights"), dtype=np.float32)
    treeids = attr(node, "nodes_treeids")
    nodeids = attr(node, "nodes_nodeids")
    n_nodes = len(treeids)
    missing = attr(node, "nodes_missing_value_tracks_true") or [0] * n_nodes
    feats, modes = attr(node, "nodes_featureids"), attr(node, "nodes_modes")
    trues, falses = attr(node, "nodes_truenodeids"), attr(node, "nodes_falsenodeids")
    table = {}
    for i in range(n_nodes):
        table[(treeids[i], nodeids[i])] = dict(
            feature=feats[i], mode=modes[i], value=values[i], true=trues[i],
            false=falses[i], missing=missing[i], leaf={},
        )
    for t, n, c, w in zip(attr(node, f"{p}_treeids"), attr(node, f"{p}_nodeids"),
                          attr(node, f"{p}_ids"), weights):
        leaf = table[(t, n)]["leaf"]
        leaf[c] = leaf.get(c, 0.0) + float(w)
    if classifier:
        labels = attr(node, "classlabels_int64s") or attr(node, "classlabels_strings")
        n_targets = 1 if binary_as_single_target else len(labels)
        if binary_as_single_target and len(labels) != 2:
            raise ValueError("binary_as_single_target needs a binary classifier")
    else:
        n_targets = attr(node, "n_targets")
    post = post_transform or attr(node, "post_transform", "NONE")

    te = TE5(dtype=dtype)
    tree_order = list(dict.fromkeys(treeids))
    for tree in tree_order:
        ids = [n for (t, n) in table if t == tree]
        children = {c for n in ids if table[(tree, n)]["mode"] != "LEAF"
                    for c in (table[(tree, n)]["true"], table[(tree, n)]["false"])}
        root = [n for n in ids if n not in children]
        if len(root) != 1:
            raise ValueError(f"tree {tree}: {len(root)} roots")
        targets = sorted({c for n in ids for c in table[(tree, n)]["leaf"]})
        for target in targets or [0]:
            def build(n):
                e = table[(tree, n)]
                if e["mode"] == "LEAF":
                    return True, te.leaf(target, e["leaf"].get(target, 0.0))
                index = te.branch(e["feature"], e["mode"], e["value"], e["missing"])
                te.link(index, build(e["true"]), build(e["false"]))
                return False, index

            is_leaf, index = build(root[0])
            if is_leaf:
                leaf = index
                index = te.branch(0, "BRANCH_LEQ", 0.0)
                te.link(index, (True, leaf), (True, leaf))
            te.roots.append(index)
    base = attr(node, "base_values_as_tensor")
    if base is None:
        base = attr(node, "base_values")
    if base is not None and len(base):
        if aggregate != "SUM":
            raise ValueError("base_values only keep their meaning with SUM")
        for target, b in enumerate(np.asarray(base, dtype=np.float64)):
            te.constant_tree(target, b)
    return te, n_targets, post


def te5_model(te: TE5, n_features: int, n_targets: int, post_transform="NONE",
              aggregate="SUM", classifier_labels: bool = False,
              activation: str | None = None) -> onnx.ModelProto:
    """A graph X -> TreeEnsemble -> Y, optionally with a default-domain activation
    (Softmax or Sigmoid) after the ensemble, and label = ArgMax(Y) for a classifier."""
    elem = TensorProto.FLOAT if te.dtype == np.float32 else TensorProto.DOUBLE
    ensemble = te.node(n_targets, post_transform, aggregate)
    nodes = [ensemble]
    if activation:
        ensemble.output[0] = "scores"
        extra = {"axis": 1} if activation == "Softmax" else {}
        nodes.append(helper.make_node(activation, ["scores"], ["Y"], **extra))
    outputs = []
    if classifier_labels:
        nodes.append(helper.make_node("ArgMax", ["Y"], ["label"], axis=1, keepdims=0))
        outputs.append(helper.make_tensor_value_info("label", TensorProto.INT64, [None]))
    outputs.append(helper.make_tensor_value_info("Y", elem, [None, n_targets]))
    graph = helper.make_graph(
        nodes, "tree_ensemble_v5",
        [helper.make_tensor_value_info("X", elem, [None, n_features])], outputs,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 21), helper.make_opsetid(ML_DOMAIN, 5)],
        producer_name="predict/scripts/make-fixtures.py",
        ir_version=10,
    )
    onnx.checker.check_model(model, full_check=True)
    return model


def assert_close(a, b, what, rtol=1e-5, atol=1e-6):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
        diff = np.nanmax(np.abs(a - b)) if a.shape == b.shape else "shape"
        raise AssertionError(f"{what}: outputs differ (max abs diff {diff})")


def with_tree_edit(model: onnx.ModelProto, edit) -> onnx.ModelProto:
    """A deep copy of `model` with `edit(tree_node)` applied, checked by onnx."""
    model = copy.deepcopy(model)
    edit(tree_node(model))
    onnx.checker.check_model(model)
    return model


# --------------------------------------------------------------------------------------
# Fixture definitions
# --------------------------------------------------------------------------------------


def linear_fixtures() -> list[Fixture]:
    out = []
    Xtr, ytr, Xte = binary_data()
    lr = LogisticRegression(random_state=0).fit(Xtr, ytr)
    m = skl(lr, 6)
    out.append(Fixture("logreg_binary", "LogisticRegression, binary, 6 features, skl2onnx "
                       "defaults (ZipMap probabilities)", m, single_input(dense_rows(Xte), m)))
    m = skl(lr, 6, dtype=np.float64, zipmap=False)
    out.append(Fixture("logreg_binary_double", "LogisticRegression, binary, float64 input "
                       "(DoubleTensorType): default-domain MatMul/Add/Sigmoid in float64, "
                       "zipmap False", m, single_input(dense_rows(Xte, np.float64), m)))

    Xtr, ytr, Xte = iris_data()
    lr = LogisticRegression(max_iter=1000, random_state=0).fit(Xtr, ytr)
    m = skl(lr, 4, zipmap=False)
    out.append(Fixture("logreg_iris", "LogisticRegression, iris (3 classes), zipmap False",
                       m, single_input(dense_rows(Xte), m)))
    names = np.array(["setosa", "versicolor", "virginica"])
    lr_s = LogisticRegression(max_iter=1000, random_state=0).fit(Xtr, names[ytr])
    m = skl(lr_s, 4)
    out.append(Fixture("logreg_iris_string_labels", "LogisticRegression, iris with string "
                       "class labels, ZipMap with string keys", m,
                       single_input(dense_rows(Xte), m)))
    pipe = Pipeline([("scale", StandardScaler()),
                     ("lr", LogisticRegression(max_iter=1000, random_state=0))]).fit(Xtr, ytr)
    m = skl(pipe, 4, zipmap=False)
    out.append(Fixture("pipeline_scaler_logreg", "Pipeline StandardScaler + "
                       "LogisticRegression, iris, zipmap False (Scaler -> LinearClassifier)",
                       m, single_input(dense_rows(Xte), m)))

    Xtr, ytr, Xte = regression_data()
    m = skl(LinearRegression().fit(Xtr, ytr), 6)
    out.append(Fixture("linear_regression", "LinearRegression, 6 features (LinearRegressor)",
                       m, single_input(dense_rows(Xte), m)))
    m = skl(LinearRegression().fit(Xtr, ytr), 6, dtype=np.float64)
    out.append(Fixture("linear_regression_double", "LinearRegression, float64 input: "
                       "MatMul/Add/Reshape in float64", m,
                       single_input(dense_rows(Xte, np.float64), m)))
    m = skl(Ridge(alpha=1.0).fit(Xtr, ytr), 6)
    out.append(Fixture("ridge", "Ridge(alpha=1), 6 features (LinearRegressor)",
                       m, single_input(dense_rows(Xte), m)))

    # Normalizers: l1 and max standalone, l2 in front of a classifier.
    Xtr, ytr, Xte = binary_data()
    rows = dense_rows(Xte)
    rows[27] = [-1.0, 0.0, -2.0, -3.0, 0.0, -0.5]  # max(x) is 0, the row is not
    rows[28] = -np.abs(rows[28])  # all negative
    rows[29] = 0.0  # all zero
    edge_rows = "rows 27-29: max 0 with negatives, all negative, all zero"
    m = skl(Normalizer(norm="l1").fit(Xtr), 6)
    out.append(Fixture("normalizer_l1", f"Normalizer(norm='l1') standalone ({edge_rows})",
                       m, single_input(rows, m)))
    m = skl(Normalizer(norm="max").fit(Xtr), 6)
    out.append(Fixture("normalizer_max", "Normalizer(norm='max') standalone: ONNX MAX divides "
                       "by max(x), not by max(|x|) as scikit-learn does, so rows whose "
                       f"largest magnitude is negative differ from scikit-learn ({edge_rows})",
                       m, single_input(rows, m)))
    pipe = Pipeline([("norm", Normalizer(norm="l2")),
                     ("lr", LogisticRegression(random_state=0))]).fit(Xtr, ytr)
    m = skl(pipe, 6, zipmap=False)
    out.append(Fixture("normalizer_l2_logreg", "Pipeline Normalizer(l2) + "
                       f"LogisticRegression, binary, zipmap False ({edge_rows})",
                       m, single_input(rows, m)))
    return out


def svm_fixtures() -> list[Fixture]:
    out = []
    Xtr, ytr, Xte = binary_data()
    m = skl(LinearSVC(random_state=0).fit(Xtr, ytr), 6)
    out.append(Fixture("linearsvc_binary", "LinearSVC, binary: LinearClassifier with one "
                       "coefficient row, [N,1] decision score", m,
                       single_input(dense_rows(Xte), m)))
    m = skl(SVC(kernel="rbf", gamma="scale", random_state=0).fit(Xtr, ytr), 6)
    out.append(Fixture("svc_rbf_binary", "SVC(kernel='rbf'), binary, probability=False: "
                       "label and decision scores", m, single_input(dense_rows(Xte), m)))
    m = skl(SVC(kernel="rbf", probability=True, random_state=0).fit(Xtr, ytr), 6,
            zipmap=False)
    out.append(Fixture("svc_rbf_binary_proba", "SVC(kernel='rbf', probability=True), binary, "
                       "Platt-scaled probabilities, zipmap False", m,
                       single_input(dense_rows(Xte), m)))

    Xtr, ytr, Xte = iris_data()
    m = skl(LinearSVC(random_state=0).fit(Xtr, ytr), 4)
    out.append(Fixture("linearsvc_iris", "LinearSVC, iris (3 classes, one-vs-rest): "
                       "[N,3] decision scores", m, single_input(dense_rows(Xte), m)))
    m = skl(SVC(kernel="rbf", probability=True, random_state=0).fit(Xtr, ytr), 4)
    out.append(Fixture("svc_rbf_iris_proba", "SVC(kernel='rbf', probability=True), iris: "
                       "one-vs-one votes for the label, pairwise-coupled probabilities, "
                       "ZipMap", m, single_input(dense_rows(Xte), m)))
    m = skl(SVC(kernel="rbf", random_state=0).fit(Xtr, ytr), 4)
    out.append(Fixture("svc_rbf_iris", "SVC(kernel='rbf'), iris, probability=False: "
                       "one-vs-one votes and decision scores", m,
                       single_input(dense_rows(Xte), m)))

    Xtr, ytr, Xte = regression_data()
    m = skl(SVR(kernel="rbf", C=10.0).fit(Xtr, ytr), 6)
    out.append(Fixture("svr_rbf", "SVR(kernel='rbf', C=10), 6 features (SVMRegressor)",
                       m, single_input(dense_rows(Xte), m)))
    return out


def mlp_fixtures() -> list[Fixture]:
    out = []
    Xtr, ytr, Xte = iris_data()
    mlp = MLPClassifier(hidden_layer_sizes=(8,), max_iter=500, random_state=0).fit(Xtr, ytr)
    m = skl(mlp, 4, zipmap=False)
    out.append(Fixture("mlp_classifier", "MLPClassifier hidden (8,), relu, iris, zipmap "
                       "False (MatMul/Add/Relu/Softmax, labels via ArrayFeatureExtractor)",
                       m, single_input(dense_rows(Xte), m)))
    Xtr, ytr, Xte = binary_data()
    mlp = MLPClassifier(hidden_layer_sizes=(8,), max_iter=500, random_state=0).fit(Xtr, ytr)
    m = skl(mlp, 6)
    out.append(Fixture("mlp_classifier_binary", "MLPClassifier hidden (8,), binary (logistic "
                       "output unit), ZipMap", m, single_input(dense_rows(Xte), m)))
    Xtr, ytr, Xte = regression_data()
    mlp = MLPRegressor(hidden_layer_sizes=(8,), max_iter=500, random_state=0).fit(Xtr, ytr)
    m = skl(mlp, 6)
    out.append(Fixture("mlp_regressor", "MLPRegressor hidden (8,), relu, 6 features",
                       m, single_input(dense_rows(Xte), m)))
    return out


def column_transformer_fixtures() -> list[Fixture]:
    rng = np.random.RandomState(0)
    n = 300
    df = pd.DataFrame({
        "age": rng.normal(40, 12, n).astype(np.float32),
        "income": rng.lognormal(10, 0.5, n).astype(np.float32),
        "score": rng.uniform(-1, 1, n).astype(np.float32),
        "rooms": rng.randint(1, 5, n).astype(np.float32),  # float column one-hot encoded
        "region": rng.randint(0, 4, n).astype(np.int64),
        "colour": rng.choice(["red", "green", "blue"], n).astype(object),
    })
    y = ((df["age"] > 40).astype(int) + (df["region"] == 2).astype(int)
         + (df["colour"] == "red").astype(int) + (df["rooms"] >= 3).astype(int)) >= 2
    ct = ColumnTransformer([
        ("num", StandardScaler(), ["age", "income", "score"]),
        ("rooms", OneHotEncoder(handle_unknown="ignore"), ["rooms"]),
        ("region", OneHotEncoder(handle_unknown="ignore"), ["region"]),
        ("colour", OneHotEncoder(handle_unknown="ignore"), ["colour"]),
    ])
    pipe = Pipeline([("prep", ct), ("lr", LogisticRegression(random_state=0))])
    train, test = df.iloc[:-N_ROWS], df.iloc[-N_ROWS:].reset_index(drop=True)
    pipe.fit(train, y.iloc[:-N_ROWS].astype(int))
    initial_types = [
        ("age", FloatTensorType([None, 1])), ("income", FloatTensorType([None, 1])),
        ("score", FloatTensorType([None, 1])), ("rooms", FloatTensorType([None, 1])),
        ("region", Int64TensorType([None, 1])), ("colour", StringTensorType([None, 1])),
    ]
    m = convert_sklearn(pipe, initial_types=initial_types,
                        options={id(pipe.steps[-1][1]): {"zipmap": False}})
    test = test.copy()
    # Unknown categories (all-zero one-hot) and non-integral floats (Cast truncates).
    test.loc[0, "region"] = 9
    test.loc[1, "colour"] = "purple"
    test.loc[2, "rooms"] = 2.7
    test.loc[3, "rooms"] = -0.5
    test.loc[4, "rooms"] = 7.0
    dtypes = {"region": np.int64, "colour": object}
    feeds = {col: np.array(test[col].to_numpy(), dtype=dtypes.get(col, np.float32))
             .reshape(-1, 1) for col, _ in initial_types}
    return [Fixture("column_transformer", "Pipeline ColumnTransformer(StandardScaler on 3 "
                    "float columns, OneHotEncoder on a float, an int64 and a string column) + "
                    "LogisticRegression, one input per DataFrame column, zipmap False; rows "
                    "0-4 hold unknown categories and non-integral floats", m, feeds)]


def sklearn_tree_fixtures() -> list[Fixture]:
    out = []
    derived = {}

    def add(name, description, est, Xte, n_features, zipmap=None, dtype=np.float32, **kw):
        m = skl(est, n_features, dtype=dtype, zipmap=zipmap, **kw)
        rows = tree_rows(Xte, m, dtype=dtype, sklearn_thresholds=sk_root_thresholds(est))
        out.append(Fixture(name, description, m, single_input(rows, m)))
        derived[name] = (m, rows, est)
        return m

    Xtr, ytr, Xte = iris_data()
    add("decision_tree_classifier", "DecisionTreeClassifier max_depth=4, iris, zipmap False",
        DecisionTreeClassifier(max_depth=4, random_state=0).fit(Xtr, ytr), Xte, 4,
        zipmap=False)
    add("random_forest_classifier", "RandomForestClassifier 8 trees max_depth=4, iris, "
        "ZipMap", RandomForestClassifier(n_estimators=8, max_depth=4, random_state=0)
        .fit(Xtr, ytr), Xte, 4)
    add("extra_trees_classifier", "ExtraTreesClassifier 8 trees max_depth=4, iris, zipmap "
        "False", ExtraTreesClassifier(n_estimators=8, max_depth=4, random_state=0)
        .fit(Xtr, ytr), Xte, 4, zipmap=False)

    Xtr, ytr, Xte = binary_data()
    add("random_forest_binary", "RandomForestClassifier 6 trees max_depth=3, binary (votes "
        "for class 0 only, post_transform NONE), zipmap False",
        RandomForestClassifier(n_estimators=6, max_depth=3, random_state=0).fit(Xtr, ytr),
        Xte, 6, zipmap=False)
    add("random_forest_binary_double", "RandomForestClassifier 6 trees max_depth=3, binary, "
        "float64 input with ai.onnx.ml 1 float32 thresholds (as skl2onnx emits it), "
        "zipmap False", RandomForestClassifier(n_estimators=6, max_depth=3, random_state=0)
        .fit(Xtr, ytr), Xte, 6, zipmap=False, dtype=np.float64)
    add("gradient_boosting_binary", "GradientBoostingClassifier 8 trees max_depth=3, binary "
        "(base_values, post_transform LOGISTIC), zipmap False",
        GradientBoostingClassifier(n_estimators=8, max_depth=3, random_state=0)
        .fit(Xtr, ytr), Xte, 6, zipmap=False)

    Xtr, ytr, Xte = multiclass_data()
    add("gradient_boosting_multiclass", "GradientBoostingClassifier 4 rounds x 3 classes, "
        "max_depth=3 (post_transform SOFTMAX), ZipMap",
        GradientBoostingClassifier(n_estimators=4, max_depth=3, random_state=0)
        .fit(Xtr, ytr), Xte, 6)

    Xtr, ytr, Xte = regression_data()
    add("decision_tree_regressor", "DecisionTreeRegressor max_depth=4, 6 features",
        DecisionTreeRegressor(max_depth=4, random_state=0).fit(Xtr, ytr), Xte, 6)
    add("random_forest_regressor", "RandomForestRegressor 8 trees max_depth=4",
        RandomForestRegressor(n_estimators=8, max_depth=4, random_state=0)
        .fit(Xtr, ytr), Xte, 6)
    add("extra_trees_regressor", "ExtraTreesRegressor 8 trees max_depth=4",
        ExtraTreesRegressor(n_estimators=8, max_depth=4, random_state=0)
        .fit(Xtr, ytr), Xte, 6)
    add("gradient_boosting_regressor", "GradientBoostingRegressor 8 trees max_depth=3 "
        "(base_values)", GradientBoostingRegressor(n_estimators=8, max_depth=3,
                                                   random_state=0).fit(Xtr, ytr), Xte, 6)

    # ai.onnx.ml opset 3 with float64 *_as_tensor attributes (double inputs).
    rf = RandomForestRegressor(n_estimators=6, max_depth=4, random_state=0).fit(Xtr, ytr)
    broken = skl(rf, 6, dtype=np.float64, target_opset={"": 17, ML_DOMAIN: 3})
    m3 = to_ml3_double(broken, rf, classifier=False)
    rows = tree_rows(Xte, m3, dtype=np.float64, sklearn_thresholds=sk_root_thresholds(rf))
    got = ort_run(m3, single_input(rows, m3))[0]
    assert_close(got[:20, 0], rf.predict(rows[:20]), "rf ml3 double vs sklearn", rtol=1e-5)
    out.append(Fixture("random_forest_regressor_double_ml3", "RandomForestRegressor 6 trees "
                       "max_depth=4, float64 input, ai.onnx.ml 3 TreeEnsembleRegressor with "
                       "float64 nodes_values_as_tensor/target_weights_as_tensor (skl2onnx "
                       "1.20's own double export is rejected by onnxruntime; rebuilt from its "
                       "float64 thresholds); output float32", m3, single_input(rows, m3)))
    derived["random_forest_regressor_double_ml3"] = (m3, rows, rf)

    Xtr, ytr, Xte = iris_data()
    rfc = RandomForestClassifier(n_estimators=6, max_depth=3, random_state=0).fit(Xtr, ytr)
    broken = skl(rfc, 4, dtype=np.float64, zipmap=False, target_opset={"": 17, ML_DOMAIN: 3})
    m3 = to_ml3_double(broken, rfc, classifier=True)
    rows = tree_rows(Xte, m3, dtype=np.float64, sklearn_thresholds=sk_root_thresholds(rfc))
    got = ort_run(m3, single_input(rows, m3))
    assert_close(got[1][:20], rfc.predict_proba(rows[:20]), "rfc ml3 double vs sklearn")
    out.append(Fixture("random_forest_classifier_double_ml3", "RandomForestClassifier 6 trees "
                       "max_depth=3, iris, float64 input, ai.onnx.ml 3 TreeEnsembleClassifier "
                       "with float64 nodes_values_as_tensor/class_weights_as_tensor, "
                       "zipmap False", m3, single_input(rows, m3)))
    return out, derived


def hist_gradient_boosting_fixtures() -> list[Fixture]:
    out = []
    derived = {}
    Xtr, ytr, Xte = binary_data(seed=1)
    Xtr = with_nan(Xtr, 1)
    hgb = HistGradientBoostingClassifier(max_iter=8, max_depth=3, random_state=0)
    m = skl(hgb.fit(Xtr, ytr), 6, zipmap=False)
    out.append(Fixture("hist_gradient_boosting_binary_nan", "HistGradientBoostingClassifier "
                       "8 iterations max_depth=3, binary, trained with NaN "
                       "(nodes_missing_value_tracks_true), LOGISTIC, zipmap False", m,
                       single_input(tree_rows(Xte, m, nan=True, seed=1), m)))

    Xtr, ytr, Xte = multiclass_data(seed=2)
    Xtr = with_nan(Xtr, 2)
    hgb = HistGradientBoostingClassifier(max_iter=4, max_depth=3, random_state=0)
    m = skl(hgb.fit(Xtr, ytr), 6)
    rows = tree_rows(Xte, m, nan=True, seed=2)
    out.append(Fixture("hist_gradient_boosting_multiclass_nan", "HistGradientBoostingClassifier"
                       " 4 iterations x 3 classes max_depth=3, trained with NaN, SOFTMAX, "
                       "ZipMap", m, single_input(rows, m)))
    derived["hist_gradient_boosting_multiclass_nan"] = (m, rows, hgb)

    Xtr, ytr, Xte = regression_data(seed=3)
    Xtr = with_nan(Xtr, 3)
    hgb = HistGradientBoostingRegressor(max_iter=8, max_depth=3, random_state=0)
    m = skl(hgb.fit(Xtr, ytr), 6)
    rows = tree_rows(Xte, m, nan=True, seed=3)
    out.append(Fixture("hist_gradient_boosting_regressor_nan", "HistGradientBoostingRegressor "
                       "8 iterations max_depth=3, trained with NaN (base_values, "
                       "nodes_missing_value_tracks_true)", m, single_input(rows, m)))
    derived["hist_gradient_boosting_regressor_nan"] = (m, rows, hgb)
    return out, derived


def xgboost_fixtures() -> list[Fixture]:
    out = []
    derived = {}
    common = dict(max_depth=3, learning_rate=0.3, random_state=0, n_jobs=1, tree_method="hist")
    Xtr, ytr, Xte = binary_data(seed=4)
    model = XGBClassifier(n_estimators=8, **common).fit(with_nan(Xtr, 4), ytr)
    m = xgb(model, 6)
    rows = tree_rows(Xte, m, nan=True, seed=4)
    out.append(Fixture("xgboost_binary_nan", "XGBClassifier 8 trees max_depth=3, binary, "
                       "trained with NaN (onnxmltools: BRANCH_LT, base_values = logit(base_"
                       "score), LOGISTIC)", m, single_input(rows, m)))
    derived["xgboost_binary_nan"] = (m, rows, model)

    Xtr, ytr, Xte = multiclass_data(seed=5)
    model = XGBClassifier(n_estimators=4, **common).fit(with_nan(Xtr, 5), ytr)
    m = xgb(model, 6)
    out.append(Fixture("xgboost_multiclass_nan", "XGBClassifier 4 rounds x 3 classes "
                       "max_depth=3, trained with NaN (SOFTMAX, per-class base_values)", m,
                       single_input(tree_rows(Xte, m, nan=True, seed=5), m)))

    Xtr, ytr, Xte = regression_data(seed=6)
    model = XGBRegressor(n_estimators=8, **common).fit(with_nan(Xtr, 6), ytr)
    m = xgb(model, 6)
    out.append(Fixture("xgboost_regressor_nan", "XGBRegressor 8 trees max_depth=3, trained "
                       "with NaN (base_values = base_score)", m,
                       single_input(tree_rows(Xte, m, nan=True, seed=6), m)))
    return out, derived


def lightgbm_fixtures() -> list[Fixture]:
    out = []
    common = dict(max_depth=3, num_leaves=7, learning_rate=0.3, random_state=0, n_jobs=1,
                  deterministic=True, force_row_wise=True, verbose=-1, min_child_samples=5)
    Xtr, ytr, Xte = binary_data(seed=7)
    model = LGBMClassifier(n_estimators=8, **common).fit(with_nan(Xtr, 7), ytr)
    m = lgbm(model, 6, zipmap=True)
    out.append(Fixture("lightgbm_binary_nan", "LGBMClassifier 8 trees num_leaves=7 "
                       "max_depth=3, binary, trained with NaN (onnxmltools: BRANCH_LEQ, "
                       "LOGISTIC, Identity/Cast/Mul glue, ZipMap)", m,
                       single_input(tree_rows(Xte, m, nan=True, seed=7), m)))

    Xtr, ytr, Xte = multiclass_data(seed=8)
    model = LGBMClassifier(n_estimators=4, **common).fit(with_nan(Xtr, 8), ytr)
    m = lgbm(model, 6, zipmap=False)
    out.append(Fixture("lightgbm_multiclass_nan", "LGBMClassifier 4 rounds x 3 classes "
                       "num_leaves=7, trained with NaN (SOFTMAX, label declared [1] but [N] at "
                       "run time), zipmap False", m,
                       single_input(tree_rows(Xte, m, nan=True, seed=8), m)))

    Xtr, ytr, Xte = regression_data(seed=9)
    model = LGBMRegressor(n_estimators=8, **common).fit(with_nan(Xtr, 9), ytr)
    m = lgbm(model, 6, zipmap=False)
    out.append(Fixture("lightgbm_regressor_nan", "LGBMRegressor 8 trees num_leaves=7, trained "
                       "with NaN", m, single_input(tree_rows(Xte, m, nan=True, seed=9), m)))
    return out


def edited_tree_fixtures(derived: dict) -> list[Fixture]:
    """Post transforms, node modes and missing-value routing no exporter emits here."""
    out = []

    # Node modes: a depth-4 regression tree with its branch modes cycled through all six
    # comparisons. GTE and GT swap children so the split still means roughly `x <= t`.
    base, rows, _ = derived["decision_tree_regressor"]

    def modes(node):
        cycle = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ",
                 "BRANCH_NEQ"]
        ms = attr(node, "nodes_modes")
        t, f = list(attr(node, "nodes_truenodeids")), list(attr(node, "nodes_falsenodeids"))
        k = 0
        for i, m in enumerate(ms):
            if m == "LEAF":
                continue
            ms[i] = cycle[k % len(cycle)]
            if ms[i] in ("BRANCH_GTE", "BRANCH_GT"):
                t[i], f[i] = f[i], t[i]
            k += 1
        set_attr(node, "nodes_modes", ms)
        set_attr(node, "nodes_truenodeids", t)
        set_attr(node, "nodes_falsenodeids", f)

    m = with_tree_edit(base, modes)
    out.append(Fixture("tree_modes_all", "DecisionTreeRegressor max_depth=4 edited: branch "
                       "modes cycle LEQ, LT, GTE, GT, EQ, NEQ in node order (children swapped "
                       "for GTE/GT); rows 20-29 sit on or one ulp off thresholds", m,
                       single_input(rows, m)))

    # Missing values routed to the true branch on every other branch node.
    _, _, Xte = regression_data()

    def missing(node):
        ms = attr(node, "nodes_modes")
        flags = [0] * len(ms)
        k = 0
        for i, mode in enumerate(ms):
            if mode != "LEAF":
                flags[i] = k % 2
                k += 1
        set_attr(node, "nodes_missing_value_tracks_true", flags)

    m = with_tree_edit(base, missing)
    nan_rows = tree_rows(Xte, m, nan=True, seed=10)
    out.append(Fixture("tree_missing_tracks_true", "DecisionTreeRegressor max_depth=4 edited: "
                       "nodes_missing_value_tracks_true=1 on every other branch node; inputs "
                       "with NaN and +/-Infinity", m, single_input(nan_rows, m)))

    # PROBIT needs scores in (0, 1): a forest fitted to a probability-like target.
    rng = np.random.RandomState(11)
    Xp = rng.randn(300, 5).astype(np.float32)
    yp = 1.0 / (1.0 + np.exp(-(Xp[:, 0] + 0.5 * Xp[:, 1])))
    rf = RandomForestRegressor(n_estimators=5, max_depth=3, random_state=0)
    rf.fit(Xp[:-N_ROWS], yp[:-N_ROWS])
    base_p = skl(rf, 5)
    m = with_tree_edit(base_p, lambda node: set_attr(node, "post_transform", "PROBIT"))
    prow = tree_rows(Xp[-N_ROWS:], m)
    out.append(Fixture("tree_probit", "RandomForestRegressor 5 trees max_depth=3 on a target "
                       "in (0,1), edited to post_transform PROBIT (onnxruntime's erfinv "
                       "approximation is the reference)", m, single_input(prow, m)))
    derived["tree_probit"] = (m, prow, rf)

    # SOFTMAX_ZERO: extra trees on iris leave many class scores exactly zero.
    base_c, crow, _ = derived["extra_trees_classifier"]
    m = with_tree_edit(base_c, lambda node: set_attr(node, "post_transform", "SOFTMAX_ZERO"))
    out.append(Fixture("tree_softmax_zero", "ExtraTreesClassifier 8 trees, iris, edited to "
                       "post_transform SOFTMAX_ZERO (zero scores stay zero)", m,
                       single_input(crow, m)))
    derived["tree_softmax_zero"] = (m, crow, None)
    base_d, drow, _ = derived["decision_tree_classifier"]
    m = with_tree_edit(base_d, lambda node: set_attr(node, "post_transform", "SOFTMAX"))
    out.append(Fixture("tree_classifier_softmax", "DecisionTreeClassifier max_depth=4, iris, "
                       "edited to post_transform SOFTMAX over leaf probabilities", m,
                       single_input(drow, m)))
    return out


def tree_ensemble_v5_fixtures(derived: dict) -> list[Fixture]:
    out = []

    # A float32 forest regressor, SUM of pre-divided weights.
    base, rows, _ = derived["random_forest_regressor"]
    te, n_targets, post = te5_from_v1(tree_node(base), np.float32)
    m = te5_model(te, 6, n_targets, post)
    assert_close(ort_run(m, {"X": rows})[0], ort_run(base, single_input(rows, base))[0],
                 "TreeEnsemble vs TreeEnsembleRegressor (random forest)")
    out.append(Fixture("tree_ensemble_v5_random_forest", "RandomForestRegressor 8 trees "
                       "max_depth=4 converted to ai.onnx.ml 5 TreeEnsemble (SUM); agrees "
                       "with random_forest_regressor", m, {"X": rows}))

    # Double input and output.
    base, rows, _ = derived["random_forest_regressor_double_ml3"]
    te, n_targets, post = te5_from_v1(tree_node(base), np.float64)
    m = te5_model(te, 6, n_targets, post)
    assert_close(ort_run(m, {"X": rows})[0], ort_run(base, single_input(rows, base))[0],
                 "TreeEnsemble double vs ml3 double")
    out.append(Fixture("tree_ensemble_v5_double", "random_forest_regressor_double_ml3 as "
                       "TreeEnsemble: float64 splits, leaf weights and output", m,
                       {"X": rows}))

    # NaN routing + base values (as single-leaf trees).
    base, rows, _ = derived["hist_gradient_boosting_regressor_nan"]
    te, n_targets, post = te5_from_v1(tree_node(base), np.float32)
    m = te5_model(te, 6, n_targets, post)
    assert_close(ort_run(m, {"X": rows})[0], ort_run(base, single_input(rows, base))[0],
                 "TreeEnsemble vs HGB regressor", rtol=1e-5, atol=1e-4)
    out.append(Fixture("tree_ensemble_v5_missing", "HistGradientBoostingRegressor (NaN "
                       "inputs, nodes_missing_value_tracks_true) as TreeEnsemble; the "
                       "baseline is a single-leaf tree", m, {"X": rows}))

    # onnxruntime 1.32 does not follow the spec's post_transform codes for TreeEnsemble:
    # for several targets it applies LOGISTIC for 1 and SOFTMAX for 2 (the spec says 1 is
    # SOFTMAX, 2 LOGISTIC), and for one target it ignores every transform but PROBIT
    # (onnxruntime issue 26596). Only NONE, SOFTMAX_ZERO and PROBIT mean the same to both,
    # so softmax and sigmoid follow the ensemble here as default-domain operators.

    # Multiclass: one TreeEnsemble target per class, Softmax, ArgMax for the label.
    base, rows, _ = derived["hist_gradient_boosting_multiclass_nan"]
    te, n_targets, post = te5_from_v1(tree_node(base), np.float32, post_transform="NONE")
    m = te5_model(te, 6, n_targets, classifier_labels=True, activation="Softmax")
    ref = ort_run(base, single_input(rows, base))
    got = ort_run(m, {"X": rows})
    probs = np.array([[d[k] for k in sorted(d)] for d in ref[1]], dtype=np.float32)
    assert_close(got[1], probs, "TreeEnsemble SOFTMAX vs HGB classifier", atol=1e-6)
    if not np.array_equal(got[0], ref[0]):
        raise AssertionError("TreeEnsemble ArgMax labels differ from HGB classifier labels")
    out.append(Fixture("tree_ensemble_v5_softmax", "HistGradientBoostingClassifier 3 classes "
                       "(NaN inputs) as TreeEnsemble (post_transform NONE, one target per "
                       "class, baselines as single-leaf trees) + Softmax, label = ArgMax", m,
                       {"X": rows}))

    # Binary LOGISTIC from XGBoost (BRANCH_LT, missing tracks true, base score).
    base, rows, _ = derived["xgboost_binary_nan"]
    te, n_targets, post = te5_from_v1(tree_node(base), np.float32, post_transform="NONE",
                                      binary_as_single_target=True)
    m = te5_model(te, 6, n_targets, activation="Sigmoid")
    ref = ort_run(base, single_input(rows, base))
    assert_close(ort_run(m, {"X": rows})[0][:, 0], ref[1][:, 1],
                 "TreeEnsemble LOGISTIC vs XGBoost binary", atol=1e-6)
    out.append(Fixture("tree_ensemble_v5_logistic", "XGBClassifier binary (BRANCH_LT, NaN, "
                       "missing tracks true) as TreeEnsemble with one target + Sigmoid: "
                       "Y = P(class 1)", m, {"X": rows}))

    # PROBIT and SOFTMAX_ZERO, whose codes onnxruntime reads as the spec does.
    base, rows, _ = derived["tree_probit"]
    te, n_targets, post = te5_from_v1(tree_node(base), np.float32)
    m = te5_model(te, 5, n_targets, post)
    assert_close(ort_run(m, {"X": rows})[0], ort_run(base, single_input(rows, base))[0],
                 "TreeEnsemble PROBIT vs TreeEnsembleRegressor PROBIT")
    out.append(Fixture("tree_ensemble_v5_probit", "tree_probit (forest on a (0,1) target) as "
                       "TreeEnsemble with post_transform PROBIT (4)", m, {"X": rows}))
    base, rows, _ = derived["tree_softmax_zero"]
    te, n_targets, post = te5_from_v1(tree_node(base), np.float32)
    m = te5_model(te, 4, n_targets, post, classifier_labels=True)
    ref = ort_run(base, single_input(rows, base))
    got = ort_run(m, {"X": rows})
    assert_close(got[1], ref[1], "TreeEnsemble SOFTMAX_ZERO vs TreeEnsembleClassifier")
    out.append(Fixture("tree_ensemble_v5_softmax_zero", "tree_softmax_zero (extra trees, "
                       "iris) as TreeEnsemble with post_transform SOFTMAX_ZERO (3): each tree "
                       "split into one tree per class, label = ArgMax", m, {"X": rows}))

    # AVERAGE / MIN / MAX over a 3-tree, 2-target forest with undivided leaf weights.
    Xtr, ytr, Xte = regression_data(seed=12)
    Y2 = np.stack([ytr, -0.5 * ytr + Xtr[:, 0]], axis=1)
    rf = RandomForestRegressor(n_estimators=3, max_depth=3, random_state=0).fit(Xtr, Y2)
    base = skl(rf, 6)
    ref_sum = None
    for aggregate in ("AVERAGE", "MIN", "MAX"):
        te = TE5(dtype=np.float32)
        for est in rf.estimators_:
            tree = est.tree_

            def build(i, target):
                if tree.children_left[i] == -1:
                    return True, te.leaf(target, float(tree.value[i][target][0]))
                index = te.branch(tree.feature[i], "BRANCH_LEQ",
                                  np.float32(tree.threshold[i]))
                te.link(index, build(tree.children_left[i], target),
                        build(tree.children_right[i], target))
                return False, index

            for target in range(2):
                te.roots.append(build(0, target)[1])
        m = te5_model(te, 6, 2, "NONE", aggregate)
        rows = tree_rows(Xte, m)
        if aggregate == "AVERAGE":
            # Six trees (3 per target), so AVERAGE is (per-target sum) / 6.
            ref_sum = ort_run(base, single_input(rows, base))[0]
            assert_close(ort_run(m, {"X": rows})[0][:19] * 6 / 3, ref_sum[:19],
                         "TreeEnsemble AVERAGE vs forest", rtol=1e-4, atol=1e-3)
        detail = {
            "AVERAGE": "divides each target's sum by the number of trees, 6",
            "MIN": "smallest leaf value per target",
            "MAX": "largest leaf value per target",
        }[aggregate]
        out.append(Fixture(f"tree_ensemble_v5_{aggregate.lower()}", "3-tree, 2-target random "
                           "forest as TreeEnsemble, one tree per target (6 trees), undivided "
                           f"leaf values, aggregate_function {aggregate}: {detail}", m,
                           {"X": rows}))

    out.append(member_modes_fixture())
    return out


def member_modes_fixture() -> Fixture:
    """A hand-built TreeEnsemble using every node mode, BRANCH_MEMBER sets and
    missing-value routing. Feature 1 is an integer code; 0 is never a set member."""
    te = TE5(dtype=np.float32)
    L = lambda t, w: (True, te.leaf(t, w))  # noqa: E731

    # tree 0 -> target 0
    r = te.branch(1, "BRANCH_MEMBER", 0.0, members=[1.0, 3.0, 5.0])
    a = te.branch(0, "BRANCH_LEQ", 0.5, missing=1)
    te.link(a, L(0, 1.0), L(0, 2.0))
    b = te.branch(2, "BRANCH_GT", -0.25)
    c = te.branch(1, "BRANCH_MEMBER", 0.0, missing=1, members=[2.0, 8.0])
    te.link(c, L(0, 4.0), L(0, 5.0))
    te.link(b, L(0, 3.0), (False, c))
    te.link(r, (False, a), (False, b))
    te.roots.append(r)
    # tree 1 -> target 1
    r = te.branch(0, "BRANCH_GTE", 0.0)
    a = te.branch(2, "BRANCH_EQ", 1.0)
    te.link(a, L(1, 10.0), L(1, 20.0))
    b = te.branch(1, "BRANCH_NEQ", 2.0, missing=1)
    c = te.branch(0, "BRANCH_LT", -1.0)
    te.link(c, L(1, 30.0), L(1, 40.0))
    te.link(b, (False, c), L(1, 50.0))
    te.link(r, (False, a), (False, b))
    te.roots.append(r)
    # tree 2 -> both targets through a shared split on feature 3
    r = te.branch(3, "BRANCH_LEQ", 0.0)
    te.link(r, L(0, 0.25), L(1, -0.25))
    te.roots.append(r)
    te.constant_tree(1, 100.0)  # a single-leaf tree

    m = te5_model(te, 4, 2, "NONE", "SUM")
    rng = np.random.RandomState(13)
    rows = np.zeros((N_ROWS, 4), dtype=np.float32)
    rows[:, 0] = rng.choice([0.5, -1.0, 0.0, 2.0, -3.0, 0.49999997, 0.50000006], N_ROWS)
    rows[:, 1] = np.arange(N_ROWS) % 10  # every code 0..9, members and non-members
    rows[:, 2] = rng.choice([1.0, -0.25, 0.3, -2.0, 1.0000001], N_ROWS)
    rows[:, 3] = rng.randn(N_ROWS).astype(np.float32)
    rows[3, 3] = 0.0
    rows[4, 3] = -0.0
    rows[10:14, 1] = [1.5, 2.0000002, np.nan, np.nan]  # near-members and missing codes
    rows[14:18, 0] = np.nan
    rows[18:20, 2] = np.nan
    rows[20, :] = np.nan
    rows[21, 0] = np.inf
    rows[22, 0] = -np.inf
    return Fixture("tree_ensemble_v5_modes", "Hand-built TreeEnsemble, 2 targets: "
                   "BRANCH_MEMBER sets (NaN-delimited membership_values), LEQ, LT, GTE, GT, "
                   "EQ, NEQ, missing-value routing, a two-target tree and a single-leaf tree",
                   m, {"X": rows})


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


QUIRKS = [
    "skl2onnx declares the default domain twice in many models (`ai.onnx=22, ai.onnx=22`); "
    "onnxruntime accepts it. Declared default-domain versions range from 8 to 22 and "
    "XGBoost models declare none.",
    "skl2onnx 1.20 never emits ai.onnx.ml 3 or 5: a target_opset of {'ai.onnx.ml': 3} or 5 "
    "still gives ai.onnx.ml 1 operators and imports. Its float64 forest regressor declares a "
    "double output and float32 thresholds, and onnxruntime refuses to load it; the "
    "`*_double_ml3` fixtures are rebuilt with float64 `*_as_tensor` attributes.",
    "A float64-input tree classifier from skl2onnx (random_forest_binary_double) keeps "
    "float32 `nodes_values`: onnxruntime compares the double input with the float threshold "
    "widened to double.",
    "onnxruntime 1.32's TreeEnsemble (ai.onnx.ml 5) reads post_transform 1 as LOGISTIC and 2 "
    "as SOFTMAX with several targets (the spec: 1 SOFTMAX, 2 LOGISTIC) and ignores every "
    "transform but PROBIT with one target (onnxruntime issue 26596); TreeEnsembleRegressor "
    "with one target ignores LOGISTIC/SOFTMAX/SOFTMAX_ZERO too. No fixture relies on those "
    "cases: the v5 fixtures use NONE + Softmax/Sigmoid, SOFTMAX_ZERO (3) or PROBIT (4).",
    "PROBIT in onnxruntime uses Winitzki's erfinv approximation (a = 0.147) in float32; it "
    "differs from the exact probit by up to ~2e-4.",
    "ONNX Normalizer MAX (what skl2onnx emits for norm='max') divides by max(x), not by "
    "max(|x|) as scikit-learn does; onnxruntime leaves a row whose max is 0 unchanged.",
    "skl2onnx 1.20 cannot export HistGradientBoosting with protobuf 7 (a Python bool in "
    "nodes_missing_value_tracks_true); the script coerces the flag to int.",
    "LightGBM's label output is declared [1] but is [N] at run time.",
    "Binary LinearSVC gives a [N,1] `probabilities` output holding the decision score "
    "(ArrayFeatureExtractor of the positive column); SVC without probability gives decision "
    "scores, through a ZipMap by default.",
]


def write_fixture(fx: Fixture) -> None:
    fx.model.graph.name = fx.name  # the exporters put a random uuid here
    onnx.checker.check_model(fx.model)
    outputs, has_zipmap = ort_outputs_json(fx.model, fx.feeds)
    inputs = [tensor_json(i.name, fx.feeds[i.name]) for i in fx.model.graph.input]
    for i in inputs:
        if i["shape"][0] != N_ROWS:
            raise ValueError(f"{fx.name}: input {i['name']} has {i['shape'][0]} rows")
    doc = {
        "model": fx.name,
        "description": fx.description,
        "zipmap": has_zipmap,
        "inputs": inputs,
        "outputs": outputs,
    }
    onnx_path = FIXTURE_DIR / f"{fx.name}.onnx"
    json_path = FIXTURE_DIR / f"{fx.name}.json"
    onnx_path.write_bytes(fx.model.SerializeToString())
    json_path.write_text(render_json(doc) + "\n")
    fx.summary = dict(
        operators=operators_of(fx.model),
        opsets=opsets_of(fx.model),
        inputs=[f"{i['name']}:{i['datatype']}{i['shape']}" for i in inputs],
        outputs=[f"{o['name']}:{o['datatype']}{o['shape']}" + ("(zipmap)" if "labels" in o
                                                                else "")
                 for o in outputs],
        size=onnx_path.stat().st_size + json_path.stat().st_size,
    )


def write_index(fixtures: list[Fixture]) -> None:
    lines = [
        "# Runtime fixtures",
        "",
        "Generated by `scripts/make-fixtures.py` (do not edit by hand). Each NAME has "
        "`NAME.onnx` and `NAME.json` (32 input rows and onnxruntime "
        f"{ort.__version__}'s outputs). Schema: see the script's docstring.",
        "",
        f"Exporters: scikit-learn {sklearn.__version__}, skl2onnx {skl2onnx.__version__}, "
        f"onnxmltools {onnxmltools.__version__}, xgboost {xgboost.__version__}, "
        f"lightgbm {lightgbm.__version__}, onnx {onnx.__version__}.",
        "",
        "Tree-model inputs: rows 20-27 hold cells exactly on thresholds of the exported "
        "model, rows 28/29 cells one ulp above/below thresholds (roots first), row 19 "
        "sklearn's float64 root thresholds rounded to the input type, row 30 far-out values "
        "(+/-1e6, and +/-Infinity in NaN models), row 31 far-out or all NaN. Models with NaN "
        "inputs (*_nan, *_missing, ...) have ~10% NaN cells. Dense-model inputs: rows 30/31 "
        "are +/-1000 to saturate sigmoid/softmax.",
        "",
        "| fixture | description | operators | opset imports | inputs | outputs | bytes |",
        "|---|---|---|---|---|---|---|",
    ]
    for fx in fixtures:
        s = fx.summary
        lines.append(
            f"| {fx.name} | {fx.description} | {', '.join(s['operators'])} | "
            f"{', '.join(s['opsets'])} | {', '.join(s['inputs'])} | "
            f"{', '.join(s['outputs'])} | {s['size']} |"
        )
    total = sum(fx.summary["size"] for fx in fixtures)
    lines += ["", f"{len(fixtures)} fixtures, {total} bytes.", "", "## Observed quirks", ""]
    lines += [f"- {note}" for note in QUIRKS]
    lines.append("")
    (FIXTURE_DIR / "INDEX.md").write_text("\n".join(lines))


def print_summary(fixtures: list[Fixture]) -> None:
    w = max(len(fx.name) for fx in fixtures)
    print(f"{'fixture':<{w}}  {'bytes':>7}  opsets / operators")
    for fx in fixtures:
        s = fx.summary
        ops = ", ".join(o.replace("ai.onnx.ml:", "ml:").replace("ai.onnx:", "")
                        for o in s["operators"])
        print(f"{fx.name:<{w}}  {s['size']:>7}  [{', '.join(s['opsets'])}] {ops}")
    total = sum(fx.summary["size"] for fx in fixtures)
    print(f"{len(fixtures)} fixtures, {total} bytes in {FIXTURE_DIR.relative_to(ROOT)}")


def all_fixtures() -> list[Fixture]:
    fixtures = []
    fixtures += linear_fixtures()
    fixtures += svm_fixtures()
    fixtures += mlp_fixtures()
    fixtures += column_transformer_fixtures()
    trees, derived = sklearn_tree_fixtures()
    fixtures += trees
    hgb, d = hist_gradient_boosting_fixtures()
    fixtures += hgb
    derived.update(d)
    xg, d = xgboost_fixtures()
    fixtures += xg
    derived.update(d)
    fixtures += lightgbm_fixtures()
    fixtures += edited_tree_fixtures(derived)
    fixtures += tree_ensemble_v5_fixtures(derived)
    names = [fx.name for fx in fixtures]
    if len(set(names)) != len(names):
        raise ValueError("duplicate fixture names")
    return fixtures


def make_fixtures() -> None:
    FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
    fixtures = all_fixtures()
    known = {fx.name for fx in fixtures}
    for stale in sorted(FIXTURE_DIR.glob("*.onnx")) + sorted(FIXTURE_DIR.glob("*.json")):
        if stale.stem not in known:
            stale.unlink()
    for fx in fixtures:
        write_fixture(fx)
    write_index(fixtures)
    print_summary(fixtures)


# --------------------------------------------------------------------------------------
# Example model repository
# --------------------------------------------------------------------------------------


EXAMPLES = {
    "iris": "LogisticRegression (multinomial) on the iris data set: 4 float features "
            "(sepal length, sepal width, petal length, petal width, in cm), 3 classes "
            "(0 setosa, 1 versicolor, 2 virginica).",
    "forest": "RandomForestClassifier, 20 trees, max_depth 6, on a 30-feature synthetic "
              "binary problem (make_classification, 5,000 rows, seed 0).",
    "mlp": "MLPClassifier, hidden layers (64, 64), relu, on the same 30-feature synthetic "
           "binary problem.",
    "identity": "One ONNX Identity node: `Y` is `X`, 4 float features like iris. A model that "
                "does no work, for measuring the whole serving path (TLS, protocol, "
                "authentication, scheduling) without compute: the transport ceiling of "
                "`bench/compare`.",
}


def identity_model():
    """X [N, 4] float -> Y = X, written with onnx.helper (no exporter emits a bare Identity)."""
    x = onnx.helper.make_tensor_value_info("X", onnx.TensorProto.FLOAT, ["N", 4])
    y = onnx.helper.make_tensor_value_info("Y", onnx.TensorProto.FLOAT, ["N", 4])
    graph = onnx.helper.make_graph([onnx.helper.make_node("Identity", ["X"], ["Y"])],
                                   "identity", [x], [y])
    model = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", 22)],
                                   producer_name="predict make-fixtures.py")
    model.ir_version = 10
    return model


def make_examples() -> None:
    written = []

    def save(name, model, example_row):
        model.graph.name = name  # the exporters put a random uuid here
        path = EXAMPLES_DIR / name / "1" / "model.onnx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(model.SerializeToString())
        size = path.stat().st_size
        if size > 1_500_000:
            raise ValueError(f"{path} is {size} bytes, over the 1.5 MB budget")
        sess = ort_session(model)
        outputs = sess.run(None, {"X": example_row})
        written.append(dict(
            name=name, size=size, operators=operators_of(model), opsets=opsets_of(model),
            example=(example_row[0], [(o.name, v[0]) for o, v in zip(sess.get_outputs(), outputs)]),
            inputs=[(i.name, i.type, i.shape) for i in sess.get_inputs()],
            outputs=[(o.name, o.type, o.shape) for o in sess.get_outputs()],
        ))

    X, y = load_iris(return_X_y=True)
    save("iris", skl(LogisticRegression(max_iter=1000, random_state=0).fit(X, y), 4,
                     zipmap=False), X[:1].astype(np.float32))

    X, y = make_classification(n_samples=5000, n_features=30, n_informative=12,
                               n_redundant=6, n_classes=2, random_state=0)
    X = X.astype(np.float32)
    forest = RandomForestClassifier(n_estimators=20, max_depth=6, random_state=0).fit(X, y)
    save("forest", skl(forest, 30, zipmap=False), X[:1])
    mlp = MLPClassifier(hidden_layer_sizes=(64, 64), max_iter=200, random_state=0).fit(X, y)
    save("mlp", skl(mlp, 30, zipmap=False), X[:1])
    save("identity", identity_model(), load_iris(return_X_y=True)[0][:1].astype(np.float32))

    def dims(shape):
        return "[" + ", ".join("N" if d is None or isinstance(d, str) else str(d)
                               for d in shape) + "]"

    lines = [
        "# Example model repository",
        "",
        "Generated by `scripts/make-fixtures.py --examples` (scikit-learn "
        f"{sklearn.__version__}, skl2onnx {skl2onnx.__version__}); do not edit by hand. "
        "Layout: `NAME/VERSION/model.onnx`. All are exported with `zipmap=False`, so every "
        "output is a plain tensor.",
        "",
    ]
    for w in written:
        lines += [f"## {w['name']}", "", EXAMPLES[w["name"]], ""]
        lines += [f"- file: `{w['name']}/1/model.onnx`, {w['size']} bytes",
                  f"- opset imports: {', '.join(w['opsets'])}",
                  f"- operators: {', '.join(w['operators'])}"]
        for kind in ("inputs", "outputs"):
            for n, t, shape in w[kind]:
                what = {
                    "X": "features, one row per example",
                    "label": "predicted class (int64)",
                    "probabilities": "class probabilities, columns in class order 0..C-1",
                    "Y": "the input, unchanged",
                }.get(n, "")
                lines.append(f"- {kind[:-1]} `{n}`: {t} {dims(shape)} {what}".rstrip())
        row, outputs = w["example"]
        fmt = lambda v: "[" + ", ".join(f"{float(x):.6g}" for x in v) + "]"  # noqa: E731
        shown = ", ".join(f"`{n}` = `[{int(v)}]`" if np.ndim(v) == 0 else f"`{n}` = `[{fmt(v)}]`"
                          for n, v in outputs)
        lines += ["", f"Example (onnxruntime): `X` = `[{fmt(row)}]` gives {shown}.", ""]
    (EXAMPLES_DIR / "README.md").write_text("\n".join(lines))
    for w in written:
        print(f"examples/models/{w['name']}/1/model.onnx  {w['size']} bytes  "
              f"{', '.join(w['operators'])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--fixtures", action="store_true", help="only Tests/Fixtures/runtime")
    which.add_argument("--examples", action="store_true", help="only examples/models")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, scikit-learn "
          f"{sklearn.__version__}, skl2onnx {skl2onnx.__version__}, onnxmltools "
          f"{onnxmltools.__version__}, xgboost {xgboost.__version__}, lightgbm "
          f"{lightgbm.__version__}, onnx {onnx.__version__}, onnxruntime {ort.__version__}")
    if not args.examples:
        make_fixtures()
    if not args.fixtures:
        make_examples()
    return 0


if __name__ == "__main__":
    sys.exit(main())
