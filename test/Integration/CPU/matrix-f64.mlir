// Correctness matrix, f64 inputs (f64 accumulation, 4-lane vectors) against
// the float64 reference.
// RUN: longnet-run %s --entry=f64_mixture --check | FileCheck %s --check-prefix=F64-MIXTURE

// F64-MIXTURE: check result 0: {{.*}}: ok
// F64-MIXTURE-NEXT: check result 1: {{.*}}: ok
func.func @f64_mixture(%q: tensor<1x130x3x20xf64>, %k: tensor<1x130x3x20xf64>, %v: tensor<1x130x3x20xf64>) -> (tensor<1x130x3x20xf64>, tensor<1x130x3xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 40>, dilation_rates = array<i64: 2, 5>, causal, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x130x3x20xf64>, tensor<1x130x3x20xf64>, tensor<1x130x3x20xf64>) -> (tensor<1x130x3x20xf64>, tensor<1x130x3xf32>)
  return %o, %l : tensor<1x130x3x20xf64>, tensor<1x130x3xf32>
}
