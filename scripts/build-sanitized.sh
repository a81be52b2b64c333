#!/usr/bin/env bash
# Configures and builds a sanitized copy of longnet-mlir into build-san/
# (clang, -fsanitize=address,undefined, libFuzzer coverage, the
# longnet-opt-fuzzer target). docs/reliability.md says how to use it.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-2}
CLANG=${CLANG:-clang-22}
if [ ! -f build-san/build.ninja ]; then
  cmake -G Ninja -S . -B build-san \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DCMAKE_C_COMPILER="$CLANG" -DCMAKE_CXX_COMPILER="${CLANG/clang/clang++}" \
    -DLONGNET_SANITIZE=address,undefined \
    -DLONGNET_BUILD_FUZZERS=ON \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/bin/lit-22
fi
cmake --build build-san -j "$JOBS"
