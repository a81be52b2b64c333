// RUN: longnet-opt %s -split-input-file -longnet-shard-sequence=devices=2 | FileCheck %s --check-prefix=P2
// RUN: longnet-opt %s -split-input-file -longnet-shard-sequence=devices=4 | FileCheck %s --check-prefix=P4
// RUN: longnet-opt %s -split-input-file -longnet-shard-sequence=devices=1 | FileCheck %s --check-prefix=P1

// N = 64, branches (w, r) = (16, 1), (32, 2), (64, 4), H = 4, D = 16.
// P = 2 (l = 32): (16, 1) and (32, 2) are local, (64, 4) spans G = 2
//   devices, each contributing l / r = 8 rows: the query base is
//   (p mod 2) * 8.
// P = 4 (l = 16): (16, 1) is local; (32, 2) spans G = 2 devices with
//   l / r = 8 rows each, (64, 4) spans G = 4 devices (the world) with
//   l / r = 4 rows each.
// P = 1 (l = 64): every branch is local and nothing communicates.

// P2-LABEL: func @mixture_f16
// P2-SAME: (%[[Q:.*]]: tensor<1x32x4x16xf16>, %[[K:.*]]: tensor<1x32x4x16xf16>, %[[V:.*]]: tensor<1x32x4x16xf16>) -> tensor<1x32x4x16xf16>
// P2: %[[RANK:.*]] = longnet.process_rank : index
// P2: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// P2: %[[O0:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<1x32x4x16xf32>)
// P2: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// P2: %[[L0:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<1x32x4xf32>)
// P2: %[[B0:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : tensor<1x32x4x16xf16>, tensor<1x32x4x16xf16>, tensor<1x32x4x16xf16>) outs(%[[O0]], %[[L0]] : tensor<1x32x4x16xf32>, tensor<1x32x4xf32>) {causal, dilation_rate = 1 : i64, segment_length = 16 : i64}
// P2: %[[B1:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%[[B0]]#0, %[[B0]]#1 : tensor<1x32x4x16xf32>, tensor<1x32x4xf32>) {causal, dilation_rate = 2 : i64, segment_length = 32 : i64}
// Branch (64, 4): rows o_h + t * 4 of the local K, o_h = h mod 4 (cyclic).
// P2: %[[KS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x8x4x16xf16>)
// P2: %[[KB:.*]] = linalg.index 0 : index
// P2-NEXT: %[[KT:.*]] = linalg.index 1 : index
// P2-NEXT: %[[KH:.*]] = linalg.index 2 : index
// P2-NEXT: %[[KD:.*]] = linalg.index 3 : index
// P2: %[[KNH:.*]] = arith.constant 4 : index
// P2-NEXT: %[[KR:.*]] = arith.constant 4 : index
// P2-NEXT: %[[KOFF:.*]] = arith.remui %[[KH]], %[[KR]] : index
// P2-NEXT: %[[KTR:.*]] = arith.muli %[[KT]], %[[KR]] : index
// P2-NEXT: %[[KROW:.*]] = arith.addi %[[KOFF]], %[[KTR]] : index
// P2-NEXT: %[[KE:.*]] = tensor.extract %[[K]][%[[KB]], %[[KROW]], %[[KH]], %[[KD]]] : tensor<1x32x4x16xf16>
// P2-NEXT: linalg.yield %[[KE]] : f16
// P2: %[[KG:.*]] = longnet.segment_all_gather ins(%[[KS]] : tensor<1x8x4x16xf16>) outs(%{{.*}} : tensor<1x16x4x16xf16>) {group_size = 2 : i64} -> tensor<1x16x4x16xf16>
// P2: %[[VS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x8x4x16xf16>)
// P2: tensor.extract %[[V]][{{.*}}] : tensor<1x32x4x16xf16>
// P2: %[[VG:.*]] = longnet.segment_all_gather ins(%[[VS]] : tensor<1x8x4x16xf16>) outs(%{{.*}} : tensor<1x16x4x16xf16>) {group_size = 2 : i64} -> tensor<1x16x4x16xf16>
// P2: %[[G:.*]] = arith.constant 2 : index
// P2-NEXT: %[[MEMBER:.*]] = arith.remui %[[RANK]], %[[G]] : index
// P2-NEXT: %[[PER_DEVICE:.*]] = arith.constant 8 : index
// P2-NEXT: %[[BASE:.*]] = arith.muli %[[MEMBER]], %[[PER_DEVICE]] : index
// P2-NEXT: %[[B2:.*]]:2 = longnet.gathered_branch_attention ins(%[[Q]], %[[KG]], %[[VG]] : tensor<1x32x4x16xf16>, tensor<1x16x4x16xf16>, tensor<1x16x4x16xf16>) outs(%[[B1]]#0, %[[B1]]#1 : tensor<1x32x4x16xf32>, tensor<1x32x4xf32>) query_base(%[[BASE]]) {causal, dilation_rate = 4 : i64} -> tensor<1x32x4x16xf32>, tensor<1x32x4xf32>
// P2: %[[OUT:.*]] = linalg.map { arith.truncf } ins(%[[B2]]#0 : tensor<1x32x4x16xf32>) outs(%{{.*}} : tensor<1x32x4x16xf16>)
// P2-NEXT: return %[[OUT]] : tensor<1x32x4x16xf16>
// P2-NOT: longnet.dilated_attention

