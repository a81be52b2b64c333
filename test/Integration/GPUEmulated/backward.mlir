// The GPU gradient matrix test/Integration/GPU/backward.mlir under
// ../shared/ptxemu: every entry (forward and backward kernels) compiled for
// sm_80 and interpreted on the CPU, its three gradients checked against the
// float64 reference (Inputs/emulate_matrix.py). f32_multi_tile_d80, whose
// blocks stage several tiles one after the other, also runs under the
// race-revealing schedules (the serial schedule fails it without the barrier
// before each staging: checked by hand). Unsupported without ../shared/ptxemu.
// REQUIRES: ptxemu
// RUN: rm -rf %t && mkdir -p %t
// RUN: %ptxemu-python %S/Inputs/emulate_matrix.py --ptxemu %ptxemu --tools %longnet_tools_dir --work %t \
// RUN:   --adversarial f32_multi_tile_d80 --skip f64_one_branch \
// RUN:   %S/../GPU/backward.mlir | FileCheck %s

// CHECK-NOT: FAILED
// CHECK: emulated 8 entries in 10 runs: 0 failed
