// GPU gradient matrix: the CUDA backward (the backward tile program: a dK/dV
// launch over key tiles and a dQ launch over query tiles, no atomics) after
// the CUDA forward, against the float64 reference variant in the same .so
// (longnet-exec --check; default tolerances 2e-2 for f16/bf16, 1e-4 for
// f32/f64 of the largest reference value). f16/bf16 entries with D % 16 == 0
// and D <= 128 take the tensor-core kernels (mma.sync), the others the CUDA
// cores. The multi-tile entries stage several query tiles per key tile and
// key tiles per query tile: f32_multi_tile_d80 (CUDA cores, 32 staged rows
// against 64 owned), f16_multi_tile_causal_d128 (16 staged rows),
// bf16_staged_32_causal_d80 (32) and bf16_multi_tile_dlse_d64 (64).
// f16_cuda_cores_d144 is beyond the tensor-core kernels' D. Skips
// (UNSUPPORTED) without a CUDA device; GPUEmulated/backward.mlir runs these
// entries under ptxemu.
// REQUIRES: cuda, ptxas
// RUN: longnet-compile %s --chip=sm_80 -o %t.so
// RUN: longnet-exec %t.so --entry=f32_two_branches_partial --seed=1 --check | FileCheck %s --check-prefix=F32-TWO-BRANCHES-PARTIAL
// RUN: longnet-exec %t.so --entry=f32_multi_tile_d80 --seed=2 --check | FileCheck %s --check-prefix=F32-MULTI-TILE-D80
// RUN: longnet-exec %t.so --entry=f32_w_mod_r_dlse --seed=3 --check | FileCheck %s --check-prefix=F32-W-MOD-R-DLSE
// RUN: longnet-exec %t.so --entry=f32_grouped_batch --seed=4 --check | FileCheck %s --check-prefix=F32-GROUPED-BATCH
// RUN: longnet-exec %t.so --entry=f32_uncovered_rows --seed=5 --check | FileCheck %s --check-prefix=F32-UNCOVERED-ROWS
// RUN: longnet-exec %t.so --entry=f16_mixture_causal_d64 --seed=6 --check | FileCheck %s --check-prefix=F16-MIXTURE-CAUSAL-D64
// RUN: longnet-exec %t.so --entry=f16_none_offset_d128 --seed=7 --check | FileCheck %s --check-prefix=F16-NONE-OFFSET-D128
// RUN: longnet-exec %t.so --entry=bf16_w_beyond_n_d64 --seed=8 --check | FileCheck %s --check-prefix=BF16-W-BEYOND-N-D64
// RUN: longnet-exec %t.so --entry=f64_one_branch --seed=9 --check | FileCheck %s --check-prefix=F64-ONE-BRANCH
// RUN: longnet-exec %t.so --entry=f16_multi_tile_causal_d128 --seed=10 --check | FileCheck %s --check-prefix=F16-MULTI-TILE-CAUSAL-D128
// RUN: longnet-exec %t.so --entry=bf16_multi_tile_dlse_d64 --seed=11 --check | FileCheck %s --check-prefix=BF16-MULTI-TILE-DLSE-D64
// RUN: longnet-exec %t.so --entry=f16_w_mod_r_causal_d32 --seed=12 --check | FileCheck %s --check-prefix=F16-W-MOD-R-CAUSAL-D32
// RUN: longnet-exec %t.so --entry=bf16_staged_32_causal_d80 --seed=13 --check | FileCheck %s --check-prefix=BF16-STAGED-32-CAUSAL-D80
// RUN: longnet-exec %t.so --entry=f16_cuda_cores_d144 --seed=14 --check | FileCheck %s --check-prefix=F16-CUDA-CORES-D144
// RUN: longnet-exec %t.so --entry=f16_three_branches_grouped_d16 --seed=15 --check | FileCheck %s --check-prefix=F16-THREE-BRANCHES-GROUPED-D16
// RUN: longnet-exec %t.so --entry=bf16_three_branches_causal_dlse_d64 --seed=16 --check | FileCheck %s --check-prefix=BF16-THREE-BRANCHES-CAUSAL-DLSE-D64
// RUN: longnet-exec %t.so --entry=f16_uncovered_rows_d16 --seed=17 --check | FileCheck %s --check-prefix=F16-UNCOVERED-ROWS-D16


// F32-TWO-BRANCHES-PARTIAL: check result 0: {{.*}}: ok
// F32-TWO-BRANCHES-PARTIAL: check result 1: {{.*}}: ok
// F32-TWO-BRANCHES-PARTIAL: check result 2: {{.*}}: ok
func.func @f32_two_branches_partial(%q: tensor<1x200x3x16xf32>, %k: tensor<1x200x3x16xf32>, %v: tensor<1x200x3x16xf32>, %do: tensor<1x200x3x16xf32>) -> (tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 64>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>) -> (tensor<1x200x3x16xf32>, tensor<1x200x3xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 32, 64>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>, tensor<1x200x3xf32>, tensor<1x200x3x16xf32>) -> (tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>)
  return %dq, %dk, %dv : tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>, tensor<1x200x3x16xf32>
}

