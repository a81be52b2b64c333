// Correctness matrix, f32: the CPU backend against the float64 reference
// (longnet-run --check: random N(0, 1) inputs, max rel error <= 1e-4 of the
// largest reference value, no NaN). Edge cases of docs/SPEC.md: partial last
// segments, w % r != 0, w > N, H not a multiple of r, every offset mode,
// causal, B > 1, D in {16, 64, 80, 128}, dynamic N and the lse result.
// RUN: longnet-run %s --entry=one_branch --check | FileCheck %s --check-prefix=ONE-BRANCH
// RUN: longnet-run %s --entry=one_branch_causal_dilated --check | FileCheck %s --check-prefix=ONE-BRANCH-CAUSAL-DILATED
// RUN: longnet-run %s --entry=two_branches_partial --check | FileCheck %s --check-prefix=TWO-BRANCHES-PARTIAL
// RUN: longnet-run %s --entry=three_branches --check | FileCheck %s --check-prefix=THREE-BRANCHES
// RUN: longnet-run %s --entry=three_branches_causal --check | FileCheck %s --check-prefix=THREE-BRANCHES-CAUSAL
// RUN: longnet-run %s --entry=w_mod_r --check | FileCheck %s --check-prefix=W-MOD-R
// RUN: longnet-run %s --entry=w_beyond_n --check | FileCheck %s --check-prefix=W-BEYOND-N
// RUN: longnet-run %s --entry=grouped --check | FileCheck %s --check-prefix=GROUPED
// RUN: longnet-run %s --entry=grouped_h_lt_r --check | FileCheck %s --check-prefix=GROUPED-H-LT-R
// RUN: longnet-run %s --entry=none_offset --check | FileCheck %s --check-prefix=NONE-OFFSET
// RUN: longnet-run %s --entry=dense_causal --check | FileCheck %s --check-prefix=DENSE-CAUSAL
// RUN: longnet-run %s --entry=lse_d128 --check | FileCheck %s --check-prefix=LSE-D128
// RUN: longnet-run %s --entry=uncovered_rows_lse --check | FileCheck %s --check-prefix=UNCOVERED-ROWS-LSE
// RUN: longnet-run %s --entry=dynamic_n --check --shapes=1x333x4x64,1x333x4x64,1x333x4x64 | FileCheck %s --check-prefix=DYNAMIC-N

// ONE-BRANCH: check result 0: {{.*}}: ok
func.func @one_branch(%q: tensor<1x256x4x64xf32>, %k: tensor<1x256x4x64xf32>, %v: tensor<1x256x4x64xf32>) -> tensor<1x256x4x64xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 1>}
      : (tensor<1x256x4x64xf32>, tensor<1x256x4x64xf32>, tensor<1x256x4x64xf32>) -> tensor<1x256x4x64xf32>
  return %o : tensor<1x256x4x64xf32>
}

// ONE-BRANCH-CAUSAL-DILATED: check result 0: {{.*}}: ok
func.func @one_branch_causal_dilated(%q: tensor<1x256x4x64xf32>, %k: tensor<1x256x4x64xf32>, %v: tensor<1x256x4x64xf32>) -> tensor<1x256x4x64xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 4>, causal}
      : (tensor<1x256x4x64xf32>, tensor<1x256x4x64xf32>, tensor<1x256x4x64xf32>) -> tensor<1x256x4x64xf32>
  return %o : tensor<1x256x4x64xf32>
}

// TWO-BRANCHES-PARTIAL: check result 0: {{.*}}: ok
func.func @two_branches_partial(%q: tensor<1x200x3x16xf32>, %k: tensor<1x200x3x16xf32>, %v: tensor<1x200x3x16xf32>) -> tensor<1x200x3x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 64>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>) -> tensor<1x200x3x16xf32>
  return %o : tensor<1x200x3x16xf32>
}

// THREE-BRANCHES: check result 0: {{.*}}: ok
func.func @three_branches(%q: tensor<2x150x4x80xf32>, %k: tensor<2x150x4x80xf32>, %v: tensor<2x150x4x80xf32>) -> tensor<2x150x4x80xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 48, 50, 200>, dilation_rates = array<i64: 1, 3, 4>}
      : (tensor<2x150x4x80xf32>, tensor<2x150x4x80xf32>, tensor<2x150x4x80xf32>) -> tensor<2x150x4x80xf32>
  return %o : tensor<2x150x4x80xf32>
}

// THREE-BRANCHES-CAUSAL: check result 0: {{.*}}: ok
func.func @three_branches_causal(%q: tensor<2x150x4x80xf32>, %k: tensor<2x150x4x80xf32>, %v: tensor<2x150x4x80xf32>) -> tensor<2x150x4x80xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 48, 50, 200>, dilation_rates = array<i64: 1, 3, 4>, causal}
      : (tensor<2x150x4x80xf32>, tensor<2x150x4x80xf32>, tensor<2x150x4x80xf32>) -> tensor<2x150x4x80xf32>
  return %o : tensor<2x150x4x80xf32>
}

// W-MOD-R: check result 0: {{.*}}: ok
func.func @w_mod_r(%q: tensor<1x97x5x16xf32>, %k: tensor<1x97x5x16xf32>, %v: tensor<1x97x5x16xf32>) -> tensor<1x97x5x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 10, 17>, dilation_rates = array<i64: 3, 5>, causal}
      : (tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>) -> tensor<1x97x5x16xf32>
  return %o : tensor<1x97x5x16xf32>
}

