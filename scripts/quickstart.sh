#!/usr/bin/env bash
# Quick start: install dependencies, build, then the main job: compile the
# example LongNet layer (N = 32K tokens, the paper's mixture) and run it on
# the CPU, checked against the float64 reference, with its throughput.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh

echo "== longnet-opt: verify every example =="
for f in examples/*.mlir; do
  build/bin/longnet-opt "$f" -o /dev/null
  echo "ok  $f"
done

# Weights of width 256 drawn with deviation 1/sqrt(256) keep the projected
# activations of order 1.
echo "== longnet-run examples/longnet_layer.mlir --check --bench 3 =="
build/bin/longnet-run examples/longnet_layer.mlir \
  --init-scale=1,0.0625,0.0625,0.0625,0.0625 --check --bench 3
