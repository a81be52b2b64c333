// RUN: longnet-opt %s -split-input-file -verify-diagnostics

// Every diagnostic of the verifiers of longnet.segment_all_gather and
// longnet.gathered_branch_attention (process_rank has none of its own).
// Negative group_size / dilation_rate are in
// sharding-ops-invalid-negative-attrs.mlir (expected to fail, known verifier bug).

// segment_all_gather

func.func @gather_zero_group(%x: memref<1x16x4x16xf16>, %init: memref<1x64x4x16xf16>) {
  // expected-error @+1 {{'group_size' = 0 must be at least 1}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x16xf16>) outs(%init : memref<1x64x4x16xf16>) {group_size = 0}
  return
}

// -----

// (2^62 + 4) * 16 wraps to 64 in 64-bit arithmetic: refused, not accepted.
func.func @gather_group_overflow(%x: memref<1x16x4x16xf16>, %init: memref<1x64x4x16xf16>) {
  // expected-error @+1 {{group_size * input rows = 4611686018427387908 * 16 overflows a 64-bit size}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x16xf16>) outs(%init : memref<1x64x4x16xf16>) {group_size = 4611686018427387908}
  return
}

// -----

func.func @gather_mixed(%x: tensor<1x16x4x16xf16>, %init: memref<1x64x4x16xf16>) {
  // expected-error @+1 {{operands must be both tensors or both memrefs}}
  longnet.segment_all_gather ins(%x : tensor<1x16x4x16xf16>) outs(%init : memref<1x64x4x16xf16>) {group_size = 4}
  return
}

// -----

func.func @gather_tensor_no_result(%x: tensor<1x16x4x16xf16>, %init: tensor<1x64x4x16xf16>) {
  // expected-error @+1 {{must have one result of the type of 'init' on tensors}}
  longnet.segment_all_gather ins(%x : tensor<1x16x4x16xf16>) outs(%init : tensor<1x64x4x16xf16>) {group_size = 4}
  return
}

// -----

func.func @gather_tensor_wrong_result(%x: tensor<1x16x4x16xf16>, %init: tensor<1x64x4x16xf16>) {
  // expected-error @+1 {{must have one result of the type of 'init' on tensors}}
  %g = longnet.segment_all_gather ins(%x : tensor<1x16x4x16xf16>) outs(%init : tensor<1x64x4x16xf16>) {group_size = 4} -> tensor<1x64x4x16xf32>
  return
}

// -----

func.func @gather_memref_result(%x: memref<1x16x4x16xf16>, %init: memref<1x64x4x16xf16>) {
  // expected-error @+1 {{has no results on memrefs}}
  %g = longnet.segment_all_gather ins(%x : memref<1x16x4x16xf16>) outs(%init : memref<1x64x4x16xf16>) {group_size = 4} -> tensor<1x64x4x16xf16>
  return
}

// -----

func.func @gather_unranked(%x: memref<*xf16>, %init: memref<1x64x4x16xf16>) {
  // expected-error @+1 {{'input' must be ranked, got 'memref<*xf16>'}}
  longnet.segment_all_gather ins(%x : memref<*xf16>) outs(%init : memref<1x64x4x16xf16>) {group_size = 4}
  return
}

// -----

func.func @gather_input_rank(%x: memref<1x16x4xf16>, %init: memref<1x64x4x16xf16>) {
  // expected-error @+1 {{'input' must have rank 4 ([B, N, H, D]), got rank 3 in 'memref<1x16x4xf16>'}}
  longnet.segment_all_gather ins(%x : memref<1x16x4xf16>) outs(%init : memref<1x64x4x16xf16>) {group_size = 4}
  return
}

// -----

func.func @gather_init_rank(%x: memref<1x16x4x16xf16>, %init: memref<1x64x4x16x1xf16>) {
  // expected-error @+1 {{'init' must have rank 4 ([B, N, H, D]), got rank 5 in 'memref<1x64x4x16x1xf16>'}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x16xf16>) outs(%init : memref<1x64x4x16x1xf16>) {group_size = 4}
  return
}

// -----

func.func @gather_input_element(%x: memref<1x16x4x16xi8>, %init: memref<1x64x4x16xi8>) {
  // expected-error @+1 {{'input' element type must be f16, bf16, f32 or f64, got 'i8'}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x16xi8>) outs(%init : memref<1x64x4x16xi8>) {group_size = 4}
  return
}

// -----

func.func @gather_zero_head_dim(%x: memref<1x16x4x0xf16>, %init: memref<1x64x4x0xf16>) {
  // expected-error @+1 {{'input' head dimension D must be positive}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x0xf16>) outs(%init : memref<1x64x4x0xf16>) {group_size = 4}
  return
}

