#!/bin/bash
# Caller latency with champion/challenger shadowing off and on, in one server process:
# iris version 1 answers every call, version 2 (the same model) shadows 100% of them when on.
# Rounds alternate off/on so drift on a shared machine hits both. Release builds.
#   bench/shadow/run.sh [rounds] [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-3}
seconds=${2:-8}
port=${PORT_SHADOW:-19543}
source "$root/bench/lib/iris-two-versions.sh"
for round in $(seq 1 "$rounds"); do
    for mode in off on; do
        if [ $mode = on ]; then shadow=2:100; else shadow=off; fi
        "${client[@]}" --token "$token" traffic iris --shadow $shadow > /dev/null
        r=$("$bin/predict-bench" --server localhost:$port --ca "$work/state/ca.pem" --token "$token" --model iris \
            --connections 2 --concurrency 64 --duration "$seconds" --warmup 2 --json)
        echo "round $round, shadow $mode: $(echo "$r" | python3 -c 'import json,sys; r=json.load(sys.stdin); l=r["latency_us"]; print(round(r["calls_per_second"]), "calls/s, p50", round(l["p50"]), "us, p99", round(l["p99"]), "us")')"
    done
done
echo "comparison: $("${client[@]}" --token "$token" --json compare iris)"
