// --bench R: one warm-up call, then R timed calls; the median, min and max.
// With no longnet.dilated_attention there is no token or FLOP count.

// RUN: longnet-run %s --bench 3 --threads 1 | FileCheck %s
// CHECK: result 0: tensor<64x64xf32>
// CHECK-NEXT: median {{[0-9]+\.[0-9][0-9][0-9]}} ms (min {{[0-9]+\.[0-9][0-9][0-9]}} ms, max {{[0-9]+\.[0-9][0-9][0-9]}} ms, 3 runs after 1 warm-up)
// CHECK-NEXT: tokens/s n/a, GFLOP/s n/a (the entry runs no longnet.dilated_attention)

func.func @main(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>)
    -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<64x64xf32>)
      -> tensor<64x64xf32>
  %c = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>)
                     outs(%acc : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %c : tensor<64x64xf32>
}
