// Linking needs liblongnet_runtime.so.
// RUN: not longnet-compile %s -o %t.so --target=cpu --runtime-dir=%t.nowhere 2>&1 | FileCheck %s
// CHECK: longnet-compile: error: cannot find the runtime library '{{.*}}nowhere/liblongnet_runtime.so' (pass --runtime-dir=DIR)

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