// F32-MULTI-TILE-D80: check result 0: {{.*}}: ok
// F32-MULTI-TILE-D80: check result 1: {{.*}}: ok
// F32-MULTI-TILE-D80: check result 2: {{.*}}: ok
func.func @f32_multi_tile_d80(%q: tensor<1x96x1x80xf32>, %k: tensor<1x96x1x80xf32>, %v: tensor<1x96x1x80xf32>, %do: tensor<1x96x1x80xf32>) -> (tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 96>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>) -> (tensor<1x96x1x80xf32>, tensor<1x96x1xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 96>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>, tensor<1x96x1xf32>, tensor<1x96x1x80xf32>) -> (tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>)
  return %dq, %dk, %dv : tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>, tensor<1x96x1x80xf32>
}

// F32-W-MOD-R-DLSE: check result 0: {{.*}}: ok
// F32-W-MOD-R-DLSE: check result 1: {{.*}}: ok
// F32-W-MOD-R-DLSE: check result 2: {{.*}}: ok
func.func @f32_w_mod_r_dlse(%q: tensor<1x97x5x16xf32>, %k: tensor<1x97x5x16xf32>, %v: tensor<1x97x5x16xf32>, %do: tensor<1x97x5x16xf32>, %dlse: tensor<1x97x5xf32>) -> (tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 10, 17>, dilation_rates = array<i64: 3, 5>, causal}
      : (tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>) -> (tensor<1x97x5x16xf32>, tensor<1x97x5xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 10, 17>, dilation_rates = array<i64: 3, 5>, causal}
      : (tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>, tensor<1x97x5xf32>, tensor<1x97x5x16xf32>, tensor<1x97x5xf32>) -> (tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>)
  return %dq, %dk, %dv : tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>, tensor<1x97x5x16xf32>
}

// F32-GROUPED-BATCH: check result 0: {{.*}}: ok
// F32-GROUPED-BATCH: check result 1: {{.*}}: ok
// F32-GROUPED-BATCH: check result 2: {{.*}}: ok
func.func @f32_grouped_batch(%q: tensor<2x128x4x16xf32>, %k: tensor<2x128x4x16xf32>, %v: tensor<2x128x4x16xf32>, %do: tensor<2x128x4x16xf32>) -> (tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 128>, dilation_rates = array<i64: 4, 2>, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>) -> (tensor<2x128x4x16xf32>, tensor<2x128x4xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 32, 128>, dilation_rates = array<i64: 4, 2>, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>, tensor<2x128x4xf32>, tensor<2x128x4x16xf32>) -> (tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>)
  return %dq, %dk, %dv : tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>, tensor<2x128x4x16xf32>
}

// F32-UNCOVERED-ROWS: check result 0: {{.*}}: ok
// F32-UNCOVERED-ROWS: check result 1: {{.*}}: ok
// F32-UNCOVERED-ROWS: check result 2: {{.*}}: ok
func.func @f32_uncovered_rows(%q: tensor<1x64x2x16xf32>, %k: tensor<1x64x2x16xf32>, %v: tensor<1x64x2x16xf32>, %do: tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 8>}
      : (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 8>}
      : (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2xf32>, tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>)
  return %dq, %dk, %dv : tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>
}

// F16-MIXTURE-CAUSAL-D64: check result 0: {{.*}}: ok
// F16-MIXTURE-CAUSAL-D64: check result 1: {{.*}}: ok
// F16-MIXTURE-CAUSAL-D64: check result 2: {{.*}}: ok
func.func @f16_mixture_causal_d64(%q: tensor<1x128x2x64xf16>, %k: tensor<1x128x2x64xf16>, %v: tensor<1x128x2x64xf16>, %do: tensor<1x128x2x64xf16>, %dlse: tensor<1x128x2xf32>) -> (tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64, 128>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>) -> (tensor<1x128x2x64xf16>, tensor<1x128x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 64, 128>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>, tensor<1x128x2xf32>, tensor<1x128x2x64xf16>, tensor<1x128x2xf32>) -> (tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>)
  return %dq, %dk, %dv : tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>, tensor<1x128x2x64xf16>
}

