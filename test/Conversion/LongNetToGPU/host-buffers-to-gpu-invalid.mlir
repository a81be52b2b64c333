// RUN: longnet-opt %s -verify-diagnostics -longnet-host-buffers-to-gpu

memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>

func.func @constant_global() -> memref<4xf32> {
  // expected-error @+1 {{'memref.get_global' op reads a constant global in host code, which a GPU model cannot pass to its kernels yet; pass the constant as an argument}}
  %g = memref.get_global @table : memref<4xf32>
  return %g : memref<4xf32>
}
