// The merge of the branches (Eq. 10) is a convex combination whatever the
// magnitude of the lse values: weights sigmoid(+-(lse_acc - lse_b)) from one
// rounded difference. Constant inputs q = k = v = c give c exactly (the old
// exp(lse - L) weights, with L rounded near |lse| ~ 4e6, gave 893 for
// c = 1000 and 20000 for c = 1e4). Random inputs scaled by 100 reach
// |lse| ~ 4.8e4 and stay within 1e-4 of the float64 reference.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/c1e3.npy '<f4' 1x16x1x16 fill=1000
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/c1e4.npy '<f4' 1x16x1x16 fill=10000
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/h1e3.npy '<f2' 1x16x1x16 fill=1000
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/h1e4.npy '<f2' 1x16x1x16 fill=10000
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/b1e3.npy bfloat16 1x16x1x16 fill=1000
// RUN: longnet-run %s --entry=two_branches --inputs=%t/c1e3.npy,%t/c1e3.npy,%t/c1e3.npy --check | FileCheck %s --check-prefix=C1E3
// RUN: longnet-run %s --entry=two_branches --inputs=%t/c1e4.npy,%t/c1e4.npy,%t/c1e4.npy --check | FileCheck %s --check-prefix=C1E4
// RUN: longnet-run %s --entry=three_branches_causal --inputs=%t/c1e4.npy,%t/c1e4.npy,%t/c1e4.npy | FileCheck %s --check-prefix=C1E4
// RUN: longnet-run %s --entry=two_branches_f16 --inputs=%t/h1e3.npy,%t/h1e3.npy,%t/h1e3.npy | FileCheck %s --check-prefix=H1E3
// RUN: longnet-run %s --entry=two_branches_f16 --inputs=%t/h1e4.npy,%t/h1e4.npy,%t/h1e4.npy | FileCheck %s --check-prefix=H1E4
// RUN: longnet-run %s --entry=two_branches_bf16 --inputs=%t/b1e3.npy,%t/b1e3.npy,%t/b1e3.npy | FileCheck %s --check-prefix=B1E3
// RUN: longnet-run %s --entry=large_lse --init-scale=100 --seed=3 --check | FileCheck %s --check-prefix=LARGE-LSE

// C1E3: result 0: tensor<1x16x1x16xf32> min 1000 max 1000 mean 1000
// C1E3: check result 0: max abs error 0.000e+00
// C1E4: result 0: tensor<1x16x1x16xf32> min 10000 max 10000 mean 10000
// H1E3: result 0: tensor<1x16x1x16xf16> min 1000 max 1000 mean 1000
// H1E4: result 0: tensor<1x16x1x16xf16> min 10000 max 10000 mean 10000
// B1E3: result 0: tensor<1x16x1x16xbf16> min 1000 max 1000 mean 1000
// The lse reaches 1e4 and beyond; both results within rtol 1e-4.
// LARGE-LSE: result 1: tensor<1x64x2xf32> min {{.*}} max {{[1-9][0-9][0-9][0-9][0-9]\.}}
// LARGE-LSE: check result 0: {{.*}}: ok
// LARGE-LSE: check result 1: {{.*}}: ok

func.func @two_branches(%q: tensor<1x16x1x16xf32>, %k: tensor<1x16x1x16xf32>, %v: tensor<1x16x1x16xf32>) -> tensor<1x16x1x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16>, dilation_rates = array<i64: 1, 1>}
      : (tensor<1x16x1x16xf32>, tensor<1x16x1x16xf32>, tensor<1x16x1x16xf32>) -> tensor<1x16x1x16xf32>
  return %o : tensor<1x16x1x16xf32>
}

func.func @three_branches_causal(%q: tensor<1x16x1x16xf32>, %k: tensor<1x16x1x16xf32>, %v: tensor<1x16x1x16xf32>) -> tensor<1x16x1x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 4, 8, 16>, dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<1x16x1x16xf32>, tensor<1x16x1x16xf32>, tensor<1x16x1x16xf32>) -> tensor<1x16x1x16xf32>
  return %o : tensor<1x16x1x16xf32>
}

func.func @two_branches_f16(%q: tensor<1x16x1x16xf16>, %k: tensor<1x16x1x16xf16>, %v: tensor<1x16x1x16xf16>) -> tensor<1x16x1x16xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16>, dilation_rates = array<i64: 1, 1>}
      : (tensor<1x16x1x16xf16>, tensor<1x16x1x16xf16>, tensor<1x16x1x16xf16>) -> tensor<1x16x1x16xf16>
  return %o : tensor<1x16x1x16xf16>
}

func.func @two_branches_bf16(%q: tensor<1x16x1x16xbf16>, %k: tensor<1x16x1x16xbf16>, %v: tensor<1x16x1x16xbf16>) -> tensor<1x16x1x16xbf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16>, dilation_rates = array<i64: 1, 1>}
      : (tensor<1x16x1x16xbf16>, tensor<1x16x1x16xbf16>, tensor<1x16x1x16xbf16>) -> tensor<1x16x1x16xbf16>
  return %o : tensor<1x16x1x16xbf16>
}

func.func @large_lse(%q: tensor<1x64x2x16xf32>, %k: tensor<1x64x2x16xf32>, %v: tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16, 64>, dilation_rates = array<i64: 1, 2, 4>}
      : (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
  return %o, %l : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
}
