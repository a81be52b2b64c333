// GPU correctness matrix, f16 inputs (f32 accumulation): the CUDA backend
// (sm_80 code, which also runs on sm_90) against the float64 reference variant
// compiled into the same .so (longnet-exec --check, default f16 tolerance
// atol = rtol = 2e-2; an lse result is f32: 1e-4). Inputs are uniform in
// [-1, 1) from --seed. D = 64, 80, 128 run on tensor cores (D % 16 == 0);
// D = 20 and 72 on the CUDA-core fallback. Covers: dense single branch
// (w >= N, r = 1), causal and not, 1-3 branches, N not a multiple of w,
// w % r != 0, w > N, H not a multiple of r, every offset mode, B > 1, the
// lse result and uncovered rows. Skips (UNSUPPORTED) without a CUDA device.
// REQUIRES: cuda, ptxas
// RUN: longnet-compile %s --chip=sm_80 -o %t.so
// RUN: longnet-exec %t.so --entry=f16_one_branch_d64 --seed=1 --check | FileCheck %s --check-prefix=F16-ONE-BRANCH-D64
// RUN: longnet-exec %t.so --entry=f16_dense_d64_causal_w_beyond_n --seed=2 --check | FileCheck %s --check-prefix=F16-DENSE-D64-CAUSAL-W-BEYOND-N
// RUN: longnet-exec %t.so --entry=f16_dense_d64_b2 --seed=3 --check | FileCheck %s --check-prefix=F16-DENSE-D64-B2
// RUN: longnet-exec %t.so --entry=f16_dense_d128_causal --seed=4 --check | FileCheck %s --check-prefix=F16-DENSE-D128-CAUSAL
// RUN: longnet-exec %t.so --entry=f16_dense_d128_partial --seed=5 --check | FileCheck %s --check-prefix=F16-DENSE-D128-PARTIAL
// RUN: longnet-exec %t.so --entry=f16_mixture_causal_d16 --seed=6 --check | FileCheck %s --check-prefix=F16-MIXTURE-CAUSAL-D16
// RUN: longnet-exec %t.so --entry=f16_mixture_causal_lse_d64 --seed=7 --check | FileCheck %s --check-prefix=F16-MIXTURE-CAUSAL-LSE-D64
// RUN: longnet-exec %t.so --entry=f16_grouped_lse_d80 --seed=8 --check | FileCheck %s --check-prefix=F16-GROUPED-LSE-D80
// RUN: longnet-exec %t.so --entry=f16_lse_causal_d128 --seed=9 --check | FileCheck %s --check-prefix=F16-LSE-CAUSAL-D128
// RUN: longnet-exec %t.so --entry=f16_w_mod_r_d72 --seed=10 --check | FileCheck %s --check-prefix=F16-W-MOD-R-D72
// RUN: longnet-exec %t.so --entry=f16_w_beyond_n_lse_d20 --seed=11 --check | FileCheck %s --check-prefix=F16-W-BEYOND-N-LSE-D20
// RUN: longnet-exec %t.so --entry=f16_none_offset_d80 --seed=12 --check | FileCheck %s --check-prefix=F16-NONE-OFFSET-D80
// RUN: longnet-exec %t.so --entry=f16_uncovered_rows_lse_d64 --seed=13 --check | FileCheck %s --check-prefix=F16-UNCOVERED-ROWS-LSE-D64
// RUN: longnet-exec %t.so --entry=f16_three_branches_d72 --seed=14 --check | FileCheck %s --check-prefix=F16-THREE-BRANCHES-D72

// F16-ONE-BRANCH-D64: check result 0: {{.*}}: ok
func.func @f16_one_branch_d64(%q: tensor<1x256x4x64xf16>, %k: tensor<1x256x4x64xf16>, %v: tensor<1x256x4x64xf16>) -> tensor<1x256x4x64xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 1>}
      : (tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>) -> tensor<1x256x4x64xf16>
  return %o : tensor<1x256x4x64xf16>
}

// F16-DENSE-D64-CAUSAL-W-BEYOND-N: check result 0: {{.*}}: ok
func.func @f16_dense_d64_causal_w_beyond_n(%q: tensor<1x500x4x64xf16>, %k: tensor<1x500x4x64xf16>, %v: tensor<1x500x4x64xf16>) -> tensor<1x500x4x64xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 1024>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x500x4x64xf16>, tensor<1x500x4x64xf16>, tensor<1x500x4x64xf16>) -> tensor<1x500x4x64xf16>
  return %o : tensor<1x500x4x64xf16>
}

