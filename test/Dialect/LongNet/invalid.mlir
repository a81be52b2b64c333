// RUN: longnet-opt %s -split-input-file -verify-diagnostics

// Every diagnostic of the longnet dialect's verifiers and parsers.

func.func @empty_branches(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'segment_lengths' must hold at least one branch}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64>, dilation_rates = array<i64>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @unequal_arrays(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'segment_lengths' has 2 entries but 'dilation_rates' has 1}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @zero_segment(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'segment_lengths'[1] = 0 must be at least 1}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 0>, dilation_rates = array<i64: 1, 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @negative_segment(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'segment_lengths'[0] = -4 must be at least 1}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: -4>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @zero_rate(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'dilation_rates'[0] = 0 must be at least 1}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 0>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @negative_rate(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'dilation_rates'[1] = -2 must be at least 1}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16>, dilation_rates = array<i64: 1, -2>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @rate_exceeds_segment(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{branch 1: dilation rate 5 exceeds segment length 4}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 4>, dilation_rates = array<i64: 1, 5>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @duplicate_branch(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{branch 2 (w = 8, r = 2) duplicates branch 0}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16, 8>, dilation_rates = array<i64: 2, 2, 2>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @zero_scale(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'scale' must be positive and finite, got 0}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>, scale = 0.0 : f32}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @negative_scale(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'scale' must be positive and finite, got -0.5}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>, scale = -0.5 : f32}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @infinite_scale(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'scale' must be positive and finite, got inf}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>, scale = 0x7F800000 : f32}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @nan_scale(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'scale' must be positive and finite, got nan}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>, scale = 0x7FC00000 : f32}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

// scale * D beyond f32's range: unit queries and keys overflow the logits.
func.func @logit_overflow_scale(%q: tensor<1x16x2x16xf32>, %k: tensor<1x16x2x16xf32>, %v: tensor<1x16x2x16xf32>) {
  // expected-error @+1 {{'scale' = 3.4e+38 times D = 16 exceeds the f32 logit range (3.4e38): the logits scale * q.k of unit queries and keys overflow}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>, scale = 3.4e38 : f32}
         : (tensor<1x16x2x16xf32>, tensor<1x16x2x16xf32>, tensor<1x16x2x16xf32>) -> tensor<1x16x2x16xf32>
  return
}

// -----

func.func @f64_scale(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{attribute 'scale' failed to satisfy constraint: 32-bit float attribute}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>, scale = 0.5 : f64}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @missing_segment_lengths(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{requires attribute 'segment_lengths'}}
  %o = longnet.dilated_attention %q, %k, %v {dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @query_rank(%q: tensor<16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'query' must have rank 4 ([B, N, H, D]), got rank 3 in 'tensor<16x2x8xf32>'}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @value_rank(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8x1xf32>) {
  // expected-error @+1 {{'value' must have rank 4 ([B, N, H, D]), got rank 5 in 'tensor<1x16x2x8x1xf32>'}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8x1xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @output_rank(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'output' must have rank 4 ([B, N, H, D]), got rank 3}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<16x2x8xf32>
  return
}

// -----

func.func @integer_elements(%q: tensor<1x16x2x8xi32>, %k: tensor<1x16x2x8xi32>, %v: tensor<1x16x2x8xi32>) {
  // expected-error @+1 {{'query' element type must be f16, bf16, f32 or f64, got 'i32'}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xi32>, tensor<1x16x2x8xi32>, tensor<1x16x2x8xi32>) -> tensor<1x16x2x8xi32>
  return
}

// -----

func.func @f8_elements(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf8E4M3FN>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'key' element type must be f16, bf16, f32 or f64, got 'f8E4M3FN'}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf8E4M3FN>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @mixed_elements(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf16>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'key' element type 'f16' differs from 'query' element type 'f32'}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @output_element(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'output' element type 'f16' differs from 'query' element type 'f32'}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf16>
  return
}

// -----

func.func @key_seq_mismatch(%q: tensor<1x16x2x8xf32>, %k: tensor<1x32x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'key' dimension 1 (N) is 32 but 'query' has 16}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x32x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @value_head_dim_mismatch(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x4xf32>) {
  // expected-error @+1 {{'value' dimension 3 (D) is 4 but 'query' has 8}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x4xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @output_batch_mismatch(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'output' dimension 0 (B) is 2 but 'query' has 1}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<2x16x2x8xf32>
  return
}

// -----

func.func @dynamic_key_static_value_mismatch(%q: tensor<1x16x2x8xf32>, %k: tensor<?x?x?x?xf32>, %v: tensor<1x16x3x8xf32>) {
  // expected-error @+1 {{'value' dimension 2 (H) is 3 but 'query' has 2}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<?x?x?x?xf32>, tensor<1x16x3x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @zero_head_dim(%q: tensor<1x16x2x0xf32>, %k: tensor<1x16x2x0xf32>, %v: tensor<1x16x2x0xf32>) {
  // expected-error @+1 {{'query' head dimension D must be positive}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x0xf32>, tensor<1x16x2x0xf32>, tensor<1x16x2x0xf32>) -> tensor<1x16x2x0xf32>
  return
}

