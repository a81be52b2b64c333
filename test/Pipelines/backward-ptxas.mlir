// The backward kernels (dK/dV and dQ launches of the backward tile program)
// compile with ptxas and spill no register on sm_80 and sm_90: the
// tensor-core kernels (f16 at D = 64 and 128, bf16 at D = 64) with no stack
// frame either (their fragments and scores are registers), and the CUDA-core
// kernels (f32 at D = 128), whose per-thread rows and scores are local
// arrays (a stack frame, not spills).
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t/sm80 %t/sm90
// RUN: longnet-opt %s -split-input-file --longnet-lower-to-nvvm="chip=sm_80 format=isa" -o %t/sm80.mlir
// RUN: %python %S/extract-ptx.py %t/sm80.mlir %t/sm80 | FileCheck %s --check-prefix=EXTRACT
// RUN: longnet-opt %s -split-input-file --longnet-lower-to-nvvm="chip=sm_90 format=isa" -o %t/sm90.mlir
// RUN: %python %S/extract-ptx.py %t/sm90.mlir %t/sm90 | FileCheck %s --check-prefix=EXTRACT
// RUN: FileCheck %s --check-prefix=F16-PTX < %t/sm80/k0.ptx
// RUN: FileCheck %s --check-prefix=F16-PTX < %t/sm90/k1.ptx
// RUN: FileCheck %s --check-prefix=BF16-PTX < %t/sm80/k2.ptx
// RUN: FileCheck %s --check-prefix=CUDA-CORES-PTX < %t/sm80/k3.ptx
// RUN: for i in 0 1 2; do %ptxas -v --gpu-name sm_80 %t/sm80/k$i.ptx -o %t/sm80/k$i.cubin; done 2>&1 | FileCheck %s --check-prefix=TC --implicit-check-not="{{[1-9][0-9]*}} bytes spill" --implicit-check-not="{{[1-9][0-9]*}} bytes stack frame"
// RUN: for i in 0 1 2; do %ptxas -v --gpu-name sm_90 %t/sm90/k$i.ptx -o %t/sm90/k$i.cubin; done 2>&1 | FileCheck %s --check-prefix=TC --implicit-check-not="{{[1-9][0-9]*}} bytes spill" --implicit-check-not="{{[1-9][0-9]*}} bytes stack frame"
// RUN: %ptxas -v --gpu-name sm_80 %t/sm80/k3.ptx -o %t/sm80/k3.cubin 2>&1 | FileCheck %s --check-prefix=CC --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: %ptxas -v --gpu-name sm_90 %t/sm90/k3.ptx -o %t/sm90/k3.cubin 2>&1 | FileCheck %s --check-prefix=CC --implicit-check-not="{{[1-9][0-9]*}} bytes spill"

// EXTRACT: extracted 4 kernels

// F16-PTX-COUNT-2: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// F16-PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// BF16-PTX: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CUDA-CORES-PTX-NOT: mma.sync

// Per case: four backward launches (one barrier each: the staged tile)
// among the fill and conversion kernels.
// TC-COUNT-12: Used {{[0-9]+}} registers, used 1 barriers, {{[0-9]+}} bytes smem
// TC-NOT: error
// CC: 0 bytes spill stores, 0 bytes spill loads
// CC: Used {{[0-9]+}} registers, used 1 barriers, {{[0-9]+}} bytes cumulative stack size, {{[0-9]+}} bytes smem
// CC: Used {{[0-9]+}} registers, used 1 barriers, {{[0-9]+}} bytes cumulative stack size, {{[0-9]+}} bytes smem
// CC: Used {{[0-9]+}} registers, used 1 barriers, {{[0-9]+}} bytes cumulative stack size, {{[0-9]+}} bytes smem
// CC: Used {{[0-9]+}} registers, used 1 barriers, {{[0-9]+}} bytes cumulative stack size, {{[0-9]+}} bytes smem
// CC-NOT: error

func.func @f16_d64(%q: tensor<1x1024x4x64xf16>, %o: tensor<1x1024x4x64xf16>, %lse: tensor<1x1024x4xf32>) -> (tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>) {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %q, %q, %o, %lse, %o {segment_lengths = array<i64: 256, 1024>, dilation_rates = array<i64: 1, 4>, causal}
    : (tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4xf32>, tensor<1x1024x4x64xf16>) -> (tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>)
  return %dq, %dk, %dv : tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>
}

// -----

func.func @f16_d128(%q: tensor<1x1024x4x128xf16>, %o: tensor<1x1024x4x128xf16>, %lse: tensor<1x1024x4xf32>, %dlse: tensor<1x1024x4xf32>) -> (tensor<1x1024x4x128xf16>, tensor<1x1024x4x128xf16>, tensor<1x1024x4x128xf16>) {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %q, %q, %o, %lse, %o, %dlse {segment_lengths = array<i64: 256, 1024>, dilation_rates = array<i64: 1, 4>, causal}
    : (tensor<1x1024x4x128xf16>, tensor<1x1024x4x128xf16>, tensor<1x1024x4x128xf16>, tensor<1x1024x4x128xf16>, tensor<1x1024x4xf32>, tensor<1x1024x4x128xf16>, tensor<1x1024x4xf32>) -> (tensor<1x1024x4x128xf16>, tensor<1x1024x4x128xf16>, tensor<1x1024x4x128xf16>)
  return %dq, %dk, %dv : tensor<1x1024x4x128xf16>, tensor<1x1024x4x128xf16>, tensor<1x1024x4x128xf16>
}

// -----

func.func @bf16_d64(%q: tensor<1x1024x4x64xbf16>, %o: tensor<1x1024x4x64xbf16>, %lse: tensor<1x1024x4xf32>) -> (tensor<1x1024x4x64xbf16>, tensor<1x1024x4x64xbf16>, tensor<1x1024x4x64xbf16>) {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %q, %q, %o, %lse, %o {segment_lengths = array<i64: 256, 1024>, dilation_rates = array<i64: 1, 4>}
    : (tensor<1x1024x4x64xbf16>, tensor<1x1024x4x64xbf16>, tensor<1x1024x4x64xbf16>, tensor<1x1024x4x64xbf16>, tensor<1x1024x4xf32>, tensor<1x1024x4x64xbf16>) -> (tensor<1x1024x4x64xbf16>, tensor<1x1024x4x64xbf16>, tensor<1x1024x4x64xbf16>)
  return %dq, %dk, %dv : tensor<1x1024x4x64xbf16>, tensor<1x1024x4x64xbf16>, tensor<1x1024x4x64xbf16>
}

// -----

func.func @f32_d128(%q: tensor<1x1024x4x128xf32>, %o: tensor<1x1024x4x128xf32>, %lse: tensor<1x1024x4xf32>, %dlse: tensor<1x1024x4xf32>) -> (tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>) {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %q, %q, %o, %lse, %o, %dlse {segment_lengths = array<i64: 256, 1024>, dilation_rates = array<i64: 1, 4>}
    : (tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4xf32>) -> (tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>)
  return %dq, %dk, %dv : tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>
}
