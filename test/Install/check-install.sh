#!/usr/bin/env bash
# Installs the build into a scratch prefix, then configures, builds and runs a
# downstream project against it with find_package(LongNetMLIR).
# Usage: check-install.sh BUILD_DIR SOURCE_DIR MLIR_DIR
set -euo pipefail
build=$1 src=$2 mlir_dir=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -G Ninja -S "$src/test/Install/consumer" -B "$work/build" \
  -DLongNetMLIR_DIR="$work/prefix/lib/cmake/longnet-mlir" \
  -DMLIR_DIR="$mlir_dir" >/dev/null
cmake --build "$work/build" >/dev/null
out=$("$work/build/consumer")
echo "$out"
[ "$out" = "branches 2 scale 2.500000e-01" ]
