#!/usr/bin/env bash
# Compiles scf.parallel loops through longnet-lower-to-cpu (OpenMP) and LLVM,
# links them against the LongNet threads library instead of an OpenMP runtime,
# and runs them on 1, 2 and 4 threads.
#
# usage: check-omp-abi.sh LONGNET_OPT MLIR_TRANSLATE LLC CC THREADS_LIB WORKDIR
set -euo pipefail

if [ $# -ne 6 ]; then
  echo "usage: $0 LONGNET_OPT MLIR_TRANSLATE LLC CC THREADS_LIB WORKDIR" >&2
  exit 2
fi
longnet_opt=$1 mlir_translate=$2 llc=$3 cc=$4 threads_lib=$5 work=$6

rm -rf "$work"
mkdir -p "$work"
cd "$work"

cat > kernels.mlir <<'EOF'
func.func private @record_thread(index)

// out[i] = 2 * in[i] + 1; records which thread computed each element.
func.func @affine(%in: memref<?xf32>, %out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %two = arith.constant 2.0 : f32
  %one = arith.constant 1.0 : f32
  %n = memref.dim %in, %c0 : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %x = memref.load %in[%i] : memref<?xf32>
    %y = arith.mulf %x, %two : f32
    %z = arith.addf %y, %one : f32
    memref.store %z, %out[%i] : memref<?xf32>
    func.call @record_thread(%i) : (index) -> ()
    scf.reduce
  }
  return
}

// out[i] = -out[i] for i = 3, 10, 17, ... < n.
func.func @negate_strided(%out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %c7 = arith.constant 7 : index
  %n = memref.dim %out, %c0 : memref<?xf32>
  scf.parallel (%i) = (%c3) to (%n) step (%c7) {
    %x = memref.load %out[%i] : memref<?xf32>
    %y = arith.negf %x : f32
    memref.store %y, %out[%i] : memref<?xf32>
    scf.reduce
  }
  return
}
EOF

cat > driver.c <<'EOF'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int omp_get_thread_num(void);

typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} MemRef1D;

void _mlir_ciface_affine(MemRef1D *in, MemRef1D *out);
void _mlir_ciface_negate_strided(MemRef1D *out);

enum { N = 1000003, MAX_THREADS = 64 };
static int threadOf[N];

void record_thread(int64_t i) { threadOf[i] = omp_get_thread_num(); }

static MemRef1D wrap(float *data) {
  MemRef1D m = {data, data, 0, {N}, {1}};
  return m;
}

int main(void) {
  float *in = malloc(N * sizeof(float)), *out = malloc(N * sizeof(float));
  for (int64_t i = 0; i < N; ++i) {
    in[i] = (float)(i % 1000) - 500.0f;
    out[i] = 0.0f;
    threadOf[i] = -1;
  }
  MemRef1D inRef = wrap(in), outRef = wrap(out);
  _mlir_ciface_affine(&inRef, &outRef);
  _mlir_ciface_negate_strided(&outRef);

  int64_t wrong = 0;
  int used[MAX_THREADS] = {0};
  for (int64_t i = 0; i < N; ++i) {
    float expected = 2.0f * in[i] + 1.0f;
    if (i >= 3 && (i - 3) % 7 == 0)
      expected = -expected;
    if (out[i] != expected || threadOf[i] < 0 || threadOf[i] >= MAX_THREADS)
      ++wrong;
    else
      used[threadOf[i]] = 1;
  }
  int threads = 0;
  for (int t = 0; t < MAX_THREADS; ++t)
    threads += used[t];
  printf("elements=%d wrong=%lld threads=%d\n", N, (long long)wrong, threads);
  free(in);
  free(out);
  return wrong != 0;
}
EOF

"$longnet_opt" kernels.mlir --longnet-lower-to-cpu -o kernels.llvm.mlir
"$mlir_translate" --mlir-to-llvmir kernels.llvm.mlir -o kernels.ll
"$llc" -O2 -relocation-model=pic -filetype=obj kernels.ll -o kernels.o
lib_dir=$(dirname "$threads_lib")
"$cc" -O2 driver.c kernels.o "$threads_lib" -Wl,-rpath,"$lib_dir" -o driver

if ldd ./driver | grep -Ei 'lib(i?omp|gomp)'; then
  echo "FAIL: the driver links an OpenMP runtime" >&2
  exit 1
fi
if ! ldd ./driver | grep -q "$(basename "$threads_lib")"; then
  echo "FAIL: the driver does not link $(basename "$threads_lib")" >&2
  exit 1
fi

status=0
for threads in 1 2 4; do
  result=$(LONGNET_NUM_THREADS=$threads ./driver)
  echo "LONGNET_NUM_THREADS=$threads: $result"
  if [ "$result" != "elements=1000003 wrong=0 threads=$threads" ]; then
    echo "FAIL: expected elements=1000003 wrong=0 threads=$threads" >&2
    status=1
  fi
done
exit $status
