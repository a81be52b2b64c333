// Zero-length sequences and empty batches shard over several devices (every
// branch is local to an empty chunk) and report zero costs, without dividing
// by zero (these once died of SIGFPE).
// RUN: longnet-opt %s --longnet-shard-sequence=devices=4 | FileCheck %s
// RUN: longnet-opt %s --longnet-cost-report=devices=4 -o /dev/null | FileCheck %s --check-prefix=COST
// A static N of 2^40 (and tokens=2^40) report at once: the pair count is
// closed-form in N.
// RUN: longnet-opt %s --longnet-cost-report="devices=4 tokens=1099511627776" -o /dev/null | FileCheck %s --check-prefix=HUGE

// CHECK-LABEL: func.func @empty_sequence
// CHECK-SAME: tensor<1x0x4x16xf32>
// CHECK: longnet.branch_attention {{.*}}segment_length = 8
// CHECK: longnet.branch_attention {{.*}}segment_length = 32
// CHECK-NOT: longnet.segment_all_gather
// CHECK-LABEL: func.func @empty_batch
// CHECK-SAME: tensor<0x16x4x16xf32>
// CHECK: longnet.segment_all_gather

// COST: longnet.dilated_attention #0 in @empty_sequence
// COST: P = 4, l = 0 tokens per device, base activation bytes per device: 0
// COST: total flops per device: 0
// COST: longnet.dilated_attention #1 in @empty_batch
// COST: B = 0, N = 64
// COST: total flops per device: 0
// COST: total bytes received per device: 0

// HUGE: longnet.dilated_attention #0 in @empty_sequence
// HUGE: B = 1, N = 1099511627776, H = 4, D = 16
// Pairs per head: (N / 8) * 8 * 8 + (N / 32) * 16 * 16 = 16 N; flops per
// device 4 B D H * 16 N / P = 1024 N with N = 2^40.
// HUGE: total flops per device: 1125899906842624{{$}}

func.func @empty_sequence(%q: tensor<1x0x4x16xf32>, %k: tensor<1x0x4x16xf32>, %v: tensor<1x0x4x16xf32>) -> tensor<1x0x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 32>, dilation_rates = array<i64: 1, 2>}
      : (tensor<1x0x4x16xf32>, tensor<1x0x4x16xf32>, tensor<1x0x4x16xf32>) -> tensor<1x0x4x16xf32>
  return %o : tensor<1x0x4x16xf32>
}

func.func @empty_batch(%q: tensor<0x64x4x16xf32>, %k: tensor<0x64x4x16xf32>, %v: tensor<0x64x4x16xf32>) -> tensor<0x64x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 32>, dilation_rates = array<i64: 1, 2>}
      : (tensor<0x64x4x16xf32>, tensor<0x64x4x16xf32>, tensor<0x64x4x16xf32>) -> tensor<0x64x4x16xf32>
  return %o : tensor<0x64x4x16xf32>
}
