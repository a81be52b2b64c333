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
