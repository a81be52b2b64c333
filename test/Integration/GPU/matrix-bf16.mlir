// GPU correctness matrix, bf16 inputs (f32 accumulation): the CUDA backend
// (sm_80 code) against the float64 reference variant in the same .so
// (longnet-exec --check, default bf16 tolerance atol = rtol = 5e-2; an lse
// result is f32: 1e-4). D = 64, 80, 128 on tensor cores, D = 20 and 72 on the
// CUDA-core fallback. Skips (UNSUPPORTED) without a CUDA device.
// (The bf16 host code once called __truncdfbf2 / __truncsfbf2, which Debian
// 12's libgcc lacks; test/tools/longnet-compile/bf16-cpu.mlir guards the
// fix on every machine.)
// REQUIRES: cuda, ptxas
// RUN: longnet-compile %s --chip=sm_80 -o %t.so
// RUN: longnet-exec %t.so --entry=bf16_one_branch_d64 --seed=1 --check | FileCheck %s --check-prefix=BF16-ONE-BRANCH-D64
// RUN: longnet-exec %t.so --entry=bf16_dense_d64_causal --seed=2 --check | FileCheck %s --check-prefix=BF16-DENSE-D64-CAUSAL
// RUN: longnet-exec %t.so --entry=bf16_dense_d128_causal_w_beyond_n --seed=3 --check | FileCheck %s --check-prefix=BF16-DENSE-D128-CAUSAL-W-BEYOND-N
// RUN: longnet-exec %t.so --entry=bf16_dense_d128_b2 --seed=4 --check | FileCheck %s --check-prefix=BF16-DENSE-D128-B2
// RUN: longnet-exec %t.so --entry=bf16_mixture_causal_lse_d64 --seed=5 --check | FileCheck %s --check-prefix=BF16-MIXTURE-CAUSAL-LSE-D64
// RUN: longnet-exec %t.so --entry=bf16_mixture_d128 --seed=6 --check | FileCheck %s --check-prefix=BF16-MIXTURE-D128
// RUN: longnet-exec %t.so --entry=bf16_grouped_lse_d80 --seed=7 --check | FileCheck %s --check-prefix=BF16-GROUPED-LSE-D80
// RUN: longnet-exec %t.so --entry=bf16_w_mod_r_d20 --seed=8 --check | FileCheck %s --check-prefix=BF16-W-MOD-R-D20
// RUN: longnet-exec %t.so --entry=bf16_mixture_causal_d72 --seed=9 --check | FileCheck %s --check-prefix=BF16-MIXTURE-CAUSAL-D72
// RUN: longnet-exec %t.so --entry=bf16_none_offset_d64 --seed=10 --check | FileCheck %s --check-prefix=BF16-NONE-OFFSET-D64
// RUN: longnet-exec %t.so --entry=bf16_uncovered_rows_lse_d128 --seed=11 --check | FileCheck %s --check-prefix=BF16-UNCOVERED-ROWS-LSE-D128

// BF16-ONE-BRANCH-D64: check result 0: {{.*}}: ok
func.func @bf16_one_branch_d64(%q: tensor<1x256x4x64xbf16>, %k: tensor<1x256x4x64xbf16>, %v: tensor<1x256x4x64xbf16>) -> tensor<1x256x4x64xbf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 1>}
      : (tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>) -> tensor<1x256x4x64xbf16>
  return %o : tensor<1x256x4x64xbf16>
}

// BF16-DENSE-D64-CAUSAL: check result 0: {{.*}}: ok
func.func @bf16_dense_d64_causal(%q: tensor<1x512x4x64xbf16>, %k: tensor<1x512x4x64xbf16>, %v: tensor<1x512x4x64xbf16>) -> tensor<1x512x4x64xbf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 512>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x512x4x64xbf16>, tensor<1x512x4x64xbf16>, tensor<1x512x4x64xbf16>) -> tensor<1x512x4x64xbf16>
  return %o : tensor<1x512x4x64xbf16>
}

// BF16-DENSE-D128-CAUSAL-W-BEYOND-N: check result 0: {{.*}}: ok
// BF16-DENSE-D128-CAUSAL-W-BEYOND-N-NEXT: check result 1: {{.*}}: ok
func.func @bf16_dense_d128_causal_w_beyond_n(%q: tensor<1x300x2x128xbf16>, %k: tensor<1x300x2x128xbf16>, %v: tensor<1x300x2x128xbf16>) -> (tensor<1x300x2x128xbf16>, tensor<1x300x2xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 4096>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x300x2x128xbf16>, tensor<1x300x2x128xbf16>, tensor<1x300x2x128xbf16>) -> (tensor<1x300x2x128xbf16>, tensor<1x300x2xf32>)
  return %o, %l : tensor<1x300x2x128xbf16>, tensor<1x300x2xf32>
}

// BF16-DENSE-D128-B2: check result 0: {{.*}}: ok
func.func @bf16_dense_d128_b2(%q: tensor<2x256x2x128xbf16>, %k: tensor<2x256x2x128xbf16>, %v: tensor<2x256x2x128xbf16>) -> tensor<2x256x2x128xbf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 256>, dilation_rates = array<i64: 1>}
      : (tensor<2x256x2x128xbf16>, tensor<2x256x2x128xbf16>, tensor<2x256x2x128xbf16>) -> tensor<2x256x2x128xbf16>
  return %o : tensor<2x256x2x128xbf16>
}

