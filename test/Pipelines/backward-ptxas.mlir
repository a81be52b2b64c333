// The CUDA-core backward kernels (dK/dV and dQ launches of the backward
// tile program) compile with ptxas and spill no register, f16 at D = 64 and
// f32 at D = 128, on sm_80 and sm_90. Their per-thread rows and scores are
// local arrays (a stack frame, not spills).
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t/sm80 %t/sm90
// RUN: longnet-opt %s -split-input-file --longnet-lower-to-nvvm="chip=sm_80 format=isa" -o %t/sm80.mlir
// RUN: %python %S/extract-ptx.py %t/sm80.mlir %t/sm80 | FileCheck %s --check-prefix=EXTRACT
// RUN: %ptxas -v --gpu-name sm_80 %t/sm80/k0.ptx -o %t/sm80/k0.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: %ptxas -v --gpu-name sm_80 %t/sm80/k1.ptx -o %t/sm80/k1.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: longnet-opt %s -split-input-file --longnet-lower-to-nvvm="chip=sm_90 format=isa" -o %t/sm90.mlir
// RUN: %python %S/extract-ptx.py %t/sm90.mlir %t/sm90 | FileCheck %s --check-prefix=EXTRACT
// RUN: %ptxas -v --gpu-name sm_90 %t/sm90/k0.ptx -o %t/sm90/k0.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: %ptxas -v --gpu-name sm_90 %t/sm90/k1.ptx -o %t/sm90/k1.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"

// EXTRACT: extracted 2 kernels

// Fill kernels first, then the four backward launches of the two branches
// (one barrier each: the staged tile), then the conversions.
// CHECK: 0 bytes spill stores, 0 bytes spill loads
// CHECK: used 1 barriers, {{[0-9]+}} bytes cumulative stack size, {{[0-9]+}} bytes smem
// CHECK: used 1 barriers, {{[0-9]+}} bytes cumulative stack size, {{[0-9]+}} bytes smem
// CHECK: used 1 barriers, {{[0-9]+}} bytes cumulative stack size, {{[0-9]+}} bytes smem
// CHECK: used 1 barriers, {{[0-9]+}} bytes cumulative stack size, {{[0-9]+}} bytes smem
// CHECK-NOT: error

func.func @f16_d64(%q: tensor<1x1024x4x64xf16>, %o: tensor<1x1024x4x64xf16>, %lse: tensor<1x1024x4xf32>) -> (tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>) {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %q, %q, %o, %lse, %o {segment_lengths = array<i64: 256, 1024>, dilation_rates = array<i64: 1, 4>, causal}
    : (tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4xf32>, tensor<1x1024x4x64xf16>) -> (tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>)
  return %dq, %dk, %dv : tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>, tensor<1x1024x4x64xf16>
}

// -----

func.func @f32_d128(%q: tensor<1x1024x4x128xf32>, %o: tensor<1x1024x4x128xf32>, %lse: tensor<1x1024x4xf32>, %dlse: tensor<1x1024x4xf32>) -> (tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>) {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %q, %q, %o, %lse, %o, %dlse {segment_lengths = array<i64: 256, 1024>, dilation_rates = array<i64: 1, 4>}
    : (tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4xf32>) -> (tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>)
  return %dq, %dk, %dv : tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>, tensor<1x1024x4x128xf32>
}
