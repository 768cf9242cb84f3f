#!/bin/bash
# predict-bench at 64 calls in flight while an administrator promotes iris version 2 and
# rolls back: predict-bench exits 1 on any failed call (--max-error-rate 0). Release builds.
#   bench/traffic/change-under-load.sh [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-12}
port=${PORT_TRAFFIC:-19643}
source "$root/bench/lib/iris-two-versions.sh"
"$bin/predict-bench" --server localhost:$port --ca "$work/state/ca.pem" --token "$token" --model iris \
    --connections 2 --concurrency 64 --duration "$seconds" --warmup 1 --max-error-rate 0 > "$work/bench.txt" &
bench=$!
sleep $((seconds / 3))
"${client[@]}" --token "$token" traffic iris --to 1=90,2=10 | grep traffic
sleep 1
"${client[@]}" --token "$token" traffic iris --to 2=100 | grep traffic
sleep 1
"${client[@]}" --token "$token" traffic iris --rollback | grep traffic
"${client[@]}" --token "$token" traffic iris --rollback | grep traffic
if wait $bench; then status=0; else status=$?; fi
grep -E "calls|status|OK|p99" "$work/bench.txt" | head -8
echo "predict-bench exit status: $status"
exit $status
