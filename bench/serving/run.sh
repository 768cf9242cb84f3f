#!/usr/bin/env bash
# Serving-core benchmark, in-process: rows/s for the iris logistic regression and a 100-tree
# forest on 30 features, batching off vs on, 1 vs 2 workers, 256 concurrent submitters; and the
# scheduler's overhead around a no-op model (p50/p99).
#
#   bench/serving/run.sh [--seconds S]
#
# Uses examples/models/iris and the forest of bench/runtime/make-bench-models.py (a venv with
# scripts/fixtures-requirements.txt is made, or $FIXTURE_VENV used).
set -euo pipefail
source "$(dirname "$0")/../common.sh"
seconds=3
[ "${1:-}" = "--seconds" ] && seconds=$2

bench_venv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench_models "$work"
(cd "$root" && swift build -c release --product predict-serving-bench >&2)
bench=$(cd "$root" && swift build -c release --show-bin-path)/predict-serving-bench
"$bench" --seconds "$seconds" --model "iris=$root/examples/models/iris/1/model.onnx" --model "forest=$work/forest.onnx" | tee "$work/results.jsonl"

"$venv/bin/python" - "$work/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
runs = {(r["model"], r["workers"], r["batching"]): r for r in rows if "model" in r}
print(f"\n{'model':8} {'workers':>7} {'off rows/s':>11} {'on rows/s':>10} {'on/off':>7}")
for (model, workers) in sorted({(m, w) for (m, w, _) in runs}):
    off, on = runs[(model, workers, False)], runs[(model, workers, True)]
    print(f"{model:8} {workers:>7} {off['rows_per_second']:>11} {on['rows_per_second']:>10} {on['rows_per_second'] / off['rows_per_second']:>6.2f}x")
o = [r for r in rows if "overhead_us_p50" in r][0]
print(f"scheduler overhead (no-op model, one in flight): p50 {o['overhead_us_p50']} us, p99 {o['overhead_us_p99']} us")
PY
