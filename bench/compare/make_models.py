"""Trains bench/compare's models with fixed seeds and writes them for both systems.

    python make_models.py WORKDIR

WORKDIR/repo/NAME/1/model.onnx   predict's model repository (skl2onnx, zipmap off)
WORKDIR/repo/identity/1/...      examples/models/identity, which returns its input: the
                                 transport ceiling
WORKDIR/peer/NAME.joblib         the same fitted estimator for the FastAPI peer
WORKDIR/rows/NAME.csv            1,024 held-out rows, sent by predict-bench
WORKDIR/rows/NAME.bodies         the same rows as JSON bodies, one per line, sent by wrk

Models: iris logistic regression (4 features); a random forest of 100 trees, depth 8, and an
MLP (64, 64), both on a 30-feature synthetic binary problem (make_classification, seed 0).
"""

import json
import shutil
import sys
from pathlib import Path

import joblib
import numpy as np
import onnxruntime as ort
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.datasets import load_iris, make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

ROWS = 1024
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "models"


def export(model, features):
    onx = convert_sklearn(model, initial_types=[("X", FloatTensorType([None, features]))],
                          options={id(model): {"zipmap": False}})
    onx.graph.name = type(model).__name__  # the exporter puts a random uuid here
    return onx


def main(work: Path) -> None:
    iris_x, iris_y = load_iris(return_X_y=True)
    iris_x = iris_x.astype(np.float32)
    synth_x, synth_y = make_classification(n_samples=20_000, n_features=30, n_informative=12,
                                           n_redundant=6, n_classes=2, random_state=0)
    synth_x = synth_x.astype(np.float32)
    train_x, test_x, train_y, _ = train_test_split(synth_x, synth_y, test_size=ROWS,
                                                   random_state=0)
    rng = np.random.default_rng(0)
    models = {
        "iris": (LogisticRegression(max_iter=1000, random_state=0).fit(iris_x, iris_y), 4,
                 # 1,024 rows around the iris data, so no two calls send the same row.
                 iris_x[rng.integers(0, len(iris_x), ROWS)]
                 + rng.normal(0, 0.05, (ROWS, 4)).astype(np.float32)),
        "forest": (RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0)
                   .fit(train_x, train_y), 30, test_x),
        "mlp": (MLPClassifier(hidden_layer_sizes=(64, 64), max_iter=300, random_state=0)
                .fit(train_x, train_y), 30, test_x),
    }
    for name, (model, features, rows) in models.items():
        onx = export(model, features)
        path = work / "repo" / name / "1" / "model.onnx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(onx.SerializeToString())
        (work / "peer").mkdir(exist_ok=True)
        joblib.dump(model, work / "peer" / f"{name}.joblib")
        # Both systems must agree on what they serve.
        session = ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])
        labels = session.run(None, {"X": rows.astype(np.float32)})[0]
        agree = float(np.mean(labels == model.predict(rows)))
        if agree < 0.99:
            raise SystemExit(f"{name}: ONNX and scikit-learn agree on only {agree:.1%} of rows")
        write_rows(work / "rows", name, rows.astype(np.float32))
        print(f"{name}: {features} features, {path.stat().st_size} bytes of ONNX, "
              f"labels agree on {agree:.1%} of {ROWS} rows")
    # The transport ceiling is the committed example model (scripts/make-fixtures.py makes it).
    path = work / "repo" / "identity" / "1" / "model.onnx"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(EXAMPLES / "identity" / "1" / "model.onnx", path)
    write_rows(work / "rows", "identity", models["iris"][2].astype(np.float32))


def write_rows(folder: Path, name: str, rows: np.ndarray) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.csv", "w") as csv:
        for row in rows:
            csv.write(",".join(repr(float(v)) for v in row) + "\n")
    with open(folder / f"{name}.bodies", "w") as bodies:
        for row in rows:
            bodies.write(json.dumps({"features": [float(v) for v in row]}) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