// P4-LABEL: func @mixture_f16
// P4-SAME: (%[[Q:.*]]: tensor<1x16x4x16xf16>, %[[K:.*]]: tensor<1x16x4x16xf16>, %[[V:.*]]: tensor<1x16x4x16xf16>) -> tensor<1x16x4x16xf16>
// P4: %[[RANK:.*]] = longnet.process_rank : index
// P4: %[[B0:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%{{.*}}, %{{.*}} : tensor<1x16x4x16xf32>, tensor<1x16x4xf32>) {causal, dilation_rate = 1 : i64, segment_length = 16 : i64}
// P4-NOT: longnet.branch_attention
// Branch (32, 2): rows o_h + t * 2, gathered within pairs of devices.
// P4: %[[KS1:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x8x4x16xf16>)
// P4: %[[NH1:.*]] = arith.constant 4 : index
// P4-NEXT: %[[R1:.*]] = arith.constant 2 : index
// P4-NEXT: %[[OFF1:.*]] = arith.remui %{{.*}}, %[[R1]] : index
// P4-NEXT: %[[TR1:.*]] = arith.muli %{{.*}}, %[[R1]] : index
// P4-NEXT: %[[ROW1:.*]] = arith.addi %[[OFF1]], %[[TR1]] : index
// P4-NEXT: tensor.extract %[[K]][%{{.*}}, %[[ROW1]], %{{.*}}, %{{.*}}] : tensor<1x16x4x16xf16>
// P4: %[[KG1:.*]] = longnet.segment_all_gather ins(%[[KS1]] : tensor<1x8x4x16xf16>) outs(%{{.*}} : tensor<1x16x4x16xf16>) {group_size = 2 : i64} -> tensor<1x16x4x16xf16>
// P4: tensor.extract %[[V]]
// P4: %[[VG1:.*]] = longnet.segment_all_gather ins(%{{.*}} : tensor<1x8x4x16xf16>) outs(%{{.*}} : tensor<1x16x4x16xf16>) {group_size = 2 : i64} -> tensor<1x16x4x16xf16>
// P4: %[[G1:.*]] = arith.constant 2 : index
// P4-NEXT: %[[MEMBER1:.*]] = arith.remui %[[RANK]], %[[G1]] : index
// P4-NEXT: %[[PER1:.*]] = arith.constant 8 : index
// P4-NEXT: %[[BASE1:.*]] = arith.muli %[[MEMBER1]], %[[PER1]] : index
// P4-NEXT: %[[B1:.*]]:2 = longnet.gathered_branch_attention ins(%[[Q]], %[[KG1]], %[[VG1]] : tensor<1x16x4x16xf16>, tensor<1x16x4x16xf16>, tensor<1x16x4x16xf16>) outs(%[[B0]]#0, %[[B0]]#1 : {{.*}}) query_base(%[[BASE1]]) {causal, dilation_rate = 2 : i64}
// Branch (64, 4): rows o_h + t * 4, gathered over all four devices.
// P4: %[[KS2:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x4x16xf16>)
// P4: %[[NH2:.*]] = arith.constant 4 : index
// P4-NEXT: %[[R2:.*]] = arith.constant 4 : index
// P4-NEXT: %[[OFF2:.*]] = arith.remui %{{.*}}, %[[R2]] : index
// P4-NEXT: %[[TR2:.*]] = arith.muli %{{.*}}, %[[R2]] : index
// P4-NEXT: %[[ROW2:.*]] = arith.addi %[[OFF2]], %[[TR2]] : index
// P4-NEXT: tensor.extract %[[K]][%{{.*}}, %[[ROW2]], %{{.*}}, %{{.*}}] : tensor<1x16x4x16xf16>
// P4: %[[KG2:.*]] = longnet.segment_all_gather ins(%[[KS2]] : tensor<1x4x4x16xf16>) outs(%{{.*}} : tensor<1x16x4x16xf16>) {group_size = 4 : i64} -> tensor<1x16x4x16xf16>
// P4: tensor.extract %[[V]]
// P4: %[[VG2:.*]] = longnet.segment_all_gather ins(%{{.*}} : tensor<1x4x4x16xf16>) outs(%{{.*}} : tensor<1x16x4x16xf16>) {group_size = 4 : i64} -> tensor<1x16x4x16xf16>
// P4: %[[G2:.*]] = arith.constant 4 : index
// P4-NEXT: %[[MEMBER2:.*]] = arith.remui %[[RANK]], %[[G2]] : index
// P4-NEXT: %[[PER2:.*]] = arith.constant 4 : index
// P4-NEXT: %[[BASE2:.*]] = arith.muli %[[MEMBER2]], %[[PER2]] : index
// P4-NEXT: %[[B2:.*]]:2 = longnet.gathered_branch_attention ins(%[[Q]], %[[KG2]], %[[VG2]] : tensor<1x16x4x16xf16>, tensor<1x16x4x16xf16>, tensor<1x16x4x16xf16>) outs(%[[B1]]#0, %[[B1]]#1 : {{.*}}) query_base(%[[BASE2]]) {causal, dilation_rate = 4 : i64}
// P4: %[[OUT:.*]] = linalg.map { arith.truncf } ins(%[[B2]]#0 : tensor<1x16x4x16xf32>) outs(%{{.*}} : tensor<1x16x4x16xf16>)
// P4-NEXT: return %[[OUT]] : tensor<1x16x4x16xf16>