// -----

func.func @lse_rank(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'lse' result must be a tensor<1x16x2xf32> ([B, N, H] of f32), got 'tensor<1x16x2x1xf32>'}}
  %o:2 = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> (tensor<1x16x2x8xf32>, tensor<1x16x2x1xf32>)
  return
}

// -----

func.func @lse_element(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'lse' result must be a tensor<1x16x2xf32> ([B, N, H] of f32), got 'tensor<1x16x2xf16>'}}
  %o:2 = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> (tensor<1x16x2x8xf32>, tensor<1x16x2xf16>)
  return
}

// -----

func.func @lse_shape(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'lse' dimension 2 (H) is 4 but 'query' has 2}}
  %o:2 = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> (tensor<1x16x2x8xf32>, tensor<1x16x4xf32>)
  return
}

// -----

func.func @lse_dynamic_query(%q: tensor<?x?x2x8xf32>, %k: tensor<?x?x2x8xf32>, %v: tensor<?x?x2x8xf32>) {
  // expected-error @+1 {{'lse' result must be a tensor<?x?x2xf32> ([B, N, H] of f32), got 'tensor<?x?xf32>'}}
  %o:2 = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>) -> (tensor<?x?x2x8xf32>, tensor<?x?xf32>)
  return
}

// -----

func.func @unranked_query(%q: tensor<*xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of any type values, but got 'tensor<*xf32>'}}
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<*xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @unknown_offset_mode(%q: tensor<1x16x2x8xf32>) {
  // expected-error @+2 {{expected ::mlir::longnet::OffsetMode to be one of: cyclic, grouped, none}}
  // expected-error @+1 {{failed to parse LongNet_OffsetModeAttr parameter 'value' which is to be a `::mlir::longnet::OffsetMode`}}
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>, offset_mode = #longnet.offset_mode<diagonal>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @wrong_operand_count(%q: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{expected ','}}
  %o = longnet.dilated_attention %q, %q {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// longnet.branch_attention and longnet.attention
//===----------------------------------------------------------------------===//

func.func @branch_zero_segment(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op 'segment_length' = 0 must be at least 1}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {segment_length = 0, dilation_rate = 1}
  return
}

// -----

func.func @branch_negative_segment(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'segment_length' = -16 must be at least 1}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {segment_length = -16, dilation_rate = 1}
  return
}

// -----

func.func @branch_zero_rate(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op 'dilation_rate' = 0 must be at least 1}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {segment_length = 8, dilation_rate = 0}
  return
}

// -----

func.func @branch_negative_rate(%q: tensor<1x16x2x8xf16>, %o0: tensor<1x16x2x8xf32>, %l0: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'dilation_rate' = -2 must be at least 1}}
  %o, %l = longnet.branch_attention ins(%q, %q, %q : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>)
             outs(%o0, %l0 : tensor<1x16x2x8xf32>, tensor<1x16x2xf32>) {segment_length = 8, dilation_rate = -2}
             -> tensor<1x16x2x8xf32>, tensor<1x16x2xf32>
  return
}

// -----

func.func @branch_rate_exceeds_segment(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op dilation rate 8 exceeds segment length 4}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {segment_length = 4, dilation_rate = 8}
  return
}

// -----

func.func @branch_missing_rate(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{requires attribute 'dilation_rate'}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {segment_length = 4}
  return
}

// -----

func.func @branch_zero_scale(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op 'scale' must be positive and finite, got 0}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {segment_length = 8, dilation_rate = 2, scale = 0.0 : f32}
  return
}

// -----

func.func @attention_negative_scale(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op 'scale' must be positive and finite, got -0.25}}
  longnet.attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {scale = -0.25 : f32}
  return
}

// -----

func.func @attention_infinite_scale(%q: tensor<1x16x2x8xf32>, %o0: tensor<1x16x2x8xf32>, %l0: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op 'scale' must be positive and finite, got inf}}
  %o, %l = longnet.attention ins(%q, %q, %q : tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>)
             outs(%o0, %l0 : tensor<1x16x2x8xf32>, tensor<1x16x2xf32>) {scale = 0x7F800000 : f32}
             -> tensor<1x16x2x8xf32>, tensor<1x16x2xf32>
  return
}

// -----

func.func @branch_tensor_ins_memref_outs(%q: tensor<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op operands must be all tensors or all memrefs}}
  longnet.branch_attention ins(%q, %q, %q : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {segment_length = 8, dilation_rate = 2}
  return
}

// -----

func.func @attention_one_memref_key(%q: tensor<1x16x2x8xf16>, %k: memref<1x16x2x8xf16>, %o0: tensor<1x16x2x8xf32>, %l0: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op operands must be all tensors or all memrefs}}
  %o, %l = longnet.attention ins(%q, %k, %q : tensor<1x16x2x8xf16>, memref<1x16x2x8xf16>, tensor<1x16x2x8xf16>)
             outs(%o0, %l0 : tensor<1x16x2x8xf32>, tensor<1x16x2xf32>) -> tensor<1x16x2x8xf32>, tensor<1x16x2xf32>
  return
}

