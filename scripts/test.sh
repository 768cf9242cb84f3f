#!/usr/bin/env bash
# The whole test suite, as CI runs it: the Swift packages (swift test), then the C client
# against the predict-server just built.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build
clients/c/scripts/test.sh .build/debug/predict-server .build/debug/predict-client
