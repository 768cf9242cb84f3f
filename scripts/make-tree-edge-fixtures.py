#!/usr/bin/env python3
"""Generate the tree-ensemble edge-case fixtures: small hand-built models and onnxruntime's outputs.

Run from the repository root with an interpreter that has numpy, onnx and onnxruntime
(the pinned versions of scripts/make-fixtures.py):

    python3 scripts/make-tree-edge-fixtures.py

For every fixture NAME it writes Tests/Fixtures/trees/NAME.onnx and NAME.json, in the JSON
format of scripts/make-fixtures.py (model, description, inputs, outputs; floats printed from
the float32/float64 value; NaN and infinities as strings). Where exporter output
(Tests/Fixtures/runtime) covers real models, these cover the rules one by one: each node mode
with values on, just above and just below thresholds, NaN routing with and without
nodes_missing_value_tracks_true, onnxruntime's binary-classifier and has-score rules, every
aggregate function and post transform, base values, *_as_tensor attributes, integer and
float64 inputs, TreeEnsemble (opset 5) with leaf children and membership sets, and random
ensembles large enough to exercise batching across many rows and trees.

onnxruntime leaves some output cells unwritten (PROBIT on a one-score binary classifier, a
binary classifier whose second class has no vote with one base value); no fixture relies on
those cells. Everything is deterministic: fixed seeds, single-threaded onnxruntime.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from fixture_json import render_json, tensor_json
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "Tests" / "Fixtures" / "trees"
ML = "ai.onnx.ml"

F32, F64, I64, I32 = TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.INT64, TensorProto.INT32
NP_TYPES = {F32: np.float32, F64: np.float64, I64: np.int64, I32: np.int32}


# ------------------------------------------------------------------------------------------
# Models
# ------------------------------------------------------------------------------------------


def make_model(op, attrs, in_type=F32, n_features=2, opset=3):
    X = helper.make_tensor_value_info("X", in_type, [None, n_features])
    if op == "TreeEnsembleClassifier":
        label_type = TensorProto.STRING if "classlabels_strings" in attrs else TensorProto.INT64
        outputs = [helper.make_tensor_value_info("label", label_type, [None]),
                   helper.make_tensor_value_info("probabilities", F32, [None, None])]
    else:
        out_type = in_type if op == "TreeEnsemble" else F32
        outputs = [helper.make_tensor_value_info("Y", out_type, [None, None])]
    node = helper.make_node(op, ["X"], [o.name for o in outputs], domain=ML, **attrs)
    graph = helper.make_graph([node], "trees", [X], outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(ML, opset)])
    model.ir_version = 9
    return model


class Trees:
    """Builds the node and vote lists of TreeEnsembleClassifier / TreeEnsembleRegressor."""

    def __init__(self):
        self.nodes = []  # (tree, id, feature, mode, value, true, false, missing)
        self.votes = []  # (tree, node, target, weight)

    def branch(self, tree, nid, feature, mode, value, true, false, missing=0):
        self.nodes.append((tree, nid, feature, mode, float(value), true, false, missing))

    def leaf(self, tree, nid, *votes):
        self.nodes.append((tree, nid, 0, "LEAF", 0.0, 0, 0, 0))
        for target, weight in votes:
            self.votes.append((tree, nid, target, float(weight)))

    def attrs(self, classifier, tensor_type=None):
        cols = list(zip(*self.nodes))
        a = dict(nodes_treeids=list(cols[0]), nodes_nodeids=list(cols[1]), nodes_featureids=list(cols[2]),
                 nodes_modes=list(cols[3]), nodes_truenodeids=list(cols[5]), nodes_falsenodeids=list(cols[6]),
                 nodes_missing_value_tracks_true=list(cols[7]))
        vcols = list(zip(*self.votes))
        p = "class_" if classifier else "target_"
        a[p + "treeids"], a[p + "nodeids"], a[p + "ids"] = list(vcols[0]), list(vcols[1]), list(vcols[2])
        if tensor_type is None:
            a["nodes_values"] = list(cols[4])
            a[p + "weights"] = list(vcols[3])
        else:
            dt = NP_TYPES[tensor_type]
            a["nodes_values_as_tensor"] = numpy_helper.from_array(np.array(cols[4], dtype=dt))
            a[p + "weights_as_tensor"] = numpy_helper.from_array(np.array(vcols[3], dtype=dt))
        return a


def two_level_tree(mode, missing=0, t0=0.5, t1=-1.25):
    """Root on feature 0 (threshold t0), each child a test on feature 1 (threshold t1)."""
    t = Trees()
    t.branch(0, 0, 0, mode, t0, 1, 4, missing)
    t.branch(0, 1, 1, mode, t1, 2, 3, missing)
    t.leaf(0, 2, (0, 1.0))
    t.leaf(0, 3, (0, 2.0))
    t.branch(0, 4, 1, mode, t1, 5, 6, 0)
    t.leaf(0, 5, (0, 4.0))
    t.leaf(0, 6, (0, 8.0))
    return t


def edge_rows(t0=0.5, t1=-1.25, dtype=np.float32):
    """Rows around the thresholds of two_level_tree: on, one ulp above and below, infinities, NaN."""
    def around(t):
        t = dtype(t)
        return [t, np.nextafter(t, dtype(np.inf)), np.nextafter(t, dtype(-np.inf))]
    a, b = around(t0), around(t1)
    rows = [[x, y] for x in a for y in b]
    rows += [[np.inf, -np.inf], [-np.inf, np.inf], [np.nan, b[0]], [a[0], np.nan], [np.nan, np.nan],
             [-1e30, 1e30], [0.0, -0.0]]
    return np.array(rows, dtype=dtype)


def v5_tensor(values, dtype):
    return numpy_helper.from_array(np.array(values, dtype=dtype))


class TE5:
    """Builds TreeEnsemble (opset 5) attributes."""

    def __init__(self):
        self.nodes = []  # [feature, mode, split, true, true_is_leaf, false, false_is_leaf, missing]
        self.leaves = []  # (target, weight)
        self.roots = []
        self.members = []

    def leaf(self, target, weight):
        self.leaves.append((target, float(weight)))
        return ("leaf", len(self.leaves) - 1)

    def branch(self, feature, mode, split, true, false, missing=0, members=None):
        self.nodes.append([feature, mode, float(split), true, false, missing])
        if members is not None:
            self.members += list(members) + [float("nan")]
        return ("node", len(self.nodes) - 1)

    def attrs(self, n_targets, dtype, aggregate=1, post_transform=0):
        ref = lambda r: (r[1], 1 if r[0] == "leaf" else 0)
        a = dict(n_targets=n_targets, aggregate_function=aggregate, post_transform=post_transform,
                 tree_roots=[r[1] for r in self.roots],
                 nodes_featureids=[n[0] for n in self.nodes],
                 nodes_modes=numpy_helper.from_array(np.array([n[1] for n in self.nodes], dtype=np.uint8)),
                 nodes_splits=v5_tensor([n[2] for n in self.nodes], dtype),
                 nodes_truenodeids=[ref(n[3])[0] for n in self.nodes], nodes_trueleafs=[ref(n[3])[1] for n in self.nodes],
                 nodes_falsenodeids=[ref(n[4])[0] for n in self.nodes], nodes_falseleafs=[ref(n[4])[1] for n in self.nodes],
                 nodes_missing_value_tracks_true=[n[5] for n in self.nodes],
                 leaf_targetids=[l[0] for l in self.leaves], leaf_weights=v5_tensor([l[1] for l in self.leaves], dtype))
        if self.members:
            a["membership_values"] = v5_tensor(self.members, dtype)
        return a


# ------------------------------------------------------------------------------------------
# Fixtures
# ------------------------------------------------------------------------------------------

FIXTURES = []


def fixture(name, description, model, rows):
    FIXTURES.append((name, description, model, rows))


def mode_fixtures():
    modes = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"]
    for mode in modes:
        for missing in (0, 1):
            name = f"mode-{mode.split('_')[1].lower()}" + ("-missing-true" if missing else "")
            t = two_level_tree(mode, missing)
            model = make_model("TreeEnsembleRegressor", dict(t.attrs(False), n_targets=1))
            fixture(name, f"one tree of {mode} nodes, values on and one ulp around each threshold, "
                          f"infinities and NaN; nodes_missing_value_tracks_true={missing} on the first two nodes",
                    model, edge_rows())
    # Every mode in one tree: the general traversal.
    t = Trees()
    t.branch(0, 0, 0, "BRANCH_LEQ", 0.5, 1, 2, 0)
    t.branch(0, 1, 1, "BRANCH_EQ", -1.25, 3, 4, 1)
    t.branch(0, 2, 1, "BRANCH_GT", -1.25, 5, 6, 1)
    t.leaf(0, 3, (0, 1.0))
    t.branch(0, 4, 0, "BRANCH_NEQ", 0.5, 7, 8, 0)
    t.leaf(0, 5, (0, 2.0))
    t.branch(0, 6, 0, "BRANCH_GTE", 0.5, 9, 10, 0)
    t.leaf(0, 7, (0, 3.0))
    t.leaf(0, 8, (0, 4.0))
    t.branch(0, 9, 1, "BRANCH_LT", -1.25, 11, 12, 1)
    t.leaf(0, 10, (0, 5.0))
    t.leaf(0, 11, (0, 6.0))
    t.leaf(0, 12, (0, 7.0))
    fixture("mode-mixed", "one tree mixing all six comparisons, some nodes sending NaN to the true branch",
            make_model("TreeEnsembleRegressor", dict(t.attrs(False), n_targets=1)), edge_rows())


def equality_chain_fixtures():
    # x0 == 1 or 2 or 3 -> leaf A, else leaf B: onnxruntime fuses the chain and routes NaN by
    # the first node's missing-value flag only.
    for name, values, missing in (("eq-chain", [1, 2, 3], [0, 1, 0]), ("eq-chain-unfusable", [0, 2, 40], [0, 1, 0]),
                                  ("eq-chain-first-tracks", [1, 2, 3], [1, 0, 0])):
        t = Trees()
        n = len(values)
        for i, v in enumerate(values):
            t.branch(0, i, 0, "BRANCH_EQ", v, n, i + 1 if i + 1 < n else n + 1, missing[i])
        t.leaf(0, n, (0, 1.0))
        t.leaf(0, n + 1, (0, 2.0))
        rows = np.array([[v, 0] for v in [0, 1, 2, 2.5, 3, 3.0000002, 33, 40, -1, np.nan, np.inf]], dtype=np.float32)
        fixture(name, f"a chain of BRANCH_EQ tests {values} with missing-value flags {missing}",
                make_model("TreeEnsembleRegressor", dict(t.attrs(False), n_targets=1), n_features=2), rows)


def stump_classifier(weights_by_leaf, labels, post="NONE", base=None, tensor_type=None, in_type=F32):
    """x0 <= 0.5 ? L1 : (x0 <= 1.5 ? L3 : L4)."""
    t = Trees()
    t.branch(0, 0, 0, "BRANCH_LEQ", 0.5, 1, 2)
    t.leaf(0, 1, *weights_by_leaf[0])
    t.branch(0, 2, 0, "BRANCH_LEQ", 1.5, 3, 4)
    t.leaf(0, 3, *weights_by_leaf[1])
    t.leaf(0, 4, *weights_by_leaf[2])
    # A second tree voting on feature 1, so sums mix two trees.
    t.branch(1, 0, 1, "BRANCH_LT", 0.0, 1, 2)
    t.leaf(1, 1, *weights_by_leaf[3])
    t.leaf(1, 2, *weights_by_leaf[4])
    a = t.attrs(True, tensor_type)
    a["post_transform"] = post
    if isinstance(labels[0], str):
        a["classlabels_strings"] = labels
    else:
        a["classlabels_int64s"] = labels
    if base is not None:
        if tensor_type is None:
            a["base_values"] = base
        else:
            a["base_values_as_tensor"] = numpy_helper.from_array(np.array(base, dtype=NP_TYPES[tensor_type]))
    return make_model("TreeEnsembleClassifier", a, in_type=in_type)


CLASSIFIER_ROWS = np.array([[x, y] for x in [0.0, 0.5, 1.0, 1.5, 2.0, np.nan] for y in [-1.0, 0.0, 1.0]], dtype=np.float32)


def classifier_fixtures():
    positive = [[(0, 0.1)], [(0, 0.3)], [(0, 0.45)], [(0, 0.05)], [(0, 0.2)]]
    mixed = [[(0, -0.4)], [(0, 0.3)], [(0, 1.2)], [(0, -0.25)], [(0, 0.2)]]
    for post in ("NONE", "LOGISTIC", "SOFTMAX"):
        fixture(f"binary-positive-{post.lower()}", f"binary, votes for class 0 only, non-negative weights, {post}: "
                "probabilities [1-s, s] (LOGISTIC: [σ(-s), σ(s)]), label positive when s > 0.5",
                stump_classifier(positive, [0, 1], post), CLASSIFIER_ROWS)
        fixture(f"binary-mixed-{post.lower()}", f"binary, votes for class 0 only, mixed-sign weights, {post}: "
                "probabilities [-s, s] (LOGISTIC: [σ(-s), σ(s)]), label positive when s > 0",
                stump_classifier(mixed, [0, 1], post), CLASSIFIER_ROWS)
    fixture("binary-mixed-logistic-base", "binary as XGBoost writes it: mixed weights, one base value, LOGISTIC",
            stump_classifier(mixed, [0, 1], "LOGISTIC", base=[-0.3]), CLASSIFIER_ROWS)
    fixture("binary-strings", "binary with string labels", stump_classifier(positive, ["no", "yes"], "NONE"), CLASSIFIER_ROWS)
    fixture("binary-labels-3-7", "binary one-score with int labels 3 and 7",
            stump_classifier(mixed, [3, 7], "LOGISTIC"), CLASSIFIER_ROWS)
    both = [[(0, 0.6), (1, 0.4)], [(0, 0.2)], [(1, 0.7)], [(0, 0.5), (1, 0.5)], [(0, 0.1), (1, 0.3)]]
    fixture("binary-both-classes", "binary with votes for both class ids: onnxruntime labels by the sign of the "
            "second score and writes the raw label 1 or 0 (not the class label 3 or 7)",
            stump_classifier(both, [3, 7], "NONE"), CLASSIFIER_ROWS)
    fixture("binary-both-classes-two-base", "binary, votes for both classes, two base values",
            stump_classifier(both, [3, 7], "NONE", base=[0.25, -0.5]), CLASSIFIER_ROWS)
    fixture("binary-two-base-values", "binary one-score with two base values",
            stump_classifier(mixed, [0, 1], "NONE", base=[0.1, 0.2]), CLASSIFIER_ROWS)
    multi = [[(1, -0.5), (2, -0.25)], [(0, -1.0), (2, -1.0)], [(2, 0.0)], [(0, 0.5), (1, 0.25)], [(1, 0.75)]]
    for post in ("NONE", "SOFTMAX", "SOFTMAX_ZERO", "LOGISTIC"):
        fixture(f"multiclass-{post.lower().replace('_', '-')}", "three classes, some with no vote on a row (those are "
                f"skipped by the argmax and written as 0), negative scores, ties; {post}",
                stump_classifier(multi, [10, 20, 30], post), CLASSIFIER_ROWS)
    fixture("multiclass-strings-base", "three string classes with base values (every class then has a score)",
            stump_classifier(multi, ["a", "b", "c"], "SOFTMAX", base=[0.1, -2.0, 0.3]), CLASSIFIER_ROWS)
    probit = [[(0, 0.1), (1, 0.2), (2, 0.3)], [(0, 0.05)], [(1, 0.25), (2, 0.1)], [(0, 0.2), (2, 0.2)], [(1, 0.3)]]
    fixture("multiclass-probit", "three classes, PROBIT", stump_classifier(probit, [0, 1, 2], "PROBIT"), CLASSIFIER_ROWS)
    fixture("classifier-as-tensor-double", "float64 input, thresholds, weights and base values as float64 tensors "
            "(compared and summed in float64)",
            stump_classifier(mixed, [0, 1], "LOGISTIC", base=[0.1], tensor_type=F64, in_type=F64),
            np.array([[0.5, 0.0], [0.5000000000000001, 0.0], [float(np.float32(0.1)), 0.0], [1.5, -1e-300], [2.0, np.nan]], dtype=np.float64))
    fixture("classifier-as-tensor-float", "float32 tensors for thresholds, weights and base values",
            stump_classifier(multi, [10, 20, 30], "SOFTMAX", base=[0.5, 0.5, 0.5], tensor_type=F32), CLASSIFIER_ROWS)
    ints = np.array([[x, y] for x in [-3, 0, 1, 2, 16777217, 16777219] for y in [-1, 0, 5]], dtype=np.int64)
    t = Trees()
    t.branch(0, 0, 0, "BRANCH_LEQ", 16777218.0, 1, 2)
    t.leaf(0, 1, (0, 0.2))
    t.branch(0, 2, 1, "BRANCH_GT", 0.5, 3, 4)
    t.leaf(0, 3, (0, 0.9))
    t.leaf(0, 4, (0, 0.6))
    a = dict(t.attrs(True), classlabels_int64s=[0, 1], post_transform="NONE")
    fixture("classifier-int64-input", "int64 input compared as float32 (16777217 rounds to 16777216)",
            make_model("TreeEnsembleClassifier", a, in_type=I64), ints)
    fixture("classifier-int32-input", "int32 input", make_model("TreeEnsembleClassifier", a, in_type=I32),
            np.array([[x, y] for x in [-3, 0, 1, 2] for y in [-1, 0, 5]], dtype=np.int32))


def regressor_fixtures():
    def three_targets():
        t = Trees()
        t.branch(0, 0, 0, "BRANCH_LEQ", 0.5, 1, 2)
        t.leaf(0, 1, (0, 1.0))
        t.leaf(0, 2, (0, 2.0), (1, 3.0))
        t.branch(1, 0, 1, "BRANCH_LEQ", 0.0, 1, 2)
        t.leaf(1, 1, (0, 0.5), (1, -1.5))
        t.leaf(1, 2, (0, -0.5))
        t.leaf(2, 0, (0, 0.25))
        return t
    rows = np.array([[x, y] for x in [0.0, 0.5, 1.0, np.nan] for y in [-1.0, 0.0, 1.0]], dtype=np.float32)
    for aggregate in ("SUM", "AVERAGE", "MIN", "MAX"):
        a = dict(three_targets().attrs(False), n_targets=3, aggregate_function=aggregate, base_values=[0.25, 0.5, 0.75])
        fixture(f"regressor-{aggregate.lower()}", f"three targets, {aggregate}, base values; target 2 never gets a vote "
                "and is written as 0 (onnxruntime hides its base value)", make_model("TreeEnsembleRegressor", a), rows)
    for post in ("LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"):
        a = dict(three_targets().attrs(False), n_targets=3, post_transform=post)
        fixture(f"regressor-{post.lower().replace('_', '-')}", f"three targets, {post}", make_model("TreeEnsembleRegressor", a), rows)
    t = Trees()
    t.branch(0, 0, 0, "BRANCH_LEQ", 0.5, 1, 2)
    t.leaf(0, 1, (0, 0.1), (1, 0.3))
    t.leaf(0, 2, (0, 0.2), (1, 0.6))
    a = dict(t.attrs(False), n_targets=2, post_transform="PROBIT")
    fixture("regressor-probit", "two targets, PROBIT", make_model("TreeEnsembleRegressor", a), rows)
    for aggregate in ("SUM", "AVERAGE", "MIN", "MAX"):
        for post in ("LOGISTIC", "PROBIT"):
            t = Trees()
            t.branch(0, 0, 0, "BRANCH_LEQ", 0.5, 1, 2)
            t.leaf(0, 1, (0, 0.1), (0, 5.0))  # only the first vote of a leaf counts with one target
            t.leaf(0, 2, (0, 0.3))
            t.branch(1, 0, 1, "BRANCH_LEQ", 0.0, 1, 2)
            t.leaf(1, 1, (0, 0.2))
            t.leaf(1, 2)  # a leaf without votes adds 0
            a = dict(t.attrs(False), n_targets=1, aggregate_function=aggregate, post_transform=post, base_values=[0.05])
            fixture(f"regressor-one-target-{aggregate.lower()}-{post.lower()}", f"one target, {aggregate}, {post} "
                    "(with one target onnxruntime applies PROBIT only), base value, first-vote-only leaves",
                    make_model("TreeEnsembleRegressor", a), rows)
    # Trees listed out of order: each run of equal tree ids is a tree rooted at its first node.
    a = dict(nodes_treeids=[0, 1, 0, 0], nodes_nodeids=[0, 0, 1, 2], nodes_featureids=[0, 0, 0, 0],
             nodes_modes=["BRANCH_LEQ", "LEAF", "LEAF", "LEAF"], nodes_values=[0.5, 0, 0, 0],
             nodes_truenodeids=[1, 0, 0, 0], nodes_falsenodeids=[2, 0, 0, 0], target_treeids=[0, 0, 1],
             target_nodeids=[1, 2, 0], target_ids=[0, 0, 0], target_weights=[1.0, 2.0, 0.5], n_targets=1,
             aggregate_function="AVERAGE")
    fixture("regressor-interleaved-tree-ids", "tree ids 0,1,0,0: onnxruntime counts three trees", make_model("TreeEnsembleRegressor", a), rows)
    a = dict(three_targets().attrs(False), n_targets=3, post_transform="SOFTMAX", aggregate_function="AVERAGE", base_values=[0.1, 0.2, 0.3])
    fixture("regressor-double-softmax", "float64 input, three targets, AVERAGE, SOFTMAX: sums in float64, transform in float32",
            make_model("TreeEnsembleRegressor", a, in_type=F64), rows.astype(np.float64))
    t = two_level_tree("BRANCH_LT")
    a = dict(t.attrs(False, tensor_type=F64), n_targets=1, base_values_as_tensor=numpy_helper.from_array(np.array([0.1], dtype=np.float64)))
    fixture("regressor-as-tensor-double", "float64 input with float64 tensor thresholds, compared in float64",
            make_model("TreeEnsembleRegressor", a, in_type=F64), edge_rows(dtype=np.float64))
    a = dict(two_level_tree("BRANCH_GTE").attrs(False), n_targets=1)
    fixture("regressor-double-input", "float64 input with float32 thresholds (widened, compared in float64)",
            make_model("TreeEnsembleRegressor", a, in_type=F64),
            np.concatenate([edge_rows(dtype=np.float64), np.array([[0.1, 0.1], [float(np.float32(0.5)) + 1e-12, -1.25 - 1e-12]])]))


def te5_fixtures():
    def trees(dtype, members=False):
        te = TE5()
        l0, l1, l2 = te.leaf(0, 1.0), te.leaf(1, 2.0), te.leaf(0, 3.0)
        n1 = te.branch(1, 0, 1.5, l1, l2)
        te.roots.append(te.branch(0, 0, 0.5, l0, n1, missing=1))
        l3 = te.leaf(1, 0.25)
        te.roots.append(te.branch(0, 0, 0.0, l3, l3))  # a tree that is one leaf
        l4, l5, l6 = te.leaf(0, -1.0), te.leaf(1, 4.0), te.leaf(0, 0.5)
        n2 = te.branch(0, 3, 2.0, l5, l6)
        te.roots.append(te.branch(1, 4, -0.5, l4, n2, missing=1))
        if members:
            l7, l8 = te.leaf(0, 10.0), te.leaf(1, 20.0)
            te.roots.append(te.branch(0, 6, 0, l7, l8, members=[1, 2, 5]))
            l9, l10 = te.leaf(1, 100.0), te.leaf(0, 200.0)
            te.roots.append(te.branch(1, 6, 0, l9, l10, missing=1, members=[-1, 2, 40]))
        return te
    rows = np.array([[x, y] for x in [0.0, 0.5, 1.0, 2.0, 2.5, 5.0, np.nan] for y in [-1.0, -0.5, 1.5, 2.0, 2.9, np.nan]], dtype=np.float32)
    for post, name in ((0, "none"), (1, "logistic"), (2, "softmax"), (3, "softmax-zero")):
        fixture(f"te5-post-{name}", f"TreeEnsemble opset 5, leaf children, a one-leaf tree, post_transform={post} "
                "(onnxruntime's numbering: 1 LOGISTIC, 2 SOFTMAX)",
                make_model("TreeEnsemble", trees(np.float32).attrs(2, np.float32, post_transform=post), opset=5), rows)
    for aggregate, name in ((0, "average"), (2, "min"), (3, "max")):
        fixture(f"te5-{name}", f"TreeEnsemble opset 5, aggregate_function={aggregate}",
                make_model("TreeEnsemble", trees(np.float32).attrs(2, np.float32, aggregate=aggregate), opset=5), rows)
    fixture("te5-double", "TreeEnsemble opset 5 on float64: float64 thresholds, weights and output",
            make_model("TreeEnsemble", trees(np.float64).attrs(2, np.float64), in_type=F64, opset=5),
            np.concatenate([rows.astype(np.float64), np.array([[0.5000000000000001, 1.5], [0.1, 1.4999999999999998]])]))
    for post, name in ((1, "logistic"), (2, "softmax")):
        fixture(f"te5-double-{name}", f"TreeEnsemble opset 5 on float64, post_transform={post}: sums in float64, "
                "the transform in float32 (as onnxruntime), output float64",
                make_model("TreeEnsemble", trees(np.float64).attrs(2, np.float64, post_transform=post), in_type=F64, opset=5),
                rows.astype(np.float64))
    fixture("te5-members", "BRANCH_MEMBER: a small set (exact equality) and a set with members outside [0, 30] "
            "(x truncated to int32 first, as onnxruntime does)",
            make_model("TreeEnsemble", trees(np.float32, members=True).attrs(2, np.float32), opset=5), rows)
    te = TE5()
    l0, l1 = te.leaf(0, 0.2), te.leaf(0, 0.6)
    te.roots.append(te.branch(0, 1, 0.5, l0, l1))
    fixture("te5-one-target-probit", "TreeEnsemble opset 5, one target, PROBIT",
            make_model("TreeEnsemble", te.attrs(1, np.float32, post_transform=4), opset=5), rows)


def random_fixtures():
    rng = np.random.default_rng(7)
    n_features = 5
    ordered = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT"]

    def random_trees(n_trees, modes, n_targets, leaf_votes):
        t = Trees()
        grid = np.round(rng.standard_normal(12), 1)
        for tree in range(n_trees):
            next_id = [0]

            def grow(depth):
                nid = next_id[0]
                next_id[0] += 1
                if depth >= 6 or (depth >= 2 and rng.random() < 0.25):
                    targets = rng.choice(n_targets, size=min(leaf_votes, n_targets), replace=False)
                    if leaf_votes >= n_targets:
                        targets = np.arange(n_targets)  # every class in order, as random forests vote
                    t.leaf(tree, nid, *[(int(k), float(np.round(rng.standard_normal(), 3))) for k in targets])
                    return nid
                feature = int(rng.integers(n_features))
                mode = modes[int(rng.integers(len(modes)))]
                index = len(t.nodes)
                t.branch(tree, nid, feature, mode, float(grid[rng.integers(len(grid))]), 0, 0, int(rng.random() < 0.3))
                true = grow(depth + 1)
                false = grow(depth + 1)
                entry = list(t.nodes[index])
                entry[5], entry[6] = true, false
                t.nodes[index] = tuple(entry)
                return nid
            grow(0)
        return t

    grid_rows = np.round(rng.standard_normal((300, n_features)), 1).astype(np.float32)
    grid_rows[rng.random(grid_rows.shape) < 0.03] = np.nan
    t = random_trees(24, ordered, 1, 1)
    fixture("random-ordered-regressor", "24 random trees of LEQ/LT/GTE/GT nodes over 300 rows with values on "
            "thresholds and some NaN (batched traversal, missing values)",
            make_model("TreeEnsembleRegressor", dict(t.attrs(False), n_targets=1), n_features=n_features), grid_rows)
    t = random_trees(17, ordered + ["BRANCH_EQ", "BRANCH_NEQ"], 4, 2)
    fixture("random-general-classifier", "17 random trees including EQ and NEQ nodes, four classes, sparse votes, "
            "SOFTMAX, 300 rows", make_model("TreeEnsembleClassifier", dict(t.attrs(True), classlabels_int64s=[5, 6, 7, 8],
                                                                     post_transform="SOFTMAX"), n_features=n_features), grid_rows)
    t = random_trees(30, ["BRANCH_LT"], 3, 3)
    fixture("random-dense-multiclass", "30 random BRANCH_LT trees voting for all three classes in every leaf, "
            "base values, 300 rows", make_model("TreeEnsembleClassifier", dict(t.attrs(True), classlabels_strings=["x", "y", "z"],
                                                                           base_values=[0.1, 0.2, 0.3]), n_features=n_features), grid_rows)
    t = random_trees(20, ["BRANCH_LEQ"], 1, 1)
    fixture("random-binary-float64", "20 random trees, binary one-score, float64 input, 300 rows",
            make_model("TreeEnsembleClassifier", dict(t.attrs(True), classlabels_int64s=[0, 1], post_transform="LOGISTIC"),
                       in_type=F64, n_features=n_features), grid_rows.astype(np.float64))


# ------------------------------------------------------------------------------------------


def ort_outputs(model, rows):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    session = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    results = session.run(None, {"X": rows})
    return [tensor_json(meta.name, np.asarray(value)) for meta, value in zip(session.get_outputs(), results)]


def main():
    mode_fixtures()
    equality_chain_fixtures()
    classifier_fixtures()
    regressor_fixtures()
    te5_fixtures()
    random_fixtures()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for old in OUT_DIR.glob("*"):
        old.unlink()
    names = set()
    for name, description, model, rows in FIXTURES:
        if name in names:
            raise ValueError(f"duplicate fixture {name}")
        names.add(name)
        model.graph.name = name
        onnx.checker.check_model(model)
        doc = {"model": name, "description": description, "inputs": [tensor_json("X", rows)],
               "outputs": ort_outputs(model, rows)}
        (OUT_DIR / f"{name}.onnx").write_bytes(model.SerializeToString())
        (OUT_DIR / f"{name}.json").write_text(render_json(doc) + "\n")
    print(f"wrote {len(FIXTURES)} fixtures to {OUT_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