// -----

func.func @attention_results_on_memrefs(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op has no results on memrefs}}
  %r:2 = longnet.attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
           outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) -> tensor<1x16x2x8xf32>, tensor<1x16x2xf32>
  return
}

// -----

func.func @branch_results_on_memrefs(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op has no results on memrefs}}
  %r = longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
         outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {segment_length = 8, dilation_rate = 2} -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @branch_tensors_without_results(%q: tensor<1x16x2x8xf16>, %o: tensor<1x16x2x8xf32>, %l: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op results must have the types of the outs operands}}
  longnet.branch_attention ins(%q, %q, %q : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>)
    outs(%o, %l : tensor<1x16x2x8xf32>, tensor<1x16x2xf32>) {segment_length = 8, dilation_rate = 2}
  return
}

// -----

func.func @attention_one_result(%q: tensor<1x16x2x8xf16>, %o0: tensor<1x16x2x8xf32>, %l0: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op results must have the types of the outs operands}}
  %o = longnet.attention ins(%q, %q, %q : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>)
         outs(%o0, %l0 : tensor<1x16x2x8xf32>, tensor<1x16x2xf32>) -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @attention_result_types_differ(%q: tensor<1x16x2x8xf16>, %o0: tensor<1x16x2x8xf32>, %l0: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op results must have the types of the outs operands}}
  %o, %l = longnet.attention ins(%q, %q, %q : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>)
             outs(%o0, %l0 : tensor<1x16x2x8xf32>, tensor<1x16x2xf32>) -> tensor<1x16x2x8xf32>, tensor<1x16x2xf64>
  return
}

// -----

func.func @branch_result_less_static(%q: tensor<1x16x2x8xf16>, %o0: tensor<1x16x2x8xf32>, %l0: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op results must have the types of the outs operands}}
  %o, %l = longnet.branch_attention ins(%q, %q, %q : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>)
             outs(%o0, %l0 : tensor<1x16x2x8xf32>, tensor<1x16x2xf32>) {segment_length = 8, dilation_rate = 2}
             -> tensor<1x?x2x8xf32>, tensor<1x16x2xf32>
  return
}

// -----

func.func @attention_f16_accumulator(%q: tensor<1x16x2x8xf16>, %o0: tensor<1x16x2x8xf16>, %l0: tensor<1x16x2xf16>) {
  // expected-error @+1 {{'longnet.attention' op 'out' accumulator element type must be f32 or f64 and at least as wide as the query's 'f16', got 'f16'}}
  %o, %l = longnet.attention ins(%q, %q, %q : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>)
             outs(%o0, %l0 : tensor<1x16x2x8xf16>, tensor<1x16x2xf16>) -> tensor<1x16x2x8xf16>, tensor<1x16x2xf16>
  return
}

// -----

func.func @branch_bf16_accumulator(%q: memref<1x16x2x8xbf16>, %o: memref<1x16x2x8xbf16>, %l: memref<1x16x2xbf16>) {
  // expected-error @+1 {{'out' accumulator element type must be f32 or f64 and at least as wide as the query's 'bf16', got 'bf16'}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xbf16>, memref<1x16x2x8xbf16>, memref<1x16x2x8xbf16>)
    outs(%o, %l : memref<1x16x2x8xbf16>, memref<1x16x2xbf16>) {segment_length = 8, dilation_rate = 2}
  return
}

// -----

func.func @branch_f32_accumulator_for_f64(%q: memref<1x16x2x8xf64>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'out' accumulator element type must be f32 or f64 and at least as wide as the query's 'f64', got 'f32'}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf64>, memref<1x16x2x8xf64>, memref<1x16x2x8xf64>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {segment_length = 8, dilation_rate = 2}
  return
}

// -----

func.func @attention_integer_accumulator(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xi32>, %l: memref<1x16x2xi32>) {
  // expected-error @+1 {{'out' element type must be f16, bf16, f32 or f64, got 'i32'}}
  longnet.attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xi32>, memref<1x16x2xi32>)
  return
}

// -----

func.func @attention_key_element_differs(%q: memref<1x16x2x8xf16>, %k: memref<1x16x2x8xf32>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op 'key' element type 'f32' differs from 'query' element type 'f16'}}
  longnet.attention ins(%q, %k, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf32>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>)
  return
}

// -----

func.func @branch_value_element_invalid(%q: memref<1x16x2x8xf32>, %v: memref<1x16x2x8xi8>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op 'value' element type must be f16, bf16, f32 or f64, got 'i8'}}
  longnet.branch_attention ins(%q, %q, %v : memref<1x16x2x8xf32>, memref<1x16x2x8xf32>, memref<1x16x2x8xi8>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>) {segment_length = 8, dilation_rate = 2}
  return
}

// -----

