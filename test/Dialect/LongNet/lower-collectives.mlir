// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-lower-collectives | FileCheck %s

// Memref segment_all_gather becomes a call of the runtime's
// longnet_segment_all_gather_<type>(send, recv, group_size) through the C
// interface (fully dynamic memref descriptors); process_rank becomes
// longnet_comm_rank(). Declarations are private and created once.

// CHECK-DAG: func.func private @longnet_segment_all_gather_f32(memref<?x?x?x?xf32>, memref<?x?x?x?xf32>, i64) attributes {llvm.emit_c_interface}
// CHECK-DAG: func.func private @longnet_segment_all_gather_f16(memref<?x?x?x?xf16>, memref<?x?x?x?xf16>, i64) attributes {llvm.emit_c_interface}
// CHECK-DAG: func.func private @longnet_comm_rank() -> i64{{$}}
// CHECK-LABEL: func @gathers
// CHECK-SAME: (%[[X16:.*]]: memref<1x8x4x16xf16>, %[[I16:.*]]: memref<1x16x4x16xf16>, %[[X32:.*]]: memref<2x4x4x16xf32>, %[[I32:.*]]: memref<2x16x4x16xf32>)
// CHECK: %[[RANK:.*]] = call @longnet_comm_rank() : () -> i64
// CHECK-NEXT: %[[P:.*]] = arith.index_cast %[[RANK]] : i64 to index
// CHECK-NEXT: %[[SEND16:.*]] = memref.cast %[[X16]] : memref<1x8x4x16xf16> to memref<?x?x?x?xf16>
// CHECK-NEXT: %[[RECV16:.*]] = memref.cast %[[I16]] : memref<1x16x4x16xf16> to memref<?x?x?x?xf16>
// CHECK-NEXT: %[[G2:.*]] = arith.constant 2 : i64
// CHECK-NEXT: call @longnet_segment_all_gather_f16(%[[SEND16]], %[[RECV16]], %[[G2]]) : (memref<?x?x?x?xf16>, memref<?x?x?x?xf16>, i64) -> ()
// CHECK-NEXT: %[[SEND32:.*]] = memref.cast %[[X32]] : memref<2x4x4x16xf32> to memref<?x?x?x?xf32>
// CHECK-NEXT: %[[RECV32:.*]] = memref.cast %[[I32]] : memref<2x16x4x16xf32> to memref<?x?x?x?xf32>
// CHECK-NEXT: %[[G4:.*]] = arith.constant 4 : i64
// CHECK-NEXT: call @longnet_segment_all_gather_f32(%[[SEND32]], %[[RECV32]], %[[G4]]) : (memref<?x?x?x?xf32>, memref<?x?x?x?xf32>, i64) -> ()
// The third gather reuses the f16 declaration.
// CHECK: call @longnet_segment_all_gather_f16(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<?x?x?x?xf16>, memref<?x?x?x?xf16>, i64) -> ()
// CHECK-NOT: longnet.
// CHECK: return %[[P]] : index
func.func @gathers(%x16: memref<1x8x4x16xf16>, %i16: memref<1x16x4x16xf16>, %x32: memref<2x4x4x16xf32>, %i32: memref<2x16x4x16xf32>) -> index {
  %p = longnet.process_rank : index
  longnet.segment_all_gather ins(%x16 : memref<1x8x4x16xf16>) outs(%i16 : memref<1x16x4x16xf16>) {group_size = 2}
  longnet.segment_all_gather ins(%x32 : memref<2x4x4x16xf32>) outs(%i32 : memref<2x16x4x16xf32>) {group_size = 4}
  longnet.segment_all_gather ins(%x16 : memref<1x8x4x16xf16>) outs(%i16 : memref<1x16x4x16xf16>) {group_size = 2}
  return %p : index
}

// -----

// Dynamic shapes are passed through the descriptors (the cast is a no-op
// type-wise); bf16 and f64 select their own entry points.
// CHECK-DAG: func.func private @longnet_segment_all_gather_bf16(memref<?x?x?x?xbf16>, memref<?x?x?x?xbf16>, i64) attributes {llvm.emit_c_interface}
// CHECK-DAG: func.func private @longnet_segment_all_gather_f64(memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, i64) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func @other_types
// CHECK: memref.cast %{{.*}} : memref<?x?x?x?xbf16> to memref<?x?x?x?xbf16>
// CHECK: call @longnet_segment_all_gather_bf16
// CHECK: %[[G8:.*]] = arith.constant 8 : i64
// CHECK-NEXT: call @longnet_segment_all_gather_f64(%{{.*}}, %{{.*}}, %[[G8]])
func.func @other_types(%x: memref<?x?x?x?xbf16>, %i: memref<?x?x?x?xbf16>, %y: memref<1x2x2x8xf64>, %j: memref<1x16x2x8xf64>) {
  longnet.segment_all_gather ins(%x : memref<?x?x?x?xbf16>) outs(%i : memref<?x?x?x?xbf16>) {group_size = 3}
  longnet.segment_all_gather ins(%y : memref<1x2x2x8xf64>) outs(%j : memref<1x16x2x8xf64>) {group_size = 8}
  return
}