// -----

func.func @gather_element_mismatch(%x: memref<1x16x4x16xf16>, %init: memref<1x64x4x16xf32>) {
  // expected-error @+1 {{'init' element type 'f32' differs from 'input' element type 'f16'}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x16xf16>) outs(%init : memref<1x64x4x16xf32>) {group_size = 4}
  return
}

// -----

func.func @gather_batch_mismatch(%x: memref<1x16x4x16xf16>, %init: memref<2x64x4x16xf16>) {
  // expected-error @+1 {{'init' dimension 0 (B) is 2 but 'input' has 1}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x16xf16>) outs(%init : memref<2x64x4x16xf16>) {group_size = 4}
  return
}

// -----

func.func @gather_heads_mismatch(%x: memref<1x16x4x16xf16>, %init: memref<1x64x8x16xf16>) {
  // expected-error @+1 {{'init' dimension 2 (H) is 8 but 'input' has 4}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x16xf16>) outs(%init : memref<1x64x8x16xf16>) {group_size = 4}
  return
}

// -----

func.func @gather_head_dim_mismatch(%x: memref<1x16x4x16xf16>, %init: memref<1x64x4x32xf16>) {
  // expected-error @+1 {{'init' dimension 3 (D) is 32 but 'input' has 16}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x16xf16>) outs(%init : memref<1x64x4x32xf16>) {group_size = 4}
  return
}

// -----

func.func @gather_rows_mismatch(%x: memref<1x16x4x16xf16>, %init: memref<1x48x4x16xf16>) {
  // expected-error @+1 {{'init' dimension 1 is 48 but group_size * input rows = 4 * 16 = 64}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x16xf16>) outs(%init : memref<1x48x4x16xf16>) {group_size = 4}
  return
}

// -----

func.func @gather_rows_mismatch_tensor(%x: tensor<1x16x4x16xf16>, %init: tensor<1x32x4x16xf16>) {
  // expected-error @+1 {{'init' dimension 1 is 32 but group_size * input rows = 4 * 16 = 64}}
  %g = longnet.segment_all_gather ins(%x : tensor<1x16x4x16xf16>) outs(%init : tensor<1x32x4x16xf16>) {group_size = 4} -> tensor<1x32x4x16xf16>
  return
}

// -----

// gathered_branch_attention

func.func @gathered_zero_rate(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'dilation_rate' = 0 must be at least 1}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 0}
  return
}

// -----

func.func @gathered_negative_scale(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'scale' must be positive and finite, got -1}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2, scale = -1.0 : f32}
  return
}

// -----

func.func @gathered_zero_scale(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'scale' must be positive and finite, got 0}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2, scale = 0.0 : f32}
  return
}

// -----

func.func @gathered_mixed(%q: tensor<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{operands must be all tensors or all memrefs}}
  longnet.gathered_branch_attention ins(%q, %k, %v : tensor<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_mixed_acc(%q: tensor<1x32x4x16xf16>, %k: tensor<1x64x4x16xf16>, %v: tensor<1x64x4x16xf16>, %o: tensor<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{operands must be all tensors or all memrefs}}
  longnet.gathered_branch_attention ins(%q, %k, %v : tensor<1x32x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>)
    outs(%o, %l : tensor<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_tensor_no_results(%q: tensor<1x32x4x16xf16>, %k: tensor<1x64x4x16xf16>, %v: tensor<1x64x4x16xf16>, %o: tensor<1x32x4x16xf32>, %l: tensor<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{results must have the types of the outs operands}}
  longnet.gathered_branch_attention ins(%q, %k, %v : tensor<1x32x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>)
    outs(%o, %l : tensor<1x32x4x16xf32>, tensor<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_tensor_wrong_results(%q: tensor<1x32x4x16xf16>, %k: tensor<1x64x4x16xf16>, %v: tensor<1x64x4x16xf16>, %o: tensor<1x32x4x16xf32>, %l: tensor<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{results must have the types of the outs operands}}
  %r:2 = longnet.gathered_branch_attention ins(%q, %k, %v : tensor<1x32x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>)
    outs(%o, %l : tensor<1x32x4x16xf32>, tensor<1x32x4xf32>) query_base(%base) {dilation_rate = 2} -> tensor<1x32x4x16xf16>, tensor<1x32x4xf32>
  return
}

// -----

func.func @gathered_memref_results(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{has no results on memrefs}}
  %r:2 = longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2} -> tensor<1x32x4x16xf32>, tensor<1x32x4xf32>
  return
}

// -----