func.func @attention_unranked_query(%q: tensor<*xf16>, %k: tensor<1x16x2x8xf16>, %o0: tensor<1x16x2x8xf32>, %l0: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op 'query' must be ranked, got 'tensor<*xf16>'}}
  %o, %l = longnet.attention ins(%q, %k, %k : tensor<*xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>)
             outs(%o0, %l0 : tensor<1x16x2x8xf32>, tensor<1x16x2xf32>) -> tensor<1x16x2x8xf32>, tensor<1x16x2xf32>
  return
}

// -----

func.func @attention_unranked_memref_query(%q: memref<*xf16>, %k: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op 'query' must be ranked, got 'memref<*xf16>'}}
  longnet.attention ins(%q, %k, %k : memref<*xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
      outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>)
  return
}

// -----

func.func @branch_unranked_value(%q: tensor<1x16x2x8xf16>, %v: tensor<*xf16>, %o0: tensor<1x16x2x8xf32>, %l0: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'value' must be ranked, got 'tensor<*xf16>'}}
  %o, %l = longnet.branch_attention ins(%q, %q, %v : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<*xf16>)
             outs(%o0, %l0 : tensor<1x16x2x8xf32>, tensor<1x16x2xf32>) {segment_length = 8, dilation_rate = 2}
             -> tensor<1x16x2x8xf32>, tensor<1x16x2xf32>
  return
}

// -----

func.func @attention_query_rank(%q: memref<16x2x8xf16>, %k: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op 'query' must have rank 4 ([B, N, H, D]), got rank 3 in 'memref<16x2x8xf16>'}}
  longnet.attention ins(%q, %k, %k : memref<16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>)
  return
}

// -----

func.func @branch_out_rank(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op 'out' must have rank 4 ([B, N, H, D]), got rank 3 in 'memref<1x16x2xf32>'}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2xf32>, memref<1x16x2xf32>) {segment_length = 8, dilation_rate = 2}
  return
}

// -----

func.func @attention_zero_head_dim(%q: memref<1x16x2x0xf16>, %o: memref<1x16x2x0xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op 'query' head dimension D must be positive}}
  longnet.attention ins(%q, %q, %q : memref<1x16x2x0xf16>, memref<1x16x2x0xf16>, memref<1x16x2x0xf16>)
    outs(%o, %l : memref<1x16x2x0xf32>, memref<1x16x2xf32>)
  return
}

// -----

func.func @branch_key_seq_mismatch(%q: tensor<1x16x2x8xf16>, %k: tensor<1x32x2x8xf16>, %o0: tensor<1x16x2x8xf32>, %l0: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op 'key' dimension 1 (N) is 32 but 'query' has 16}}
  %o, %l = longnet.branch_attention ins(%q, %k, %k : tensor<1x16x2x8xf16>, tensor<1x32x2x8xf16>, tensor<1x32x2x8xf16>)
             outs(%o0, %l0 : tensor<1x16x2x8xf32>, tensor<1x16x2xf32>) {segment_length = 8, dilation_rate = 2}
             -> tensor<1x16x2x8xf32>, tensor<1x16x2xf32>
  return
}

// -----

func.func @attention_value_head_dim_mismatch(%q: memref<1x16x2x8xf16>, %v: memref<1x16x2x4xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op 'value' dimension 3 (D) is 4 but 'query' has 8}}
  longnet.attention ins(%q, %q, %v : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x4xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf32>)
  return
}

// -----

func.func @attention_dynamic_key_static_value_mismatch(%q: memref<2x16x2x8xf16>, %k: memref<?x?x?x?xf16>, %v: memref<3x16x2x8xf16>,
                                                       %o: memref<2x16x2x8xf32>, %l: memref<2x16x2xf32>) {
  // expected-error @+1 {{'value' dimension 0 (B) is 3 but 'query' has 2}}
  longnet.attention ins(%q, %k, %v : memref<2x16x2x8xf16>, memref<?x?x?x?xf16>, memref<3x16x2x8xf16>)
    outs(%o, %l : memref<2x16x2x8xf32>, memref<2x16x2xf32>)
  return
}

// -----

func.func @branch_out_heads_mismatch(%q: memref<1x16x2x8xf16>, %o: memref<1x16x4x8xf32>, %l: memref<1x16x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op 'out' dimension 2 (H) is 4 but 'query' has 2}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x4x8xf32>, memref<1x16x2xf32>) {segment_length = 8, dilation_rate = 2}
  return
}

// -----

func.func @attention_lse_rank(%q: tensor<1x16x2x8xf16>, %o0: tensor<1x16x2x8xf32>, %l0: tensor<1x16x2x1xf32>) {
  // expected-error @+1 {{'longnet.attention' op 'lse' accumulator must be a tensor<1x16x2xf32> ([B, N, H] of f32), got 'tensor<1x16x2x1xf32>'}}
  %o, %l = longnet.attention ins(%q, %q, %q : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>)
             outs(%o0, %l0 : tensor<1x16x2x8xf32>, tensor<1x16x2x1xf32>) -> tensor<1x16x2x8xf32>, tensor<1x16x2x1xf32>
  return
}

// -----

