#!/usr/bin/env bash
# Runs the C client against real predict-server processes on 127.0.0.1 (TLS, authentication
# on): tests/interop_tests.c's three modes and predict-c's commands beside predict-client's.
# Usage: clients/c/tests/run-interop.sh BUILD_DIR [SERVER_BIN [CLIENT_BIN]]
#   BUILD_DIR   the CMake build holding interop_tests and predict-c
#   SERVER_BIN  default .build/debug/predict-server; CLIENT_BIN default .build/debug/predict-client
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=$(cd "$1" && pwd)
server_bin=$(realpath "${2:-$root/.build/debug/predict-server}")
client_bin=$(realpath "${3:-$root/.build/debug/predict-client}")
work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts predict-server --dev (state in $work/state) with extra flags; sets server_pid and port.
start_server() {
  local log=$work/server-$RANDOM.log
  (cd "$root" && exec "$server_bin" --dev --state-dir "$work/state" --port 0 --log-format json "$@") >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 240); do
    grep -q '"serving"' "$log" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log"; echo "predict-server exited" >&2; exit 1; }
    sleep 0.25
  done
  grep -q '"serving"' "$log" || { cat "$log"; echo "predict-server did not start" >&2; exit 1; }
  port=$(grep '"listening"' "$log" | grep -o '127\.0\.0\.1:[0-9]*' | head -1 | cut -d: -f2)
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid"
  server_pid=""
}

# A CA that signed nothing the server holds, for the "wrong CA" check.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=not the predict CA" -days 1 \
  -keyout "$work/other-ca-key.pem" -out "$work/other-ca.pem" 2>/dev/null

export PREDICT_TEST_CA=$work/state/ca.pem PREDICT_TEST_KEY=$work/state/dev-signing-key.pem
export PREDICT_TEST_OTHER_CA=$work/other-ca.pem

start_server
export PREDICT_TEST_PORT=$port
"$build/interop_tests" calls

# predict-c's commands, and its answers beside predict-client's for the same rows.
export PREDICT_SERVER=localhost:$port
PREDICT_TOKEN=$("$build/predict-c" token --key "$PREDICT_TEST_KEY")
export PREDICT_TOKEN
c=("$build/predict-c" --ca "$PREDICT_TEST_CA")
swift=("$client_bin" --ca "$PREDICT_TEST_CA")
fail() { echo "run-interop: $*" >&2; exit 1; }
[ "$("${c[@]}" live)" = live ] || fail "predict-c live"
[ "$("${c[@]}" ready)" = ready ] || fail "predict-c ready"
"${c[@]}" metadata forest | grep -q '^  X  FP32  \[-1, 30\]$' || fail "predict-c metadata"
rows=(--features 5.1,3.5,1.4,0.2 --features 6.4,3.2,4.5,1.5 --features 6.7,3.0,5.2,2.3 --features 5.9,3.0,5.1,1.8)
[ "$("${c[@]}" infer iris "${rows[@]}")" = "$("${swift[@]}" infer iris "${rows[@]}")" ] || fail "predict-c infer differs from predict-client"
set +e
"${c[@]}" infer nosuch --features 1,2 2>/dev/null; [ $? -eq 5 ] || fail "unknown model: exit 5 expected"
"${c[@]}" --token "$("$build/predict-c" token --key "$PREDICT_TEST_KEY" --email mallory@example.com)" infer iris --features 1,2,3,4 2>/dev/null
[ $? -eq 7 ] || fail "not an invoker: exit 7 expected"
"${c[@]}" --token garbage live 2>/dev/null; [ $? -eq 16 ] || fail "bad token: exit 16 expected"
"$build/predict-c" --ca "$PREDICT_TEST_OTHER_CA" live 2>/dev/null; [ $? -eq 14 ] || fail "wrong CA: exit 14 expected"
"${c[@]}" infer iris --features 1,2,x 2>/dev/null; [ $? -eq 3 ] || fail "bad features: exit 3 expected"
"${c[@]}" bogus 2>/dev/null; [ $? -eq 64 ] || fail "usage: exit 64 expected"
set -e
# A token minted by predict-c is one predict-client's server accepts, and the other way round.
"${swift[@]}" --token "$("$build/predict-c" token --key "$PREDICT_TEST_KEY" --lifetime 60)" live >/dev/null || fail "predict-c token"
"${c[@]}" --token "$("$client_bin" token --key "$PREDICT_TEST_KEY")" live >/dev/null || fail "predict-client token"
echo "run-interop: predict-c commands passed"
stop_server

# A server that closes idle connections after 1 s, then drained with calls in flight.
printf 'limits:\n  idle_timeout: 1s\n' >"$work/idle.yaml"
start_server --config "$work/idle.yaml"
export PREDICT_TEST_PORT=$port
"$build/interop_tests" idle
PREDICT_TEST_SERVER_PID=$server_pid "$build/interop_tests" drain
wait "$server_pid" && drained=0 || drained=$?
server_pid=""
[ "$drained" -eq 0 ] || fail "the drained server exited $drained"
echo "run-interop: all passed"