// F16-DENSE-D64-B2: check result 0: {{.*}}: ok
// F16-DENSE-D64-B2-NEXT: check result 1: {{.*}}: ok
func.func @f16_dense_d64_b2(%q: tensor<2x384x4x64xf16>, %k: tensor<2x384x4x64xf16>, %v: tensor<2x384x4x64xf16>) -> (tensor<2x384x4x64xf16>, tensor<2x384x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 384>, dilation_rates = array<i64: 1>}
      : (tensor<2x384x4x64xf16>, tensor<2x384x4x64xf16>, tensor<2x384x4x64xf16>) -> (tensor<2x384x4x64xf16>, tensor<2x384x4xf32>)
  return %o, %l : tensor<2x384x4x64xf16>, tensor<2x384x4xf32>
}

// F16-DENSE-D128-CAUSAL: check result 0: {{.*}}: ok
func.func @f16_dense_d128_causal(%q: tensor<1x128x2x128xf16>, %k: tensor<1x128x2x128xf16>, %v: tensor<1x128x2x128xf16>) -> tensor<1x128x2x128xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>) -> tensor<1x128x2x128xf16>
  return %o : tensor<1x128x2x128xf16>
}

// F16-DENSE-D128-PARTIAL: check result 0: {{.*}}: ok
func.func @f16_dense_d128_partial(%q: tensor<2x300x2x128xf16>, %k: tensor<2x300x2x128xf16>, %v: tensor<2x300x2x128xf16>) -> tensor<2x300x2x128xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 1>}
      : (tensor<2x300x2x128xf16>, tensor<2x300x2x128xf16>, tensor<2x300x2x128xf16>) -> tensor<2x300x2x128xf16>
  return %o : tensor<2x300x2x128xf16>
}

// F16-MIXTURE-CAUSAL-D16: check result 0: {{.*}}: ok
func.func @f16_mixture_causal_d16(%q: tensor<2x200x3x16xf16>, %k: tensor<2x200x3x16xf16>, %v: tensor<2x200x3x16xf16>) -> tensor<2x200x3x16xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 64, 256>, dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<2x200x3x16xf16>, tensor<2x200x3x16xf16>, tensor<2x200x3x16xf16>) -> tensor<2x200x3x16xf16>
  return %o : tensor<2x200x3x16xf16>
}

// F16-MIXTURE-CAUSAL-LSE-D64: check result 0: {{.*}}: ok
// F16-MIXTURE-CAUSAL-LSE-D64-NEXT: check result 1: {{.*}}: ok
func.func @f16_mixture_causal_lse_d64(%q: tensor<1x1000x4x64xf16>, %k: tensor<1x1000x4x64xf16>, %v: tensor<1x1000x4x64xf16>) -> (tensor<1x1000x4x64xf16>, tensor<1x1000x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 250, 500, 1000>, dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<1x1000x4x64xf16>, tensor<1x1000x4x64xf16>, tensor<1x1000x4x64xf16>) -> (tensor<1x1000x4x64xf16>, tensor<1x1000x4xf32>)
  return %o, %l : tensor<1x1000x4x64xf16>, tensor<1x1000x4xf32>
}

// F16-GROUPED-LSE-D80: check result 0: {{.*}}: ok
// F16-GROUPED-LSE-D80-NEXT: check result 1: {{.*}}: ok
func.func @f16_grouped_lse_d80(%q: tensor<1x150x4x80xf16>, %k: tensor<1x150x4x80xf16>, %v: tensor<1x150x4x80xf16>) -> (tensor<1x150x4x80xf16>, tensor<1x150x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 50, 100>, dilation_rates = array<i64: 3, 4>, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x150x4x80xf16>, tensor<1x150x4x80xf16>, tensor<1x150x4x80xf16>) -> (tensor<1x150x4x80xf16>, tensor<1x150x4xf32>)
  return %o, %l : tensor<1x150x4x80xf16>, tensor<1x150x4xf32>
}

