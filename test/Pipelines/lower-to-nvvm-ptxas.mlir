// The flash kernels keep everything in registers: ptxas reports no spills
// and no stack frame for any kernel, f16 and bf16, D = 64 and 128, default
// tiles, on sm_80 and sm_90.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t/sm80 %t/sm90
// RUN: longnet-opt %s -split-input-file --longnet-lower-to-nvvm="chip=sm_80 format=isa" -o %t/sm80.mlir
// RUN: %python %S/extract-ptx.py %t/sm80.mlir %t/sm80 | FileCheck %s --check-prefix=EXTRACT
// RUN: %ptxas -v --gpu-name sm_80 %t/sm80/k0.ptx -o %t/sm80/k0.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: %ptxas -v --gpu-name sm_80 %t/sm80/k1.ptx -o %t/sm80/k1.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: %ptxas -v --gpu-name sm_80 %t/sm80/k2.ptx -o %t/sm80/k2.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: %ptxas -v --gpu-name sm_80 %t/sm80/k3.ptx -o %t/sm80/k3.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: longnet-opt %s -split-input-file --longnet-lower-to-nvvm="chip=sm_90 format=isa" -o %t/sm90.mlir
// RUN: %python %S/extract-ptx.py %t/sm90.mlir %t/sm90 | FileCheck %s --check-prefix=EXTRACT
// RUN: FileCheck %s --check-prefix=HINT < %t/sm90/k0.ptx
// RUN: %ptxas -v --gpu-name sm_90 %t/sm90/k0.ptx -o %t/sm90/k0.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: %ptxas -v --gpu-name sm_90 %t/sm90/k1.ptx -o %t/sm90/k1.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: %ptxas -v --gpu-name sm_90 %t/sm90/k2.ptx -o %t/sm90/k2.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"
// RUN: %ptxas -v --gpu-name sm_90 %t/sm90/k3.ptx -o %t/sm90/k3.cubin 2>&1 | FileCheck %s --implicit-check-not="{{[1-9][0-9]*}} bytes spill"

// The flash kernels carry their occupancy (nvvm.minctasm): 4 blocks per SM
// at D = 64.
// HINT: .maxntid 128, 1, 1
// HINT-NEXT: .minnctapersm 4

// One PTX module per model (the kernels are merged).
// EXTRACT: extracted 4 kernels

// Every entry, the flash kernels (mma.sync) among them, has no stack frame
// and no spill.
// CHECK: Compiling entry function
// CHECK: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// CHECK: Used {{[0-9]+}} registers, used 1 barriers, {{[0-9]+}} bytes smem
// CHECK-NOT: error
// CHECK-NOT: bytes stack frame, {{[1-9]}}

// The paper's five-branch mixture (r = 1 .. 12): at D = 64 ptxas caps the
// registers at 128 and spilled one kernel before the nvvm.minctasm hint.
func.func @f16_d64(%q: tensor<1x8192x16x64xf16>, %k: tensor<1x8192x16x64xf16>, %v: tensor<1x8192x16x64xf16>) -> tensor<1x8192x16x64xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 2048, 4096, 8192, 16384, 32768>, dilation_rates = array<i64: 1, 2, 4, 6, 12>, causal}
         : (tensor<1x8192x16x64xf16>, tensor<1x8192x16x64xf16>, tensor<1x8192x16x64xf16>) -> tensor<1x8192x16x64xf16>
  return %o : tensor<1x8192x16x64xf16>
}

// -----

func.func @f16_d128(%q: tensor<2x512x4x128xf16>, %k: tensor<2x512x4x128xf16>, %v: tensor<2x512x4x128xf16>) -> tensor<2x512x4x128xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128, 512>, dilation_rates = array<i64: 1, 4>, causal}
         : (tensor<2x512x4x128xf16>, tensor<2x512x4x128xf16>, tensor<2x512x4x128xf16>) -> tensor<2x512x4x128xf16>
  return %o : tensor<2x512x4x128xf16>
}

// -----

func.func @bf16_d64(%q: tensor<2x512x4x64xbf16>, %k: tensor<2x512x4x64xbf16>, %v: tensor<2x512x4x64xbf16>) -> tensor<2x512x4x64xbf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128, 512>, dilation_rates = array<i64: 1, 4>, causal}
         : (tensor<2x512x4x64xbf16>, tensor<2x512x4x64xbf16>, tensor<2x512x4x64xbf16>) -> tensor<2x512x4x64xbf16>
  return %o : tensor<2x512x4x64xbf16>
}

// -----

func.func @bf16_d128(%q: tensor<2x512x4x128xbf16>, %k: tensor<2x512x4x128xbf16>, %v: tensor<2x512x4x128xbf16>) -> tensor<2x512x4x128xbf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128, 512>, dilation_rates = array<i64: 1, 4>, causal}
         : (tensor<2x512x4x128xbf16>, tensor<2x512x4x128xbf16>, tensor<2x512x4x128xbf16>) -> tensor<2x512x4x128xbf16>
  return %o : tensor<2x512x4x128xbf16>
}
