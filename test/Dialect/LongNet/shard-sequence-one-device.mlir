// RUN: longnet-opt %s -longnet-shard-sequence=devices=1 | FileCheck %s --check-prefix=P1

// w > N and r > N on one device: the branch stays as given (one partial
// segment of which only the row at the head's offset, if any, is selected),
// as longnet-decompose-mixture does; w is not clamped to N, which r would
// then exceed.
// P1-LABEL: func @rate_beyond_n
// P1: longnet.branch_attention {{.*}} {dilation_rate = 128 : i64, segment_length = 256 : i64}
func.func @rate_beyond_n(%q: tensor<1x64x4x16xf32>, %k: tensor<1x64x4x16xf32>, %v: tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 256>, dilation_rates = array<i64: 128>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %o : tensor<1x64x4x16xf32>
}