// F16-NONE-OFFSET-D128: check result 0: {{.*}}: ok
// F16-NONE-OFFSET-D128: check result 1: {{.*}}: ok
// F16-NONE-OFFSET-D128: check result 2: {{.*}}: ok
func.func @f16_none_offset_d128(%q: tensor<1x128x2x128xf16>, %k: tensor<1x128x2x128xf16>, %v: tensor<1x128x2x128xf16>, %do: tensor<1x128x2x128xf16>) -> (tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 2>, offset_mode = #longnet.offset_mode<none>}
      : (tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>) -> (tensor<1x128x2x128xf16>, tensor<1x128x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 2>, offset_mode = #longnet.offset_mode<none>}
      : (tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>, tensor<1x128x2xf32>, tensor<1x128x2x128xf16>) -> (tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>)
  return %dq, %dk, %dv : tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>
}

// BF16-W-BEYOND-N-D64: check result 0: {{.*}}: ok
// BF16-W-BEYOND-N-D64: check result 1: {{.*}}: ok
// BF16-W-BEYOND-N-D64: check result 2: {{.*}}: ok
func.func @bf16_w_beyond_n_d64(%q: tensor<1x100x2x64xbf16>, %k: tensor<1x100x2x64xbf16>, %v: tensor<1x100x2x64xbf16>, %do: tensor<1x100x2x64xbf16>, %dlse: tensor<1x100x2xf32>) -> (tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 256>, dilation_rates = array<i64: 2>, causal}
      : (tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>) -> (tensor<1x100x2x64xbf16>, tensor<1x100x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 256>, dilation_rates = array<i64: 2>, causal}
      : (tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>, tensor<1x100x2xf32>, tensor<1x100x2x64xbf16>, tensor<1x100x2xf32>) -> (tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>)
  return %dq, %dk, %dv : tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>, tensor<1x100x2x64xbf16>
}

// F64-ONE-BRANCH: check result 0: {{.*}}: ok
// F64-ONE-BRANCH: check result 1: {{.*}}: ok
// F64-ONE-BRANCH: check result 2: {{.*}}: ok
func.func @f64_one_branch(%q: tensor<1x96x2x16xf64>, %k: tensor<1x96x2x16xf64>, %v: tensor<1x96x2x16xf64>, %do: tensor<1x96x2x16xf64>) -> (tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32>, dilation_rates = array<i64: 2>}
      : (tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>) -> (tensor<1x96x2x16xf64>, tensor<1x96x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 32>, dilation_rates = array<i64: 2>}
      : (tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>, tensor<1x96x2xf32>, tensor<1x96x2x16xf64>) -> (tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>)
  return %dq, %dk, %dv : tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>, tensor<1x96x2x16xf64>
}

// F16-MULTI-TILE-CAUSAL-D128: check result 0: {{.*}}: ok
// F16-MULTI-TILE-CAUSAL-D128: check result 1: {{.*}}: ok
// F16-MULTI-TILE-CAUSAL-D128: check result 2: {{.*}}: ok
func.func @f16_multi_tile_causal_d128(%q: tensor<1x300x2x128xf16>, %k: tensor<1x300x2x128xf16>, %v: tensor<1x300x2x128xf16>, %do: tensor<1x300x2x128xf16>) -> (tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 256, 512>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>) -> (tensor<1x300x2x128xf16>, tensor<1x300x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 256, 512>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>, tensor<1x300x2xf32>, tensor<1x300x2x128xf16>) -> (tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>)
  return %dq, %dk, %dv : tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>, tensor<1x300x2x128xf16>
}

// BF16-MULTI-TILE-DLSE-D64: check result 0: {{.*}}: ok
// BF16-MULTI-TILE-DLSE-D64: check result 1: {{.*}}: ok
// BF16-MULTI-TILE-DLSE-D64: check result 2: {{.*}}: ok
func.func @bf16_multi_tile_dlse_d64(%q: tensor<2x260x3x64xbf16>, %k: tensor<2x260x3x64xbf16>, %v: tensor<2x260x3x64xbf16>, %do: tensor<2x260x3x64xbf16>, %dlse: tensor<2x260x3xf32>) -> (tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128, 260>, dilation_rates = array<i64: 1, 2>}
      : (tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>) -> (tensor<2x260x3x64xbf16>, tensor<2x260x3xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 128, 260>, dilation_rates = array<i64: 1, 2>}
      : (tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>, tensor<2x260x3xf32>, tensor<2x260x3x64xbf16>, tensor<2x260x3xf32>) -> (tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>)
  return %dq, %dk, %dv : tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>, tensor<2x260x3x64xbf16>
}

