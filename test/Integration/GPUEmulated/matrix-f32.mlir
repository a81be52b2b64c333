// The GPU correctness matrix test/Integration/GPU/matrix-f32.mlir, run on the
// CPU under ../shared/ptxemu (its README): every entry compiled for sm_80,
// its host code and kernel launches interpreted, each result checked against
// the float64 reference with longnet-exec --check's rule (Inputs/
// emulate_matrix.py says how). The entries named by --adversarial run under
// the race-revealing schedules too (serial-rev with eager cp.async, serial
// with deferred cp.async). Unsupported where ../shared/ptxemu is absent.
// f32_dense_d64 and f32_dense_causal (dense N = 512 and 300 on the CUDA-core
// kernel) take 270 s and 160 s to emulate, more than the other 14 entries
// together: skipped unless LONGNET_EMULATE_ALL=1.
// REQUIRES: ptxemu
// RUN: rm -rf %t && mkdir -p %t
// RUN: %ptxemu-python %S/Inputs/emulate_matrix.py --ptxemu %ptxemu --tools %longnet_tools_dir --work %t \
// RUN:   --adversarial f32_grouped,f32_two_branches_partial \
// RUN:   --skip f32_dense_d64,f32_dense_causal \
// RUN:   %S/../GPU/matrix-f32.mlir | FileCheck %s

// CHECK-NOT: FAILED
// CHECK: emulated 14 entries in 18 runs: 0 failed