func.func @branch_lse_element(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x16x2xf64>) {
  // expected-error @+1 {{'longnet.branch_attention' op 'lse' accumulator must be a memref<1x16x2xf32> ([B, N, H] of f32), got 'memref<1x16x2xf64>'}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x16x2xf64>) {segment_length = 8, dilation_rate = 2}
  return
}

// -----

// The lse accumulator takes the element type of the output accumulator,
// f64 here, not the f32 of dilated_attention's lse result.
func.func @attention_f64_lse_element(%q: tensor<1x16x2x8xf64>, %o0: tensor<1x16x2x8xf64>, %l0: tensor<1x16x2xf32>) {
  // expected-error @+1 {{'lse' accumulator must be a tensor<1x16x2xf64> ([B, N, H] of f64), got 'tensor<1x16x2xf32>'}}
  %o, %l = longnet.attention ins(%q, %q, %q : tensor<1x16x2x8xf64>, tensor<1x16x2x8xf64>, tensor<1x16x2x8xf64>)
             outs(%o0, %l0 : tensor<1x16x2x8xf64>, tensor<1x16x2xf32>) -> tensor<1x16x2x8xf64>, tensor<1x16x2xf32>
  return
}

// -----

func.func @branch_lse_shape(%q: memref<1x16x2x8xf16>, %o: memref<1x16x2x8xf32>, %l: memref<1x8x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op 'lse' dimension 1 (N) is 8 but 'query' has 16}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>)
    outs(%o, %l : memref<1x16x2x8xf32>, memref<1x8x2xf32>) {segment_length = 8, dilation_rate = 2}
  return
}

// -----

func.func @attention_lse_dynamic_query(%q: memref<?x?x2x8xf16>, %o: memref<?x?x2x8xf32>, %l: memref<?x?xf32>) {
  // expected-error @+1 {{'lse' accumulator must be a memref<?x?x2xf32> ([B, N, H] of f32), got 'memref<?x?xf32>'}}
  longnet.attention ins(%q, %q, %q : memref<?x?x2x8xf16>, memref<?x?x2x8xf16>, memref<?x?x2x8xf16>)
    outs(%o, %l : memref<?x?x2x8xf32>, memref<?x?xf32>)
  return
}

// -----

func.func @backward_duplicate_branch(%a0: tensor<1x16x2x8xf32>, %a1: tensor<1x16x2x8xf32>, %a2: tensor<1x16x2x8xf32>, %a3: tensor<1x16x2x8xf32>, %a4: tensor<1x16x2xf32>, %a5: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{branch 1 (w = 8, r = 2) duplicates branch 0}}
  %dq, %dk, %dv = longnet.dilated_attention_backward %a0, %a1, %a2, %a3, %a4, %a5 {segment_lengths = array<i64: 8, 8>, dilation_rates = array<i64: 2, 2>}
    : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2xf32>, tensor<1x16x2x8xf32>) -> (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>)
  return
}

// -----

func.func @backward_bad_scale(%a0: tensor<1x16x2x8xf32>, %a1: tensor<1x16x2x8xf32>, %a2: tensor<1x16x2x8xf32>, %a3: tensor<1x16x2x8xf32>, %a4: tensor<1x16x2xf32>, %a5: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'scale' must be positive and finite, got -1}}
  %dq, %dk, %dv = longnet.dilated_attention_backward %a0, %a1, %a2, %a3, %a4, %a5 {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 2>, scale = -1.0 : f32}
    : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2xf32>, tensor<1x16x2x8xf32>) -> (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>)
  return
}

// -----

func.func @backward_output_grad_type(%a0: tensor<1x16x2x8xf32>, %a1: tensor<1x16x2x8xf32>, %a2: tensor<1x16x2x8xf32>, %a3: tensor<1x16x2x8xf32>, %a4: tensor<1x16x2xf32>, %a5: tensor<1x16x2x8xf16>) {
  // expected-error @+1 {{'output_grad' element type 'f16' differs from 'query' element type 'f32'}}
  %dq, %dk, %dv = longnet.dilated_attention_backward %a0, %a1, %a2, %a3, %a4, %a5 {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 2>}
    : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2xf32>, tensor<1x16x2x8xf16>) -> (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>)
  return
}

// -----

func.func @backward_result_shape(%a0: tensor<1x16x2x8xf32>, %a1: tensor<1x16x2x8xf32>, %a2: tensor<1x16x2x8xf32>, %a3: tensor<1x16x2x8xf32>, %a4: tensor<1x16x2xf32>, %a5: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'key_grad' dimension 1 (N) is 32 but 'query' has 16}}
  %dq, %dk, %dv = longnet.dilated_attention_backward %a0, %a1, %a2, %a3, %a4, %a5 {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 2>}
    : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2xf32>, tensor<1x16x2x8xf32>) -> (tensor<1x16x2x8xf32>, tensor<1x32x2x8xf32>, tensor<1x16x2x8xf32>)
  return
}

// -----

