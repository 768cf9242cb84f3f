#!/usr/bin/env bash
# Authentication's cost: first and cached verifications (predict-auth-bench), then end-to-end
# throughput with authentication on (dev mode's token) against --allow-unauthenticated,
# alternating in the same run. Results: docs/BENCHMARKS.md. Usage: bench/auth/run.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
for product in predict-auth-bench predict-server predict-client; do
  swift build -c release --product "$product" >&2
done
.build/release/predict-auth-bench
python3 bench/auth/throughput.py --server .build/release/predict-server --client .build/release/predict-client --rounds "${1:-5}"