func.func @gathered_query_rank(%q: memref<1x32x4xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'query' must have rank 4 ([B, N, H, D]), got rank 3 in 'memref<1x32x4xf16>'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_query_element(%q: memref<1x32x4x16xi16>, %k: memref<1x64x4x16xi16>, %v: memref<1x64x4x16xi16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'query' element type must be f16, bf16, f32 or f64, got 'i16'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xi16>, memref<1x64x4x16xi16>, memref<1x64x4x16xi16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_out_rank(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'out' must have rank 4 ([B, N, H, D]), got rank 3 in 'memref<1x32x4xf32>'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_out_f16(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf16>, %l: memref<1x32x4xf16>, %base: index) {
  // expected-error @+1 {{'out' accumulator element type must be f32 or f64 and at least as wide as the query's 'f16', got 'f16'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf16>, memref<1x32x4xf16>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_out_narrower(%q: memref<1x32x4x16xf64>, %k: memref<1x64x4x16xf64>, %v: memref<1x64x4x16xf64>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'out' accumulator element type must be f32 or f64 and at least as wide as the query's 'f64', got 'f32'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf64>, memref<1x64x4x16xf64>, memref<1x64x4x16xf64>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_out_rows(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x64x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'out' dimension 1 (N) is 64 but 'query' has 32}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x64x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_out_heads(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x2x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'out' dimension 2 (H) is 2 but 'query' has 4}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x2x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_key_rank(%q: memref<1x32x4x16xf16>, %k: memref<64x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'key' must have rank 4 ([B, N, H, D]), got rank 2 in 'memref<64x16xf16>'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<64x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_value_unranked(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<*xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'value' must be ranked, got 'memref<*xf16>'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<*xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_value_element(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xi32>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'value' element type must be f16, bf16, f32 or f64, got 'i32'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xi32>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_key_element(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xbf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'key' element type 'bf16' differs from 'query' element type 'f16'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xbf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_value_element_mismatch(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf32>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'value' element type 'f32' differs from 'query' element type 'f16'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf32>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_key_batch(%q: memref<1x32x4x16xf16>, %k: memref<2x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'key' dimension 0 (B) is 2 but 'query' has 1}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<2x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_key_heads(%q: memref<1x32x4x16xf16>, %k: memref<1x64x8x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'key' dimension 2 (H) is 8 but 'query' has 4}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x8x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_value_head_dim(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x32xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'value' dimension 3 (D) is 32 but 'query' has 16}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x32xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_value_rows(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x32x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'value' has 32 rows but 'key' has 64}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x32x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_local_rows(%q: memref<1x30x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x30x4x16xf32>, %l: memref<1x30x4xf32>, %base: index) {
  // expected-error @+1 {{the local sequence length 30 must be a multiple of 'dilation_rate' = 4}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x30x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x30x4x16xf32>, memref<1x30x4xf32>) query_base(%base) {dilation_rate = 4}
  return
}

// -----

func.func @gathered_lse_rank(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4x1xf32>, %base: index) {
  // expected-error @+1 {{'lse' accumulator must be a memref<1x32x4xf32> ([B, N, H] of f32), got 'memref<1x32x4x1xf32>'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4x1xf32>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_lse_element(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf16>, %base: index) {
  // expected-error @+1 {{'lse' accumulator must be a memref<1x32x4xf32> ([B, N, H] of f32), got 'memref<1x32x4xf16>'}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf16>) query_base(%base) {dilation_rate = 2}
  return
}

// -----

func.func @gathered_lse_tensor_element(%q: tensor<1x32x4x16xf16>, %k: tensor<1x64x4x16xf16>, %v: tensor<1x64x4x16xf16>, %o: tensor<1x32x4x16xf32>, %l: tensor<1x32x4xf64>, %base: index) {
  // expected-error @+1 {{'lse' accumulator must be a tensor<1x32x4xf32> ([B, N, H] of f32), got 'tensor<1x32x4xf64>'}}
  %r:2 = longnet.gathered_branch_attention ins(%q, %k, %v : tensor<1x32x4x16xf16>, tensor<1x64x4x16xf16>, tensor<1x64x4x16xf16>)
    outs(%o, %l : tensor<1x32x4x16xf32>, tensor<1x32x4xf64>) query_base(%base) {dilation_rate = 2} -> tensor<1x32x4x16xf32>, tensor<1x32x4xf64>
  return
}

// -----

func.func @gathered_lse_rows(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %v: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x64x4xf32>, %base: index) {
  // expected-error @+1 {{'lse' dimension 1 (N) is 64 but 'query' has 32}}
  longnet.gathered_branch_attention ins(%q, %k, %v : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x64x4xf32>) query_base(%base) {dilation_rate = 2}
  return
}