// F16-W-MOD-R-CAUSAL-D32: check result 0: {{.*}}: ok
// F16-W-MOD-R-CAUSAL-D32: check result 1: {{.*}}: ok
// F16-W-MOD-R-CAUSAL-D32: check result 2: {{.*}}: ok
func.func @f16_w_mod_r_causal_d32(%q: tensor<1x250x4x32xf16>, %k: tensor<1x250x4x32xf16>, %v: tensor<1x250x4x32xf16>, %do: tensor<1x250x4x32xf16>) -> (tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 100, 250>, dilation_rates = array<i64: 3, 5>, causal}
      : (tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>) -> (tensor<1x250x4x32xf16>, tensor<1x250x4xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 100, 250>, dilation_rates = array<i64: 3, 5>, causal}
      : (tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>, tensor<1x250x4xf32>, tensor<1x250x4x32xf16>) -> (tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>)
  return %dq, %dk, %dv : tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>, tensor<1x250x4x32xf16>
}

// BF16-STAGED-32-CAUSAL-D80: check result 0: {{.*}}: ok
// BF16-STAGED-32-CAUSAL-D80: check result 1: {{.*}}: ok
// BF16-STAGED-32-CAUSAL-D80: check result 2: {{.*}}: ok
func.func @bf16_staged_32_causal_d80(%q: tensor<1x200x1x80xbf16>, %k: tensor<1x200x1x80xbf16>, %v: tensor<1x200x1x80xbf16>, %do: tensor<1x200x1x80xbf16>) -> (tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 200>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>) -> (tensor<1x200x1x80xbf16>, tensor<1x200x1xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 200>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>, tensor<1x200x1xf32>, tensor<1x200x1x80xbf16>) -> (tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>)
  return %dq, %dk, %dv : tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>, tensor<1x200x1x80xbf16>
}

// F16-CUDA-CORES-D144: check result 0: {{.*}}: ok
// F16-CUDA-CORES-D144: check result 1: {{.*}}: ok
// F16-CUDA-CORES-D144: check result 2: {{.*}}: ok
func.func @f16_cuda_cores_d144(%q: tensor<1x48x1x144xf16>, %k: tensor<1x48x1x144xf16>, %v: tensor<1x48x1x144xf16>, %do: tensor<1x48x1x144xf16>) -> (tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 48>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>) -> (tensor<1x48x1x144xf16>, tensor<1x48x1xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 48>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>, tensor<1x48x1xf32>, tensor<1x48x1x144xf16>) -> (tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>)
  return %dq, %dk, %dv : tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>, tensor<1x48x1x144xf16>
}

// F16-THREE-BRANCHES-GROUPED-D16: check result 0: {{.*}}: ok
// F16-THREE-BRANCHES-GROUPED-D16: check result 1: {{.*}}: ok
// F16-THREE-BRANCHES-GROUPED-D16: check result 2: {{.*}}: ok
func.func @f16_three_branches_grouped_d16(%q: tensor<2x160x2x16xf16>, %k: tensor<2x160x2x16xf16>, %v: tensor<2x160x2x16xf16>, %do: tensor<2x160x2x16xf16>) -> (tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 64, 128>, dilation_rates = array<i64: 2, 4, 8>, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>) -> (tensor<2x160x2x16xf16>, tensor<2x160x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 32, 64, 128>, dilation_rates = array<i64: 2, 4, 8>, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>, tensor<2x160x2xf32>, tensor<2x160x2x16xf16>) -> (tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>)
  return %dq, %dk, %dv : tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>, tensor<2x160x2x16xf16>
}

// BF16-THREE-BRANCHES-CAUSAL-DLSE-D64: check result 0: {{.*}}: ok
// BF16-THREE-BRANCHES-CAUSAL-DLSE-D64: check result 1: {{.*}}: ok
// BF16-THREE-BRANCHES-CAUSAL-DLSE-D64: check result 2: {{.*}}: ok
func.func @bf16_three_branches_causal_dlse_d64(%q: tensor<1x256x4x64xbf16>, %k: tensor<1x256x4x64xbf16>, %v: tensor<1x256x4x64xbf16>, %do: tensor<1x256x4x64xbf16>, %dlse: tensor<1x256x4xf32>) -> (tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64, 128, 256>, dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>) -> (tensor<1x256x4x64xbf16>, tensor<1x256x4xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 64, 128, 256>, dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>, tensor<1x256x4xf32>, tensor<1x256x4x64xbf16>, tensor<1x256x4xf32>) -> (tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>)
  return %dq, %dk, %dv : tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>, tensor<1x256x4x64xbf16>
}

// F16-UNCOVERED-ROWS-D16: check result 0: {{.*}}: ok
// F16-UNCOVERED-ROWS-D16: check result 1: {{.*}}: ok
// F16-UNCOVERED-ROWS-D16: check result 2: {{.*}}: ok
func.func @f16_uncovered_rows_d16(%q: tensor<1x64x2x16xf16>, %k: tensor<1x64x2x16xf16>, %v: tensor<1x64x2x16xf16>, %do: tensor<1x64x2x16xf16>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 8>}
      : (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 8>}
      : (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2xf32>, tensor<1x64x2x16xf16>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>)
  return %dq, %dk, %dv : tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>
}
