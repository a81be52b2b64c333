// RUN: longnet-opt %s -split-input-file -longnet-decompose-mixture | FileCheck %s

// Two branches on f16: f32 accumulators initialised to 0 and -inf, chained
// through the outs of the branch ops, attributes carried per branch, and the
// output truncated back to f16 at the end.
// CHECK-LABEL: func @two_branches_f16
// CHECK-SAME: (%[[Q:.*]]: tensor<1x64x2x16xf16>, %[[K:.*]]: tensor<1x64x2x16xf16>, %[[V:.*]]: tensor<1x64x2x16xf16>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[O_EMPTY:.*]] = tensor.empty() : tensor<1x64x2x16xf32>
// CHECK-DAG: %[[L_EMPTY:.*]] = tensor.empty() : tensor<1x64x2xf32>
// CHECK-DAG: %[[O_INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[O_EMPTY]] : tensor<1x64x2x16xf32>)
// CHECK-DAG: %[[L_INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[L_EMPTY]] : tensor<1x64x2xf32>)
// CHECK: %[[B0:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>)
// CHECK-SAME: outs(%[[O_INIT]], %[[L_INIT]] : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
// CHECK-SAME: {causal, dilation_rate = 1 : i64, offset_mode = #longnet.offset_mode<grouped>, scale = 1.250000e-01 : f32, segment_length = 16 : i64}
// CHECK-SAME: -> tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
// CHECK-NEXT: %[[B1:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>)
// CHECK-SAME: outs(%[[B0]]#0, %[[B0]]#1 : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
// CHECK-SAME: {causal, dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<grouped>, scale = 1.250000e-01 : f32, segment_length = 32 : i64}
// CHECK-NOT: longnet.branch_attention
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1x64x2x16xf16>
// CHECK: %[[TRUNC:.*]] = linalg.map { arith.truncf } ins(%[[B1]]#0 : tensor<1x64x2x16xf32>) outs(%[[EMPTY]] : tensor<1x64x2x16xf16>)
// CHECK: return %[[TRUNC]] : tensor<1x64x2x16xf16>
// CHECK-NOT: longnet.dilated_attention
func.func @two_branches_f16(%q: tensor<1x64x2x16xf16>, %k: tensor<1x64x2x16xf16>, %v: tensor<1x64x2x16xf16>) -> tensor<1x64x2x16xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 32>, dilation_rates = array<i64: 1, 2>,
         causal, scale = 0.125 : f32, offset_mode = #longnet.offset_mode<grouped>}
         : (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>) -> tensor<1x64x2x16xf16>
  return %o : tensor<1x64x2x16xf16>
}

// -----

