#!/bin/bash
# predict-bench at 64 calls in flight while an administrator promotes iris version 2 and
# rolls back: predict-bench exits 1 on any failed call (--max-error-rate 0). Release builds.
#   bench/traffic/change-under-load.sh [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-12}
cd "$root"
for product in predict-server predict-bench predict-client; do swift build -c release --product $product > /dev/null; done
bin=$root/.build/release
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/repo/iris/1" "$work/repo/iris/2"
cp examples/models/iris/1/model.onnx "$work/repo/iris/1/"
cp examples/models/iris/1/model.onnx "$work/repo/iris/2/"
printf 'traffic: [{version: 1, percent: 100}]\n' > "$work/repo/iris/config.yaml"
port=${PORT_TRAFFIC:-19643}
"$bin/predict-server" --dev --models "$work/repo" --state-dir "$work/state" --port $port --log-level warning > "$work/server.log" 2>&1 &
pid=$!
client=("$bin/predict-client" --server localhost:$port --ca "$work/state/ca.pem")
for _ in $(seq 1 60); do
    [ -f "$work/state/dev-token" ] && "${client[@]}" --token "$(cat "$work/state/dev-token")" ready > /dev/null 2>&1 && break
    sleep 0.5
done
token=$(cat "$work/state/dev-token")
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
