// Gradient matrix, f16: the CPU backward (longnet.dilated_attention_backward
// after the forward, as a training step computes it) against the float64
// reference backward on the same inputs (longnet-run --check: random N(0, 1)
// q, k, v, dout and dlse; max error <= rtol * max|reference|, f16: rtol 2e-2; no NaN).
// docs/SPEC.md's edge cases: partial last segments, w % r != 0, w > N,
// causal and not, every offset mode, B > 1, D in {16, 64, 128}, uncovered
// rows, with and without the lse gradient, dynamic N.
// RUN: longnet-run %s --entry=one_branch --check | FileCheck %s --check-prefix=ONE-BRANCH
// RUN: longnet-run %s --entry=causal_dilated --check | FileCheck %s --check-prefix=CAUSAL-DILATED
// RUN: longnet-run %s --entry=two_branches_partial --check | FileCheck %s --check-prefix=TWO-BRANCHES-PARTIAL
// RUN: longnet-run %s --entry=three_branches_batch --check | FileCheck %s --check-prefix=THREE-BRANCHES-BATCH
// RUN: longnet-run %s --entry=w_mod_r --check | FileCheck %s --check-prefix=W-MOD-R
// RUN: longnet-run %s --entry=w_beyond_n --check | FileCheck %s --check-prefix=W-BEYOND-N
// RUN: longnet-run %s --entry=grouped --check | FileCheck %s --check-prefix=GROUPED
// RUN: longnet-run %s --entry=none_offset --check | FileCheck %s --check-prefix=NONE-OFFSET
// RUN: longnet-run %s --entry=uncovered_rows --check | FileCheck %s --check-prefix=UNCOVERED-ROWS
// RUN: longnet-run %s --entry=dlse_d128 --check | FileCheck %s --check-prefix=DLSE-D128
// RUN: longnet-run %s --entry=dynamic_n --check --shapes=1x333x4x16,1x333x4x16,1x333x4x16,1x333x4x16 | FileCheck %s --check-prefix=DYNAMIC-N

// one branch, full segments
// ONE-BRANCH: check result 0: {{.*}}: ok
// ONE-BRANCH: check result 1: {{.*}}: ok
// ONE-BRANCH: check result 2: {{.*}}: ok
func.func @one_branch(%q: tensor<1x256x4x64xf16>, %k: tensor<1x256x4x64xf16>, %v: tensor<1x256x4x64xf16>, %do: tensor<1x256x4x64xf16>) -> (tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 1>}
      : (tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>) -> (tensor<1x256x4x64xf16>, tensor<1x256x4xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 1>}
      : (tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4xf32>, tensor<1x256x4x64xf16>) -> (tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>)
  return %dq, %dk, %dv : tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>
}

// causal, r = 4 (heads at every offset)
// CAUSAL-DILATED: check result 0: {{.*}}: ok
// CAUSAL-DILATED: check result 1: {{.*}}: ok
// CAUSAL-DILATED: check result 2: {{.*}}: ok
func.func @causal_dilated(%q: tensor<1x256x4x64xf16>, %k: tensor<1x256x4x64xf16>, %v: tensor<1x256x4x64xf16>, %do: tensor<1x256x4x64xf16>) -> (tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 4>, causal}
      : (tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>) -> (tensor<1x256x4x64xf16>, tensor<1x256x4xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 4>, causal}
      : (tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4xf32>, tensor<1x256x4x64xf16>) -> (tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>)
  return %dq, %dk, %dv : tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>
}

// partial last segments (200 = 3*64 + 8)
// TWO-BRANCHES-PARTIAL: check result 0: {{.*}}: ok
// TWO-BRANCHES-PARTIAL: check result 1: {{.*}}: ok
// TWO-BRANCHES-PARTIAL: check result 2: {{.*}}: ok
func.func @two_branches_partial(%q: tensor<1x200x3x16xf16>, %k: tensor<1x200x3x16xf16>, %v: tensor<1x200x3x16xf16>, %do: tensor<1x200x3x16xf16>) -> (tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 64>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>) -> (tensor<1x200x3x16xf16>, tensor<1x200x3xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 32, 64>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>, tensor<1x200x3xf32>, tensor<1x200x3x16xf16>) -> (tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>)
  return %dq, %dk, %dv : tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>, tensor<1x200x3x16xf16>
}

// B = 2, three branches, w > N, with dlse
// THREE-BRANCHES-BATCH: check result 0: {{.*}}: ok
// THREE-BRANCHES-BATCH: check result 1: {{.*}}: ok
// THREE-BRANCHES-BATCH: check result 2: {{.*}}: ok
func.func @three_branches_batch(%q: tensor<2x150x4x16xf16>, %k: tensor<2x150x4x16xf16>, %v: tensor<2x150x4x16xf16>, %do: tensor<2x150x4x16xf16>, %dlse: tensor<2x150x4xf32>) -> (tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 48, 50, 200>, dilation_rates = array<i64: 1, 3, 4>}
      : (tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>) -> (tensor<2x150x4x16xf16>, tensor<2x150x4xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 48, 50, 200>, dilation_rates = array<i64: 1, 3, 4>}
      : (tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>, tensor<2x150x4xf32>, tensor<2x150x4x16xf16>, tensor<2x150x4xf32>) -> (tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>)
  return %dq, %dk, %dv : tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>, tensor<2x150x4x16xf16>
}

