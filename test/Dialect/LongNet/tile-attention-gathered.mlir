// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-tile-attention="query-tile=48 key-tile=48 vector-width=8" | FileCheck %s

// longnet.gathered_branch_attention: the queries are rows o_h + i * r of the
// local chunk (one segment: the whole chunk), the keys are the dense rows of
// the gathered K/V (row j is key j, no dilation), and the causal comparison
// puts query i at index query_base + i among the keys.

// CHECK-LABEL: func @gathered_causal
// CHECK-SAME: (%[[Q:.*]]: memref<1x32x4x16xf32>, %[[K:.*]]: memref<1x16x4x16xf32>, %[[V:.*]]: memref<1x16x4x16xf32>, %[[O:.*]]: memref<1x32x4x16xf32>, %[[L:.*]]: memref<1x32x4xf32>, %[[BASE:.*]]: index)
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[N:.*]] = memref.dim %[[Q]], %[[C1]] : memref<1x32x4x16xf32>
// CHECK: %[[R:.*]] = arith.constant 4 : index
// The single "segment" is the local chunk: its length is the query's rows.
// CHECK: %[[SEG_ROWS:.*]] = arith.minui %[[N]], %[[N]] : index
// Queries o_h + i * r for i < l / r; keys: the M gathered rows, from 0 with
// stride 1.
// CHECK: scf.parallel (%[[BI:.*]], %[[HI:.*]], %[[SI:.*]], %[[TI:.*]]) =
// CHECK: %[[M:.*]] = memref.dim %[[K]], %{{.*}} : memref<1x16x4x16xf32>
// CHECK-NEXT: %[[ROW_BASE:.*]] = arith.remui %[[HI]], %[[R]] : index
// CHECK-NEXT: %[[NUM_SEL:.*]] = arith.divui %[[N]], %[[R]] : index
// CHECK-NEXT: %[[KEY_ROW_BASE:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[KEY_RATE:.*]] = arith.constant 1 : index
// CHECK: %[[Q_START:.*]] = arith.muli %[[TI]], %{{.*}} : index
// CHECK-NEXT: arith.cmpi ult, %[[Q_START]], %[[NUM_SEL]] : index
// CHECK: scf.if
// CHECK: %[[NUM_Q:.*]] = arith.minui %{{.*}}, %{{.*}} : index
// The causal key end is min(M, query_base + (qStart + numQ)).
// CHECK: %[[END_Q:.*]] = arith.addi %[[Q_START]], %[[NUM_Q]] : index
// CHECK-NEXT: %[[BASE_END:.*]] = arith.addi %[[BASE]], %[[END_Q]] : index
// CHECK-NEXT: %[[KEY_END:.*]] = arith.minui %[[M]], %[[BASE_END]] : index
// Queries are staged from the dilated rows o_h + (qStart + i) * r.
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[NUM_Q]] step
// CHECK-NEXT: %[[QI:.*]] = arith.addi %[[Q_START]], %[[I]] : index
// CHECK-NEXT: %[[QOFS:.*]] = arith.muli %[[QI]], %[[R]] : index
// CHECK-NEXT: %[[QROW:.*]] = arith.addi %[[ROW_BASE]], %[[QOFS]] : index
// CHECK: memref.load %[[Q]][%[[BI]], %[[QROW]], %[[HI]], %{{.*}}]
// Key tile: row keyStart + j of K and V, times 1 (never r), from row 0.
// CHECK: scf.for %[[KS:.*]] = %{{.*}} to %[[KEY_END]] step
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT: %[[KJ:.*]] = arith.addi %[[KS]], %[[J]] : index
// CHECK-NEXT: %[[KOFS:.*]] = arith.muli %[[KJ]], %[[KEY_RATE]] : index
// CHECK-NEXT: %[[KROW:.*]] = arith.addi %[[KEY_ROW_BASE]], %[[KOFS]] : index
// CHECK: vector.transfer_read %[[K]][%[[BI]], %[[KROW]], %[[HI]], %{{.*}}]
// CHECK: vector.transfer_read %[[V]][%[[BI]], %[[KROW]], %[[HI]], %{{.*}}]
// Diagonal test and mask: the tile's first query is query_base + qStart,
// the vector of queries query_base + qStart + i + lane, keys keyStart + j <= it.
// CHECK: %[[LAST_KEY:.*]] = arith.subi %{{.*}}, %{{.*}} : index
// CHECK-NEXT: %[[FIRST_IN_KEYS:.*]] = arith.addi %[[BASE]], %[[Q_START]] : index
// CHECK-NEXT: %[[DIAG:.*]] = arith.cmpi ugt, %[[LAST_KEY]], %[[FIRST_IN_KEYS]] : index
// CHECK-NEXT: scf.if %[[DIAG]] {
// CHECK: %[[STEP:.*]] = vector.step : vector<8xindex>
// CHECK-NEXT: %[[QV:.*]] = arith.addi %[[Q_START]], %{{.*}} : index
// CHECK-NEXT: %[[QK:.*]] = arith.addi %[[BASE]], %[[QV]] : index
// CHECK-NEXT: %[[QB:.*]] = vector.broadcast %[[QK]] : index to vector<8xindex>
// CHECK-NEXT: %[[QUERIES:.*]] = arith.addi %[[QB]], %[[STEP]] : vector<8xindex>
// CHECK: %[[KEY:.*]] = arith.addi %[[KS]], %{{.*}} : index
// CHECK-NEXT: %[[KEYV:.*]] = vector.broadcast %[[KEY]] : index to vector<8xindex>
// CHECK-NEXT: arith.cmpi ule, %[[KEYV]], %[[QUERIES]] : vector<8xindex>
// Epilogue: merged into out/lse at the query rows o_h + (qStart + i) * r.
// CHECK: scf.for %[[EI:.*]] = %{{.*}} to %[[NUM_Q]] step
// CHECK-NEXT: %[[EQ:.*]] = arith.addi %[[Q_START]], %[[EI]] : index
// CHECK-NEXT: %[[EOFS:.*]] = arith.muli %[[EQ]], %[[R]] : index
// CHECK-NEXT: %[[EROW:.*]] = arith.addi %[[ROW_BASE]], %[[EOFS]] : index
// CHECK: %[[OLD_LSE:.*]] = memref.load %[[L]][%[[BI]], %[[EROW]], %[[HI]]] : memref<1x32x4xf32>
// CHECK: memref.load %[[O]][%[[BI]], %[[EROW]], %[[HI]], %{{.*}}] : memref<1x32x4x16xf32>
// CHECK: memref.store %{{.*}}, %[[O]][%[[BI]], %[[EROW]], %[[HI]], %{{.*}}] : memref<1x32x4x16xf32>
// CHECK: memref.store %{{.*}}, %[[L]][%[[BI]], %[[EROW]], %[[HI]]] : memref<1x32x4xf32>
// CHECK-NOT: longnet.gathered_branch_attention
func.func @gathered_causal(%q: memref<1x32x4x16xf32>, %k: memref<1x16x4x16xf32>, %v: memref<1x16x4x16xf32>,
                           %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf32>, memref<1x16x4x16xf32>, memref<1x16x4x16xf32>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 4, causal}
  return
}

