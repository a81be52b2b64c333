// GPU correctness matrix, f32: the CUDA backend (sm_80 code, CUDA cores)
// against the float64 reference variant in the same .so (longnet-exec --check,
// default f32 tolerance atol = rtol = 1e-4). The cases of
// test/Integration/CPU/matrix-f32.mlir (except dynamic N: longnet-exec draws
// random inputs only for static shapes) plus D = 20 and 72. Skips
// (UNSUPPORTED) without a CUDA device.
// REQUIRES: cuda, ptxas
// RUN: longnet-compile %s --chip=sm_80 -o %t.so
// RUN: longnet-exec %t.so --entry=f32_one_branch --seed=1 --check | FileCheck %s --check-prefix=F32-ONE-BRANCH
// RUN: longnet-exec %t.so --entry=f32_one_branch_causal_dilated --seed=2 --check | FileCheck %s --check-prefix=F32-ONE-BRANCH-CAUSAL-DILATED
// RUN: longnet-exec %t.so --entry=f32_two_branches_partial --seed=3 --check | FileCheck %s --check-prefix=F32-TWO-BRANCHES-PARTIAL
// RUN: longnet-exec %t.so --entry=f32_three_branches --seed=4 --check | FileCheck %s --check-prefix=F32-THREE-BRANCHES
// RUN: longnet-exec %t.so --entry=f32_three_branches_causal --seed=5 --check | FileCheck %s --check-prefix=F32-THREE-BRANCHES-CAUSAL
// RUN: longnet-exec %t.so --entry=f32_w_mod_r --seed=6 --check | FileCheck %s --check-prefix=F32-W-MOD-R
// RUN: longnet-exec %t.so --entry=f32_w_beyond_n --seed=7 --check | FileCheck %s --check-prefix=F32-W-BEYOND-N
// RUN: longnet-exec %t.so --entry=f32_grouped --seed=8 --check | FileCheck %s --check-prefix=F32-GROUPED
// RUN: longnet-exec %t.so --entry=f32_grouped_h_lt_r --seed=9 --check | FileCheck %s --check-prefix=F32-GROUPED-H-LT-R
// RUN: longnet-exec %t.so --entry=f32_none_offset --seed=10 --check | FileCheck %s --check-prefix=F32-NONE-OFFSET
// RUN: longnet-exec %t.so --entry=f32_dense_causal --seed=11 --check | FileCheck %s --check-prefix=F32-DENSE-CAUSAL
// RUN: longnet-exec %t.so --entry=f32_lse_d128 --seed=12 --check | FileCheck %s --check-prefix=F32-LSE-D128
// RUN: longnet-exec %t.so --entry=f32_uncovered_rows_lse --seed=13 --check | FileCheck %s --check-prefix=F32-UNCOVERED-ROWS-LSE
// RUN: longnet-exec %t.so --entry=f32_dense_d64 --seed=14 --check | FileCheck %s --check-prefix=F32-DENSE-D64
// RUN: longnet-exec %t.so --entry=f32_mixture_causal_d20 --seed=15 --check | FileCheck %s --check-prefix=F32-MIXTURE-CAUSAL-D20
// RUN: longnet-exec %t.so --entry=f32_w_mod_r_d72 --seed=16 --check | FileCheck %s --check-prefix=F32-W-MOD-R-D72

// F32-ONE-BRANCH: check result 0: {{.*}}: ok
func.func @f32_one_branch(%q: tensor<1x256x4x64xf32>, %k: tensor<1x256x4x64xf32>, %v: tensor<1x256x4x64xf32>) -> tensor<1x256x4x64xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 1>}
      : (tensor<1x256x4x64xf32>, tensor<1x256x4x64xf32>, tensor<1x256x4x64xf32>) -> tensor<1x256x4x64xf32>
  return %o : tensor<1x256x4x64xf32>
}

// F32-ONE-BRANCH-CAUSAL-DILATED: check result 0: {{.*}}: ok
func.func @f32_one_branch_causal_dilated(%q: tensor<1x256x4x64xf32>, %k: tensor<1x256x4x64xf32>, %v: tensor<1x256x4x64xf32>) -> tensor<1x256x4x64xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 4>, causal}
      : (tensor<1x256x4x64xf32>, tensor<1x256x4x64xf32>, tensor<1x256x4x64xf32>) -> tensor<1x256x4x64xf32>
  return %o : tensor<1x256x4x64xf32>
}

