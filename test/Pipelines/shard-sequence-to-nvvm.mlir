// A sequence-parallel model for the GPU: the sharded function lowers through
// longnet-lower-to-nvvm. The all-gathers become runtime calls on device
// buffers (NCCL at run time), the rank a call of longnet_comm_rank, and the
// gathered branch a tensor-core kernel that ptxas accepts without spills.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: longnet-opt %s --longnet-shard-sequence="devices=4" --longnet-lower-to-nvvm="chip=sm_90 format=isa" -o %t/lowered.mlir
// RUN: FileCheck %s < %t/lowered.mlir
// RUN: %python %S/extract-ptx.py %t/lowered.mlir %t
// RUN: %ptxas -v --gpu-name sm_90 %t/k0.ptx -o %t/k0.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS --implicit-check-not="{{[1-9][0-9]*}} bytes spill"

// N = 4096 on 4 devices, l = 1024: (1024, 1) is local, (2048, 2) spans 2
// devices and (4096, 4) spans 4.
// CHECK: llvm.call @longnet_comm_rank() : () -> i64
// CHECK-COUNT-4: llvm.call @longnet_segment_all_gather_f16(
// CHECK: gpu.binary
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// PTXAS: Used {{[0-9]+}} registers, used 1 barriers

func.func @main(%q: tensor<1x4096x8x64xf16>, %k: tensor<1x4096x8x64xf16>,
                %v: tensor<1x4096x8x64xf16>) -> tensor<1x4096x8x64xf16> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 1024, 2048, 4096>,
      dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<1x4096x8x64xf16>, tensor<1x4096x8x64xf16>,
         tensor<1x4096x8x64xf16>) -> tensor<1x4096x8x64xf16>
  return %o : tensor<1x4096x8x64xf16>
}
