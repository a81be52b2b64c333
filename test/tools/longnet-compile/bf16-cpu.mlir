// bf16 models link and run on the CPU, their float64 reference variant
// included: bf16 conversions are expanded inline (Debian 12's libgcc has no
// __truncsfbf2 / __truncdfbf2).
// RUN: longnet-compile %s --target=cpu -o %t.so
// RUN: nm -D %t.so | FileCheck %s --check-prefix=SYMBOLS
// RUN: longnet-exec %t.so --seed=2 --check | FileCheck %s

// SYMBOLS-NOT: __trunc{{[sd]}}fbf2
// CHECK: check result 0: max abs error {{.*}}: ok
// CHECK: check result 1: max abs error {{.*}}: ok

func.func @main(%q: tensor<1x96x4x32xbf16>, %k: tensor<1x96x4x32xbf16>,
                %v: tensor<1x96x4x32xbf16>)
    -> (tensor<1x96x4x32xbf16>, tensor<1x96x4xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 32, 96>, dilation_rates = array<i64: 1, 3>,
      causal} : (tensor<1x96x4x32xbf16>, tensor<1x96x4x32xbf16>,
                 tensor<1x96x4x32xbf16>)
      -> (tensor<1x96x4x32xbf16>, tensor<1x96x4xf32>)
  return %o, %lse : tensor<1x96x4x32xbf16>, tensor<1x96x4xf32>
}