// BF16-MIXTURE-CAUSAL-LSE-D64: check result 0: {{.*}}: ok
// BF16-MIXTURE-CAUSAL-LSE-D64-NEXT: check result 1: {{.*}}: ok
func.func @bf16_mixture_causal_lse_d64(%q: tensor<1x192x4x64xbf16>, %k: tensor<1x192x4x64xbf16>, %v: tensor<1x192x4x64xbf16>) -> (tensor<1x192x4x64xbf16>, tensor<1x192x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64, 192>, dilation_rates = array<i64: 1, 3>, causal}
      : (tensor<1x192x4x64xbf16>, tensor<1x192x4x64xbf16>, tensor<1x192x4x64xbf16>) -> (tensor<1x192x4x64xbf16>, tensor<1x192x4xf32>)
  return %o, %l : tensor<1x192x4x64xbf16>, tensor<1x192x4xf32>
}

// BF16-MIXTURE-D128: check result 0: {{.*}}: ok
func.func @bf16_mixture_d128(%q: tensor<2x640x4x128xbf16>, %k: tensor<2x640x4x128xbf16>, %v: tensor<2x640x4x128xbf16>) -> tensor<2x640x4x128xbf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128, 256, 512>, dilation_rates = array<i64: 1, 2, 4>}
      : (tensor<2x640x4x128xbf16>, tensor<2x640x4x128xbf16>, tensor<2x640x4x128xbf16>) -> tensor<2x640x4x128xbf16>
  return %o : tensor<2x640x4x128xbf16>
}

// BF16-GROUPED-LSE-D80: check result 0: {{.*}}: ok
// BF16-GROUPED-LSE-D80-NEXT: check result 1: {{.*}}: ok
func.func @bf16_grouped_lse_d80(%q: tensor<1x150x4x80xbf16>, %k: tensor<1x150x4x80xbf16>, %v: tensor<1x150x4x80xbf16>) -> (tensor<1x150x4x80xbf16>, tensor<1x150x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 50, 100>, dilation_rates = array<i64: 3, 4>, causal, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x150x4x80xbf16>, tensor<1x150x4x80xbf16>, tensor<1x150x4x80xbf16>) -> (tensor<1x150x4x80xbf16>, tensor<1x150x4xf32>)
  return %o, %l : tensor<1x150x4x80xbf16>, tensor<1x150x4xf32>
}

// BF16-W-MOD-R-D20: check result 0: {{.*}}: ok
func.func @bf16_w_mod_r_d20(%q: tensor<1x97x5x20xbf16>, %k: tensor<1x97x5x20xbf16>, %v: tensor<1x97x5x20xbf16>) -> tensor<1x97x5x20xbf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 10, 17>, dilation_rates = array<i64: 3, 5>, causal}
      : (tensor<1x97x5x20xbf16>, tensor<1x97x5x20xbf16>, tensor<1x97x5x20xbf16>) -> tensor<1x97x5x20xbf16>
  return %o : tensor<1x97x5x20xbf16>
}

// BF16-MIXTURE-CAUSAL-D72: check result 0: {{.*}}: ok
func.func @bf16_mixture_causal_d72(%q: tensor<2x200x3x72xbf16>, %k: tensor<2x200x3x72xbf16>, %v: tensor<2x200x3x72xbf16>) -> tensor<2x200x3x72xbf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 64, 256>, dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<2x200x3x72xbf16>, tensor<2x200x3x72xbf16>, tensor<2x200x3x72xbf16>) -> tensor<2x200x3x72xbf16>
  return %o : tensor<2x200x3x72xbf16>
}

// BF16-NONE-OFFSET-D64: check result 0: {{.*}}: ok
func.func @bf16_none_offset_d64(%q: tensor<1x192x3x64xbf16>, %k: tensor<1x192x3x64xbf16>, %v: tensor<1x192x3x64xbf16>) -> tensor<1x192x3x64xbf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 64>, dilation_rates = array<i64: 4, 8>, causal, offset_mode = #longnet.offset_mode<none>}
      : (tensor<1x192x3x64xbf16>, tensor<1x192x3x64xbf16>, tensor<1x192x3x64xbf16>) -> tensor<1x192x3x64xbf16>
  return %o : tensor<1x192x3x64xbf16>
}

// BF16-UNCOVERED-ROWS-LSE-D128: check result 0: {{.*}}: ok
// BF16-UNCOVERED-ROWS-LSE-D128-NEXT: check result 1: {{.*}}: ok
func.func @bf16_uncovered_rows_lse_d128(%q: tensor<1x64x1x128xbf16>, %k: tensor<1x64x1x128xbf16>, %v: tensor<1x64x1x128xbf16>) -> (tensor<1x64x1x128xbf16>, tensor<1x64x1xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 4>}
      : (tensor<1x64x1x128xbf16>, tensor<1x64x1x128xbf16>, tensor<1x64x1x128xbf16>) -> (tensor<1x64x1x128xbf16>, tensor<1x64x1xf32>)
  return %o, %l : tensor<1x64x1x128xbf16>, tensor<1x64x1xf32>
}
