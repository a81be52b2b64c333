#!/usr/bin/env bash
# Builds, on the development machine (LLVM 22 + the CUDA toolkit's ptxas),
# the directory that is carried to a GPU machine which has the CUDA driver,
# PyTorch and Triton but no LLVM: the runtime, longnet-exec, the GPU
# correctness matrices (test/Integration/GPU/matrix-*.mlir and the gradient
# matrix backward.mlir) and the benchmark models (benchmarks/gpu/gen_models.py)
# compiled for --chip, plus the scripts that run there (run_gpu.sh,
# torch_peer.py).
#
# Usage: benchmarks/gpu/make_bundle.sh [OUT_DIR]      (default build/gpu-bundle)
# Environment: BUILD (default <repo>/build), CHIP (sm_90), HOST_CPU
# (x86-64-v3), JOBS (2), MAX_N (largest benchmark N, default all: 1048576),
# LIMIT_MIB (60).
# Exit status: 0 when every model compiled and the bundle fits LIMIT_MIB;
# 1 otherwise (the bundle is still written, with whatever did compile).
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$repo/build}
OUT=${1:-$BUILD/gpu-bundle}
CHIP=${CHIP:-sm_90}
HOST_CPU=${HOST_CPU:-x86-64-v3}
JOBS=${JOBS:-2}
MAX_N=${MAX_N:-1048576}
LIMIT_MIB=${LIMIT_MIB:-60}
compile="$BUILD/bin/longnet-compile"
failures=0

for f in "$compile" "$BUILD/bin/longnet-exec" "$BUILD/lib/liblongnet_runtime.so"; do
  [ -e "$f" ] || { echo "make_bundle.sh: error: missing $f (build the project first)" >&2; exit 1; }
done

rm -rf "$OUT"
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The runtime and the driver program: neither may need MLIR or LLVM.
cp "$BUILD/lib/liblongnet_runtime.so" "$BUILD/bin/longnet-exec" "$OUT/"
for f in longnet-exec liblongnet_runtime.so; do
  needed=$(readelf -d "$OUT/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  echo "$f needs: $needed"
  if echo "$needed" | grep -qE 'libMLIR|libLLVM|libcuda'; then
    echo "make_bundle.sh: error: $f needs an MLIR/LLVM/CUDA library" >&2
    failures=$((failures + 1))
  fi
done
# Host ABI the GPU machine must provide (glibc, libstdc++, libgcc_s).
for f in longnet-exec liblongnet_runtime.so; do
  echo "$f symbol versions: $(objdump -T "$OUT/$f" | grep -oE '(GLIBC|GLIBCXX|CXXABI|GCC)_[0-9.]+' \
    | sort -u -V | awk -F_ '{v[$1] = $0} END {for (k in v) printf "%s ", v[k]}')"
done

# 2. The correctness matrix: one .so per file, and matrix.txt with one line
# "SO ENTRY SEED" per RUN line of the file.
: > "$OUT/matrix.txt"
for src in "$repo"/test/Integration/GPU/matrix-*.mlir \
  "$repo"/test/Integration/GPU/backward.mlir; do
  base=$(basename "$src" .mlir)
  if "$compile" "$src" --chip="$CHIP" --host-cpu="$HOST_CPU" -o "$OUT/$base.so" > "$work/$base.log" 2>&1; then
    echo "compiled $base.so"
  else
    echo "make_bundle.sh: FAILED to compile $src: $(grep -m1 'error' "$work/$base.log")"
    failures=$((failures + 1))
  fi
  # Listed even when the compile failed: run_gpu.sh then counts them as failed.
  sed -n 's/^\/\/ RUN: longnet-exec %t.so --entry=\([A-Za-z0-9_]*\) --seed=\([0-9]*\) .*/\1 \2/p' "$src" \
    | while read -r entry seed; do echo "$base.so $entry $seed"; done >> "$OUT/matrix.txt"
done
echo "matrix: $(wc -l < "$OUT/matrix.txt") checks listed in matrix.txt"

# 3. The benchmark models (no reference variant: they are only timed).
python3 "$here/gen_models.py" "$work/models" --max-n "$MAX_N" || exit 1
cp "$work/models/models.json" "$OUT/"
python3 -c 'import json, sys; [print(m["name"]) for m in json.load(open(sys.argv[1]))]' \
  "$OUT/models.json" > "$OUT/models.txt"
export compile CHIP HOST_CPU work OUT
xargs -P "$JOBS" -I{} sh -c '
  if "$compile" "$work/models/{}.mlir" --chip="$CHIP" --host-cpu="$HOST_CPU" --reference=false \
       -o "$OUT/{}.so" > "$work/{}.log" 2>&1; then echo "compiled {}.so"
  else echo "make_bundle.sh: FAILED to compile {}: $(grep -m1 error "$work/{}.log")"; exit 1; fi' \
  < "$OUT/models.txt" || true
for name in $(cat "$OUT/models.txt"); do
  [ -f "$OUT/$name.so" ] || failures=$((failures + 1))
done

# 4. The scripts that run on the GPU machine.
cp "$here/run_gpu.sh" "$here/torch_peer.py" "$here/make_inputs.py" "$OUT/"
chmod +x "$OUT/run_gpu.sh" "$OUT/torch_peer.py" "$OUT/longnet-exec"

bytes=$(du -sb "$OUT" | cut -f1)
mib=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')
echo "bundle: $OUT: $(ls "$OUT" | wc -l) files, $mib MiB (limit $LIMIT_MIB MiB)"
if [ "$bytes" -gt $((LIMIT_MIB * 1048576)) ]; then
  echo "make_bundle.sh: error: the bundle is larger than $LIMIT_MIB MiB" >&2
  failures=$((failures + 1))
fi
if [ "$failures" -ne 0 ]; then
  echo "make_bundle.sh: $failures failure(s); see above" >&2
  exit 1
fi
echo "make_bundle.sh: ok"