// F16-LSE-CAUSAL-D128: check result 0: {{.*}}: ok
// F16-LSE-CAUSAL-D128-NEXT: check result 1: {{.*}}: ok
func.func @f16_lse_causal_d128(%q: tensor<1x160x4x128xf16>, %k: tensor<1x160x4x128xf16>, %v: tensor<1x160x4x128xf16>) -> (tensor<1x160x4x128xf16>, tensor<1x160x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 160>, dilation_rates = array<i64: 1, 5>, causal}
      : (tensor<1x160x4x128xf16>, tensor<1x160x4x128xf16>, tensor<1x160x4x128xf16>) -> (tensor<1x160x4x128xf16>, tensor<1x160x4xf32>)
  return %o, %l : tensor<1x160x4x128xf16>, tensor<1x160x4xf32>
}

// F16-W-MOD-R-D72: check result 0: {{.*}}: ok
func.func @f16_w_mod_r_d72(%q: tensor<1x97x5x72xf16>, %k: tensor<1x97x5x72xf16>, %v: tensor<1x97x5x72xf16>) -> tensor<1x97x5x72xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 10, 17>, dilation_rates = array<i64: 3, 5>, causal}
      : (tensor<1x97x5x72xf16>, tensor<1x97x5x72xf16>, tensor<1x97x5x72xf16>) -> tensor<1x97x5x72xf16>
  return %o : tensor<1x97x5x72xf16>
}

// F16-W-BEYOND-N-LSE-D20: check result 0: {{.*}}: ok
// F16-W-BEYOND-N-LSE-D20-NEXT: check result 1: {{.*}}: ok
func.func @f16_w_beyond_n_lse_d20(%q: tensor<1x100x2x20xf16>, %k: tensor<1x100x2x20xf16>, %v: tensor<1x100x2x20xf16>) -> (tensor<1x100x2x20xf16>, tensor<1x100x2xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 512>, dilation_rates = array<i64: 3>, causal}
      : (tensor<1x100x2x20xf16>, tensor<1x100x2x20xf16>, tensor<1x100x2x20xf16>) -> (tensor<1x100x2x20xf16>, tensor<1x100x2xf32>)
  return %o, %l : tensor<1x100x2x20xf16>, tensor<1x100x2xf32>
}

// F16-NONE-OFFSET-D80: check result 0: {{.*}}: ok
func.func @f16_none_offset_d80(%q: tensor<2x192x3x80xf16>, %k: tensor<2x192x3x80xf16>, %v: tensor<2x192x3x80xf16>) -> tensor<2x192x3x80xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 64>, dilation_rates = array<i64: 4, 8>, offset_mode = #longnet.offset_mode<none>}
      : (tensor<2x192x3x80xf16>, tensor<2x192x3x80xf16>, tensor<2x192x3x80xf16>) -> tensor<2x192x3x80xf16>
  return %o : tensor<2x192x3x80xf16>
}

// F16-UNCOVERED-ROWS-LSE-D64: check result 0: {{.*}}: ok
// F16-UNCOVERED-ROWS-LSE-D64-NEXT: check result 1: {{.*}}: ok
func.func @f16_uncovered_rows_lse_d64(%q: tensor<1x64x1x64xf16>, %k: tensor<1x64x1x64xf16>, %v: tensor<1x64x1x64xf16>) -> (tensor<1x64x1x64xf16>, tensor<1x64x1xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 4>}
      : (tensor<1x64x1x64xf16>, tensor<1x64x1x64xf16>, tensor<1x64x1x64xf16>) -> (tensor<1x64x1x64xf16>, tensor<1x64x1xf32>)
  return %o, %l : tensor<1x64x1x64xf16>, tensor<1x64x1xf32>
}

// F16-THREE-BRANCHES-D72: check result 0: {{.*}}: ok
func.func @f16_three_branches_d72(%q: tensor<2x150x4x72xf16>, %k: tensor<2x150x4x72xf16>, %v: tensor<2x150x4x72xf16>) -> tensor<2x150x4x72xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 48, 50, 200>, dilation_rates = array<i64: 1, 3, 4>}
      : (tensor<2x150x4x72xf16>, tensor<2x150x4x72xf16>, tensor<2x150x4x72xf16>) -> tensor<2x150x4x72xf16>
  return %o : tensor<2x150x4x72xf16>
}
