// longnet-run on a training step (forward, then backward): --bench counts
// SPEC's backward FLOPs (2.5x the forward's) beside the forward's, and the
// backward's operands are checked against each other like the forward's.
//
// N = 64, H = 2, D = 16, one causal branch (16, 2): per head and segment 8
// selected rows, 8 * 9 / 2 = 36 causal pairs; 4 segments, 2 heads: 288
// pairs. Forward 4 * D * 288 = 18432 FLOP, backward 2.5x = 46080: 64512.
// RUN: longnet-run %s --entry=step --bench=2 | FileCheck %s --check-prefix=BENCH
// BENCH: effective {{.*}} GFLOP/s (6.451e+04 FLOP per call: SPEC forward FLOPs of 1 longnet.dilated_attention and backward FLOPs of 1 longnet.dilated_attention_backward)

// RUN: not longnet-run %s --entry=dynamic --shapes=1x64x2x16,1x64x2x16,1x64x2x16,1x63x2x16 2>&1 | FileCheck %s --check-prefix=SHAPES --implicit-check-not='{{.}}'
// SHAPES: longnet-run: error: the longnet.dilated_attention_backward at {{.*}}backward.mlir:25:19 gets query 1x64x2x16 (argument 0) and output_grad 1x63x2x16 (argument 3); their shapes must be equal

func.func @step(%q: tensor<1x64x2x16xf32>, %k: tensor<1x64x2x16xf32>, %v: tensor<1x64x2x16xf32>, %do: tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 2>, causal}
      : (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 2>, causal}
      : (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2xf32>, tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>)
  return %dq, %dk, %dv : tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>
}

func.func @dynamic(%q: tensor<1x?x2x16xf32>, %k: tensor<1x?x2x16xf32>, %v: tensor<1x?x2x16xf32>, %do: tensor<1x?x2x16xf32>) -> (tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 2>}
      : (tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>) -> (tensor<1x?x2x16xf32>, tensor<1x?x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 2>}
      : (tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>, tensor<1x?x2xf32>, tensor<1x?x2x16xf32>) -> (tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>)
  return %dq, %dk, %dv : tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>, tensor<1x?x2x16xf32>
}