// Three branches on dynamic f64 operands: f64 accumulators (-inf as an f64),
// sized from the query; the output needs no conversion, the lse result is
// truncated to f32.
// CHECK-LABEL: func @three_branches_f64
// CHECK-SAME: (%[[Q:.*]]: tensor<?x?x?x?xf64>, %[[K:.*]]: tensor<?x?x?x?xf64>, %[[V:.*]]: tensor<?x?x?x?xf64>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = tensor.dim %[[Q]], %[[C0]] : tensor<?x?x?x?xf64>
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[N:.*]] = tensor.dim %[[Q]], %[[C1]] : tensor<?x?x?x?xf64>
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[H:.*]] = tensor.dim %[[Q]], %[[C2]] : tensor<?x?x?x?xf64>
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK: %[[D:.*]] = tensor.dim %[[Q]], %[[C3]] : tensor<?x?x?x?xf64>
// CHECK: %[[O_EMPTY:.*]] = tensor.empty(%[[B]], %[[N]], %[[H]], %[[D]]) : tensor<?x?x?x?xf64>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-DAG: %[[NEG_INF:.*]] = arith.constant 0xFFF0000000000000 : f64
// CHECK-DAG: %[[L_EMPTY:.*]] = tensor.empty(%[[B]], %[[N]], %[[H]]) : tensor<?x?x?xf64>
// CHECK-DAG: %[[O_INIT:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[O_EMPTY]] : tensor<?x?x?x?xf64>)
// CHECK-DAG: %[[L_INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f64) outs(%[[L_EMPTY]] : tensor<?x?x?xf64>)
// CHECK: %[[B0:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%[[O_INIT]], %[[L_INIT]] : tensor<?x?x?x?xf64>, tensor<?x?x?xf64>)
// CHECK-SAME: {dilation_rate = 1 : i64, offset_mode = #longnet.offset_mode<none>, segment_length = 128 : i64}
// CHECK-NEXT: %[[B1:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%[[B0]]#0, %[[B0]]#1 : tensor<?x?x?x?xf64>, tensor<?x?x?xf64>)
// CHECK-SAME: {dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<none>, segment_length = 256 : i64}
// CHECK-NEXT: %[[B2:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%[[B1]]#0, %[[B1]]#1 : tensor<?x?x?x?xf64>, tensor<?x?x?xf64>)
// CHECK-SAME: {dilation_rate = 4 : i64, offset_mode = #longnet.offset_mode<none>, segment_length = 512 : i64}
// CHECK-SAME: -> tensor<?x?x?x?xf64>, tensor<?x?x?xf64>
// CHECK-NOT: longnet.branch_attention
// CHECK: %[[LSE_EMPTY:.*]] = tensor.empty(%{{.*}}, %{{.*}}, %{{.*}}) : tensor<?x?x?xf32>
// CHECK: %[[LSE:.*]] = linalg.map { arith.truncf } ins(%[[B2]]#1 : tensor<?x?x?xf64>) outs(%[[LSE_EMPTY]] : tensor<?x?x?xf32>)
// CHECK: return %[[B2]]#0, %[[LSE]] : tensor<?x?x?x?xf64>, tensor<?x?x?xf32>
func.func @three_branches_f64(%q: tensor<?x?x?x?xf64>, %k: tensor<?x?x?x?xf64>, %v: tensor<?x?x?x?xf64>) -> (tensor<?x?x?x?xf64>, tensor<?x?x?xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128, 256, 512>,
         dilation_rates = array<i64: 1, 2, 4>, offset_mode = #longnet.offset_mode<none>}
         : (tensor<?x?x?x?xf64>, tensor<?x?x?x?xf64>, tensor<?x?x?x?xf64>) -> (tensor<?x?x?x?xf64>, tensor<?x?x?xf32>)
  return %o, %lse : tensor<?x?x?x?xf64>, tensor<?x?x?xf32>
}

// -----

// f32 operands: accumulators and results share types, so both results are
// the last branch's results as they are (no linalg.map, no cast). The
// default offset mode and scale stay implicit.
// CHECK-LABEL: func @lse_passthrough_f32
// CHECK: %[[B0:.*]]:2 = longnet.branch_attention
// CHECK-SAME: {dilation_rate = 1 : i64, segment_length = 8 : i64}
// CHECK-NEXT: %[[B1:.*]]:2 = longnet.branch_attention {{.*}} outs(%[[B0]]#0, %[[B0]]#1 : tensor<2x32x4x8xf32>, tensor<2x32x4xf32>)
// CHECK-SAME: {dilation_rate = 4 : i64, segment_length = 16 : i64}
// CHECK-NEXT: return %[[B1]]#0, %[[B1]]#1 : tensor<2x32x4x8xf32>, tensor<2x32x4xf32>
func.func @lse_passthrough_f32(%q: tensor<2x32x4x8xf32>, %k: tensor<2x32x4x8xf32>, %v: tensor<2x32x4x8xf32>) -> (tensor<2x32x4x8xf32>, tensor<2x32x4xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16>, dilation_rates = array<i64: 1, 4>}
         : (tensor<2x32x4x8xf32>, tensor<2x32x4x8xf32>, tensor<2x32x4x8xf32>) -> (tensor<2x32x4x8xf32>, tensor<2x32x4xf32>)
  return %o, %lse : tensor<2x32x4x8xf32>, tensor<2x32x4xf32>
}

// -----

// f16 with the lse result: the output is truncated, the f32 lse accumulator
// is returned as it is.
// CHECK-LABEL: func @lse_passthrough_f16
// CHECK: %[[B0:.*]]:2 = longnet.branch_attention
// CHECK: %[[OUT:.*]] = linalg.map { arith.truncf } ins(%[[B0]]#0 : tensor<1x32x2x8xf32>)
// CHECK-NOT: linalg.map
// CHECK: return %[[OUT]], %[[B0]]#1 : tensor<1x32x2x8xf16>, tensor<1x32x2xf32>
func.func @lse_passthrough_f16(%q: tensor<1x32x2x8xf16>) -> (tensor<1x32x2x8xf16>, tensor<1x32x2xf32>) {
  %o, %lse = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 2>}
         : (tensor<1x32x2x8xf16>, tensor<1x32x2x8xf16>, tensor<1x32x2x8xf16>) -> (tensor<1x32x2x8xf16>, tensor<1x32x2xf32>)
  return %o, %lse : tensor<1x32x2x8xf16>, tensor<1x32x2xf32>
}

