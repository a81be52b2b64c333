// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-shard-sequence=devices=2
// RUN: not longnet-opt %s -split-input-file -longnet-shard-sequence=devices=0 2>&1 | FileCheck %s --check-prefix=DEVICES
// RUN: not longnet-opt %s -split-input-file -longnet-shard-sequence=devices=-3 2>&1 | FileCheck %s --check-prefix=NEGATIVE

// Every diagnostic of longnet-shard-sequence. The layout errors (N, the
// arguments, P) are reported on the function, the body and branch errors on
// the op. The cases use devices = 2 (l = N / 2) unless their comment says
// otherwise.

// DEVICES: error: longnet-shard-sequence: devices must be at least 1, got 0
// NEGATIVE: error: longnet-shard-sequence: devices must be at least 1, got -3

// N = 63 is not a multiple of P = 2.
// expected-error @+1 {{longnet-shard-sequence: N = 63 of @odd_length is not a multiple of devices = 2}}
func.func @odd_length(%q: tensor<1x63x4x16xf32>) -> tensor<1x63x4x16xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 63>, dilation_rates = array<i64: 1>}
         : (tensor<1x63x4x16xf32>, tensor<1x63x4x16xf32>, tensor<1x63x4x16xf32>) -> tensor<1x63x4x16xf32>
  return %o : tensor<1x63x4x16xf32>
}

// -----

// expected-error @+1 {{longnet-shard-sequence: argument 1 of @dynamic_length has type 'tensor<1x?x4x16xf32>'; a sharded function takes [B, N, H, D] (and [B, N, H]) tensors of static shape}}
func.func @dynamic_length(%q: tensor<1x64x4x16xf32>, %k: tensor<1x?x4x16xf32>) -> tensor<1x64x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %q {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x4x16xf32>, tensor<1x?x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %o : tensor<1x64x4x16xf32>
}

// -----

// A non-tensor argument.
// expected-error @+1 {{longnet-shard-sequence: argument 1 of @index_argument has type 'index'; a sharded function takes [B, N, H, D] (and [B, N, H]) tensors of static shape}}
func.func @index_argument(%q: tensor<1x64x4x16xf32>, %i: index) -> tensor<1x64x4x16xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %o : tensor<1x64x4x16xf32>
}

// -----

// expected-error @+1 {{longnet-shard-sequence: the arguments of @two_lengths have different sequence lengths 64 and 32}}
func.func @two_lengths(%q: tensor<1x64x4x16xf32>, %k: tensor<1x32x4x16xf32>) -> tensor<1x64x4x16xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %o : tensor<1x64x4x16xf32>
}

// -----

// expected-error @+1 {{longnet-shard-sequence: @no_arguments has no [B, N, H, D] argument to shard}}
func.func @no_arguments() -> tensor<1x64x4x16xf32> {
  %q = arith.constant dense<1.0> : tensor<1x64x4x16xf32>
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %o : tensor<1x64x4x16xf32>
}

// -----

func.func @other_op(%q: tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  // expected-error @+1 {{'arith.addf' op cannot be sharded by longnet-shard-sequence: a sharded function holds only longnet.dilated_attention and longnet.dilated_attention_backward ops on its arguments}}
  %s = arith.addf %o, %q : tensor<1x64x4x16xf32>
  return %s : tensor<1x64x4x16xf32>
}

// -----