func.func @backward_lse_type(%a0: tensor<1x16x2x8xf32>, %a1: tensor<1x16x2x8xf32>, %a2: tensor<1x16x2x8xf32>, %a3: tensor<1x16x2x8xf32>, %a4: tensor<1x16x2xf16>, %a5: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'lse' operand must be a tensor<1x16x2xf32> ([B, N, H] of f32), got 'tensor<1x16x2xf16>'}}
  %dq, %dk, %dv = longnet.dilated_attention_backward %a0, %a1, %a2, %a3, %a4, %a5 {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 2>}
    : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2xf16>, tensor<1x16x2x8xf32>) -> (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>)
  return
}

// -----

func.func @backward_lse_grad_shape(%a0: tensor<1x16x2x8xf32>, %a1: tensor<1x16x2x8xf32>, %a2: tensor<1x16x2x8xf32>, %a3: tensor<1x16x2x8xf32>, %a4: tensor<1x16x2xf32>, %a5: tensor<1x16x2x8xf32>, %a6: tensor<1x16x4xf32>) {
  // expected-error @+1 {{'lse_grad' dimension 2 (H) is 4 but 'query' has 2}}
  %dq, %dk, %dv = longnet.dilated_attention_backward %a0, %a1, %a2, %a3, %a4, %a5, %a6 {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 2>}
    : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2xf32>, tensor<1x16x2x8xf32>, tensor<1x16x4xf32>) -> (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>)
  return
}

// -----

func.func @branch_backward_rate(%i0: tensor<1x16x2x8xf16>, %i1: tensor<1x16x2x8xf16>, %i2: tensor<1x16x2x8xf16>, %i3: tensor<1x16x2x8xf16>, %i4: tensor<1x16x2xf32>, %i5: tensor<1x16x2xf32>, %o0: tensor<1x16x2x8xf32>, %o1: tensor<1x16x2x8xf32>, %o2: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{dilation rate 9 exceeds segment length 8}}
  %r:3 = longnet.branch_attention_backward ins(%i0, %i1, %i2, %i3, %i4, %i5 : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2xf32>, tensor<1x16x2xf32>)
    outs(%o0, %o1, %o2 : tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) {segment_length = 8, dilation_rate = 9} -> tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>
  return
}

// -----

func.func @branch_backward_mixed(%i0: tensor<1x16x2x8xf16>, %i1: tensor<1x16x2x8xf16>, %i2: tensor<1x16x2x8xf16>, %i3: tensor<1x16x2x8xf16>, %i4: tensor<1x16x2xf32>, %i5: tensor<1x16x2xf32>, %o0: tensor<1x16x2x8xf32>, %o1: tensor<1x16x2x8xf32>, %o2: memref<1x16x2x8xf32>) {
  // expected-error @+1 {{operands must be all tensors or all memrefs}}
  %r:3 = longnet.branch_attention_backward ins(%i0, %i1, %i2, %i3, %i4, %i5 : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2xf32>, tensor<1x16x2xf32>)
    outs(%o0, %o1, %o2 : tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, memref<1x16x2x8xf32>) {segment_length = 8, dilation_rate = 2} -> tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>
  return
}

// -----

func.func @branch_backward_results(%i0: tensor<1x16x2x8xf16>, %i1: tensor<1x16x2x8xf16>, %i2: tensor<1x16x2x8xf16>, %i3: tensor<1x16x2x8xf16>, %i4: tensor<1x16x2xf32>, %i5: tensor<1x16x2xf32>, %o0: tensor<1x16x2x8xf32>, %o1: tensor<1x16x2x8xf32>, %o2: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{results must have the types of the outs operands}}
  %r:3 = longnet.branch_attention_backward ins(%i0, %i1, %i2, %i3, %i4, %i5 : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2xf32>, tensor<1x16x2xf32>)
    outs(%o0, %o1, %o2 : tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) {segment_length = 8, dilation_rate = 2} -> tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf64>
  return
}

// -----

func.func @branch_backward_memref_results(%i0: memref<1x16x2x8xf16>, %i1: memref<1x16x2x8xf16>, %i2: memref<1x16x2x8xf16>, %i3: memref<1x16x2x8xf16>, %i4: memref<1x16x2xf32>, %i5: memref<1x16x2xf32>, %o0: memref<1x16x2x8xf32>, %o1: memref<1x16x2x8xf32>, %o2: memref<1x16x2x8xf32>) {
  // expected-error @+1 {{has no results on memrefs}}
  %r:3 = longnet.branch_attention_backward ins(%i0, %i1, %i2, %i3, %i4, %i5 : memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2x8xf16>, memref<1x16x2xf32>, memref<1x16x2xf32>)
    outs(%o0, %o1, %o2 : memref<1x16x2x8xf32>, memref<1x16x2x8xf32>, memref<1x16x2x8xf32>) {segment_length = 8, dilation_rate = 2} -> tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>
  return
}

// -----