// -----

// One branch with r = 1 and w >= N (static): dense attention, writing every
// row, so its outs come from tensor.empty without a fill.
// CHECK-LABEL: func @dense_static
// CHECK-SAME: (%[[Q:.*]]: tensor<1x64x2x16xf32>, %[[K:.*]]: tensor<1x64x2x16xf32>, %[[V:.*]]: tensor<1x64x2x16xf32>)
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[O_EMPTY:.*]] = tensor.empty() : tensor<1x64x2x16xf32>
// CHECK-DAG: %[[L_EMPTY:.*]] = tensor.empty() : tensor<1x64x2xf32>
// CHECK-NOT: linalg.fill
// CHECK: %[[A:.*]]:2 = longnet.attention ins(%[[Q]], %[[K]], %[[V]] : tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>)
// CHECK-SAME: outs(%[[O_EMPTY]], %[[L_EMPTY]] : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>) {causal, scale = 5.000000e-01 : f32}
// CHECK-NEXT: return %[[A]]#0, %[[A]]#1
// CHECK-NOT: longnet.branch_attention
func.func @dense_static(%q: tensor<1x64x2x16xf32>, %k: tensor<1x64x2x16xf32>, %v: tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 1>, causal, scale = 0.5 : f32}
         : (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
  return %o, %l : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
}

// -----

// w == N exactly is dense too; f16 in, f32 attention, truncated at the end.
// Dynamic batch and heads do not matter, only N.
// CHECK-LABEL: func @dense_w_equals_n_f16
// CHECK-NOT: linalg.fill
// CHECK: %[[A:.*]]:2 = longnet.attention ins({{.*}} : tensor<?x64x?x16xf16>, tensor<?x64x?x16xf16>, tensor<?x64x?x16xf16>) outs({{.*}} : tensor<?x64x?x16xf32>, tensor<?x64x?xf32>) -> tensor<?x64x?x16xf32>, tensor<?x64x?xf32>
// CHECK: %[[OUT:.*]] = linalg.map { arith.truncf } ins(%[[A]]#0 : tensor<?x64x?x16xf32>)
// CHECK: return %[[OUT]]
func.func @dense_w_equals_n_f16(%q: tensor<?x64x?x16xf16>) -> tensor<?x64x?x16xf16> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 1>}
         : (tensor<?x64x?x16xf16>, tensor<?x64x?x16xf16>, tensor<?x64x?x16xf16>) -> tensor<?x64x?x16xf16>
  return %o : tensor<?x64x?x16xf16>
}

// -----

// r = 1 with w >= N is dense only when N is known: with a dynamic N it stays
// a branch op merged into filled accumulators.
// CHECK-LABEL: func @dynamic_n_stays_branch
// CHECK-NOT: longnet.attention
// CHECK: linalg.fill
// CHECK: linalg.fill
// CHECK: longnet.branch_attention
// CHECK-SAME: {dilation_rate = 1 : i64, segment_length = 128 : i64} -> tensor<1x?x2x16xf32>, tensor<1x?x2xf32>
// CHECK-NOT: longnet.attention
func.func @dynamic_n_stays_branch(%q: tensor<1x?x2x16xf32>, %k: tensor<1x?x2x16xf32>, %v: tensor<1x?x2x16xf32>) -> tensor<1x?x2x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 1>}
         : (tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>) -> tensor<1x?x2x16xf32>
  return %o : tensor<1x?x2x16xf32>
}

// -----

// r = 2 with w >= N leaves half of the rows of each head uncovered: a
// branch op, not dense attention.
// CHECK-LABEL: func @dilated_whole_sequence_stays_branch
// CHECK-NOT: longnet.attention
// CHECK: longnet.branch_attention
// CHECK-SAME: {dilation_rate = 2 : i64, segment_length = 64 : i64}
// CHECK-NOT: longnet.attention
func.func @dilated_whole_sequence_stays_branch(%q: tensor<1x64x2x16xf32>) -> tensor<1x64x2x16xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 2>}
         : (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>) -> tensor<1x64x2x16xf32>
  return %o : tensor<1x64x2x16xf32>
}

// -----