// P1-LABEL: func @mixture_f16
// P1-SAME: (%[[Q:.*]]: tensor<1x64x4x16xf16>, %[[K:.*]]: tensor<1x64x4x16xf16>, %[[V:.*]]: tensor<1x64x4x16xf16>) -> tensor<1x64x4x16xf16>
// P1: longnet.process_rank
// P1: %[[B0:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) {causal, dilation_rate = 1 : i64, segment_length = 16 : i64}
// P1-NEXT: %[[B1:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%[[B0]]#0, %[[B0]]#1 : {{.*}}) {causal, dilation_rate = 2 : i64, segment_length = 32 : i64}
// P1-NEXT: %[[B2:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%[[B1]]#0, %[[B1]]#1 : {{.*}}) {causal, dilation_rate = 4 : i64, segment_length = 64 : i64}
// P1-NOT: segment_all_gather
// P1-NOT: gathered_branch_attention
// P1: linalg.map { arith.truncf } ins(%[[B2]]#0 : tensor<1x64x4x16xf32>)
func.func @mixture_f16(%q: tensor<1x64x4x16xf16>, %k: tensor<1x64x4x16xf16>, %v: tensor<1x64x4x16xf16>) -> tensor<1x64x4x16xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 32, 64>, dilation_rates = array<i64: 1, 2, 4>, causal}
         : (tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>) -> tensor<1x64x4x16xf16>
  return %o : tensor<1x64x4x16xf16>
}

// -----

// f32 with the lse result, not causal, an explicit scale: the accumulators
// are the results (no conversion) and both results become local.

