// The GPU correctness matrix test/Integration/GPU/matrix-bf16.mlir, run on the
// CPU under ../shared/ptxemu (its README): every entry compiled for sm_80,
// its host code and kernel launches interpreted, each result checked against
// the float64 reference with longnet-exec --check's rule (Inputs/
// emulate_matrix.py says how). The entries named by --adversarial run under
// the race-revealing schedules too (serial-rev with eager cp.async, serial
// with deferred cp.async). Unsupported where ../shared/ptxemu is absent.
// REQUIRES: ptxemu
// RUN: rm -rf %t && mkdir -p %t
// RUN: %ptxemu-python %S/Inputs/emulate_matrix.py --ptxemu %ptxemu --tools %longnet_tools_dir --work %t \
// RUN:   --adversarial bf16_mixture_causal_lse_d64,bf16_uncovered_rows_lse_d128 \
// RUN:   %S/../GPU/matrix-bf16.mlir | FileCheck %s

// CHECK-NOT: FAILED
// CHECK: emulated 11 entries in 15 runs: 0 failed
