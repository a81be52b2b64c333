// RUN: longnet-opt %s -split-input-file -longnet-host-buffers-to-gpu | FileCheck %s

// Host allocations and copies of contiguous buffers go to the device API.
// CHECK-LABEL: func @contiguous
// CHECK-SAME: (%[[A:[a-z0-9_]+]]: memref<?x8xf32>, %[[N:[a-z0-9_]+]]: index)
// CHECK: %[[T:.*]] = gpu.alloc (%[[N]]) : memref<?x8xf32>
// CHECK-NEXT: gpu.memcpy %[[T]], %[[A]] : memref<?x8xf32>, memref<?x8xf32>
// CHECK-NEXT: gpu.dealloc %[[T]] : memref<?x8xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK-NOT: memref.dealloc
func.func @contiguous(%a: memref<?x8xf32>, %n: index) {
  %t = memref.alloc(%n) : memref<?x8xf32>
  memref.copy %a, %t : memref<?x8xf32> to memref<?x8xf32>
  memref.dealloc %t : memref<?x8xf32>
  return
}

// -----

// Allocations in kernels, and in parallel loops that will become kernels,
// stay as they are.
// CHECK-LABEL: func @in_kernels
// CHECK: gpu.launch
// CHECK-NEXT: memref.alloc() : memref<4xf32>
// CHECK: scf.parallel
// CHECK-NEXT: memref.alloc() : memref<4xf32>
// CHECK-NOT: gpu.alloc
func.func @in_kernels() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %t = memref.alloc() : memref<4xf32>
    memref.dealloc %t : memref<4xf32>
    gpu.terminator
  }
  scf.parallel (%i) = (%c0) to (%c1) step (%c1) {
    %t = memref.alloc() : memref<4xf32>
    memref.dealloc %t : memref<4xf32>
  }
  return
}
