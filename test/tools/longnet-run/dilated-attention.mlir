// End to end through longnet-lower-to-cpu: the tiled lowering agrees with
// the float64 reference (--check) and --bench counts tokens and SPEC FLOPs.

// Two ops in a chain: a mixture with partial segments and w % r != 0, then
// a causal one with grouped head offsets on its output; f32 and f16.
// RUN: longnet-run %s --entry=chain --check | FileCheck %s --check-prefix=CHAIN
// CHAIN: result 0: tensor<2x37x3x8xf32>
// CHAIN-NEXT: result 1: tensor<2x37x3xf32>
// CHAIN-NEXT: check result 0: {{.*}}: ok
// CHAIN-NEXT: check result 1: {{.*}}: ok
// RUN: longnet-run %s --entry=half --check | FileCheck %s --check-prefix=HALF
// HALF: check result 0: {{.*}} (atol 0, rtol 0.02): ok

// FLOPs (SPEC, exact per head): 65536 for the first op, 147200 for the
// causal second one; tokens B * N = 2 * 37 of the first.
// RUN: longnet-run %s --entry=chain --bench=2 | FileCheck %s --check-prefix=BENCH
// BENCH: median {{[0-9.]+}} ms
// BENCH-NEXT: throughput {{[0-9.]+}} tokens/s (74 tokens: B * N of the first longnet.dilated_attention)
// BENCH-NEXT: effective {{[0-9.]+}} GFLOP/s (2.127e+05 FLOP per call: SPEC forward FLOPs of 2 longnet.dilated_attention)

// Ops in called functions count once per call.
// RUN: longnet-run %s --entry=twice --bench=1 | FileCheck %s --check-prefix=CALLS
// CALLS: throughput {{[0-9.]+}} tokens/s (74 tokens: B * N of the first longnet.dilated_attention)
// CALLS-NEXT: effective {{[0-9.]+}} GFLOP/s (4.255e+05 FLOP per call: SPEC forward FLOPs of 4 longnet.dilated_attention)

// A dynamic N: --shapes gives it to the inputs and to the FLOP count.
// RUN: longnet-run %s --entry=dynamic --shapes=1x50x2x8,1x50x2x8,1x50x2x8 \
// RUN:   --check --bench=1 --threads=2 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: result 0: tensor<1x50x2x8xf32>
// DYNAMIC: check result 0: {{.*}}: ok
// DYNAMIC: throughput {{[0-9.]+}} tokens/s (50 tokens: B * N of the first longnet.dilated_attention)
// DYNAMIC-NEXT: effective {{[0-9.]+}} GFLOP/s (6.976e+03 FLOP per call: SPEC forward FLOPs of 1 longnet.dilated_attention)

// --query-tile and --key-tile reach the pipeline (5 is no valid tile).
// RUN: not longnet-run %s --entry=chain --query-tile=5 2>&1 | FileCheck %s --check-prefix=QTILE
// QTILE: longnet-run: error: lowering the module failed: {{.*}}query-tile{{.*}} 5
// RUN: not longnet-run %s --entry=chain --key-tile=5 2>&1 | FileCheck %s --check-prefix=KTILE
// KTILE: longnet-run: error: lowering the module failed: {{.*}}key-tile{{.*}} 5

func.func @chain(%q: tensor<2x37x3x8xf32>, %k: tensor<2x37x3x8xf32>,
                 %v: tensor<2x37x3x8xf32>)
    -> (tensor<2x37x3x8xf32>, tensor<2x37x3xf32>) {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 8, 16>, dilation_rates = array<i64: 1, 3>}
      : (tensor<2x37x3x8xf32>, tensor<2x37x3x8xf32>, tensor<2x37x3x8xf32>)
      -> tensor<2x37x3x8xf32>
  %o2, %lse = longnet.dilated_attention %o, %k, %v {
      segment_lengths = array<i64: 12, 37>, dilation_rates = array<i64: 2, 1>,
      causal, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<2x37x3x8xf32>, tensor<2x37x3x8xf32>, tensor<2x37x3x8xf32>)
      -> (tensor<2x37x3x8xf32>, tensor<2x37x3xf32>)
  return %o2, %lse : tensor<2x37x3x8xf32>, tensor<2x37x3xf32>
}

func.func @twice(%q: tensor<2x37x3x8xf32>, %k: tensor<2x37x3x8xf32>,
                 %v: tensor<2x37x3x8xf32>) -> tensor<2x37x3x8xf32> {
  %o, %lse = func.call @chain(%q, %k, %v)
      : (tensor<2x37x3x8xf32>, tensor<2x37x3x8xf32>, tensor<2x37x3x8xf32>)
      -> (tensor<2x37x3x8xf32>, tensor<2x37x3xf32>)
  %o2, %lse2 = func.call @chain(%o, %k, %v)
      : (tensor<2x37x3x8xf32>, tensor<2x37x3x8xf32>, tensor<2x37x3x8xf32>)
      -> (tensor<2x37x3x8xf32>, tensor<2x37x3xf32>)
  return %o2 : tensor<2x37x3x8xf32>
}

func.func @half(%q: tensor<1x64x4x16xf16>, %k: tensor<1x64x4x16xf16>,
                %v: tensor<1x64x4x16xf16>) -> tensor<1x64x4x16xf16> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 16, 64>, dilation_rates = array<i64: 1, 4>,
      causal, scale = 0.5 : f32}
      : (tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>)
      -> tensor<1x64x4x16xf16>
  return %o : tensor<1x64x4x16xf16>
}

func.func @dynamic(%q: tensor<1x?x2x8xf32>, %k: tensor<1x?x2x8xf32>,
                   %v: tensor<1x?x2x8xf32>) -> tensor<1x?x2x8xf32> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 16>, dilation_rates = array<i64: 2>, causal}
      : (tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>, tensor<1x?x2x8xf32>)
      -> tensor<1x?x2x8xf32>
  return %o : tensor<1x?x2x8xf32>
}
