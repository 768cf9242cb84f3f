#!/usr/bin/env bash
# Regenerates the committed Swift code from Protos/. Needs protoc (Debian: protobuf-compiler)
# and protoc-gen-swift from apple/swift-protobuf at the version Package.swift names; set
# PROTOC_GEN_SWIFT to its path, or have it on PATH. Usage: scripts/generate-protos.sh [OUTDIR]
# With OUTDIR the code is written there instead (the freshness test compares the two).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
plugin=${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}
[ -n "$plugin" ] || { echo "protoc-gen-swift not found: set PROTOC_GEN_SWIFT" >&2; exit 1; }

generate() { # proto-dir, output-dir, visibility
  mkdir -p "$2"
  (cd "$1" && protoc --plugin=protoc-gen-swift="$plugin" \
    --swift_opt=Visibility="$3" --swift_out="$2" ./*.proto)
}

out=${1:-$root/Sources}
generate "$root/Protos/onnx" "$out/PredictRuntime/Proto" Internal

# The wire protocol: predict.v1 imports the inference messages, so both are compiled from
# Protos/ as the include root; PathToUnderscores keeps the two files' names apart.
mkdir -p "$out/PredictProtocol/Proto"
(cd "$root/Protos" && protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
  --swift_out="$out/PredictProtocol/Proto" \
  inference/grpc_predict_v2.proto predict/v1/predict.proto)