// w < N with r = 1 is block-local attention, not dense.
// CHECK-LABEL: func @short_segment_stays_branch
// CHECK-NOT: longnet.attention
// CHECK: longnet.branch_attention
// CHECK-SAME: {dilation_rate = 1 : i64, segment_length = 32 : i64}
func.func @short_segment_stays_branch(%q: tensor<1x64x2x16xf32>) -> tensor<1x64x2x16xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 32>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>) -> tensor<1x64x2x16xf32>
  return %o : tensor<1x64x2x16xf32>
}

// -----

// The backward: delta = rowsum(dO * O) in f32, minus the lse gradient; zero
// f32 accumulators chained through one branch op per branch, each with the
// combined lse and the shared delta; the gradients truncated to f16.
// CHECK-LABEL: func @backward_f16
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<1x64x2x16xf16>, %[[K:[^:]*]]: tensor<1x64x2x16xf16>, %[[V:[^:]*]]: tensor<1x64x2x16xf16>, %[[O:[^:]*]]: tensor<1x64x2x16xf16>, %[[LSE:[^:]*]]: tensor<1x64x2xf32>, %[[DO:[^:]*]]: tensor<1x64x2x16xf16>, %[[DLSE:[^:]*]]: tensor<1x64x2xf32>)
// CHECK: %[[ROWS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[DO]], %[[O]] : {{.*}}) outs(%{{.*}} : tensor<1x64x2xf32>)
// CHECK: arith.extf
// CHECK: arith.extf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[DELTA:.*]] = linalg.generic {{.*}} ins(%[[DLSE]] : tensor<1x64x2xf32>) outs(%[[ROWS]] : tensor<1x64x2xf32>)
// CHECK: arith.subf
// CHECK: %[[B0:.*]]:3 = longnet.branch_attention_backward ins(%[[Q]], %[[K]], %[[V]], %[[DO]], %[[LSE]], %[[DELTA]] :
// CHECK-SAME: outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>)
// CHECK-SAME: {causal, dilation_rate = 1 : i64, segment_length = 16 : i64}
// CHECK: %[[B1:.*]]:3 = longnet.branch_attention_backward ins(%[[Q]], %[[K]], %[[V]], %[[DO]], %[[LSE]], %[[DELTA]] :
// CHECK-SAME: outs(%[[B0]]#0, %[[B0]]#1, %[[B0]]#2 :
// CHECK-SAME: {causal, dilation_rate = 2 : i64, segment_length = 32 : i64}
// CHECK-NOT: longnet.branch_attention_backward
// CHECK: %[[DQ:.*]] = linalg.map { arith.truncf } ins(%[[B1]]#0
// CHECK: %[[DK:.*]] = linalg.map { arith.truncf } ins(%[[B1]]#1
// CHECK: %[[DV:.*]] = linalg.map { arith.truncf } ins(%[[B1]]#2
// CHECK: return %[[DQ]], %[[DK]], %[[DV]]
func.func @backward_f16(%q: tensor<1x64x2x16xf16>, %k: tensor<1x64x2x16xf16>, %v: tensor<1x64x2x16xf16>, %o: tensor<1x64x2x16xf16>, %lse: tensor<1x64x2xf32>, %do: tensor<1x64x2x16xf16>, %dlse: tensor<1x64x2xf32>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>) {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 16, 32>, dilation_rates = array<i64: 1, 2>, causal}
    : (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2xf32>, tensor<1x64x2x16xf16>, tensor<1x64x2xf32>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>)
  return %dq, %dk, %dv : tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>
}

// -----

// f64 without the lse gradient: f64 accumulators, the f32 lse widened, no
// subtraction.
// CHECK-LABEL: func @backward_f64
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x8x1xf64>) {
// CHECK-NOT: arith.subf
// CHECK: %[[LSE64:.*]] = linalg.map { arith.extf } ins(%{{.*}} : tensor<1x8x1xf32>) outs(%{{.*}} : tensor<1x8x1xf64>)
// CHECK: longnet.branch_attention_backward ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[LSE64]], %{{.*}} : {{.*}}, tensor<1x8x1xf64>, tensor<1x8x1xf64>)
// CHECK-SAME: outs({{.*}} : tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>)
// CHECK-NOT: linalg.map
// CHECK: return
func.func @backward_f64(%q: tensor<1x8x1x4xf64>, %lse: tensor<1x8x1xf32>) -> (tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>) {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %q, %q, %q, %lse, %q {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
    : (tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>, tensor<1x8x1xf32>, tensor<1x8x1x4xf64>) -> (tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>)
  return %dq, %dk, %dv : tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>
}
