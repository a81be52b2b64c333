// RUN: longnet-opt %s -longnet-lower-to-cpu="query-tile=48 key-tile=48" | FileCheck %s
// RUN: longnet-opt %s -longnet-lower-to-cpu="query-tile=48 key-tile=48" | FileCheck %s --check-prefix=LEFTOVER
// RUN: longnet-opt %s -longnet-lower-to-cpu="reference=1" | FileCheck %s --check-prefix=REF
// RUN: longnet-opt %s -longnet-lower-to-cpu="reference=1" | FileCheck %s --check-prefix=LEFTOVER

// A matmul and a two-branch dilated attention lowered all the way to the
// LLVM and OpenMP dialects.

// Nothing but llvm and omp operations is left (a dialect prefix preceded by
// a dot is part of an llvm op name, e.g. llvm.func).
// LEFTOVER-NOT: {{(^|[^.a-z_])(longnet|linalg|scf|memref|vector|math|arith|tensor|bufferization|cf|func|affine)\.}}
// LEFTOVER-NOT: unrealized_conversion_cast

// CHECK-LABEL: llvm.func @layer(
// CHECK-SAME: attributes {llvm.emit_c_interface}
// The flash loop nest over (batch, head, segment, query tile) runs on
// OpenMP threads, its inner loops on vector<8xf32> FMAs.
// CHECK: omp.parallel {
// CHECK: omp.wsloop {
// CHECK: omp.loop_nest (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : i64 = {{.*}} collapse(4) {
// CHECK: llvm.intr.fma(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// CHECK: omp.terminator
// CHECK: llvm.return
// The C interface wrapper calls the function.
// CHECK-LABEL: llvm.func @_mlir_ciface_layer(
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: llvm.call @layer(
// CHECK-NOT: @_mlir_ciface_longnet_reference_dilated_attention

// With reference=1 the attention is a call of the float64 reference through
// its C interface; no flash loop nest is generated: the only vector<8xf32>
// code is the matmul's kernel, before the call.
// REF: llvm.func private @longnet_reference_dilated_attention(
// REF: llvm.call @_mlir_ciface_longnet_reference_dilated_attention(%{{.*}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, f64, i64) -> ()
// REF: llvm.func @_mlir_ciface_longnet_reference_dilated_attention(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, f64, i64)
// REF-LABEL: llvm.func @layer(
// REF: llvm.intr.fmuladd(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// REF: llvm.call @longnet_reference_dilated_attention(
// REF-NOT: vector<8xf32>
// REF: llvm.return
// REF-LABEL: llvm.func @_mlir_ciface_layer(
// REF: llvm.call @layer(
func.func @layer(%x: tensor<64x32xf32>, %w: tensor<32x32xf32>,
                 %q: tensor<2x256x2x16xf32>, %k: tensor<2x256x2x16xf32>, %v: tensor<2x256x2x16xf32>)
    -> (tensor<64x32xf32>, tensor<2x256x2x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<64x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<64x32xf32>) -> tensor<64x32xf32>
  %y = linalg.matmul ins(%x, %w : tensor<64x32xf32>, tensor<32x32xf32>) outs(%init : tensor<64x32xf32>) -> tensor<64x32xf32>
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128, 256>, dilation_rates = array<i64: 1, 2>, causal}
         : (tensor<2x256x2x16xf32>, tensor<2x256x2x16xf32>, tensor<2x256x2x16xf32>) -> tensor<2x256x2x16xf32>
  return %y, %o : tensor<64x32xf32>, tensor<2x256x2x16xf32>
}