// -----

// A strided (non identity) buffer cannot be handed to the runtime.
func.func @strided(%x: memref<1x8x4x16xf16, strided<[1024, 128, 16, 1]>>, %i: memref<1x16x4x16xf16>) {
  // expected-error @+1 {{'longnet.segment_all_gather' op needs contiguous (identity layout) buffers}}
  longnet.segment_all_gather ins(%x : memref<1x8x4x16xf16, strided<[1024, 128, 16, 1]>>) outs(%i : memref<1x16x4x16xf16>) {group_size = 2}
  return
}

// -----

func.func @strided_init(%x: memref<1x8x4x16xf32>, %i: memref<1x16x4x16xf32, strided<[2048, 128, 16, 1], offset: 64>>) {
  // expected-error @+1 {{'longnet.segment_all_gather' op needs contiguous (identity layout) buffers}}
  longnet.segment_all_gather ins(%x : memref<1x8x4x16xf32>) outs(%i : memref<1x16x4x16xf32, strided<[2048, 128, 16, 1], offset: 64>>) {group_size = 2}
  return
}

// -----

// The tensor form must be bufferized first.
func.func @tensor_form(%x: tensor<1x8x4x16xf32>, %i: tensor<1x16x4x16xf32>) -> tensor<1x16x4x16xf32> {
  // expected-error @+1 {{'longnet.segment_all_gather' op must be bufferized before longnet-lower-collectives}}
  %g = longnet.segment_all_gather ins(%x : tensor<1x8x4x16xf32>) outs(%i : tensor<1x16x4x16xf32>) {group_size = 2} -> tensor<1x16x4x16xf32>
  return %g : tensor<1x16x4x16xf32>
}

// -----

// A function of the runtime's name with another type is an error, not a
// call with the wrong signature.
// expected-error @+1 {{'func.func' op has type '() -> i32' but the runtime's @longnet_comm_rank has type '() -> i64'}}
func.func private @longnet_comm_rank() -> i32

func.func @wrong_rank_declaration() -> index {
  %p = longnet.process_rank : index
  return %p : index
}

// -----

// segment_reduce_scatter becomes longnet_segment_reduce_scatter_<f32|f64>.
// CHECK-DAG: func.func private @longnet_segment_reduce_scatter_f32(memref<?x?x?x?xf32>, memref<?x?x?x?xf32>, i64) attributes {llvm.emit_c_interface}
// CHECK-DAG: func.func private @longnet_segment_reduce_scatter_f64(memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, i64) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func @reduce_scatters
// CHECK-SAME: (%[[G32:.*]]: memref<1x32x4x16xf32>, %[[O32:.*]]: memref<1x8x4x16xf32>, %[[G64:.*]]: memref<2x16x2x8xf64>, %[[O64:.*]]: memref<2x8x2x8xf64>)
// CHECK: %[[SEND:.*]] = memref.cast %[[G32]] : memref<1x32x4x16xf32> to memref<?x?x?x?xf32>
// CHECK-NEXT: %[[RECV:.*]] = memref.cast %[[O32]] : memref<1x8x4x16xf32> to memref<?x?x?x?xf32>
// CHECK-NEXT: %[[G4:.*]] = arith.constant 4 : i64
// CHECK-NEXT: call @longnet_segment_reduce_scatter_f32(%[[SEND]], %[[RECV]], %[[G4]])
// CHECK: call @longnet_segment_reduce_scatter_f64(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, i64) -> ()
// CHECK-NOT: longnet.
func.func @reduce_scatters(%g32: memref<1x32x4x16xf32>, %o32: memref<1x8x4x16xf32>, %g64: memref<2x16x2x8xf64>, %o64: memref<2x8x2x8xf64>) {
  longnet.segment_reduce_scatter ins(%g32 : memref<1x32x4x16xf32>) outs(%o32 : memref<1x8x4x16xf32>) {group_size = 4}
  longnet.segment_reduce_scatter ins(%g64 : memref<2x16x2x8xf64>) outs(%o64 : memref<2x8x2x8xf64>) {group_size = 2}
  return
}