// F32-TWO-BRANCHES-PARTIAL: check result 0: {{.*}}: ok
func.func @f32_two_branches_partial(%q: tensor<1x200x3x16xf32>, %k: tensor<1x200x3x16xf32>, %v: tensor<1x200x3x16xf32>) -> tensor<1x200x3x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 64>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>) -> tensor<1x200x3x16xf32>
  return %o : tensor<1x200x3x16xf32>
}

// F32-THREE-BRANCHES: check result 0: {{.*}}: ok
func.func @f32_three_branches(%q: tensor<2x150x4x80xf32>, %k: tensor<2x150x4x80xf32>, %v: tensor<2x150x4x80xf32>) -> tensor<2x150x4x80xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 48, 50, 200>, dilation_rates = array<i64: 1, 3, 4>}
      : (tensor<2x150x4x80xf32>, tensor<2x150x4x80xf32>, tensor<2x150x4x80xf32>) -> tensor<2x150x4x80xf32>
  return %o : tensor<2x150x4x80xf32>
}

// F32-THREE-BRANCHES-CAUSAL: check result 0: {{.*}}: ok
func.func @f32_three_branches_causal(%q: tensor<2x150x4x80xf32>, %k: tensor<2x150x4x80xf32>, %v: tensor<2x150x4x80xf32>) -> tensor<2x150x4x80xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 48, 50, 200>, dilation_rates = array<i64: 1, 3, 4>, causal}
      : (tensor<2x150x4x80xf32>, tensor<2x150x4x80xf32>, tensor<2x150x4x80xf32>) -> tensor<2x150x4x80xf32>
  return %o : tensor<2x150x4x80xf32>
}

// F32-W-MOD-R: check result 0: {{.*}}: ok
func.func @f32_w_mod_r(%q: tensor<1x97x5x16xf32>, %k: tensor<1x97x5x16xf32>, %v: tensor<1x97x5x16xf32>) -> tensor<1x97x5x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 10, 17>, dilation_rates = array<i64: 3, 5>, causal}
      : (tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>) -> tensor<1x97x5x16xf32>
  return %o : tensor<1x97x5x16xf32>
}

// F32-W-BEYOND-N: check result 0: {{.*}}: ok
func.func @f32_w_beyond_n(%q: tensor<1x100x2x64xf32>, %k: tensor<1x100x2x64xf32>, %v: tensor<1x100x2x64xf32>) -> tensor<1x100x2x64xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 512>, dilation_rates = array<i64: 3>, causal}
      : (tensor<1x100x2x64xf32>, tensor<1x100x2x64xf32>, tensor<1x100x2x64xf32>) -> tensor<1x100x2x64xf32>
  return %o : tensor<1x100x2x64xf32>
}

// F32-GROUPED: check result 0: {{.*}}: ok
func.func @f32_grouped(%q: tensor<1x192x6x16xf32>, %k: tensor<1x192x6x16xf32>, %v: tensor<1x192x6x16xf32>) -> tensor<1x192x6x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 64>, dilation_rates = array<i64: 4, 8>, causal, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x192x6x16xf32>, tensor<1x192x6x16xf32>, tensor<1x192x6x16xf32>) -> tensor<1x192x6x16xf32>
  return %o : tensor<1x192x6x16xf32>
}

// F32-GROUPED-H-LT-R: check result 0: {{.*}}: ok
func.func @f32_grouped_h_lt_r(%q: tensor<1x128x2x16xf32>, %k: tensor<1x128x2x16xf32>, %v: tensor<1x128x2x16xf32>) -> tensor<1x128x2x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32>, dilation_rates = array<i64: 4>, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x128x2x16xf32>, tensor<1x128x2x16xf32>, tensor<1x128x2x16xf32>) -> tensor<1x128x2x16xf32>
  return %o : tensor<1x128x2x16xf32>
}

// F32-NONE-OFFSET: check result 0: {{.*}}: ok
func.func @f32_none_offset(%q: tensor<1x192x3x16xf32>, %k: tensor<1x192x3x16xf32>, %v: tensor<1x192x3x16xf32>) -> tensor<1x192x3x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 64>, dilation_rates = array<i64: 4, 8>, offset_mode = #longnet.offset_mode<none>}
      : (tensor<1x192x3x16xf32>, tensor<1x192x3x16xf32>, tensor<1x192x3x16xf32>) -> tensor<1x192x3x16xf32>
  return %o : tensor<1x192x3x16xf32>
}

