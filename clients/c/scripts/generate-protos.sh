#!/usr/bin/env bash
# Regenerates clients/c/generated from the project's Protos/ (the only copy of the .proto
# files) with protoc-c (Debian: protobuf-c-compiler). Usage: clients/c/scripts/generate-protos.sh [OUTDIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${1:-$root/clients/c/generated}
mkdir -p "$out"
cd "$root/Protos"
protoc-c --c_out="$out" inference/grpc_predict_v2.proto predict/v1/predict.proto