// w mod r != 0, partial segments, H not a multiple of r
// W-MOD-R: check result 0: {{.*}}: ok
// W-MOD-R: check result 1: {{.*}}: ok
// W-MOD-R: check result 2: {{.*}}: ok
func.func @w_mod_r(%q: tensor<1x97x5x16xf16>, %k: tensor<1x97x5x16xf16>, %v: tensor<1x97x5x16xf16>, %do: tensor<1x97x5x16xf16>) -> (tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 10, 17>, dilation_rates = array<i64: 3, 5>, causal}
      : (tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>) -> (tensor<1x97x5x16xf16>, tensor<1x97x5xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 10, 17>, dilation_rates = array<i64: 3, 5>, causal}
      : (tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>, tensor<1x97x5xf32>, tensor<1x97x5x16xf16>) -> (tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>)
  return %dq, %dk, %dv : tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>, tensor<1x97x5x16xf16>
}

// w > N: one segment of N rows
// W-BEYOND-N: check result 0: {{.*}}: ok
// W-BEYOND-N: check result 1: {{.*}}: ok
// W-BEYOND-N: check result 2: {{.*}}: ok
func.func @w_beyond_n(%q: tensor<1x100x2x64xf16>, %k: tensor<1x100x2x64xf16>, %v: tensor<1x100x2x64xf16>, %do: tensor<1x100x2x64xf16>, %dlse: tensor<1x100x2xf32>) -> (tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 256>, dilation_rates = array<i64: 2>, causal}
      : (tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>) -> (tensor<1x100x2x64xf16>, tensor<1x100x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 256>, dilation_rates = array<i64: 2>, causal}
      : (tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>, tensor<1x100x2xf32>, tensor<1x100x2x64xf16>, tensor<1x100x2xf32>) -> (tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>)
  return %dq, %dk, %dv : tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>, tensor<1x100x2x64xf16>
}

// grouped offsets
// GROUPED: check result 0: {{.*}}: ok
// GROUPED: check result 1: {{.*}}: ok
// GROUPED: check result 2: {{.*}}: ok
func.func @grouped(%q: tensor<1x128x6x16xf16>, %k: tensor<1x128x6x16xf16>, %v: tensor<1x128x6x16xf16>, %do: tensor<1x128x6x16xf16>) -> (tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 64>, dilation_rates = array<i64: 4, 8>, causal, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>) -> (tensor<1x128x6x16xf16>, tensor<1x128x6xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 32, 64>, dilation_rates = array<i64: 4, 8>, causal, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>, tensor<1x128x6xf32>, tensor<1x128x6x16xf16>) -> (tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>)
  return %dq, %dk, %dv : tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>, tensor<1x128x6x16xf16>
}

// every head at offset 0
// NONE-OFFSET: check result 0: {{.*}}: ok
// NONE-OFFSET: check result 1: {{.*}}: ok
// NONE-OFFSET: check result 2: {{.*}}: ok
func.func @none_offset(%q: tensor<1x96x3x16xf16>, %k: tensor<1x96x3x16xf16>, %v: tensor<1x96x3x16xf16>, %do: tensor<1x96x3x16xf16>, %dlse: tensor<1x96x3xf32>) -> (tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 48>, dilation_rates = array<i64: 2, 3>, offset_mode = #longnet.offset_mode<none>}
      : (tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>) -> (tensor<1x96x3x16xf16>, tensor<1x96x3xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 16, 48>, dilation_rates = array<i64: 2, 3>, offset_mode = #longnet.offset_mode<none>}
      : (tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>, tensor<1x96x3xf32>, tensor<1x96x3x16xf16>, tensor<1x96x3xf32>) -> (tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>)
  return %dq, %dk, %dv : tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>, tensor<1x96x3x16xf16>
}

// rows no branch covers: zero gradients
// UNCOVERED-ROWS: check result 0: {{.*}}: ok
// UNCOVERED-ROWS: check result 1: {{.*}}: ok
// UNCOVERED-ROWS: check result 2: {{.*}}: ok
func.func @uncovered_rows(%q: tensor<1x64x2x16xf16>, %k: tensor<1x64x2x16xf16>, %v: tensor<1x64x2x16xf16>, %do: tensor<1x64x2x16xf16>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 8>}
      : (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 8>}
      : (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2xf32>, tensor<1x64x2x16xf16>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>)
  return %dq, %dk, %dv : tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>
}

// D = 128 with the lse gradient
// DLSE-D128: check result 0: {{.*}}: ok
// DLSE-D128: check result 1: {{.*}}: ok
// DLSE-D128: check result 2: {{.*}}: ok
func.func @dlse_d128(%q: tensor<1x160x2x128xf16>, %k: tensor<1x160x2x128xf16>, %v: tensor<1x160x2x128xf16>, %do: tensor<1x160x2x128xf16>, %dlse: tensor<1x160x2xf32>) -> (tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 160>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>) -> (tensor<1x160x2x128xf16>, tensor<1x160x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 32, 160>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>, tensor<1x160x2xf32>, tensor<1x160x2x128xf16>, tensor<1x160x2xf32>) -> (tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>)
  return %dq, %dk, %dv : tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>, tensor<1x160x2x128xf16>
}

// Dynamic N (333: a partial last segment of each branch).
// DYNAMIC-N: check result 0: {{.*}}: ok
// DYNAMIC-N: check result 1: {{.*}}: ok
// DYNAMIC-N: check result 2: {{.*}}: ok
func.func @dynamic_n(%q: tensor<1x?x4x16xf16>, %k: tensor<1x?x4x16xf16>, %v: tensor<1x?x4x16xf16>, %do: tensor<1x?x4x16xf16>) -> (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64, 128>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>) -> (tensor<1x?x4x16xf16>, tensor<1x?x4xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 64, 128>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4xf32>, tensor<1x?x4x16xf16>) -> (tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>)
  return %dq, %dk, %dv : tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>, tensor<1x?x4x16xf16>
}