func.func @branch_backward_acc_type(%i0: tensor<1x16x2x8xf16>, %i1: tensor<1x16x2x8xf16>, %i2: tensor<1x16x2x8xf16>, %i3: tensor<1x16x2x8xf16>, %i4: tensor<1x16x2xf32>, %i5: tensor<1x16x2xf32>, %o0: tensor<1x16x2x8xf16>, %o1: tensor<1x16x2x8xf32>, %o2: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'query_grad_acc' accumulator element type must be f32 or f64 and at least as wide as the query's 'f16', got 'f16'}}
  %r:3 = longnet.branch_attention_backward ins(%i0, %i1, %i2, %i3, %i4, %i5 : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2xf32>, tensor<1x16x2xf32>)
    outs(%o0, %o1, %o2 : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) {segment_length = 8, dilation_rate = 2} -> tensor<1x16x2x8xf16>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>
  return
}

// -----

func.func @branch_backward_acc_mismatch(%i0: tensor<1x16x2x8xf16>, %i1: tensor<1x16x2x8xf16>, %i2: tensor<1x16x2x8xf16>, %i3: tensor<1x16x2x8xf16>, %i4: tensor<1x16x2xf32>, %i5: tensor<1x16x2xf32>, %o0: tensor<1x16x2x8xf32>, %o1: tensor<1x16x2x8xf64>, %o2: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{accumulators must share one element type, got 'f32' and 'f64'}}
  %r:3 = longnet.branch_attention_backward ins(%i0, %i1, %i2, %i3, %i4, %i5 : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2xf32>, tensor<1x16x2xf32>)
    outs(%o0, %o1, %o2 : tensor<1x16x2x8xf32>, tensor<1x16x2x8xf64>, tensor<1x16x2x8xf32>) {segment_length = 8, dilation_rate = 2} -> tensor<1x16x2x8xf32>, tensor<1x16x2x8xf64>, tensor<1x16x2x8xf32>
  return
}

// -----

func.func @branch_backward_delta(%i0: tensor<1x16x2x8xf16>, %i1: tensor<1x16x2x8xf16>, %i2: tensor<1x16x2x8xf16>, %i3: tensor<1x16x2x8xf16>, %i4: tensor<1x16x2xf32>, %i5: tensor<1x16xf32>, %o0: tensor<1x16x2x8xf32>, %o1: tensor<1x16x2x8xf32>, %o2: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'delta' operand must be a tensor<1x16x2xf32> ([B, N, H] of f32), got 'tensor<1x16xf32>'}}
  %r:3 = longnet.branch_attention_backward ins(%i0, %i1, %i2, %i3, %i4, %i5 : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2xf32>, tensor<1x16xf32>)
    outs(%o0, %o1, %o2 : tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) {segment_length = 8, dilation_rate = 2} -> tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>
  return
}

// -----

func.func @branch_backward_output_grad(%i0: tensor<1x16x2x8xf16>, %i1: tensor<1x16x2x8xf16>, %i2: tensor<1x16x2x8xf16>, %i3: tensor<1x16x2x8xf32>, %i4: tensor<1x16x2xf32>, %i5: tensor<1x16x2xf32>, %o0: tensor<1x16x2x8xf32>, %o1: tensor<1x16x2x8xf32>, %o2: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'output_grad' element type 'f32' differs from 'query' element type 'f16'}}
  %r:3 = longnet.branch_attention_backward ins(%i0, %i1, %i2, %i3, %i4, %i5 : tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf32>, tensor<1x16x2xf32>, tensor<1x16x2xf32>)
    outs(%o0, %o1, %o2 : tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) {segment_length = 8, dilation_rate = 2} -> tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>
  return
}

// -----

func.func @reduce_scatter_f16(%i: tensor<1x32x2x8xf16>, %o: tensor<1x16x2x8xf16>) {
  // expected-error @+1 {{element type must be f32 or f64 (gradient accumulators), got 'f16'}}
  %r = longnet.segment_reduce_scatter ins(%i : tensor<1x32x2x8xf16>) outs(%o : tensor<1x16x2x8xf16>) {group_size = 2} -> tensor<1x16x2x8xf16>
  return
}

// -----

