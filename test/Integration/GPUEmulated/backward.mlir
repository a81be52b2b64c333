// The GPU gradient matrix test/Integration/GPU/backward.mlir under
// ../shared/ptxemu: every entry (forward and backward kernels) compiled for
// sm_80 and interpreted on the CPU, its three gradients checked against the
// float64 reference (Inputs/emulate_matrix.py). Three entries whose blocks
// stage several tiles one after the other also run under the race-revealing
// schedules: f32_multi_tile_d80 (CUDA cores), f16_multi_tile_causal_d128 and
// bf16_staged_32_causal_d80 (tensor cores). The serial schedules fail them
// without the barrier before each staging (checked by hand for both
// kernels). Unsupported without ../shared/ptxemu.
// REQUIRES: ptxemu
// RUN: rm -rf %t && mkdir -p %t
// RUN: %ptxemu-python %S/Inputs/emulate_matrix.py --ptxemu %ptxemu --tools %longnet_tools_dir --work %t \
// RUN:   --adversarial f32_multi_tile_d80,f16_multi_tile_causal_d128,bf16_staged_32_causal_d80 --skip f64_one_branch \
// RUN:   %S/../GPU/backward.mlir | FileCheck %s

// CHECK-NOT: FAILED
// CHECK: emulated 16 entries in 22 runs: 0 failed
