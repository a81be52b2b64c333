// The GPU kernels' merge (Eq. 10) under emulation (../shared/ptxemu): the
// tensor-core kernel (f16, D = 16) and the CUDA-core kernel (f32) give c
// exactly for constant inputs q = k = v = c up to 1e4, and random inputs
// scaled by 100 (|lse| past 1e4) stay within 1e-4 of the float64 reference,
// under the lockstep and the race-revealing schedules.
// REQUIRES: ptxemu
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/h1e3.npy '<f2' 1x32x2x16 fill=1000
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/h1e4.npy '<f2' 1x32x2x16 fill=10000
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/c1e4.npy '<f4' 1x32x2x16 fill=10000
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/q.npy '<f4' 1x32x2x16 normal=100,1
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/k.npy '<f4' 1x32x2x16 normal=100,2
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/v.npy '<f4' 1x32x2x16 normal=100,3
// RUN: %ptxemu-run %s --entry f16_mixture --inputs %t/h1e3.npy,%t/h1e3.npy,%t/h1e3.npy | FileCheck %s --check-prefix=H1E3
// RUN: %ptxemu-run %s --entry f16_mixture --inputs %t/h1e4.npy,%t/h1e4.npy,%t/h1e4.npy --schedule serial-rev --cp-async eager | FileCheck %s --check-prefix=H1E4
// RUN: %ptxemu-run %s --entry f32_mixture_causal --inputs %t/c1e4.npy,%t/c1e4.npy,%t/c1e4.npy | FileCheck %s --check-prefix=C1E4
// RUN: longnet-opt %s --longnet-convert-to-reference-calls -o %t/ref.mlir
// RUN: longnet-run %t/ref.mlir --entry=f32_mixture_causal --inputs=%t/q.npy,%t/k.npy,%t/v.npy --output=%t/ro.npy,%t/rl.npy | FileCheck %s --check-prefix=REF
// RUN: %ptxemu-run %s --entry f32_mixture_causal --inputs %t/q.npy,%t/k.npy,%t/v.npy --check-against %t/ro.npy,%t/rl.npy | FileCheck %s --check-prefix=LARGE-LSE
// RUN: %ptxemu-run %s --entry f32_mixture_causal --inputs %t/q.npy,%t/k.npy,%t/v.npy --check-against %t/ro.npy,%t/rl.npy --schedule serial --cp-async eager | FileCheck %s --check-prefix=LARGE-LSE

// H1E3: result 0: tensor<1x32x2x16xf16> min 1000 max 1000 nan 0
// H1E4: result 0: tensor<1x32x2x16xf16> min 10000 max 10000 nan 0
// C1E4: result 0: tensor<1x32x2x16xf32> min 10000 max 10000 nan 0
// REF: result 1: tensor<1x32x2xf32> min {{.*}} max {{[1-9][0-9][0-9][0-9][0-9]\.}}
// LARGE-LSE: check result 0: {{.*}}: ok
// LARGE-LSE: check result 1: {{.*}}: ok

func.func @f16_mixture(%q: tensor<1x32x2x16xf16>, %k: tensor<1x32x2x16xf16>, %v: tensor<1x32x2x16xf16>) -> tensor<1x32x2x16xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16, 32>, dilation_rates = array<i64: 1, 2, 4>}
      : (tensor<1x32x2x16xf16>, tensor<1x32x2x16xf16>, tensor<1x32x2x16xf16>) -> tensor<1x32x2x16xf16>
  return %o : tensor<1x32x2x16xf16>
}

func.func @f32_mixture_causal(%q: tensor<1x32x2x16xf32>, %k: tensor<1x32x2x16xf32>, %v: tensor<1x32x2x16xf32>) -> (tensor<1x32x2x16xf32>, tensor<1x32x2xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 32>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x32x2x16xf32>, tensor<1x32x2x16xf32>, tensor<1x32x2x16xf32>) -> (tensor<1x32x2x16xf32>, tensor<1x32x2xf32>)
  return %o, %l : tensor<1x32x2x16xf32>, tensor<1x32x2xf32>
}