// F32-DENSE-CAUSAL: check result 0: {{.*}}: ok
func.func @f32_dense_causal(%q: tensor<2x300x2x128xf32>, %k: tensor<2x300x2x128xf32>, %v: tensor<2x300x2x128xf32>) -> tensor<2x300x2x128xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 300>, dilation_rates = array<i64: 1>, causal, scale = 0.05 : f32}
      : (tensor<2x300x2x128xf32>, tensor<2x300x2x128xf32>, tensor<2x300x2x128xf32>) -> tensor<2x300x2x128xf32>
  return %o : tensor<2x300x2x128xf32>
}

// F32-LSE-D128: check result 0: {{.*}}: ok
// F32-LSE-D128-NEXT: check result 1: {{.*}}: ok
func.func @f32_lse_d128(%q: tensor<1x160x4x128xf32>, %k: tensor<1x160x4x128xf32>, %v: tensor<1x160x4x128xf32>) -> (tensor<1x160x4x128xf32>, tensor<1x160x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 160>, dilation_rates = array<i64: 1, 5>, causal}
      : (tensor<1x160x4x128xf32>, tensor<1x160x4x128xf32>, tensor<1x160x4x128xf32>) -> (tensor<1x160x4x128xf32>, tensor<1x160x4xf32>)
  return %o, %l : tensor<1x160x4x128xf32>, tensor<1x160x4xf32>
}

// F32-UNCOVERED-ROWS-LSE: check result 0: {{.*}}: ok
// F32-UNCOVERED-ROWS-LSE-NEXT: check result 1: {{.*}}: ok
func.func @f32_uncovered_rows_lse(%q: tensor<1x64x1x16xf32>, %k: tensor<1x64x1x16xf32>, %v: tensor<1x64x1x16xf32>) -> (tensor<1x64x1x16xf32>, tensor<1x64x1xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 4>}
      : (tensor<1x64x1x16xf32>, tensor<1x64x1x16xf32>, tensor<1x64x1x16xf32>) -> (tensor<1x64x1x16xf32>, tensor<1x64x1xf32>)
  return %o, %l : tensor<1x64x1x16xf32>, tensor<1x64x1xf32>
}

// F32-DENSE-D64: check result 0: {{.*}}: ok
// F32-DENSE-D64-NEXT: check result 1: {{.*}}: ok
func.func @f32_dense_d64(%q: tensor<1x512x4x64xf32>, %k: tensor<1x512x4x64xf32>, %v: tensor<1x512x4x64xf32>) -> (tensor<1x512x4x64xf32>, tensor<1x512x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 512>, dilation_rates = array<i64: 1>}
      : (tensor<1x512x4x64xf32>, tensor<1x512x4x64xf32>, tensor<1x512x4x64xf32>) -> (tensor<1x512x4x64xf32>, tensor<1x512x4xf32>)
  return %o, %l : tensor<1x512x4x64xf32>, tensor<1x512x4xf32>
}

// F32-MIXTURE-CAUSAL-D20: check result 0: {{.*}}: ok
// F32-MIXTURE-CAUSAL-D20-NEXT: check result 1: {{.*}}: ok
func.func @f32_mixture_causal_d20(%q: tensor<2x200x3x20xf32>, %k: tensor<2x200x3x20xf32>, %v: tensor<2x200x3x20xf32>) -> (tensor<2x200x3x20xf32>, tensor<2x200x3xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 64, 256>, dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<2x200x3x20xf32>, tensor<2x200x3x20xf32>, tensor<2x200x3x20xf32>) -> (tensor<2x200x3x20xf32>, tensor<2x200x3xf32>)
  return %o, %l : tensor<2x200x3x20xf32>, tensor<2x200x3xf32>
}

// F32-W-MOD-R-D72: check result 0: {{.*}}: ok
func.func @f32_w_mod_r_d72(%q: tensor<1x97x5x72xf32>, %k: tensor<1x97x5x72xf32>, %v: tensor<1x97x5x72xf32>) -> tensor<1x97x5x72xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 10, 17>, dilation_rates = array<i64: 3, 5>}
      : (tensor<1x97x5x72xf32>, tensor<1x97x5x72xf32>, tensor<1x97x5x72xf32>) -> tensor<1x97x5x72xf32>
  return %o : tensor<1x97x5x72xf32>
}
