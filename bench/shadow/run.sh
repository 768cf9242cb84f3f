#!/bin/bash
# Caller latency with champion/challenger shadowing off and on, in one server process:
# iris version 1 answers every call, version 2 (the same model) shadows 100% of them when on.
# Rounds alternate off/on so drift on a shared machine hits both. Release builds.
#   bench/shadow/run.sh [rounds] [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-3}
seconds=${2:-8}
cd "$root"
for product in predict-server predict-bench predict-client; do swift build -c release --product $product > /dev/null; done
bin=$root/.build/release
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/repo/iris/1" "$work/repo/iris/2"
cp examples/models/iris/1/model.onnx "$work/repo/iris/1/"
cp examples/models/iris/1/model.onnx "$work/repo/iris/2/"
printf 'traffic: [{version: 1, percent: 100}]\n' > "$work/repo/iris/config.yaml"
port=${PORT_SHADOW:-19543}
"$bin/predict-server" --dev --models "$work/repo" --state-dir "$work/state" --port $port --log-level warning > "$work/server.log" 2>&1 &
pid=$!
client=("$bin/predict-client" --server localhost:$port --ca "$work/state/ca.pem")
for _ in $(seq 1 60); do
    [ -f "$work/state/dev-token" ] && "${client[@]}" --token "$(cat "$work/state/dev-token")" ready > /dev/null 2>&1 && break
    sleep 0.5
done
token=$(cat "$work/state/dev-token")
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
