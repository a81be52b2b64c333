// Correctness matrix, bf16 inputs (f32 accumulation) against the float64
// reference: max rel error <= 2e-2.
// RUN: longnet-run %s --entry=bf16_mixture --check | FileCheck %s --check-prefix=BF16-MIXTURE

// BF16-MIXTURE: check result 0: {{.*}}: ok
// BF16-MIXTURE-NEXT: check result 1: {{.*}}: ok
func.func @bf16_mixture(%q: tensor<1x192x4x64xbf16>, %k: tensor<1x192x4x64xbf16>, %v: tensor<1x192x4x64xbf16>) -> (tensor<1x192x4x64xbf16>, tensor<1x192x4xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64, 192>, dilation_rates = array<i64: 1, 3>, causal}
      : (tensor<1x192x4x64xbf16>, tensor<1x192x4x64xbf16>, tensor<1x192x4x64xbf16>) -> (tensor<1x192x4x64xbf16>, tensor<1x192x4xf32>)
  return %o, %l : tensor<1x192x4x64xbf16>, tensor<1x192x4xf32>
}