func.func @reduce_scatter_rows(%i: tensor<1x30x2x8xf32>, %o: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'input' dimension 1 is 30 but group_size * init rows = 2 * 16 = 32}}
  %r = longnet.segment_reduce_scatter ins(%i : tensor<1x30x2x8xf32>) outs(%o : tensor<1x16x2x8xf32>) {group_size = 2} -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @reduce_scatter_group(%i: tensor<1x32x2x8xf32>, %o: tensor<1x16x2x8xf32>) {
  // expected-error @+1 {{'group_size' = 0 must be at least 1}}
  %r = longnet.segment_reduce_scatter ins(%i : tensor<1x32x2x8xf32>) outs(%o : tensor<1x16x2x8xf32>) {group_size = 0} -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @reduce_scatter_heads(%i: tensor<1x32x2x8xf32>, %o: tensor<1x16x4x8xf32>) {
  // expected-error @+1 {{'init' dimension 2 (H) is 4 but 'input' has 2}}
  %r = longnet.segment_reduce_scatter ins(%i : tensor<1x32x2x8xf32>) outs(%o : tensor<1x16x4x8xf32>) {group_size = 2} -> tensor<1x16x4x8xf32>
  return
}

// -----

func.func @reduce_scatter_memref_result(%i: memref<1x32x2x8xf32>, %o: memref<1x16x2x8xf32>) {
  // expected-error @+1 {{has no results on memrefs}}
  %r = longnet.segment_reduce_scatter ins(%i : memref<1x32x2x8xf32>) outs(%o : memref<1x16x2x8xf32>) {group_size = 2} -> tensor<1x16x2x8xf32>
  return
}

// -----

func.func @gathered_backward_rate(%q: tensor<1x30x2x8xf32>, %kg: tensor<1x16x2x8xf32>, %l: tensor<1x30x2xf32>, %dq: tensor<1x30x2x8xf32>, %dk: tensor<1x16x2x8xf32>, %base: index) {
  // expected-error @+1 {{the local sequence length 30 must be a multiple of 'dilation_rate' = 4}}
  %r:3 = longnet.gathered_branch_attention_backward ins(%q, %kg, %kg, %q, %l, %l : tensor<1x30x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x30x2x8xf32>, tensor<1x30x2xf32>, tensor<1x30x2xf32>)
    outs(%dq, %dk, %dk : tensor<1x30x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) query_base(%base) {dilation_rate = 4}
    -> tensor<1x30x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>
  return
}

// -----

func.func @gathered_backward_key_acc(%q: tensor<1x32x2x8xf32>, %kg: tensor<1x16x2x8xf32>, %l: tensor<1x32x2xf32>, %dq: tensor<1x32x2x8xf32>, %dk: tensor<1x32x2x8xf32>, %base: index) {
  // expected-error @+1 {{'key_grad_acc' dimension 1 (N) is 32 but 'key' has 16}}
  %r:3 = longnet.gathered_branch_attention_backward ins(%q, %kg, %kg, %q, %l, %l : tensor<1x32x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x32x2x8xf32>, tensor<1x32x2xf32>, tensor<1x32x2xf32>)
    outs(%dq, %dk, %dk : tensor<1x32x2x8xf32>, tensor<1x32x2x8xf32>, tensor<1x32x2x8xf32>) query_base(%base) {dilation_rate = 2}
    -> tensor<1x32x2x8xf32>, tensor<1x32x2x8xf32>, tensor<1x32x2x8xf32>
  return
}

// -----

func.func @gathered_backward_output_grad(%q: tensor<1x32x2x8xf32>, %do: tensor<1x32x2x8xf16>, %kg: tensor<1x16x2x8xf32>, %l: tensor<1x32x2xf32>, %dq: tensor<1x32x2x8xf32>, %dk: tensor<1x16x2x8xf32>, %base: index) {
  // expected-error @+1 {{'output_grad' element type 'f16' differs from 'query' element type 'f32'}}
  %r:3 = longnet.gathered_branch_attention_backward ins(%q, %kg, %kg, %do, %l, %l : tensor<1x32x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x32x2x8xf16>, tensor<1x32x2xf32>, tensor<1x32x2xf32>)
    outs(%dq, %dk, %dk : tensor<1x32x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) query_base(%base) {dilation_rate = 2}
    -> tensor<1x32x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>
  return
}

// -----

func.func @gathered_backward_value_rows(%q: tensor<1x32x2x8xf32>, %kg: tensor<1x16x2x8xf32>, %vg: tensor<1x8x2x8xf32>, %l: tensor<1x32x2xf32>, %dq: tensor<1x32x2x8xf32>, %dk: tensor<1x16x2x8xf32>, %base: index) {
  // expected-error @+1 {{'value' dimension 1 (N) is 8 but 'key' has 16}}
  %r:3 = longnet.gathered_branch_attention_backward ins(%q, %kg, %vg, %q, %l, %l : tensor<1x32x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x8x2x8xf32>, tensor<1x32x2x8xf32>, tensor<1x32x2xf32>, tensor<1x32x2xf32>)
    outs(%dq, %dk, %dk : tensor<1x32x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) query_base(%base) {dilation_rate = 2}
    -> tensor<1x32x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>
  return
}

// -----

func.func @gathered_backward_acc_type(%q: tensor<1x32x2x8xf16>, %kg: tensor<1x16x2x8xf16>, %l: tensor<1x32x2xf32>, %dq: tensor<1x32x2x8xf32>, %dk: tensor<1x16x2x8xf16>, %base: index) {
  // expected-error @+1 {{'key_grad_acc' accumulator element type must be f32 or f64 and at least as wide as the query's 'f16', got 'f16'}}
  %r:3 = longnet.gathered_branch_attention_backward ins(%q, %kg, %kg, %q, %l, %l : tensor<1x32x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>, tensor<1x32x2x8xf16>, tensor<1x32x2xf32>, tensor<1x32x2xf32>)
    outs(%dq, %dk, %dk : tensor<1x32x2x8xf32>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>) query_base(%base) {dilation_rate = 2}
    -> tensor<1x32x2x8xf32>, tensor<1x16x2x8xf16>, tensor<1x16x2x8xf16>
  return
}
