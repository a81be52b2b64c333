// RUN: longnet-opt %s -split-input-file | FileCheck %s
// Round trip through the generic form must give the same custom form.
// RUN: longnet-opt %s -split-input-file -mlir-print-op-generic | longnet-opt -split-input-file | FileCheck %s
// RUN: longnet-opt %s -split-input-file -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func @paper_form
// CHECK-SAME: (%[[Q:.*]]: tensor<1x8192x12x64xf16>, %[[K:.*]]: tensor<1x8192x12x64xf16>, %[[V:.*]]: tensor<1x8192x12x64xf16>)
// CHECK: %[[O:.*]] = longnet.dilated_attention %[[Q]], %[[K]], %[[V]]
// CHECK-SAME: causal
// CHECK-SAME: dilation_rates = array<i64: 1, 2>
// CHECK-SAME: offset_mode = #longnet.offset_mode<grouped>
// CHECK-SAME: scale = 1.250000e-01 : f32
// CHECK-SAME: segment_lengths = array<i64: 2048, 4096>
// CHECK-SAME: : (tensor<1x8192x12x64xf16>, tensor<1x8192x12x64xf16>, tensor<1x8192x12x64xf16>) -> tensor<1x8192x12x64xf16>
// CHECK: return %[[O]]
// GENERIC-LABEL: sym_name = "paper_form"
// GENERIC: "longnet.dilated_attention"(%{{.*}}, %{{.*}}, %{{.*}}) <{causal, dilation_rates = array<i64: 1, 2>, offset_mode = #longnet.offset_mode<grouped>, scale = 1.250000e-01 : f32, segment_lengths = array<i64: 2048, 4096>}>
func.func @paper_form(%q: tensor<1x8192x12x64xf16>, %k: tensor<1x8192x12x64xf16>, %v: tensor<1x8192x12x64xf16>) -> tensor<1x8192x12x64xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 2048, 4096>,
         dilation_rates = array<i64: 1, 2>, causal, scale = 0.125 : f32,
         offset_mode = #longnet.offset_mode<grouped>}
         : (tensor<1x8192x12x64xf16>, tensor<1x8192x12x64xf16>, tensor<1x8192x12x64xf16>) -> tensor<1x8192x12x64xf16>
  return %o : tensor<1x8192x12x64xf16>
}

// -----

// Defaults (cyclic offsets, no causal flag, no scale) are not printed in the
// custom form; the generic form spells out the default offset mode.
// CHECK-LABEL: func @defaults
// CHECK: longnet.dilated_attention %{{.*}}, %{{.*}}, %{{.*}} {dilation_rates = array<i64: 1>, segment_lengths = array<i64: 16>} : (tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>) -> tensor<2x64x4x16xf32>
// GENERIC-LABEL: sym_name = "defaults"
// GENERIC: "longnet.dilated_attention"(%{{.*}}, %{{.*}}, %{{.*}}) <{dilation_rates = array<i64: 1>, offset_mode = #longnet.offset_mode<cyclic>, segment_lengths = array<i64: 16>}>
func.func @defaults(%q: tensor<2x64x4x16xf32>, %k: tensor<2x64x4x16xf32>, %v: tensor<2x64x4x16xf32>) -> tensor<2x64x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
         : (tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>) -> tensor<2x64x4x16xf32>
  return %o : tensor<2x64x4x16xf32>
}

// -----

// The default offset mode written out explicitly is elided on printing.
// CHECK-LABEL: func @explicit_cyclic
// CHECK-NOT: offset_mode
// CHECK: return
func.func @explicit_cyclic(%q: tensor<1x32x2x8xbf16>) -> tensor<1x32x2x8xbf16> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 2>,
         offset_mode = #longnet.offset_mode<cyclic>}
         : (tensor<1x32x2x8xbf16>, tensor<1x32x2x8xbf16>, tensor<1x32x2x8xbf16>) -> tensor<1x32x2x8xbf16>
  return %o : tensor<1x32x2x8xbf16>
}

// -----

// Dynamic dimensions, the lse result, offset mode none, three branches.
// CHECK-LABEL: func @dynamic_with_lse
// CHECK: %[[O:.*]], %[[L:.*]] = longnet.dilated_attention
// CHECK-SAME: offset_mode = #longnet.offset_mode<none>
// CHECK-SAME: segment_lengths = array<i64: 128, 256, 512>
// CHECK-SAME: : (tensor<?x?x?x?xf64>, tensor<?x?x?x?xf64>, tensor<?x?x?x?xf64>) -> (tensor<?x?x?x?xf64>, tensor<?x?x?xf32>)
// CHECK: return %[[O]], %[[L]]
func.func @dynamic_with_lse(%q: tensor<?x?x?x?xf64>, %k: tensor<?x?x?x?xf64>, %v: tensor<?x?x?x?xf64>) -> (tensor<?x?x?x?xf64>, tensor<?x?x?xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 128, 256, 512>,
         dilation_rates = array<i64: 1, 2, 4>, offset_mode = #longnet.offset_mode<none>}
         : (tensor<?x?x?x?xf64>, tensor<?x?x?x?xf64>, tensor<?x?x?x?xf64>) -> (tensor<?x?x?x?xf64>, tensor<?x?x?xf32>)
  return %o, %lse : tensor<?x?x?x?xf64>, tensor<?x?x?xf32>
}

// -----

// Static and dynamic dimensions may be mixed where they do not contradict.
// CHECK-LABEL: func @mixed_static_dynamic
// CHECK: longnet.dilated_attention
// CHECK-SAME: (tensor<1x?x4x64xf16>, tensor<?x1024x4x64xf16>, tensor<1x1024x?x64xf16>) -> (tensor<1x1024x4x64xf16>, tensor<?x1024x4xf32>)
func.func @mixed_static_dynamic(%q: tensor<1x?x4x64xf16>, %k: tensor<?x1024x4x64xf16>, %v: tensor<1x1024x?x64xf16>) -> (tensor<1x1024x4x64xf16>, tensor<?x1024x4xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 256>, dilation_rates = array<i64: 256>}
         : (tensor<1x?x4x64xf16>, tensor<?x1024x4x64xf16>, tensor<1x1024x?x64xf16>) -> (tensor<1x1024x4x64xf16>, tensor<?x1024x4xf32>)
  return %o, %lse : tensor<1x1024x4x64xf16>, tensor<?x1024x4xf32>
}
