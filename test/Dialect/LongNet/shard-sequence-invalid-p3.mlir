// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-shard-sequence=devices=3

// Diagnostics of longnet-shard-sequence that need P = 3.

// N = 96, l = 32: a segment of 64 tokens is two whole chunks but does not
// tile N (the second segment, tokens [64, 96), would be a single chunk).
func.func @span_not_tiling_n(%q: tensor<1x96x4x16xf32>) -> tensor<1x96x4x16xf32> {
  // expected-error @+1 {{'longnet.dilated_attention' op branch 0 (w = 64, r = 2) cannot be sharded exactly over 3 devices (l = N / P = 32): its segments of 64 tokens must be whole chunks and tile N = 96}}
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 2>}
         : (tensor<1x96x4x16xf32>, tensor<1x96x4x16xf32>, tensor<1x96x4x16xf32>) -> tensor<1x96x4x16xf32>
  return %o : tensor<1x96x4x16xf32>
}
