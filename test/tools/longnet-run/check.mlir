// --check compares every result with the module lowered with reference=1
// (identical here: there is no longnet op), prints one line per result and
// fails on NaN or on an error beyond tolerance.

// RUN: longnet-run %s --entry=add --check | FileCheck %s --check-prefix=PASS
// PASS: result 0: tensor<4x8xf32>
// PASS-NEXT: result 1: tensor<4x8xf16>
// PASS-NEXT: check result 0: max abs error 0.000e+00, max rel error 0.000e+00 (atol 0, rtol 0.0001): ok
// PASS-NEXT: check result 1: max abs error 0.000e+00, max rel error 0.000e+00 (atol 0, rtol 0.02): ok

// RUN: longnet-run %s --entry=add --check --atol=1e-3 --rtol=0.5 | FileCheck %s --check-prefix=TOLERANCE
// TOLERANCE: check result 0: {{.*}} (atol 0.001, rtol 0.5): ok
// TOLERANCE: check result 1: {{.*}} (atol 0.001, rtol 0.5): ok

// RUN: not longnet-run %s --entry=nan --check 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: check result 0: max abs error 0.000e+00, max rel error 0.000e+00, NaN 4 (reference 4) (atol 0, rtol 0.0001): FAILED
// NAN-NEXT: longnet-run: error: --check failed: result 0 (tensor<4xf32>) has NaN values

func.func @add(%a: tensor<4x8xf32>, %b: tensor<4x8xf16>)
    -> (tensor<4x8xf32>, tensor<4x8xf16>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %s = linalg.add ins(%a, %a : tensor<4x8xf32>, tensor<4x8xf32>)
                  outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %eh = tensor.empty() : tensor<4x8xf16>
  %h = linalg.mul ins(%b, %b : tensor<4x8xf16>, tensor<4x8xf16>)
                  outs(%eh : tensor<4x8xf16>) -> tensor<4x8xf16>
  return %s, %h : tensor<4x8xf32>, tensor<4x8xf16>
}

// 0 / 0 in every element.
func.func @nan(%a: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %z = linalg.sub ins(%a, %a : tensor<4xf32>, tensor<4xf32>)
                  outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4xf32>
  %n = linalg.div ins(%z, %z : tensor<4xf32>, tensor<4xf32>)
                  outs(%e2 : tensor<4xf32>) -> tensor<4xf32>
  return %n : tensor<4xf32>
}