// W-BEYOND-N: check result 0: {{.*}}: ok
func.func @w_beyond_n(%q: tensor<1x100x2x64xf32>, %k: tensor<1x100x2x64xf32>, %v: tensor<1x100x2x64xf32>) -> tensor<1x100x2x64xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 512>, dilation_rates = array<i64: 3>, causal}
      : (tensor<1x100x2x64xf32>, tensor<1x100x2x64xf32>, tensor<1x100x2x64xf32>) -> tensor<1x100x2x64xf32>
  return %o : tensor<1x100x2x64xf32>
}

// GROUPED: check result 0: {{.*}}: ok
func.func @grouped(%q: tensor<1x192x6x16xf32>, %k: tensor<1x192x6x16xf32>, %v: tensor<1x192x6x16xf32>) -> tensor<1x192x6x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 64>, dilation_rates = array<i64: 4, 8>, causal, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x192x6x16xf32>, tensor<1x192x6x16xf32>, tensor<1x192x6x16xf32>) -> tensor<1x192x6x16xf32>
  return %o : tensor<1x192x6x16xf32>
}

// GROUPED-H-LT-R: check result 0: {{.*}}: ok
func.func @grouped_h_lt_r(%q: tensor<1x128x2x16xf32>, %k: tensor<1x128x2x16xf32>, %v: tensor<1x128x2x16xf32>) -> tensor<1x128x2x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32>, dilation_rates = array<i64: 4>, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x128x2x16xf32>, tensor<1x128x2x16xf32>, tensor<1x128x2x16xf32>) -> tensor<1x128x2x16xf32>
  return %o : tensor<1x128x2x16xf32>
}

// NONE-OFFSET: check result 0: {{.*}}: ok
func.func @none_offset(%q: tensor<1x192x3x16xf32>, %k: tensor<1x192x3x16xf32>, %v: tensor<1x192x3x16xf32>) -> tensor<1x192x3x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 64>, dilation_rates = array<i64: 4, 8>, offset_mode = #longnet.offset_mode<none>}
      : (tensor<1x192x3x16xf32>, tensor<1x192x3x16xf32>, tensor<1x192x3x16xf32>) -> tensor<1x192x3x16xf32>
  return %o : tensor<1x192x3x16xf32>
}

// DENSE-CAUSAL: check result 0: {{.*}}: ok
func.func @dense_causal(%q: tensor<2x300x2x128xf32>, %k: tensor<2x300x2x128xf32>, %v: tensor<2x300x2x128xf32>) -> tensor<2x300x2x128xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 300>, dilation_rates = array<i64: 1>, causal, scale = 0.05 : f32}
      : (tensor<2x300x2x128xf32>, tensor<2x300x2x128xf32>, tensor<2x300x2x128xf32>) -> tensor<2x300x2x128xf32>
  return %o : tensor<2x300x2x128xf32>
}

// LSE-D128: check result 0: {{.*}}: ok
// LSE-D128-NEXT: check result 1: {{.*}}: ok
func.func @lse_d128(%q: tensor<1x160x4x128xf32>, %k: tensor<1x160x4x128xf32>, %v: tensor<1x160x4x128xf32>) -> (tensor<1x160x4x128xf32>, tensor<1x160x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 160>, dilation_rates = array<i64: 1, 5>, causal}
      : (tensor<1x160x4x128xf32>, tensor<1x160x4x128xf32>, tensor<1x160x4x128xf32>) -> (tensor<1x160x4x128xf32>, tensor<1x160x4xf32>)
  return %o, %l : tensor<1x160x4x128xf32>, tensor<1x160x4xf32>
}

// UNCOVERED-ROWS-LSE: check result 0: {{.*}}: ok
// UNCOVERED-ROWS-LSE-NEXT: check result 1: {{.*}}: ok
func.func @uncovered_rows_lse(%q: tensor<1x64x1x16xf32>, %k: tensor<1x64x1x16xf32>, %v: tensor<1x64x1x16xf32>) -> (tensor<1x64x1x16xf32>, tensor<1x64x1xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 4>}
      : (tensor<1x64x1x16xf32>, tensor<1x64x1x16xf32>, tensor<1x64x1x16xf32>) -> (tensor<1x64x1x16xf32>, tensor<1x64x1xf32>)
  return %o, %l : tensor<1x64x1x16xf32>, tensor<1x64x1xf32>
}

// DYNAMIC-N: check result 0: {{.*}}: ok
// DYNAMIC-N-NEXT: check result 1: {{.*}}: ok
func.func @dynamic_n(%q: tensor<1x?x4x64xf32>, %k: tensor<1x?x4x64xf32>, %v: tensor<1x?x4x64xf32>) -> (tensor<1x?x4x64xf32>, tensor<1x?x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64, 128>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x?x4x64xf32>, tensor<1x?x4x64xf32>, tensor<1x?x4x64xf32>) -> (tensor<1x?x4x64xf32>, tensor<1x?x4xf32>)
  return %o, %l : tensor<1x?x4x64xf32>, tensor<1x?x4xf32>
}
