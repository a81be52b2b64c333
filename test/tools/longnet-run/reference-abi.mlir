// The JIT resolves _mlir_ciface_longnet_reference_dilated_attention, the
// float64 reference that `longnet-lower-to-cpu{reference=1}` calls, to the
// one linked into longnet-run. Here it is called directly on memrefs: one
// dense branch (w >= N, r = 1, default scale), checked against softmax
// attention computed in Python.

// RUN: rm -rf %t && mkdir %t
// RUN: %python %S/Inputs/npy_tool.py write %t/q.npy '<f8' 1x6x2x4 \
// RUN:   0.8 -0.3 0.5 0.1 -0.7 0.2 0.9 -0.4 0.3 0.6 -0.8 0.7 0.1 -0.2 0.4 -0.9 \
// RUN:   0.5 0.8 -0.1 0.3 -0.6 0.9 0.2 -0.5 0.7 -0.4 0.6 0.2 -0.3 0.1 -0.9 0.8 \
// RUN:   0.4 -0.7 0.3 0.5 -0.2 0.6 -0.5 0.9 0.1 0.2 -0.6 -0.8 0.7 -0.1 0.3 0.4
// RUN: %python %S/Inputs/npy_tool.py write %t/k.npy '<f8' 1x6x2x4 ramp
// RUN: %python %S/Inputs/npy_tool.py write %t/v.npy '<f8' 1x6x2x4 \
// RUN:   1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 \
// RUN:   -1 -2 -3 -4 -5 -6 -7 -8 -9 -10 -11 -12 -13 -14 -15 -16 -17 -18 -19 -20 -21 -22 -23 -24
// RUN: longnet-run %s --inputs=%t/q.npy,%t/k.npy,%t/v.npy --output=%t/out.npy --threads=2 \
// RUN:   | FileCheck %s
// CHECK: result 0: tensor<1x6x2x4xf64>
// CHECK: result 1: tensor<1x6x2xf64>
// RUN: %python %S/Inputs/npy_tool.py attention %t/q.npy %t/k.npy %t/v.npy %t/out.npy 1e-12

!dyn4 = memref<?x?x?x?xf64, strided<[?, ?, ?, ?], offset: ?>>
!dyn3 = memref<?x?x?xf64, strided<[?, ?, ?], offset: ?>>
!dyn1 = memref<?xi64, strided<[?], offset: ?>>

func.func private @longnet_reference_dilated_attention(
    !dyn4, !dyn4, !dyn4, !dyn4, !dyn3, !dyn1, !dyn1, i64, f64, i64)
    attributes {llvm.emit_c_interface}

func.func @main(%q: tensor<1x6x2x4xf64>, %k: tensor<1x6x2x4xf64>,
                %v: tensor<1x6x2x4xf64>)
    -> (tensor<1x6x2x4xf64>, tensor<1x6x2xf64>) {
  %c0 = arith.constant 0 : index
  %w = arith.constant 8 : i64
  %r = arith.constant 1 : i64
  %zero = arith.constant 0 : i64
  %default_scale = arith.constant 0.0 : f64
  %qm = bufferization.to_buffer %q read_only
      : tensor<1x6x2x4xf64> to memref<1x6x2x4xf64>
  %km = bufferization.to_buffer %k read_only
      : tensor<1x6x2x4xf64> to memref<1x6x2x4xf64>
  %vm = bufferization.to_buffer %v read_only
      : tensor<1x6x2x4xf64> to memref<1x6x2x4xf64>
  %out = memref.alloc() : memref<1x6x2x4xf64>
  %lse = memref.alloc() : memref<1x6x2xf64>
  %lengths = memref.alloca() : memref<1xi64>
  %rates = memref.alloca() : memref<1xi64>
  memref.store %w, %lengths[%c0] : memref<1xi64>
  memref.store %r, %rates[%c0] : memref<1xi64>
  %q4 = memref.cast %qm : memref<1x6x2x4xf64> to !dyn4
  %k4 = memref.cast %km : memref<1x6x2x4xf64> to !dyn4
  %v4 = memref.cast %vm : memref<1x6x2x4xf64> to !dyn4
  %o4 = memref.cast %out : memref<1x6x2x4xf64> to !dyn4
  %l3 = memref.cast %lse : memref<1x6x2xf64> to !dyn3
  %w1 = memref.cast %lengths : memref<1xi64> to !dyn1
  %r1 = memref.cast %rates : memref<1xi64> to !dyn1
  func.call @longnet_reference_dilated_attention(
      %q4, %k4, %v4, %o4, %l3, %w1, %r1, %zero, %default_scale, %zero)
      : (!dyn4, !dyn4, !dyn4, !dyn4, !dyn3, !dyn1, !dyn1, i64, f64, i64) -> ()
  %o = bufferization.to_tensor %out restrict
      : memref<1x6x2x4xf64> to tensor<1x6x2x4xf64>
  %l = bufferization.to_tensor %lse restrict
      : memref<1x6x2xf64> to tensor<1x6x2xf64>
  return %o, %l : tensor<1x6x2x4xf64>, tensor<1x6x2xf64>
}