// The second op reads the first op's output, not an argument.
func.func @chained(%q: tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  // expected-error @+1 {{'longnet.dilated_attention' op operands must be arguments of the function to be sharded by longnet-shard-sequence}}
  %p = longnet.dilated_attention %o, %q, %q {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %p : tensor<1x64x4x16xf32>
}

// -----

// l = 32: a local segment of 24 tokens is cut by the chunk boundary.
func.func @local_cut(%q: tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32> {
  // expected-error @+1 {{'longnet.dilated_attention' op branch 1 (w = 24, r = 2) cannot be sharded exactly over 2 devices (l = N / P = 32): its segments of 24 tokens are cut by chunk boundaries (l must be a multiple of the segment length)}}
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 16, 24>, dilation_rates = array<i64: 1, 2>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %o : tensor<1x64x4x16xf32>
}

// -----

// l = 32: a spanning segment of 48 tokens is not a whole number of chunks.
func.func @span_not_whole_chunks(%q: tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32> {
  // expected-error @+1 {{'longnet.dilated_attention' op branch 0 (w = 48, r = 1) cannot be sharded exactly over 2 devices (l = N / P = 32): its segments of 48 tokens must be whole chunks and tile N = 64}}
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 48>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %o : tensor<1x64x4x16xf32>
}

// -----

// A spanning segment of whole chunks that does not tile N needs P >= 3:
// see shard-sequence-invalid-p3.mlir.

// l = 32: the devices of a segment group would select 32 / 64 rows.
func.func @rate_beyond_chunk(%q: tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32> {
  // expected-error @+1 {{'longnet.dilated_attention' op branch 0 (w = 64, r = 64) cannot be sharded exactly over 2 devices (l = N / P = 32): l = 32 is not a multiple of r, so the devices of a segment group would select different numbers of rows}}
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 64>, dilation_rates = array<i64: 64>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %o : tensor<1x64x4x16xf32>
}

// -----

// l = 32: r = 3 does not divide l.
func.func @rate_not_dividing_chunk(%q: tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32> {
  // expected-error @+1 {{'longnet.dilated_attention' op branch 1 (w = 64, r = 3) cannot be sharded exactly over 2 devices (l = N / P = 32): l = 32 is not a multiple of r}}
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 32, 64>, dilation_rates = array<i64: 1, 3>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %o : tensor<1x64x4x16xf32>
}

// -----

// Nothing is rewritten when one op of the function fails: the first op's
// branches are fine, the second op's are not.
func.func @second_op_fails(%q: tensor<1x64x4x16xf32>) -> (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  // expected-error @+1 {{branch 0 (w = 20, r = 1) cannot be sharded exactly over 2 devices}}
  %p = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 20>, dilation_rates = array<i64: 1>}
         : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>) -> tensor<1x64x4x16xf32>
  return %o, %p : tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>
}

// -----

// A dynamic batch (or H, D) cannot be sharded: the chunk buffers need static
// shapes.
// expected-error @+1 {{longnet-shard-sequence: argument 0 of @dynamic_batch has type 'tensor<?x64x4x16xf16>'; a sharded function takes [B, N, H, D] (and [B, N, H]) tensors of static shape}}
func.func @dynamic_batch(%q: tensor<?x64x4x16xf16>, %k: tensor<?x64x4x16xf16>, %v: tensor<?x64x4x16xf16>) -> tensor<?x64x4x16xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>} : (tensor<?x64x4x16xf16>, tensor<?x64x4x16xf16>, tensor<?x64x4x16xf16>) -> tensor<?x64x4x16xf16>
  return %o : tensor<?x64x4x16xf16>
}

// -----

// A backward op reads arguments or the forward's results, nothing else.
func.func @backward_of_backward(%q: tensor<1x64x4x16xf32>, %l: tensor<1x64x4xf32>) -> tensor<1x64x4x16xf32> {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %q, %q, %q, %l, %q {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
      : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<1x64x4x16xf32>) -> (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>)
  // expected-error @+1 {{'longnet.dilated_attention_backward' op operands must be arguments of the function or results of longnet.dilated_attention to be sharded by longnet-shard-sequence}}
  %a, %b, %c = longnet.dilated_attention_backward %dq, %q, %q, %q, %l, %q {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
      : (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<1x64x4x16xf32>) -> (tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>, tensor<1x64x4x16xf32>)
  return %a : tensor<1x64x4x16xf32>
}
