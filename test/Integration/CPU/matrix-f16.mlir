// Correctness matrix, f16 and bf16 inputs (f32 accumulation) against the
// float64 reference on the same rounded inputs: max rel error <= 2e-2 of the
// largest reference value (the output is rounded to 10 or 7 mantissa bits).
// RUN: longnet-run %s --entry=f16_one_branch --check | FileCheck %s --check-prefix=F16-ONE-BRANCH
// RUN: longnet-run %s --entry=f16_mixture_causal --check | FileCheck %s --check-prefix=F16-MIXTURE-CAUSAL
// RUN: longnet-run %s --entry=f16_grouped_d80 --check | FileCheck %s --check-prefix=F16-GROUPED-D80
// RUN: longnet-run %s --entry=f16_dense_d128 --check | FileCheck %s --check-prefix=F16-DENSE-D128

// F16-ONE-BRANCH: check result 0: {{.*}}: ok
func.func @f16_one_branch(%q: tensor<1x256x4x64xf16>, %k: tensor<1x256x4x64xf16>, %v: tensor<1x256x4x64xf16>) -> tensor<1x256x4x64xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 1>}
      : (tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>, tensor<1x256x4x64xf16>) -> tensor<1x256x4x64xf16>
  return %o : tensor<1x256x4x64xf16>
}

// F16-MIXTURE-CAUSAL: check result 0: {{.*}}: ok
func.func @f16_mixture_causal(%q: tensor<2x200x3x16xf16>, %k: tensor<2x200x3x16xf16>, %v: tensor<2x200x3x16xf16>) -> tensor<2x200x3x16xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 64, 256>, dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<2x200x3x16xf16>, tensor<2x200x3x16xf16>, tensor<2x200x3x16xf16>) -> tensor<2x200x3x16xf16>
  return %o : tensor<2x200x3x16xf16>
}

// F16-GROUPED-D80: check result 0: {{.*}}: ok
// F16-GROUPED-D80-NEXT: check result 1: {{.*}}: ok
func.func @f16_grouped_d80(%q: tensor<1x150x4x80xf16>, %k: tensor<1x150x4x80xf16>, %v: tensor<1x150x4x80xf16>) -> (tensor<1x150x4x80xf16>, tensor<1x150x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 50, 100>, dilation_rates = array<i64: 3, 4>, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x150x4x80xf16>, tensor<1x150x4x80xf16>, tensor<1x150x4x80xf16>) -> (tensor<1x150x4x80xf16>, tensor<1x150x4xf32>)
  return %o, %l : tensor<1x150x4x80xf16>, tensor<1x150x4xf32>
}

// F16-DENSE-D128: check result 0: {{.*}}: ok
func.func @f16_dense_d128(%q: tensor<1x128x2x128xf16>, %k: tensor<1x128x2x128xf16>, %v: tensor<1x128x2x128xf16>) -> tensor<1x128x2x128xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128>, dilation_rates = array<i64: 1>, causal}
      : (tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>, tensor<1x128x2x128xf16>) -> tensor<1x128x2x128xf16>
  return %o : tensor<1x128x2x128xf16>
}
