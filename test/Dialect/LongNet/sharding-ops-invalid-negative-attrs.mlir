// RUN: longnet-opt %s -split-input-file -verify-diagnostics
// Negative attributes (I64Attr getters are unsigned: the verifiers compare
// the signed values).

func.func @gather_negative_group(%x: memref<1x16x4x16xf16>, %init: memref<1x64x4x16xf16>) {
  // expected-error @+1 {{'group_size' = -2 must be at least 1}}
  longnet.segment_all_gather ins(%x : memref<1x16x4x16xf16>) outs(%init : memref<1x64x4x16xf16>) {group_size = -2}
  return
}

// -----

func.func @gather_negative_group_dynamic(%x: memref<1x?x4x16xf16>, %init: memref<1x?x4x16xf16>) {
  // expected-error @+1 {{'group_size' = -3 must be at least 1}}
  longnet.segment_all_gather ins(%x : memref<1x?x4x16xf16>) outs(%init : memref<1x?x4x16xf16>) {group_size = -3}
  return
}

// -----

func.func @gathered_negative_rate(%q: memref<1x32x4x16xf16>, %k: memref<1x64x4x16xf16>, %o: memref<1x32x4x16xf32>, %l: memref<1x32x4xf32>, %base: index) {
  // expected-error @+1 {{'dilation_rate' = -1 must be at least 1}}
  longnet.gathered_branch_attention ins(%q, %k, %k : memref<1x32x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x32x4x16xf32>, memref<1x32x4xf32>) query_base(%base) {dilation_rate = -1}
  return
}

// -----

func.func @gathered_negative_rate_no_rows(%q: memref<1x0x4x16xf16>, %k: memref<1x64x4x16xf16>, %o: memref<1x0x4x16xf32>, %l: memref<1x0x4xf32>, %base: index) {
  // expected-error @+1 {{'dilation_rate' = -1 must be at least 1}}
  longnet.gathered_branch_attention ins(%q, %k, %k : memref<1x0x4x16xf16>, memref<1x64x4x16xf16>, memref<1x64x4x16xf16>)
    outs(%o, %l : memref<1x0x4x16xf32>, memref<1x0x4xf32>) query_base(%base) {dilation_rate = -1}
  return
}
