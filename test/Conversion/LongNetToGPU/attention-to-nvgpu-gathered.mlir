// RUN: longnet-opt %s -longnet-convert-attention-to-nvgpu | FileCheck %s

// longnet.gathered_branch_attention on tensor cores: the keys are the dense
// rows of the gathered K/V (row j is key j, stride 1 from row 0), the causal
// key end and mask put query i at index query_base + i among the keys, and
// the queries and the merged output stay at the local rows o_h + i * r.

// CHECK-LABEL: func @gathered_f16
// CHECK-SAME: (%[[Q:[^:]*]]: memref<1x128x4x64xf16>, %[[K:[^:]*]]: memref<1x64x4x64xf16>, %[[V:[^:]*]]: memref<1x64x4x64xf16>, %[[O:[^:]*]]: memref<1x128x4x64xf32>, %[[L:[^:]*]]: memref<1x128x4xf32>, %[[BASE:[^:]*]]: index)
// The number of gathered keys M, read on the host.
// CHECK: %[[M:.*]] = memref.dim %[[K]], %{{.*}} : memref<1x64x4x64xf16>
// CHECK: gpu.launch
// Queries: rows of the local chunk at stride r = 4.
// CHECK: nvgpu.device_async_copy %[[Q]]
// Causal key end: min(M, query_base + qStart + 64).
// CHECK: %[[END_Q:.*]] = arith.addi %[[BASE]], %{{.*}} : index
// CHECK-NEXT: %[[KEY_END:.*]] = arith.minui %[[M]], %[[END_Q]] : index
// CHECK-NEXT: %{{.*}} = arith.constant 64 : index
// CHECK-NEXT: %{{.*}} = arith.ceildivui %[[KEY_END]], %{{.*}} : index
// Key rows: 0 + key * 1 (never the query's stride 4).
// CHECK: %[[KEY_ROW_OFS:.*]] = arith.muli %{{.*}}, %[[ONE:c1(_[0-9]+)?]] : index
// CHECK-NEXT: %[[KEY_ROW:.*]] = arith.addi %[[ZERO:c0(_[0-9]+)?]], %[[KEY_ROW_OFS]] : index
// CHECK: nvgpu.device_async_copy %[[K]][%{{.*}}, %[[KEY_ROW]], %{{.*}}, %{{.*}}]
// CHECK: nvgpu.device_async_copy %[[V]]
// The mask: key < M and key <= query_base + query.
// CHECK: %[[VISIBLE:.*]] = arith.cmpi ult, %[[KEY:.*]], %[[M]] : index
// CHECK-NEXT: %[[QUERY_KEY:.*]] = arith.addi %[[BASE]], %{{.*}} : index
// CHECK-NEXT: %[[CAUSAL:.*]] = arith.cmpi ule, %[[KEY]], %[[QUERY_KEY]] : index
// CHECK-NEXT: arith.andi %[[VISIBLE]], %[[CAUSAL]] : i1
// CHECK: nvgpu.mma.sync
// The epilogue merges into the local rows.
// CHECK: memref.load %[[L]]
// CHECK: memref.store %{{.*}}, %[[O]]
// CHECK: memref.store %{{.*}}, %[[L]]
func.func @gathered_f16(%q: memref<1x128x4x64xf16>, %k: memref<1x64x4x64xf16>, %v: memref<1x64x4x64xf16>,
                        %o: memref<1x128x4x64xf32>, %l: memref<1x128x4xf32>, %base: index) {
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x128x4x64xf16>, memref<1x64x4x64xf16>, memref<1x64x4x64xf16>)
    outs(%o, %l : memref<1x128x4x64xf32>, memref<1x128x4xf32>) query_base(%base) {dilation_rate = 4, causal}
  return
}
