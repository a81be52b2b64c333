// RUN: longnet-opt %s -longnet-host-buffers-to-gpu | FileCheck %s
// The input has no scf or arith op: the pass loads those dialects itself.

// A strided view is copied element by element in a parallel loop (a kernel
// once loops are mapped).
// CHECK-LABEL: func @strided
// CHECK-SAME: (%[[A:[a-z0-9_]+]]: memref<4x8xf32>, %[[B:[a-z0-9_]+]]: memref<4x4xf32>)
// CHECK: %[[VIEW:.*]] = memref.subview %[[A]]
// CHECK: %[[D0:.*]] = memref.dim %[[VIEW]], %{{.*}}
// CHECK: %[[D1:.*]] = memref.dim %[[VIEW]], %{{.*}}
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = (%{{.*}}, %{{.*}}) to (%[[D0]], %[[D1]]) step (%{{.*}}, %{{.*}}) {
// CHECK-NEXT: %[[X:.*]] = memref.load %[[VIEW]][%[[I]], %[[J]]] : memref<4x4xf32, strided<[8, 1]>>
// CHECK-NEXT: memref.store %[[X]], %[[B]][%[[I]], %[[J]]] : memref<4x4xf32>
// CHECK-NOT: memref.copy
// CHECK-NOT: gpu.memcpy
func.func @strided(%a: memref<4x8xf32>, %b: memref<4x4xf32>) {
  %v = memref.subview %a[0, 0] [4, 4] [1, 1] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 1]>>
  memref.copy %v, %b : memref<4x4xf32, strided<[8, 1]>> to memref<4x4xf32>
  return
}

