#!/usr/bin/env bash
# Configures and builds longnet-mlir into build/ (tools in build/bin/).
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-2}
if [ ! -f build/build.ninja ]; then
  cmake -G Ninja -S . -B build \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/bin/lit-22
fi
cmake --build build -j "$JOBS"
