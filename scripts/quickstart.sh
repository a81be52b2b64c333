#!/usr/bin/env bash
# Quick start: install dependencies, build, then the main job: compile the
# example models for the GPU when one is present (else for the CPU), run them
# checked against the float64 reference, and time them.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh

echo "== longnet-opt: verify every example =="
for f in examples/*.mlir; do
  build/bin/longnet-opt "$f" -o /dev/null
  echo "ok  $f"
done

# A usable GPU: a CUDA driver that reports at least one device.
has_gpu() {
  python3 - <<'PY' 2>/dev/null
import ctypes, sys
try:
    cuda = ctypes.CDLL("libcuda.so.1")
    n = ctypes.c_int(0)
    ok = cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(n)) == 0
    sys.exit(0 if ok and n.value > 0 else 1)
except OSError:
    sys.exit(1)
PY
}

if has_gpu; then
  target=cuda
  backend=cuda
  echo "== a CUDA device is present: compiling for the GPU =="
else
  target=cpu
  backend=cpu
  echo "== no CUDA device: compiling for the CPU =="
fi

mkdir -p build/examples
chip_flag=()
if [[ $target == cuda ]]; then
  cc=$(python3 -c 'import ctypes
c = ctypes.CDLL("libcuda.so.1"); c.cuInit(0)
ma, mi = ctypes.c_int(), ctypes.c_int()
c.cuDeviceComputeCapability(ctypes.byref(ma), ctypes.byref(mi), 0)
print(f"sm_{ma.value}{mi.value}")')
  chip_flag=(--chip="$cc")
fi
echo "== longnet-compile examples/dilated_attention.mlir --target=$target ${chip_flag[*]} =="
build/bin/longnet-compile examples/dilated_attention.mlir --target=$target \
  "${chip_flag[@]}" -o build/examples/dilated_attention.so
echo "== longnet-exec build/examples/dilated_attention.so --check --bench=3 =="
build/bin/longnet-exec build/examples/dilated_attention.so --seed=1 --check \
  --bench=3

# Weights of width 256 drawn with deviation 1/sqrt(256) keep the projected
# activations of order 1.
echo "== longnet-run examples/longnet_layer.mlir --backend=$backend --check --bench 3 =="
build/bin/longnet-run examples/longnet_layer.mlir --backend=$backend \
  --init-scale=1,0.0625,0.0625,0.0625,0.0625 --check --bench 3
