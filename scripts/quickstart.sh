#!/usr/bin/env bash
# Quick start: install dependencies, build, and run the main job on examples/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh

echo "== longnet-opt: verify and round-trip every example =="
for f in examples/*.mlir; do
  build/bin/longnet-opt "$f" -o /dev/null
  build/bin/longnet-opt "$f" -mlir-print-op-generic |
    build/bin/longnet-opt -o /dev/null
  echo "ok  $f"
done
echo "== longnet-opt on examples/longnet_layer.mlir =="
build/bin/longnet-opt examples/longnet_layer.mlir