// P2-LABEL: func @mixture_f32_lse
// P2-SAME: (%[[Q:.*]]: tensor<2x32x4x16xf32>, %[[K:.*]]: tensor<2x32x4x16xf32>, %[[V:.*]]: tensor<2x32x4x16xf32>) -> (tensor<2x32x4x16xf32>, tensor<2x32x4xf32>)
// P2: %[[RANK:.*]] = longnet.process_rank : index
// P2: longnet.branch_attention {{.*}} {dilation_rate = 1 : i64, scale = 5.000000e-01 : f32, segment_length = 16 : i64}
// P2: %[[B1:.*]]:2 = longnet.branch_attention {{.*}} {dilation_rate = 2 : i64, scale = 5.000000e-01 : f32, segment_length = 32 : i64}
// P2: %[[KG:.*]] = longnet.segment_all_gather ins(%{{.*}} : tensor<2x8x4x16xf32>) outs(%{{.*}} : tensor<2x16x4x16xf32>) {group_size = 2 : i64}
// P2: %[[VG:.*]] = longnet.segment_all_gather ins(%{{.*}} : tensor<2x8x4x16xf32>) outs(%{{.*}} : tensor<2x16x4x16xf32>) {group_size = 2 : i64}
// P2: %[[MEMBER:.*]] = arith.remui %[[RANK]], %{{.*}} : index
// P2: %[[BASE:.*]] = arith.muli %[[MEMBER]], %{{.*}} : index
// P2-NEXT: %[[B2:.*]]:2 = longnet.gathered_branch_attention ins(%[[Q]], %[[KG]], %[[VG]] : tensor<2x32x4x16xf32>, tensor<2x16x4x16xf32>, tensor<2x16x4x16xf32>) outs(%[[B1]]#0, %[[B1]]#1 : tensor<2x32x4x16xf32>, tensor<2x32x4xf32>) query_base(%[[BASE]]) {dilation_rate = 4 : i64, scale = 5.000000e-01 : f32}
// P2-NEXT: return %[[B2]]#0, %[[B2]]#1 : tensor<2x32x4x16xf32>, tensor<2x32x4xf32>

// P4-LABEL: func @mixture_f32_lse
// P4-SAME: -> (tensor<2x16x4x16xf32>, tensor<2x16x4xf32>)
// P4: longnet.branch_attention {{.*}} segment_length = 16 : i64}
// P4: longnet.segment_all_gather ins(%{{.*}} : tensor<2x8x4x16xf32>) outs(%{{.*}} : tensor<2x16x4x16xf32>) {group_size = 2 : i64}
// P4: longnet.segment_all_gather ins(%{{.*}} : tensor<2x8x4x16xf32>) outs(%{{.*}} : tensor<2x16x4x16xf32>) {group_size = 2 : i64}
// P4: longnet.gathered_branch_attention {{.*}} {dilation_rate = 2 : i64, scale = 5.000000e-01 : f32}
// P4: longnet.segment_all_gather ins(%{{.*}} : tensor<2x4x4x16xf32>) outs(%{{.*}} : tensor<2x16x4x16xf32>) {group_size = 4 : i64}
// P4: longnet.segment_all_gather ins(%{{.*}} : tensor<2x4x4x16xf32>) outs(%{{.*}} : tensor<2x16x4x16xf32>) {group_size = 4 : i64}
// P4: %[[B2:.*]]:2 = longnet.gathered_branch_attention {{.*}} {dilation_rate = 4 : i64, scale = 5.000000e-01 : f32}
// P4-NEXT: return %[[B2]]#0, %[[B2]]#1 : tensor<2x16x4x16xf32>, tensor<2x16x4xf32>

// P1-LABEL: func @mixture_f32_lse
// P1-SAME: -> (tensor<2x64x4x16xf32>, tensor<2x64x4xf32>)
// P1-NOT: segment_all_gather
// P1: %[[B2:.*]]:2 = longnet.branch_attention {{.*}} {dilation_rate = 4 : i64, scale = 5.000000e-01 : f32, segment_length = 64 : i64}
// P1-NEXT: return %[[B2]]#0, %[[B2]]#1
func.func @mixture_f32_lse(%q: tensor<2x64x4x16xf32>, %k: tensor<2x64x4x16xf32>, %v: tensor<2x64x4x16xf32>) -> (tensor<2x64x4x16xf32>, tensor<2x64x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 32, 64>, dilation_rates = array<i64: 1, 2, 4>, scale = 0.5 : f32}
         : (tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>) -> (tensor<2x64x4x16xf32>, tensor<2x64x4xf32>)
  return %o, %l : tensor<2x64x4x16xf32>, tensor<2x64x4xf32>
}

