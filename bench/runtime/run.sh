#!/usr/bin/env bash
# Runtime benchmark: PredictRuntime against onnxruntime on the same models and rows, in one run.
#
#   bench/runtime/run.sh [--seconds S]
#
# Makes a venv with the fixture packages (or uses $FIXTURE_VENV), trains the benchmark models
# (bench/runtime/make-bench-models.py), builds predict-runtime-bench in release mode, times
# both engines single-threaded on each model at batch 1, 64 and 1024, and prints a table of
# microseconds per row with the ratio onnxruntime / predict (above 1: predict is faster).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
seconds=1
[ "${1:-}" = "--seconds" ] && seconds=$2

bench_venv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench_models "$work"
(cd "$root" && swift build -c release --product predict-runtime-bench >&2)
bench=$(cd "$root" && swift build -c release --show-bin-path)/predict-runtime-bench

# Interleave the engines model by model so both see the same machine conditions.
for model in logreg forest lightgbm xgboost mlp; do
  "$venv/bin/python" "$root/bench/runtime/ort_bench.py" "$work" --seconds "$seconds" --models "$model"
  "$bench" "$work" --seconds "$seconds" --models "$model"
done > "$work/results.jsonl"

"$venv/bin/python" - "$work/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {(r["engine"], r["model"], r["batch"]): r["us_per_row"] for r in rows}
print(f"{'model':10} {'batch':>5} {'onnxruntime us/row':>19} {'predict us/row':>15} {'ort/predict':>12}")
for (engine, model, batch), ort in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][2])):
    if engine != "onnxruntime":
        continue
    ours = by[("predict", model, batch)]
    print(f"{model:10} {batch:>5} {ort:>19.4f} {ours:>15.4f} {ort / ours:>11.2f}x")
PY
