// RUN: longnet-opt %s --longnet-shard-sequence=devices=2 | FileCheck %s

// A training step over P = 2: the local branch (64, 1) is a
// branch_attention_backward on the chunk; the spanning branch (256, 4)
// reuses the forward's all-gather of the sparsified K and V, runs the
// gathered backward into gathered-row accumulators, and reduce-scatters
// their dK and dV within the group of 2, adding the result at the rows
// o_h + t r. dlse is sharded like the lse ([B, N, H] argument).
// CHECK-LABEL: func.func @step
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<1x128x4x16xf32>, %[[K:[^:]*]]: tensor<1x128x4x16xf32>, %[[V:[^:]*]]: tensor<1x128x4x16xf32>, %[[DO:[^:]*]]: tensor<1x128x4x16xf32>, %[[DLSE:[^:]*]]: tensor<1x128x4xf32>)
// CHECK-SAME: -> (tensor<1x128x4x16xf32>, tensor<1x128x4x16xf32>, tensor<1x128x4x16xf32>)
// CHECK: %[[KG:.*]] = longnet.segment_all_gather ins(%{{.*}} : tensor<1x32x4x16xf32>) outs(%{{.*}} : tensor<1x64x4x16xf32>) {group_size = 2 : i64}
// CHECK: %[[VG:.*]] = longnet.segment_all_gather ins(%{{.*}} : tensor<1x32x4x16xf32>) outs(%{{.*}} : tensor<1x64x4x16xf32>) {group_size = 2 : i64}
// CHECK: %[[F:.*]]:2 = longnet.gathered_branch_attention ins(%[[Q]], %[[KG]], %[[VG]]
// CHECK: ins(%[[DLSE]] : tensor<1x128x4xf32>)
// CHECK: %[[B0:.*]]:3 = longnet.branch_attention_backward ins(%[[Q]], %[[K]], %[[V]], %[[DO]], %[[F]]#1, %{{[0-9]+}} :
// CHECK-SAME: {causal, dilation_rate = 1 : i64, segment_length = 64 : i64}
// CHECK-NOT: longnet.segment_all_gather
// CHECK: %[[B1:.*]]:3 = longnet.gathered_branch_attention_backward ins(%[[Q]], %[[KG]], %[[VG]], %[[DO]], %[[F]]#1, %{{[0-9]+}} : {{.*}}) outs(%[[B0]]#0, %{{.*}}, %{{.*}} : tensor<1x128x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) query_base(%{{.*}}) {causal, dilation_rate = 4 : i64}
// CHECK: %[[DKS:.*]] = longnet.segment_reduce_scatter ins(%[[B1]]#1 : tensor<1x64x4x16xf32>) outs(%{{.*}} : tensor<1x32x4x16xf32>) {group_size = 2 : i64}
// CHECK: %[[DK:.*]] = linalg.generic {{.*}} outs(%[[B0]]#1 : tensor<1x128x4x16xf32>)
// CHECK: tensor.extract %[[DKS]]
// CHECK: %[[DVS:.*]] = longnet.segment_reduce_scatter ins(%[[B1]]#2 : tensor<1x64x4x16xf32>)
// CHECK: %[[DV:.*]] = linalg.generic {{.*}} outs(%[[B0]]#2 : tensor<1x128x4x16xf32>)
// CHECK: return %[[B1]]#0, %[[DK]], %[[DV]]
func.func @step(%q: tensor<1x256x4x16xf32>, %k: tensor<1x256x4x16xf32>, %v: tensor<1x256x4x16xf32>, %do: tensor<1x256x4x16xf32>, %dlse: tensor<1x256x4xf32>) -> (tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64, 256>, dilation_rates = array<i64: 1, 4>, causal}
      : (tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>) -> (tensor<1x256x4x16xf32>, tensor<1x256x4xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 64, 256>, dilation_rates = array<i64: 1, 4>, causal}
      : (tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>, tensor<1x256x4xf32>, tensor<1x256x4x16xf32>, tensor<1x256x4xf32>) -> (tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>)
  return %dq, %dk, %dv : tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>
}