// -----

// Grouped offsets: o_h = floor(h / ceil(H / r)) in the sparsify gather, and
// the offset mode carried to the gathered branch. w = 128 > N: w_eff = N.

// P2-LABEL: func @grouped
// P2: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x16x4x16xf16>)
// P2: %[[T:.*]] = linalg.index 1 : index
// P2-NEXT: %[[H:.*]] = linalg.index 2 : index
// P2: %[[NH:.*]] = arith.constant 4 : index
// P2-NEXT: %[[R:.*]] = arith.constant 2 : index
// P2-NEXT: %[[PER_GROUP:.*]] = arith.ceildivui %[[NH]], %[[R]] : index
// P2-NEXT: %[[OFF:.*]] = arith.divui %[[H]], %[[PER_GROUP]] : index
// P2-NEXT: %[[TR:.*]] = arith.muli %[[T]], %[[R]] : index
// P2-NEXT: %[[ROW:.*]] = arith.addi %[[OFF]], %[[TR]] : index
// P2-NEXT: tensor.extract %{{.*}}[%{{.*}}, %[[ROW]], %[[H]], %{{.*}}] : tensor<1x32x4x16xf16>
// P2: longnet.segment_all_gather ins(%{{.*}} : tensor<1x16x4x16xf16>) outs(%{{.*}} : tensor<1x32x4x16xf16>) {group_size = 2 : i64}
// P2: longnet.segment_all_gather ins(%{{.*}} : tensor<1x16x4x16xf16>) outs(%{{.*}} : tensor<1x32x4x16xf16>) {group_size = 2 : i64}
// P2: %[[PER_DEVICE:.*]] = arith.constant 16 : index
// P2-NEXT: %[[BASE:.*]] = arith.muli %{{.*}}, %[[PER_DEVICE]] : index
// P2-NEXT: longnet.gathered_branch_attention {{.*}} query_base(%[[BASE]]) {causal, dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<grouped>}

// P4-LABEL: func @grouped
// P4: arith.ceildivui
// P4: longnet.segment_all_gather ins(%{{.*}} : tensor<1x8x4x16xf16>) outs(%{{.*}} : tensor<1x32x4x16xf16>) {group_size = 4 : i64}
// P4: longnet.segment_all_gather ins(%{{.*}} : tensor<1x8x4x16xf16>) outs(%{{.*}} : tensor<1x32x4x16xf16>) {group_size = 4 : i64}
// P4: %[[G:.*]] = arith.constant 4 : index
// P4-NEXT: arith.remui %{{.*}}, %[[G]] : index
// P4-NEXT: %[[PER_DEVICE:.*]] = arith.constant 8 : index
// P4: longnet.gathered_branch_attention {{.*}} {causal, dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<grouped>}

// P1-LABEL: func @grouped
// A local branch keeps its w (here w > N: one partial segment).
// P1: longnet.branch_attention {{.*}} {causal, dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<grouped>, segment_length = 128 : i64}
func.func @grouped(%q: tensor<1x64x4x16xf16>, %k: tensor<1x64x4x16xf16>, %v: tensor<1x64x4x16xf16>) -> tensor<1x64x4x16xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 2>, causal, offset_mode = #longnet.offset_mode<grouped>}
         : (tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>) -> tensor<1x64x4x16xf16>
  return %o : tensor<1x64x4x16xf16>
}

// -----

// External functions and functions without attention are left alone.
// P2-LABEL: func.func private @external(tensor<1x64x4x16xf16>)
// P2-LABEL: func @no_attention
// P2-SAME: (%{{.*}}: tensor<1x64x4x16xf16>) -> tensor<1x64x4x16xf16>
// P2-NOT: longnet.process_rank
// P2: return
func.func private @external(tensor<1x64x4x16xf16>)
func.func @no_attention(%q: tensor<1x64x4x16xf16>) -> tensor<1x64x4x16xf16> {
  return %q : tensor<1x64x4x16xf16>
}

