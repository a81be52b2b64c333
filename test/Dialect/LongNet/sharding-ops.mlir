// RUN: longnet-opt %s -split-input-file | FileCheck %s
// Round trip through the generic form must give the same custom form.
// RUN: longnet-opt %s -split-input-file -mlir-print-op-generic | longnet-opt -split-input-file | FileCheck %s
// RUN: longnet-opt %s -split-input-file -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// The ops of the sharded (sequence-parallel) level: process_rank,
// segment_all_gather and gathered_branch_attention, in tensor and memref form.

// CHECK-LABEL: func @process_rank
// CHECK: %[[P:.*]] = longnet.process_rank : index
// CHECK: return %[[P]] : index
// GENERIC-LABEL: sym_name = "process_rank"
// GENERIC: %{{.*}} = "longnet.process_rank"() : () -> index
func.func @process_rank() -> index {
  %p = longnet.process_rank : index
  return %p : index
}

// -----

// CHECK-LABEL: func @all_gather_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x4x16xf16>, %[[INIT:.*]]: tensor<1x64x4x16xf16>)
// CHECK: %[[G:.*]] = longnet.segment_all_gather ins(%[[X]] : tensor<1x16x4x16xf16>) outs(%[[INIT]] : tensor<1x64x4x16xf16>) {group_size = 4 : i64} -> tensor<1x64x4x16xf16>
// CHECK: return %[[G]]
// GENERIC-LABEL: sym_name = "all_gather_tensor"
// GENERIC: "longnet.segment_all_gather"(%{{.*}}, %{{.*}}) <{group_size = 4 : i64}> : (tensor<1x16x4x16xf16>, tensor<1x64x4x16xf16>) -> tensor<1x64x4x16xf16>
func.func @all_gather_tensor(%x: tensor<1x16x4x16xf16>, %init: tensor<1x64x4x16xf16>) -> tensor<1x64x4x16xf16> {
  %g = longnet.segment_all_gather ins(%x : tensor<1x16x4x16xf16>) outs(%init : tensor<1x64x4x16xf16>) {group_size = 4} -> tensor<1x64x4x16xf16>
  return %g : tensor<1x64x4x16xf16>
}

// -----

// CHECK-LABEL: func @all_gather_memref
// CHECK-SAME: (%[[X:.*]]: memref<2x8x4x16xf32>, %[[INIT:.*]]: memref<2x16x4x16xf32>)
// CHECK: longnet.segment_all_gather ins(%[[X]] : memref<2x8x4x16xf32>) outs(%[[INIT]] : memref<2x16x4x16xf32>) {group_size = 2 : i64}{{$}}
// CHECK-NEXT: return
// GENERIC-LABEL: sym_name = "all_gather_memref"
// GENERIC: "longnet.segment_all_gather"(%{{.*}}, %{{.*}}) <{group_size = 2 : i64}> : (memref<2x8x4x16xf32>, memref<2x16x4x16xf32>) -> ()
func.func @all_gather_memref(%x: memref<2x8x4x16xf32>, %init: memref<2x16x4x16xf32>) {
  longnet.segment_all_gather ins(%x : memref<2x8x4x16xf32>) outs(%init : memref<2x16x4x16xf32>) {group_size = 2}
  return
}

// -----

// Group size 1 (a segment held by one device) and dynamic rows are valid.
// CHECK-LABEL: func @all_gather_dynamic
// CHECK: longnet.segment_all_gather ins(%{{.*}} : memref<?x?x?x?xbf16>) outs(%{{.*}} : memref<?x?x?x?xbf16>) {group_size = 1 : i64}
// GENERIC-LABEL: sym_name = "all_gather_dynamic"
// GENERIC: "longnet.segment_all_gather"(%{{.*}}, %{{.*}}) <{group_size = 1 : i64}> : (memref<?x?x?x?xbf16>, memref<?x?x?x?xbf16>) -> ()
func.func @all_gather_dynamic(%x: memref<?x?x?x?xbf16>, %init: memref<?x?x?x?xbf16>) {
  longnet.segment_all_gather ins(%x : memref<?x?x?x?xbf16>) outs(%init : memref<?x?x?x?xbf16>) {group_size = 1}
  return
}

// -----

