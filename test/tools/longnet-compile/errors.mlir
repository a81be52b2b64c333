// Bad input to longnet-compile: one error line and a non-zero exit.
// RUN: not longnet-compile %s -o %t.so --target=tpu 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not longnet-compile %s -o %t.so --emit=exe 2>&1 | FileCheck %s --check-prefix=EMIT
// RUN: not longnet-compile %s -o %t.so --chip=sm_70 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not longnet-compile %s -o %t.ptx --target=cpu --emit=ptx 2>&1 | FileCheck %s --check-prefix=PTX
// RUN: not longnet-compile %t.missing.mlir -o %t.so 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not longnet-compile %s -o %t.so --target=cpu 2>&1 | FileCheck %s --check-prefix=SCALAR
// RUN: not longnet-compile %S/../../../examples/dilated_attention.mlir -o %t.so --target=cpu --host-cpu=bogus 2>&1 | FileCheck %s --check-prefix=HOSTCPU --implicit-check-not='{{.}}'
// RUN: not longnet-compile %s -o %t.so --key-tile=-1 2>&1 | FileCheck %s --check-prefix=KEYTILE --implicit-check-not='{{.}}'
// RUN: not longnet-compile %s -o %t.so --frobnicate 2>&1 | FileCheck %s --check-prefix=UNKNOWN --implicit-check-not='{{.}}'
// RUN: not longnet-compile %s -o %t.so --query-tile=x 2>&1 | FileCheck %s --check-prefix=QTILE --implicit-check-not='{{.}}'
// RUN: not longnet-compile %s 2>&1 | FileCheck %s --check-prefix=NOOUT --implicit-check-not='{{.}}'

// TARGET: longnet-compile: error: --target must be cuda or cpu, got 'tpu'
// EMIT: longnet-compile: error: --emit must be so, ptx, llvm or mlir, got 'exe'
// CHIP: longnet-compile: error: --chip must be one of sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a, got 'sm_70'
// PTX: longnet-compile: error: --emit=ptx needs --target=cuda
// MISSING: longnet-compile: error: cannot open input file '{{.*}}missing.mlir'
// HOSTCPU: longnet-compile: error: unknown host CPU 'bogus' for {{.*}} (give native or an LLVM CPU name such as x86-64-v3 or znver4; llc -mcpu=help lists them)
// KEYTILE: longnet-compile: error: --key-tile must be positive, got -1
// UNKNOWN: longnet-compile: error: unknown option '--frobnicate' (see --help)
// QTILE: longnet-compile: error: --query-tile: 'x' is not an integer
// NOOUT: longnet-compile: error: -o: must be specified at least once
// SCALAR: error: argument 1 of @main has type 'f32'; compiled entries take and return ranked tensors (rank <= 8) of f16, bf16, f32 or f64

func.func @main(%x: tensor<4xf32>, %s: f32) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
