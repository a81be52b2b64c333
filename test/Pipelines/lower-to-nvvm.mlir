// RUN: longnet-opt %s --longnet-lower-to-nvvm="chip=sm_90 format=isa" | FileCheck %s

// A causal f16 mixture of three branches and a matmul lowered to LLVM
// dialect host code and PTX kernels (isa: no toolkit needed).

// CHECK-LABEL: llvm.func @layer(
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: llvm.call @mgpuStreamCreate
// CHECK: llvm.call @mgpuMemAlloc
// CHECK: gpu.launch_func
// CHECK: llvm.call @mgpuStreamSynchronize
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_layer(
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: llvm.call @layer(
// The kernels as PTX text for sm_90.
// CHECK: gpu.binary @{{.*}} [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}assembly = "
// CHECK-SAME: .target sm_90
// CHECK-SAME: cp.async.cg.shared.global
// CHECK-SAME: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// CHECK-SAME: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// CHECK-SAME: shfl.sync.bfly.b32
// CHECK-NOT: gpu.module
// CHECK-NOT: {{(^|[^.a-z_])(longnet|linalg|scf|memref|tensor|bufferization|nvgpu)\.}}
func.func @layer(%x: tensor<256x128xf16>, %w: tensor<128x128xf16>,
                 %q: tensor<2x512x4x64xf16>, %k: tensor<2x512x4x64xf16>, %v: tensor<2x512x4x64xf16>)
    -> (tensor<256x128xf16>, tensor<2x512x4x64xf16>) {
  %zero = arith.constant 0.0 : f16
  %empty = tensor.empty() : tensor<256x128xf16>
  %init = linalg.fill ins(%zero : f16) outs(%empty : tensor<256x128xf16>) -> tensor<256x128xf16>
  %y = linalg.matmul ins(%x, %w : tensor<256x128xf16>, tensor<128x128xf16>) outs(%init : tensor<256x128xf16>) -> tensor<256x128xf16>
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128, 256, 512>, dilation_rates = array<i64: 1, 2, 4>, causal}
         : (tensor<2x512x4x64xf16>, tensor<2x512x4x64xf16>, tensor<2x512x4x64xf16>) -> tensor<2x512x4x64xf16>
  return %y, %o : tensor<256x128xf16>, tensor<2x512x4x64xf16>
}
