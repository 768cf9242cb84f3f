#!/bin/bash
# A/B of two predict-server builds on this machine: same predict-bench (from MAIN), same
# example models, iris at 64 calls in flight on 2 connections, interleaved rounds so drift
# on a shared machine hits both. Usage:
#   git worktree add ../base <commit> && (cd ../base && swift build -c release --product predict-server)
#   swift build -c release --product predict-server && swift build -c release --product predict-bench
#   bench/ab-server.sh ../base/.build/release .build/release
set -u
base=$(cd "$1" && pwd)
main=$(cd "$2" && pwd)
work=$(mktemp -d)
state=$work/state
port=${PORT_AB:-19443}
models=$(cd "$(dirname "$0")/../examples/models" && pwd)
for round in 1 2 3; do
  for variant in base main; do
    bin=$([ $variant = base ] && echo $base || echo $main)
    setsid $bin/predict-server --dev --models "$models" --state-dir $state --port $port --log-level warning > $work/$variant.log 2>&1 &
    pid=$!
    for _ in $(seq 1 60); do
      [ -f $state/dev-token ] && $main/predict-client --server localhost:$port --ca $state/ca.pem --token "$(cat $state/dev-token)" ready > /dev/null 2>&1 && break
      sleep 0.5
    done
    t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
    r=$($main/predict-bench --server localhost:$port --ca $state/ca.pem --token "$(cat $state/dev-token)" --model iris --connections 2 --concurrency 64 --duration 8 --warmup 2 --json)
    t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
    echo "$variant round $round: $(echo "$r" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(round(r["calls_per_second"]), "calls/s, p50", r["latency_us"]["p50"], "us, p99", r["latency_us"]["p99"], "us")'), server CPU $(( t1 - t0 ))0 ms over warm-up + run"
    kill -TERM $pid; wait $pid 2>/dev/null
  done
done
rm -rf "$work"
