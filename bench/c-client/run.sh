#!/usr/bin/env bash
# The C client (predict-c-bench) against the Swift client (predict-bench) on one connection,
# iris, 1 and 64 calls in flight, against one release predict-server, in interleaved rounds so
# a shared machine's drift hits both. Prints each run and the medians' ratios (C / Swift).
# Usage: bench/c-client/run.sh [ROUNDS] [SECONDS]
#   Needs: swift build -c release --product predict-server --product predict-bench
#          cmake -S clients/c -B .build-c-release -DCMAKE_BUILD_TYPE=Release && cmake --build .build-c-release
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-3}
seconds=${2:-8}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$root" && exec .build/release/predict-server --dev --state-dir "$work/state" --port 0 --log-format json --log-level warning) \
  >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 120); do grep -q '"serving"' "$work/server.log" 2>/dev/null && break; sleep 0.25; done
port=$(grep -o 'localhost:[0-9]*' "$work/server.log" | head -1 | cut -d: -f2)
[ -n "$port" ] || { cat "$work/server.log"; exit 1; }
common=(--server "localhost:$port" --ca "$work/state/ca.pem" --token "$(cat "$work/state/dev-token")" --model iris
        --duration "$seconds" --warmup 2)
for round in $(seq "$rounds"); do
  for concurrency in 1 64; do
    "$root/.build/release/predict-bench" "${common[@]}" --connections 1 --concurrency "$concurrency" --json \
      | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))' >>"$work/swift-$concurrency.jsonl"
    "$root/.build-c-release/predict-c-bench" "${common[@]}" --concurrency "$concurrency" >>"$work/c-$concurrency.jsonl"
    echo "round $round, $concurrency in flight: swift $(tail -1 "$work/swift-$concurrency.jsonl" | cut -c1-60)..." >&2
  done
done
python3 - "$work" <<'PY'
import json, statistics, sys
work = sys.argv[1]
def runs(name):
    return [json.loads(line) for line in open(f"{work}/{name}.jsonl")]
print("| in flight | client | calls/s | p50 µs | p99 µs | client CPU µs/call |")
print("|---|---|---|---|---|---|")
for concurrency in (1, 64):
    medians = {}
    for client in ("swift", "c"):
        results = runs(f"{client}-{concurrency}")
        med = lambda f: statistics.median(f(r) for r in results)
        medians[client] = (med(lambda r: r["calls_per_second"]), med(lambda r: r["latency_us"]["p50"]),
                           med(lambda r: r["latency_us"]["p99"]))
        cpu = med(lambda r: r.get("client_cpu_us_per_call", float("nan")))
        print(f"| {concurrency} | {'predict-bench (Swift)' if client == 'swift' else 'predict-c-bench (C)'} | "
              f"{medians[client][0]:,.0f} | {medians[client][1]:.0f} | {medians[client][2]:.0f} | "
              f"{'' if client == 'swift' else f'{cpu:.1f}'} |")
    s, c = medians["swift"], medians["c"]
    print(f"| {concurrency} | C / Swift | {c[0] / s[0]:.2f}× | {c[1] / s[1]:.2f}× | {c[2] / s[2]:.2f}× | |")
PY
