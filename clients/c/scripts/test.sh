#!/usr/bin/env bash
# The C client's tests: the committed messages match Protos/, the library and its tests built
# with AddressSanitizer and UndefinedBehaviorSanitizer, unit tests (ctest), the fuzz target
# replaying its corpus, and the interop tests against real predict-server processes.
# Usage: clients/c/scripts/test.sh [SERVER_BIN [CLIENT_BIN]]  (default .build/debug/predict-*)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"

generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
clients/c/scripts/generate-protos.sh "$generated"
diff -r "$generated" clients/c/generated >/dev/null \
  || { echo "clients/c/generated differs from Protos/: run clients/c/scripts/generate-protos.sh" >&2; exit 1; }

build=$root/.build-c-test
cmake -S clients/c -B "$build" -DPREDICT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j2 >/dev/null
(cd "$build" && ctest --output-on-failure)

# The installed library through its pkg-config file: the README's example compiles and links,
# shared and static (with the sanitizers this build carries).
prefix=$generated/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig
sanitizers=(-fsanitize=address,undefined)
# shellcheck disable=SC2046
cc "${sanitizers[@]}" clients/c/examples/classify.c $(pkg-config --cflags --libs predict) -o "$generated/classify-shared"
# shellcheck disable=SC2046
cc "${sanitizers[@]}" clients/c/examples/classify.c $(pkg-config --cflags predict) "$(find "$prefix" -name libpredict.a)" \
  $(pkg-config --libs libprotobuf-c openssl libjwt) -o "$generated/classify-static"
echo "predict.pc: examples/classify.c links shared and static"

# The fuzz target over its committed corpus: every seed and past finding still parses cleanly.
fuzz=$root/.build-c-fuzz
cmake -S clients/c -B "$fuzz" -DPREDICT_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$fuzz" -j2 --target frame_fuzzer >/dev/null 2>&1
if ! "$fuzz/frame_fuzzer" -runs=0 clients/c/fuzz/corpus >"$fuzz/replay.log" 2>&1; then
  grep -v "ld.gold" "$fuzz/replay.log" >&2
  exit 1
fi
echo "frame_fuzzer: replayed $(ls clients/c/fuzz/corpus | wc -l) corpus inputs cleanly"

clients/c/tests/run-interop.sh "$build" "$@"
