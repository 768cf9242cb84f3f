#!/usr/bin/env bash
# Start-up time and resident memory of predict-server (release build, dev mode, the example
# models), with the Python stack of a FastAPI + scikit-learn server measured in the same run as
# the baseline. Results: docs/BENCHMARKS.md. Usage: bench/server/run.sh [STARTS]
set -euo pipefail
source "$(dirname "$0")/../common.sh"
cd "$root"
swift build -c release --product predict-server >&2
swift build -c release --product predict-client >&2
venv=${SERVER_BENCH_VENV:-$root/.build-server-bench-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r bench/server/requirements.txt
fi
python3 bench/server/measure.py \
  --server .build/release/predict-server --client .build/release/predict-client \
  --python "$venv/bin/python" --starts "${1:-15}"