// Tensor form: results typed like the outs operands; the key rows M (64)
// differ from the local rows l (32).
// CHECK-LABEL: func @gathered_tensor
// CHECK-SAME: (%[[Q:.*]]: tensor<1x32x4x16xf16>, %[[K:.*]]: tensor<1x64x4x16xf16>, %[[V:.*]]: tensor<1x64x4x16xf16>, %[[O:.*]]: tensor<1x32x4x16xf32>, %[[L:.*]]: tensor<1x32x4xf32>, %[[BASE:.*]]: index)
// CHECK: %[[R:.*]]:2 = longnet.gathered_branch_attention ins(%[[Q]], %[[K]], %[[V]] : tensor<1x32x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>) outs(%[[O]], %[[L]] : tensor<1x32x4x16xf32>, tensor<1x32x4xf32>) query_base(%[[BASE]])
// CHECK-SAME: {causal, dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<grouped>, scale = 2.500000e-01 : f32} -> tensor<1x32x4x16xf32>, tensor<1x32x4xf32>
// CHECK: return %[[R]]#0, %[[R]]#1
// GENERIC-LABEL: sym_name = "gathered_tensor"
// GENERIC: "longnet.gathered_branch_attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{causal, dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<grouped>, scale = 2.500000e-01 : f32}> : (tensor<1x32x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x32x4x16xf32>, tensor<1x32x4xf32>, index) -> (tensor<1x32x4x16xf32>, tensor<1x32x4xf32>)
func.func @gathered_tensor(%q: tensor<1x32x4x16xf16>, %k: tensor<1x64x4x16xf16>, %v: tensor<1x64x4x16xf16>,
                           %o: tensor<1x32x4x16xf32>, %l: tensor<1x32x4xf32>, %base: index) -> (tensor<1x32x4x16xf32>, tensor<1x32x4xf32>) {
  %r:2 = longnet.gathered_branch_attention ins(%q, %k, %v : tensor<1x32x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>)
           outs(%o, %l : tensor<1x32x4x16xf32>, tensor<1x32x4xf32>) query_base(%base)
           {dilation_rate = 2, causal, scale = 0.25 : f32, offset_mode = #longnet.offset_mode<grouped>}
           -> tensor<1x32x4x16xf32>, tensor<1x32x4xf32>
  return %r#0, %r#1 : tensor<1x32x4x16xf32>, tensor<1x32x4xf32>
}

// -----

// Memref form: no result; the default offset mode is elided in the custom
// form and spelled out in the generic one.
// CHECK-LABEL: func @gathered_memref
// CHECK-SAME: (%[[Q:.*]]: memref<1x32x4x16xf32>, %[[K:.*]]: memref<1x64x4x16xf32>, %[[V:.*]]: memref<1x64x4x16xf32>, %[[O:.*]]: memref<1x32x4x16xf32>, %[[L:.*]]: memref<1x32x4xf32>, %[[BASE:.*]]: index)
// CHECK: longnet.gathered_branch_attention ins(%[[Q]], %[[K]], %[[V]] : memref<1x32x4x16xf32>, memref<1x64x4x16xf32>, memref<1x64x4x16xf32>) outs(%[[O]], %[[L]] : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%[[BASE]]) {dilation_rate = 1 : i64}{{$}}
// CHECK-NEXT: return
// GENERIC-LABEL: sym_name = "gathered_memref"
// GENERIC: "longnet.gathered_branch_attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{dilation_rate = 1 : i64, offset_mode = #longnet.offset_mode<cyclic>}> : (memref<1x32x4x16xf32>, memref<1x64x4x16xf32>, memref<1x64x4x16xf32>, memref<1x32x4x16xf32>, memref<1x32x4xf32>, index) -> ()
func.func @gathered_memref(%q: memref<1x32x4x16xf32>, %k: memref<1x64x4x16xf32>, %v: memref<1x64x4x16xf32>,
                           %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf32>, memref<1x64x4x16xf32>, memref<1x64x4x16xf32>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 1}
  return
}

// -----

// f64 inputs with f64 accumulators and dynamic dimensions.
// CHECK-LABEL: func @gathered_dynamic_f64
// CHECK: longnet.gathered_branch_attention ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?x?xf64>) outs(%{{.*}}, %{{.*}} : memref<?x?x?x?xf64>, memref<?x?x?xf64>) query_base(%{{.*}}) {dilation_rate = 4 : i64, offset_mode = #longnet.offset_mode<none>}
// GENERIC-LABEL: sym_name = "gathered_dynamic_f64"
// GENERIC: "longnet.gathered_branch_attention"{{.*}}<{dilation_rate = 4 : i64, offset_mode = #longnet.offset_mode<none>}>
func.func @gathered_dynamic_f64(%q: memref<?x?x?x?xf64>, %k: memref<?x?x?x?xf64>, %v: memref<?x?x?x?xf64>,
                                %o: memref<?x?x?x?xf64>, %l: memref<?x?x?xf64>, %base: index) {
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?x?xf64>)
    outs(%o, %l : memref<?x?x?x?xf64>, memref<?x?x?xf64>) query_base(%base)
    {dilation_rate = 4, offset_mode = #longnet.offset_mode<none>}
  return
}
