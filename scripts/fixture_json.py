"""The JSON form of the fixtures that the Swift tests read (Tests/PredictRuntimeTests/
Support/Fixture.swift), shared by make-fixtures.py, make-ml-edge-fixtures.py and
make-tree-edge-fixtures.py: tensors as {name, datatype, shape, data}, floats as numbers with
NaN and infinities as strings, ZipMap outputs as FP32 [N, C] tensors with their labels.
"""

from __future__ import annotations

import json
import math

import numpy as np


def datatype_of(arr: np.ndarray) -> str:
    if arr.dtype == np.float32:
        return "FP32"
    if arr.dtype == np.float64:
        return "FP64"
    if arr.dtype == np.int64:
        return "INT64"
    if arr.dtype == np.int32:
        return "INT32"
    if arr.dtype == np.bool_:
        return "BOOL"
    if arr.dtype.kind in ("U", "O", "S"):
        return "BYTES"
    raise TypeError(f"no datatype for numpy dtype {arr.dtype}")


def json_scalar(v):
    """One element as a JSON-ready value (NaN and infinities as strings)."""
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode("utf-8")
    if isinstance(v, (str, np.str_)):
        return str(v)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    return f


def tensor_json(name: str, arr: np.ndarray) -> dict:
    arr = np.asarray(arr)
    return {
        "name": name,
        "datatype": datatype_of(arr),
        "shape": [int(d) for d in arr.shape],
        "data": [json_scalar(v) for v in arr.reshape(-1)],
    }


def zipmap_json(name: str, maps: list[dict]) -> dict:
    """A ZipMap output (list of {label: probability}) as an FP32 [N, C] tensor."""
    labels = list(maps[0].keys())
    for m in maps:
        if list(m.keys()) != labels:
            raise ValueError(f"{name}: ZipMap rows disagree on key order")
    data = np.array([[m[k] for k in labels] for m in maps], dtype=np.float32)
    out = tensor_json(name, data)
    out["labels"] = [json_scalar(k) for k in labels]
    return out


def render_json(value, indent: int = 0) -> str:
    """JSON with objects one key per line and lists of scalars kept on one line."""
    pad = "  " * indent
    if isinstance(value, dict):
        items = [
            f'{pad}  {json.dumps(k)}: {render_json(v, indent + 1)}' for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        items = [f"{pad}  {render_json(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(value, separators=(", ", ": "), allow_nan=False, ensure_ascii=False)
