#!/usr/bin/env python3
"""Train and export the runtime benchmark models.

    python3 bench/runtime/make-bench-models.py OUTDIR

Needs the packages of scripts/fixtures-requirements.txt (see scripts/make-fixtures.py for
the venv). Writes to OUTDIR, all on one 30-feature synthetic binary problem
(make_classification, seed 0), float32 input, no ZipMap:

    logreg.onnx    LogisticRegression                          (skl2onnx, input "X")
    forest.onnx    RandomForestClassifier 100 trees max_depth 8 (skl2onnx, input "X")
    lightgbm.onnx  LGBMClassifier 50 trees num_leaves 63 max_depth 6 (onnxmltools, "input")
    xgboost.onnx   XGBClassifier 50 trees max_depth 6           (onnxmltools, input "input")
    mlp.onnx       MLPClassifier hidden (64, 64)                (skl2onnx, input "X")
    rows.f32       1024 x 30 held-out rows, distinct, raw little-endian float32, row-major

The outputs are not committed (the forest alone is a few MB); regenerate them. Training is
single-threaded and seeded, so the files are the same on every run.
"""

from __future__ import annotations

import os
import sys

# skl2onnx orders opset imports by iterating a set: fix the hash seed for stable bytes.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, *sys.argv])

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import warnings
from pathlib import Path

import numpy as np
import onnxruntime as ort
from lightgbm import LGBMClassifier
from onnxmltools import convert_lightgbm, convert_xgboost
from onnxmltools.convert.common.data_types import FloatTensorType as MLFloatTensorType
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from xgboost import XGBClassifier

warnings.filterwarnings("ignore")

N_FEATURES = 30
N_TRAIN = 20_000
N_ROWS = 1024


def skl(model):
    return convert_sklearn(
        model,
        initial_types=[("X", FloatTensorType([None, N_FEATURES]))],
        options={id(model): {"zipmap": False}},
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Write the runtime benchmark models.")
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)

    X, y = make_classification(
        n_samples=N_TRAIN + N_ROWS, n_features=N_FEATURES, n_informative=12, n_redundant=6,
        n_classes=2, random_state=0,
    )
    X = X.astype(np.float32)
    Xtr, ytr, rows = X[:N_TRAIN], y[:N_TRAIN], np.ascontiguousarray(X[N_TRAIN:])
    if len(np.unique(rows, axis=0)) != N_ROWS:
        raise ValueError("held-out rows are not distinct")

    models = {
        "logreg": skl(LogisticRegression(max_iter=1000, random_state=0).fit(Xtr, ytr)),
        "forest": skl(RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0,
                                             n_jobs=1).fit(Xtr, ytr)),
        "lightgbm": convert_lightgbm(
            LGBMClassifier(n_estimators=50, num_leaves=63, max_depth=6, random_state=0,
                           n_jobs=1, deterministic=True, force_row_wise=True, verbose=-1)
            .fit(Xtr, ytr),
            initial_types=[("input", MLFloatTensorType([None, N_FEATURES]))], zipmap=False),
        "xgboost": convert_xgboost(
            XGBClassifier(n_estimators=50, max_depth=6, random_state=0, n_jobs=1,
                          tree_method="hist").fit(Xtr, ytr),
            initial_types=[("input", MLFloatTensorType([None, N_FEATURES]))]),
        "mlp": skl(MLPClassifier(hidden_layer_sizes=(64, 64), max_iter=200, random_state=0)
                   .fit(Xtr, ytr)),
    }
    for name, model in models.items():
        model.graph.name = name  # the exporters put a random uuid here
        path = args.outdir / f"{name}.onnx"
        path.write_bytes(model.SerializeToString())
        so = ort.SessionOptions()
        so.log_severity_level = 3  # LightGBM declares its label [1]; it is [N].
        sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        inp = sess.get_inputs()[0]
        outs = sess.run(None, {inp.name: rows[:4]})
        print(f"{path}  {path.stat().st_size} bytes  input {inp.name} {inp.type}  "
              f"outputs {[o.name for o in sess.get_outputs()]} {[o.shape for o in outs]}")
    rows_path = args.outdir / "rows.f32"
    rows_path.write_bytes(rows.astype("<f4").tobytes())
    print(f"{rows_path}  {N_ROWS} x {N_FEATURES} float32")
    return 0


if __name__ == "__main__":
    sys.exit(main())
