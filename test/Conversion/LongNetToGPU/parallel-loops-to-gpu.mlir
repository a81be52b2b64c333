// RUN: longnet-opt %s -split-input-file -longnet-map-parallel-loops-to-gpu="block-size=64" | FileCheck %s
// RUN: not longnet-opt %s -split-input-file -longnet-map-parallel-loops-to-gpu="block-size=0" 2>&1 | FileCheck %s --check-prefix=BLOCK-SIZE
// BLOCK-SIZE: error: longnet-map-parallel-loops-to-gpu: block-size must be in [1, 1024], got 0

// A 2-d loop: one thread per iteration over the linearised space, innermost
// dimension fastest, guarded against empty spaces and the last partial block.
// CHECK-LABEL: func @copy2d
// CHECK-SAME: (%[[A:[a-z0-9_]+]]: memref<?x8xf32>, %[[B:[a-z0-9_]+]]: memref<?x8xf32>)
// CHECK: %[[N:.*]] = memref.dim %[[A]]
// CHECK: %[[TRIPS0:.*]] = arith.ceildivui %{{.*}}, %{{.*}} : index
// CHECK: %[[TRIPS1:.*]] = arith.ceildivui %{{.*}}, %{{.*}} : index
// CHECK: %[[TOTAL:.*]] = arith.muli %{{.*}}, %[[TRIPS1]] : index
// CHECK: %[[BLOCK:.*]] = arith.constant 64 : index
// CHECK: %[[NON_EMPTY:.*]] = arith.cmpi ugt, %[[TOTAL]], %{{.*}} : index
// CHECK-NEXT: scf.if %[[NON_EMPTY]] {
// CHECK-NEXT: %[[GRID:.*]] = arith.ceildivui %[[TOTAL]], %[[BLOCK]] : index
// CHECK-NEXT: gpu.launch blocks(%[[BX:[a-z0-9_]+]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[GRID]], %{{.*}} = %[[ONE:[a-z0-9_]+]], %{{.*}} = %[[ONE]]) threads(%[[TX:[a-z0-9_]+]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[BLOCK]], %{{.*}} = %[[ONE]], %{{.*}} = %[[ONE]]) {
// CHECK-NEXT: %[[BASE:.*]] = arith.muli %[[BX]], %[[BLOCK]] : index
// CHECK-NEXT: %[[ID:.*]] = arith.addi %[[BASE]], %[[TX]] : index
// CHECK-NEXT: %[[IN_RANGE:.*]] = arith.cmpi ult, %[[ID]], %[[TOTAL]] : index
// CHECK-NEXT: scf.if %[[IN_RANGE]] {
// CHECK-NEXT: %[[POS1:.*]] = arith.remui %[[ID]], %[[TRIPS1]] : index
// CHECK-NEXT: %[[REST:.*]] = arith.divui %[[ID]], %[[TRIPS1]] : index
// CHECK-NEXT: %[[STEP1:.*]] = arith.muli %[[POS1]], %{{.*}} : index
// CHECK-NEXT: %[[J:.*]] = arith.addi %{{.*}}, %[[STEP1]] : index
// CHECK-NEXT: %[[POS0:.*]] = arith.remui %[[REST]], %[[TRIPS0]] : index
// CHECK-NEXT: arith.divui %[[REST]], %[[TRIPS0]] : index
// CHECK-NEXT: %[[STEP0:.*]] = arith.muli %[[POS0]], %{{.*}} : index
// CHECK-NEXT: %[[I:.*]] = arith.addi %{{.*}}, %[[STEP0]] : index
// CHECK-NEXT: %[[X:.*]] = memref.load %[[A]][%[[I]], %[[J]]] : memref<?x8xf32>
// CHECK-NEXT: memref.store %[[X]], %[[B]][%[[I]], %[[J]]] : memref<?x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: gpu.terminator
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @copy2d(%a: memref<?x8xf32>, %b: memref<?x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %n = memref.dim %a, %c0 : memref<?x8xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %c8) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<?x8xf32>
    memref.store %x, %b[%i, %j] : memref<?x8xf32>
  }
  return
}

// -----

// Only the outermost loop becomes a kernel; the nested one is cloned into
// it, and loops already in a gpu.launch are left alone.
// CHECK-LABEL: func @nested
// CHECK: gpu.launch
// CHECK: scf.parallel
// CHECK: gpu.terminator
// CHECK: gpu.launch
// CHECK-NEXT: scf.parallel
// CHECK: gpu.terminator
// CHECK: return
func.func @nested(%a: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
      memref.store %f, %a[%i, %j] : memref<4x4xf32>
    }
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
      memref.store %f, %a[%c0, %j] : memref<4x4xf32>
    }
    gpu.terminator
  }
  return
}
