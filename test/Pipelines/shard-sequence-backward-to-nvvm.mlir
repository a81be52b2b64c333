// The sharded training step for the GPU: forward and backward sharded over
// 4 devices lower through longnet-lower-to-nvvm. The spanning branches'
// gradients go back with reduce-scatters on device buffers (NCCL at run
// time), and every kernel, the gathered backward's tensor-core kernels
// among them, passes ptxas without spills. (The emulator runs no reduce-scatter: this is
// checked statically only.)
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: longnet-opt %s --longnet-shard-sequence="devices=4" --longnet-lower-to-nvvm="chip=sm_80 format=isa" -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: %python %S/extract-ptx.py %t/lowered.mlir %t
// RUN: %ptxas -v --gpu-name sm_80 %t/k0.ptx -o %t/k0.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS --implicit-check-not="{{[1-9][0-9]*}} bytes spill"

// N = 1024 on 4 devices, l = 256: (256, 1) is local, (512, 2) spans 2 and
// (1024, 4) spans 4: two all-gathers (K, V) and two reduce-scatters (dK,
// dV) for each spanning branch, the all-gathers shared with the forward.
// CHECK: llvm.call @longnet_comm_rank() : () -> i64
// CHECK-COUNT-4: llvm.call @longnet_segment_all_gather_f16(
// CHECK-NOT: llvm.call @longnet_segment_all_gather_f16(
// CHECK-COUNT-4: llvm.call @longnet_segment_reduce_scatter_f32(
// CHECK: gpu.binary
// PTXAS: Used {{[0-9]+}} registers, used 1 barriers

func.func @main(%q: tensor<1x1024x4x64xf16>, %k: tensor<1x1024x4x64xf16>,
                %v: tensor<1x1024x4x64xf16>, %do: tensor<1x1024x4x64xf16>)
    -> (tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 256, 512, 1024>,
      dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>)
        -> (tensor<1x1024x4x64xf16>, tensor<1x1024x4xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {
      segment_lengths = array<i64: 256, 512, 1024>,
      dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>,
         tensor<1x1024x4x64xf16>, tensor<1x1024x4xf32>, tensor<1x1024x4x64xf16>)
        -> (tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>)
  return %dq, %dk, %dv : tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>
}
