#!/usr/bin/env python3
"""Re-runs onnxruntime on every committed fixture model and checks that the stored outputs are
exactly what onnxruntime computes, so the Swift tests compare against real reference values.

Needs onnxruntime and numpy (CI installs them into a venv). Usage: scripts/check-fixtures.py [DIR...]
"""
import json
import math
import pathlib
import sys

import numpy as np
import onnxruntime as ort

DTYPES = {"FP32": np.float32, "FP64": np.float64, "INT64": np.int64, "INT32": np.int32, "BOOL": np.bool_}


def decode(value):
    if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
        return float(value.replace("Infinity", "inf"))
    return value


def as_array(tensor):
    data = [decode(v) for v in tensor["data"]]
    if tensor["datatype"] == "BYTES":
        return np.array(data, dtype=object).reshape(tensor["shape"])
    return np.array(data, dtype=DTYPES[tensor["datatype"]]).reshape(tensor["shape"])


def same(actual, expected):
    if expected.dtype == object:
        return actual.shape == expected.shape and all(str(a) == str(e) for a, e in zip(actual.ravel(), expected.ravel()))
    if actual.shape != expected.shape:
        return False
    if np.issubdtype(expected.dtype, np.floating):
        return bool(np.all((actual == expected) | (np.isnan(actual) & np.isnan(expected))))
    return bool(np.all(actual == expected))


def check(path):
    spec = json.loads(path.read_text())
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3  # exporters declare shapes onnxruntime warns about (LightGBM label [1])
    session = ort.InferenceSession(str(path.with_suffix(".onnx")), options, providers=["CPUExecutionProvider"])
    feeds = {t["name"]: as_array(t) for t in spec["inputs"]}
    results = session.run([t["name"] for t in spec["outputs"]], feeds)
    problems = []
    for tensor, result in zip(spec["outputs"], results):
        if isinstance(result, list):  # ZipMap: a list of {label: probability} maps
            result = np.array([[row[k] for k in row] for row in result], dtype=np.float32)
        expected = as_array(tensor)
        actual = np.asarray(result).astype(expected.dtype) if expected.dtype != object else np.asarray(result, dtype=object)
        if not same(actual, expected):
            problems.append(f"{path.stem}: output {tensor['name']} differs from onnxruntime")
    return problems


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    dirs = [pathlib.Path(d) for d in sys.argv[1:]] or sorted((root / "Tests" / "Fixtures").iterdir())
    files = sorted(f for d in dirs if d.is_dir() for f in d.glob("*.json") if f.with_suffix(".onnx").exists())
    problems = [p for f in files for p in check(f)]
    for p in problems:
        print(p)
    print(f"fixtures: {len(files) - len({p.split(':')[0] for p in problems})} passed, {len({p.split(':')[0] for p in problems})} failed")
    sys.exit(1 if problems or not files else 0)


if __name__ == "__main__":
    main()
