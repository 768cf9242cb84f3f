#!/usr/bin/env python3
"""Time onnxruntime on the benchmark models written by make-bench-models.py.

    python3 bench/runtime/ort_bench.py OUTDIR [--seconds S] [--repeats R] [--models a,b]

For each model in OUTDIR (logreg, forest, lightgbm, xgboost, mlp) and batch sizes 1, 64
and 1024, runs onnxruntime single-threaded (intra_op_num_threads=1,
inter_op_num_threads=1, sequential execution) on batches that cycle through the 1024
distinct rows of OUTDIR/rows.f32: call i gets rows [i*b mod 1024, ...) of length b,
wrapping round. Repeating one batch on every call would let the branch predictor learn the
tree paths and flatter tree models about 3x, hence the cycle.

Each (model, batch) gets S seconds (default 1) split into R timed repetitions (default 5)
after a warm-up; the reported time is the median repetition. Prints one JSON line each:

    {"engine": "onnxruntime", "model": "forest", "batch": 64, "us_per_batch": ..., "us_per_row": ...}

The figures include Python's call overhead (about 5 us per call), which dominates batch 1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

MODELS = ("logreg", "forest", "lightgbm", "xgboost", "mlp")
BATCHES = (1, 64, 1024)
N_ROWS = 1024
N_FEATURES = 30


def session(path: Path) -> ort.InferenceSession:
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.log_severity_level = 3
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def batches(rows: np.ndarray, b: int) -> list[np.ndarray]:
    """The distinct batches of the cycle, each contiguous (built before timing)."""
    count = N_ROWS // np.gcd(b, N_ROWS)
    idx = (np.arange(count)[:, None] * b + np.arange(b)[None, :]) % N_ROWS
    return [np.ascontiguousarray(rows[i]) for i in idx]


def time_calls(sess, name: str, feeds: list[np.ndarray], seconds: float) -> float:
    """Seconds per call, running calls round the cycle for about `seconds`."""
    run = sess.run
    n = len(feeds)
    calls = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(min(n, 64)):
            run(None, {name: feeds[calls % n]})
            calls += 1
        now = time.perf_counter()
        if now >= deadline:
            return (now - start) / calls


def main() -> int:
    parser = argparse.ArgumentParser(description="onnxruntime single-thread benchmark")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seconds", type=float, default=1.0,
                        help="timed seconds per model and batch size (default 1)")
    parser.add_argument("--repeats", type=int, default=5,
                        help="timed repetitions whose median is reported (default 5)")
    parser.add_argument("--models", default=",".join(MODELS),
                        help="comma-separated subset of " + ",".join(MODELS))
    args = parser.parse_args()

    raw = np.fromfile(args.outdir / "rows.f32", dtype="<f4")
    if raw.size != N_ROWS * N_FEATURES:
        raise ValueError(f"rows.f32 holds {raw.size} floats, expected {N_ROWS * N_FEATURES}")
    rows = raw.reshape(N_ROWS, N_FEATURES).astype(np.float32)

    for model in args.models.split(","):
        if model not in MODELS:
            raise ValueError(f"unknown model {model!r}")
        sess = session(args.outdir / f"{model}.onnx")
        name = sess.get_inputs()[0].name
        for b in BATCHES:
            feeds = batches(rows, b)
            time_calls(sess, name, feeds, min(0.2, args.seconds / 4))  # warm-up
            per_call = statistics.median(
                time_calls(sess, name, feeds, args.seconds / args.repeats)
                for _ in range(args.repeats)
            )
            us = per_call * 1e6
            print(json.dumps({
                "engine": "onnxruntime", "model": model, "batch": b,
                "us_per_batch": round(us, 3), "us_per_row": round(us / b, 4),
            }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