// -----

// Not causal: all M gathered keys are visited and no mask is built.
// CHECK-LABEL: func @gathered_full
// CHECK-SAME: %[[K:[^:]*]]: memref<1x64x4x16xf16>
// CHECK: %[[M:.*]] = memref.dim %[[K]], %{{.*}} : memref<1x64x4x16xf16>
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[M]] step
// CHECK-NOT: arith.cmpi ule
// CHECK: return
func.func @gathered_full(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>,
                         %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

// The tensor form must be bufferized first.
func.func @gathered_tensor(%q: tensor<1x32x4x16xf32>, %k: tensor<1x16x4x16xf32>, %o: tensor<1x32x4x16xf32>, %l: tensor<1x32x4xf32>, %base: index) -> tensor<1x32x4x16xf32> {
  // expected-error @+1 {{'longnet.gathered_branch_attention' op must be bufferized before longnet-tile-attention}}
  %r:2 = longnet.gathered_branch_attention ins(%q, %k, %k : tensor<1x32x4x16xf32>, tensor<1x16x4x16xf32>, tensor<1x16x4x16xf32>)
    outs(%o, %l : tensor<1x32x4x16xf32>, tensor<1x32x4xf32>) query_base(%base) {dilation_rate = 4, causal} -> tensor<1x32x4x16xf32>, tensor<1x32x4xf32>
  return %r#0 : tensor<1x32x4x16xf32>
}
