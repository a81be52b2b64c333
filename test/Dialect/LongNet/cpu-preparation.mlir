// RUN: longnet-opt %s -split-input-file -longnet-export-c-interface | FileCheck %s --check-prefix=EXPORT
// RUN: longnet-opt %s -split-input-file -longnet-interchange-matmuls | FileCheck %s --check-prefix=INTERCHANGE
// RUN: longnet-opt %s -split-input-file -longnet-approximate-math | FileCheck %s --check-prefix=APPROX
// RUN: longnet-opt %s -split-input-file -longnet-sequentialize-nested-parallel | FileCheck %s --check-prefix=SEQ

// -longnet-export-c-interface marks public functions with a body only.
// EXPORT-LABEL: func.func @public_with_body
// EXPORT-SAME: attributes {llvm.emit_c_interface}
// EXPORT-LABEL: func.func private @private_with_body
// EXPORT-NOT: llvm.emit_c_interface
// EXPORT-LABEL: func.func private @private_declaration
// EXPORT-NOT: llvm.emit_c_interface
// EXPORT-LABEL: func.func @second_public
// EXPORT-SAME: attributes {llvm.emit_c_interface, longnet.kept}
func.func @public_with_body(%a: memref<4xf32>) {
  return
}
func.func private @private_with_body(%a: memref<4xf32>) {
  return
}
func.func private @private_declaration(memref<4xf32>)
func.func @second_public(%a: memref<4xf32>) attributes {longnet.kept} {
  call @private_with_body(%a) : (memref<4xf32>) -> ()
  return
}

// -----

// -longnet-interchange-matmuls: matmul becomes a generic with loops
// (i, k, j), the reduction in the middle: A(i, k), B(k, j), C(i, j).
// INTERCHANGE-DAG: #[[A_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// INTERCHANGE-DAG: #[[B_MAP:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// INTERCHANGE-DAG: #[[C_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// INTERCHANGE-LABEL: func.func @matmul
// INTERCHANGE-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x16xf32>, %[[C:.*]]: tensor<4x16xf32>)
// INTERCHANGE-NOT: linalg.matmul
// INTERCHANGE: %[[R:.*]] = linalg.generic {indexing_maps = [#[[A_MAP]], #[[B_MAP]], #[[C_MAP]]], iterator_types = ["parallel", "reduction", "parallel"]}
// INTERCHANGE-SAME: ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[C]] : tensor<4x16xf32>)
// INTERCHANGE: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// INTERCHANGE-NEXT: %[[P:.*]] = arith.mulf %[[X]], %[[Y]] : f32
// INTERCHANGE-NEXT: %[[S:.*]] = arith.addf %[[ACC]], %[[P]] : f32
// INTERCHANGE-NEXT: linalg.yield %[[S]] : f32
// INTERCHANGE: return %[[R]]
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// Batch matmul: loops (b, i, k, j).
// INTERCHANGE-DAG: #[[A_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// INTERCHANGE-DAG: #[[B_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// INTERCHANGE-DAG: #[[C_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// INTERCHANGE-LABEL: func.func @batch_matmul
// INTERCHANGE-NOT: linalg.batch_matmul
// INTERCHANGE: linalg.generic {indexing_maps = [#[[A_MAP]], #[[B_MAP]], #[[C_MAP]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
// INTERCHANGE-SAME: ins(%{{.*}}, %{{.*}} : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%{{.*}} : tensor<2x4x16xf32>)
func.func @batch_matmul(%a: tensor<2x4x8xf32>, %b: tensor<2x8x16xf32>, %c: tensor<2x4x16xf32>) -> tensor<2x4x16xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%c : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  return %r : tensor<2x4x16xf32>
}

// -----

// Other linalg ops are left alone.
// INTERCHANGE-LABEL: func.func @not_a_matmul
// INTERCHANGE-NOT: linalg.generic
// INTERCHANGE: linalg.add
func.func @not_a_matmul(%a: tensor<4x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = linalg.add ins(%a, %a : tensor<4x8xf32>, tensor<4x8xf32>) outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// -longnet-approximate-math: f32 exp and log on vectors become polynomial
// arithmetic on the same vectors (no libm call per lane); f64 is left alone.
// APPROX-LABEL: func.func @softmax_math
// APPROX-SAME: (%[[X:.*]]: vector<8xf32>, %[[Y:.*]]: vector<4xf64>)
// APPROX-NOT: math.exp %[[X]]
// APPROX-NOT: math.log
// APPROX: math.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>
// APPROX-NOT: math.exp %[[X]]
// APPROX: %[[F64:.*]] = math.exp %[[Y]] : vector<4xf64>
// APPROX-NOT: math.log
// APPROX-NOT: math.exp
// APPROX: return %{{.*}}, %[[F64]], %{{.*}} : vector<8xf32>, vector<4xf64>, vector<8xf32>
func.func @softmax_math(%x: vector<8xf32>, %y: vector<4xf64>) -> (vector<8xf32>, vector<4xf64>, vector<8xf32>) {
  %e = math.exp %x : vector<8xf32>
  %f = math.exp %y : vector<4xf64>
  %l = math.log %x : vector<8xf32>
  return %e, %f, %l : vector<8xf32>, vector<4xf64>, vector<8xf32>
}

// -----

// -longnet-sequentialize-nested-parallel keeps the outermost scf.parallel of
// a nest and turns the ones inside it, at any depth, into scf.for; a
// top-level scf.parallel elsewhere stays parallel.
// SEQ-LABEL: func @nested_parallel
// SEQ: scf.parallel (%[[I:.*]]) =
// SEQ: scf.for %[[K:.*]] =
// SEQ: scf.for %[[J:.*]] =
// SEQ: memref.store %{{.*}}, %{{.*}}[%[[I]], %[[J]]]
// SEQ-NOT: scf.parallel
// SEQ: scf.reduce
// SEQ: scf.parallel (%[[T:.*]]) =
// SEQ: memref.store %{{.*}}, %{{.*}}[%[[T]], %[[T]]]
// SEQ: return
func.func @nested_parallel(%m: memref<8x8xf32>, %x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    scf.for %k = %c0 to %c8 step %c1 {
      scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
        memref.store %x, %m[%i, %j] : memref<8x8xf32>
      }
    }
  }
  scf.parallel (%t) = (%c0) to (%c8) step (%c1) {
    memref.store %x, %m[%t, %t] : memref<8x8xf32>
  }
  return
}
