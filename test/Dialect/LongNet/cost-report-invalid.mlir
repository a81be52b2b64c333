// RUN: longnet-opt %s -split-input-file -verify-diagnostics --longnet-cost-report="devices=4"
// RUN: not longnet-opt %s --longnet-cost-report="devices=0" 2>&1 | FileCheck %s --check-prefix=DEVICES
// RUN: not longnet-opt %s --longnet-cost-report="tokens=-8" 2>&1 | FileCheck %s --check-prefix=TOKENS
// RUN: not longnet-opt %s -split-input-file --longnet-cost-report="devices=4 tokens=64 batch=2" | FileCheck %s --check-prefix=OVERRIDE

// DEVICES: error: longnet-cost-report: option devices = 0 must be >= 1
// TOKENS: error: longnet-cost-report: option tokens = -8 must be >= 0 (0: the op's N)

// Overrides make every case below valid: N = 64, B = 2, l = 16.
// OVERRIDE-LABEL: longnet.dilated_attention #0 in @dynamic_seq
// OVERRIDE-NEXT: B = 2, N = 64, H = 2, D = 4
// OVERRIDE-LABEL: longnet.dilated_attention #0 in @dynamic_batch
// OVERRIDE-NEXT: B = 2, N = 64, H = 2, D = 4
// OVERRIDE-LABEL: longnet.dilated_attention #0 in @indivisible
// OVERRIDE-NEXT: B = 2, N = 64, H = 2, D = 4

func.func @dynamic_seq(%q: tensor<1x?x2x4xf32>, %k: tensor<1x?x2x4xf32>, %v: tensor<1x?x2x4xf32>) -> tensor<1x?x2x4xf32> {
  // expected-error @+1 {{longnet-cost-report: N of the query is dynamic; give it with the option tokens=<value>}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 4>, dilation_rates = array<i64: 1>} : (tensor<1x?x2x4xf32>, tensor<1x?x2x4xf32>, tensor<1x?x2x4xf32>) -> tensor<1x?x2x4xf32>
  return %o : tensor<1x?x2x4xf32>
}

// -----

func.func @dynamic_batch(%q: tensor<?x16x2x4xf32>, %k: tensor<?x16x2x4xf32>, %v: tensor<?x16x2x4xf32>) -> tensor<?x16x2x4xf32> {
  // expected-error @+1 {{longnet-cost-report: B of the query is dynamic; give it with the option batch=<value>}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 4>, dilation_rates = array<i64: 1>} : (tensor<?x16x2x4xf32>, tensor<?x16x2x4xf32>, tensor<?x16x2x4xf32>) -> tensor<?x16x2x4xf32>
  return %o : tensor<?x16x2x4xf32>
}

// -----

func.func @indivisible(%q: tensor<1x18x2x4xf32>, %k: tensor<1x18x2x4xf32>, %v: tensor<1x18x2x4xf32>) -> tensor<1x18x2x4xf32> {
  // expected-error @+1 {{longnet-cost-report: N = 18 is not divisible by devices = 4}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 4>, dilation_rates = array<i64: 1>} : (tensor<1x18x2x4xf32>, tensor<1x18x2x4xf32>, tensor<1x18x2x4xf32>) -> tensor<1x18x2x4xf32>
  return %o : tensor<1x18x2x4xf32>
}

// -----

func.func @dynamic_heads(%q: tensor<1x16x?x4xf32>, %k: tensor<1x16x?x4xf32>, %v: tensor<1x16x?x4xf32>) -> tensor<1x16x?x4xf32> {
  // expected-error @+1 {{longnet-cost-report: H and D of the query must be static}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 4>, dilation_rates = array<i64: 1>} : (tensor<1x16x?x4xf32>, tensor<1x16x?x4xf32>, tensor<1x16x?x4xf32>) -> tensor<1x16x?x4xf32>
  return %o : tensor<1x16x?x4xf32>
}
