#!/usr/bin/env bash
# predict against the FastAPI + scikit-learn server our users run today, in one run on this
# machine: the same models, the same rows, the same concurrencies, loopback only, fixed
# durations. Prints one table and writes bench/compare/results/{results.json,
# latency-throughput.svg}. See docs/BENCHMARKS.md.
#
#   bench/compare/run.sh [--duration SECONDS] [--warmup SECONDS] [--concurrency "16 64"]
#
# COMPARE_VENV=path reuses a venv with bench/compare/requirements.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
duration=10
warmup=2
concurrencies="16 64"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) duration=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --concurrency) concurrencies=$2; shift 2 ;;
        *) echo "usage: $0 [--duration S] [--warmup S] [--concurrency \"16 64\"]" >&2; exit 64 ;;
    esac
done

work=$root/.build-compare
out=$root/bench/compare/results
venv=${COMPARE_VENV:-$root/.build-compare-venv}
mkdir -p "$work" "$out"
rm -f "$work/results.jsonl"

if ! command -v wrk > /dev/null; then
    echo "bench/compare needs wrk (Debian: apt-get install wrk)" >&2
    exit 1
fi
if [[ ! -x $venv/bin/python ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check -r bench/compare/requirements.txt

echo "== training and exporting the models"
"$venv/bin/python" bench/compare/make_models.py "$work"

echo "== building predict-server, predict-bench and predict-client (release)"
for product in predict-server predict-bench predict-client; do
    swift build -c release --product "$product" > "$work/build-$product.log" 2>&1 \
        || { tail -20 "$work/build-$product.log"; exit 1; }
done
bin=$(swift build -c release --show-bin-path)

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -- "-$pid" 2> /dev/null || kill "$pid" 2> /dev/null || true; done
}
trap cleanup EXIT

# Appends one result line: system, model, concurrency, and the load tool's JSON.
record() {
    echo "{\"system\": \"$1\", \"model\": \"$2\", \"concurrency\": $3, \"result\": $4}" >> "$work/results.jsonl"
}

echo "== the peer: FastAPI + scikit-learn under uvicorn, loaded by wrk"
for model in iris forest mlp; do
    for workers in 1 2; do
        port=$(free_port)
        MODEL_PATH=$work/peer/$model.joblib setsid "$venv/bin/uvicorn" app:app --app-dir bench/peers/fastapi \
            --host 127.0.0.1 --port "$port" --workers "$workers" --no-access-log --log-level warning \
            > "$work/peer-$model-$workers.log" 2>&1 &
        pid=$!
        pids+=("$pid")
        body=$(head -1 "$work/rows/$model.bodies")
        for _ in $(seq 1 120); do
            curl -sf -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/predict" > /dev/null && break
            sleep 0.5
        done
        for c in $concurrencies; do
            threads=$(( c < 2 ? c : 2 ))
            BODIES=$work/rows/$model.bodies wrk -t"$threads" -c"$c" -d"${warmup}s" -s bench/compare/wrk-bodies.lua \
                "http://127.0.0.1:$port/predict" > /dev/null
            line=$(BODIES=$work/rows/$model.bodies wrk -t"$threads" -c"$c" -d"${duration}s" --timeout 10s \
                -s bench/compare/wrk-bodies.lua "http://127.0.0.1:$port/predict" | sed -n 's/^WRK_JSON //p')
            record "fastapi-$workers" "$model" "$c" "$line"
            echo "fastapi, $workers worker(s), $model, $c connections: $line"
        done
        kill -- "-$pid" 2> /dev/null || true
        wait "$pid" 2> /dev/null || true
    done
done

echo "== predict-server (TLS, authentication on), loaded by predict-bench"
port=$(free_port)
setsid "$bin/predict-server" --dev --models "$work/repo" --state-dir "$work/state" --port "$port" --log-level warning \
    > "$work/predict-server.log" 2>&1 &
pid=$!
pids+=("$pid")
for _ in $(seq 1 120); do
    [[ -f $work/state/dev-token ]] && "$bin/predict-client" --server "localhost:$port" --ca "$work/state/ca.pem" \
        --token "$(cat "$work/state/dev-token")" ready > /dev/null 2>&1 && break
    sleep 0.5
done
token=$(cat "$work/state/dev-token")
for model in iris forest mlp identity; do
    for c in $concurrencies; do
        ticks_before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        result=$("$bin/predict-bench" --server "localhost:$port" --ca "$work/state/ca.pem" --token "$token" \
            --model "$model" --input "$work/rows/$model.csv" --connections 2 --concurrency "$c" \
            --duration "$duration" --warmup "$warmup" --json)
        ticks_after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        result=$(echo "$result" | "$venv/bin/python" -c 'import json, sys; r = json.load(sys.stdin); r["server_cpu_seconds"] = float(sys.argv[1]) / 100; print(json.dumps(r))' \
            "$(( ticks_after - ticks_before ))")
        record predict "$model" "$c" "$result"
        echo "predict, $model, $c in flight: $(echo "$result" | "$venv/bin/python" -c 'import json, sys; r = json.load(sys.stdin); print(round(r["calls_per_second"]), "calls/s, p99", r["latency_us"]["p99"], "us")')"
    done
done

echo "== results"
"$venv/bin/python" bench/compare/report.py "$work/results.jsonl" "$out" --duration "$duration"
