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

// -----

// Branch op on tensors: f16 operands, f32 accumulators, two results typed
// like the outs operands, every attribute set.
// CHECK-LABEL: func @branch_attention_tensors
// CHECK-SAME: (%[[Q:.*]]: tensor<1x64x2x16xf16>, %[[K:.*]]: tensor<1x64x2x16xf16>, %[[V:.*]]: tensor<1x64x2x16xf16>, %[[O0:.*]]: tensor<1x64x2x16xf32>, %[[L0:.*]]: tensor<1x64x2xf32>)
// CHECK: %[[R:.*]]:2 = longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>) outs(%[[O0]], %[[L0]] : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
// CHECK-SAME: {causal, dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<grouped>, scale = 2.500000e-01 : f32, segment_length = 16 : i64}
// CHECK-SAME: -> tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
// CHECK: return %[[R]]#0, %[[R]]#1
// GENERIC-LABEL: sym_name = "branch_attention_tensors"
// GENERIC: %{{.*}}:2 = "longnet.branch_attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{causal, dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<grouped>, scale = 2.500000e-01 : f32, segment_length = 16 : i64}>
// GENERIC-SAME: : (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf32>, tensor<1x64x2xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
func.func @branch_attention_tensors(%q: tensor<1x64x2x16xf16>, %k: tensor<1x64x2x16xf16>, %v: tensor<1x64x2x16xf16>,
                                    %o0: tensor<1x64x2x16xf32>, %l0: tensor<1x64x2xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2xf32>) {
  %o, %l = longnet.branch_attention ins(%q, %k, %v : tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>)
             outs(%o0, %l0 : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
             {segment_length = 16, dilation_rate = 2, causal, scale = 0.25 : f32, offset_mode = #longnet.offset_mode<grouped>}
             -> tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
  return %o, %l : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
}

// -----

// Branch op on memrefs with dynamic dimensions: no results, so no `->`; the
// defaults (cyclic offsets, no causal flag, no scale) are not printed.
// CHECK-LABEL: func @branch_attention_memrefs
// CHECK-SAME: (%[[Q:.*]]: memref<?x?x?x?xf16>, %[[K:.*]]: memref<?x?x?x?xf16>, %[[V:.*]]: memref<?x?x?x?xf16>, %[[O:.*]]: memref<?x?x?x?xf32>, %[[L:.*]]: memref<?x?x?xf32>)
// CHECK-NEXT: longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : memref<?x?x?x?xf16>, memref<?x?x?x?xf16>, memref<?x?x?x?xf16>) outs(%[[O]], %[[L]] : memref<?x?x?x?xf32>, memref<?x?x?xf32>) {dilation_rate = 4 : i64, segment_length = 32 : i64}{{$}}
// CHECK-NEXT: return
// GENERIC-LABEL: sym_name = "branch_attention_memrefs"
// GENERIC: "longnet.branch_attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{dilation_rate = 4 : i64, offset_mode = #longnet.offset_mode<cyclic>, segment_length = 32 : i64}>
// GENERIC-SAME: : (memref<?x?x?x?xf16>, memref<?x?x?x?xf16>, memref<?x?x?x?xf16>, memref<?x?x?x?xf32>, memref<?x?x?xf32>) -> (){{$}}
func.func @branch_attention_memrefs(%q: memref<?x?x?x?xf16>, %k: memref<?x?x?x?xf16>, %v: memref<?x?x?x?xf16>,
                                    %o: memref<?x?x?x?xf32>, %l: memref<?x?x?xf32>) {
  longnet.branch_attention ins(%q, %k, %v : memref<?x?x?x?xf16>, memref<?x?x?x?xf16>, memref<?x?x?x?xf16>)
    outs(%o, %l : memref<?x?x?x?xf32>, memref<?x?x?xf32>) {segment_length = 32, dilation_rate = 4}
  return
}

// -----

// Dense attention on tensors with dynamic dimensions, f16 in, f32 out.
// CHECK-LABEL: func @attention_tensors
// CHECK-SAME: (%[[Q:.*]]: tensor<?x?x4x?xf16>, %[[K:.*]]: tensor<?x?x4x?xf16>, %[[V:.*]]: tensor<?x?x4x?xf16>, %[[O0:.*]]: tensor<?x?x4x?xf32>, %[[L0:.*]]: tensor<?x?x4xf32>)
// CHECK: %[[R:.*]]:2 = longnet.attention ins(%[[Q]], %[[K]], %[[V]] : tensor<?x?x4x?xf16>, tensor<?x?x4x?xf16>, tensor<?x?x4x?xf16>) outs(%[[O0]], %[[L0]] : tensor<?x?x4x?xf32>, tensor<?x?x4xf32>)
// CHECK-SAME: {causal, scale = 1.250000e-01 : f32} -> tensor<?x?x4x?xf32>, tensor<?x?x4xf32>
// CHECK: return %[[R]]#0, %[[R]]#1
// GENERIC-LABEL: sym_name = "attention_tensors"
// GENERIC: %{{.*}}:2 = "longnet.attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{causal, scale = 1.250000e-01 : f32}>
// GENERIC-SAME: : (tensor<?x?x4x?xf16>, tensor<?x?x4x?xf16>, tensor<?x?x4x?xf16>, tensor<?x?x4x?xf32>, tensor<?x?x4xf32>) -> (tensor<?x?x4x?xf32>, tensor<?x?x4xf32>)
func.func @attention_tensors(%q: tensor<?x?x4x?xf16>, %k: tensor<?x?x4x?xf16>, %v: tensor<?x?x4x?xf16>,
                             %o0: tensor<?x?x4x?xf32>, %l0: tensor<?x?x4xf32>) -> (tensor<?x?x4x?xf32>, tensor<?x?x4xf32>) {
  %o, %l = longnet.attention ins(%q, %k, %v : tensor<?x?x4x?xf16>, tensor<?x?x4x?xf16>, tensor<?x?x4x?xf16>)
             outs(%o0, %l0 : tensor<?x?x4x?xf32>, tensor<?x?x4xf32>) {causal, scale = 0.125 : f32}
             -> tensor<?x?x4x?xf32>, tensor<?x?x4xf32>
  return %o, %l : tensor<?x?x4x?xf32>, tensor<?x?x4xf32>
}

// -----

// Dense attention on memrefs: bf16 in, f32 accumulators, static and dynamic
// dimensions mixed; no attributes and no results.
// CHECK-LABEL: func @attention_memrefs
// CHECK-SAME: (%[[Q:.*]]: memref<2x?x4x64xbf16>, %[[K:.*]]: memref<?x128x4x64xbf16>, %[[V:.*]]: memref<2x128x?x64xbf16>, %[[O:.*]]: memref<2x128x4x?xf32>, %[[L:.*]]: memref<?x?x4xf32>)
// CHECK-NEXT: longnet.attention ins(%[[Q]], %[[K]], %[[V]] : memref<2x?x4x64xbf16>, memref<?x128x4x64xbf16>, memref<2x128x?x64xbf16>) outs(%[[O]], %[[L]] : memref<2x128x4x?xf32>, memref<?x?x4xf32>){{$}}
// CHECK-NEXT: return
// GENERIC-LABEL: sym_name = "attention_memrefs"
// GENERIC: "longnet.attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (memref<2x?x4x64xbf16>, memref<?x128x4x64xbf16>, memref<2x128x?x64xbf16>, memref<2x128x4x?xf32>, memref<?x?x4xf32>) -> (){{$}}
func.func @attention_memrefs(%q: memref<2x?x4x64xbf16>, %k: memref<?x128x4x64xbf16>, %v: memref<2x128x?x64xbf16>,
                             %o: memref<2x128x4x?xf32>, %l: memref<?x?x4xf32>) {
  longnet.attention ins(%q, %k, %v : memref<2x?x4x64xbf16>, memref<?x128x4x64xbf16>, memref<2x128x?x64xbf16>)
    outs(%o, %l : memref<2x128x4x?xf32>, memref<?x?x4xf32>)
  return
}

// -----

// f64 operands keep f64 accumulators.
// CHECK-LABEL: func @attention_f64
// CHECK: %{{.*}}:2 = longnet.attention ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>) outs(%{{.*}}, %{{.*}} : tensor<1x8x1x4xf64>, tensor<1x8x1xf64>) -> tensor<1x8x1x4xf64>, tensor<1x8x1xf64>
// GENERIC-LABEL: sym_name = "attention_f64"
// GENERIC: "longnet.attention"
// GENERIC-SAME: -> (tensor<1x8x1x4xf64>, tensor<1x8x1xf64>)
func.func @attention_f64(%q: tensor<1x8x1x4xf64>, %o0: tensor<1x8x1x4xf64>, %l0: tensor<1x8x1xf64>) -> (tensor<1x8x1x4xf64>, tensor<1x8x1xf64>) {
  %o, %l = longnet.attention ins(%q, %q, %q : tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>, tensor<1x8x1x4xf64>)
             outs(%o0, %l0 : tensor<1x8x1x4xf64>, tensor<1x8x1xf64>) -> tensor<1x8x1x4xf64>, tensor<1x8x1xf64>
  return %o, %l : tensor<1x8x1x4xf64>, tensor<1x8x1xf64>
}

// -----

// The backward, with and without the lse gradient, and its branch op.
// CHECK-LABEL: func @backward
// CHECK: %{{.*}}, %{{.*}}, %{{.*}} = longnet.dilated_attention_backward %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {causal, dilation_rates = array<i64: 1, 2>, offset_mode = #longnet.offset_mode<none>, scale = 2.500000e-01 : f32, segment_lengths = array<i64: 16, 32>}
// CHECK-SAME: : (tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>, tensor<1x64x2xf32>, tensor<1x64x2x16xbf16>, tensor<1x64x2xf32>) -> (tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>)
// CHECK: longnet.dilated_attention_backward %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {dilation_rates = array<i64: 4>, segment_lengths = array<i64: 8>}
// CHECK-SAME: : (tensor<?x?x2x16xbf16>, tensor<?x?x2x16xbf16>, tensor<?x?x2x16xbf16>, tensor<?x?x2x16xbf16>, tensor<?x?x2xf32>, tensor<?x?x2x16xbf16>) -> (tensor<?x?x2x16xbf16>, tensor<?x?x2x16xbf16>, tensor<?x?x2x16xbf16>)
// GENERIC-LABEL: sym_name = "backward"
// GENERIC: "longnet.dilated_attention_backward"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// GENERIC: "longnet.dilated_attention_backward"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
func.func @backward(%q: tensor<1x64x2x16xbf16>, %o: tensor<1x64x2x16xbf16>, %lse: tensor<1x64x2xf32>,
                    %qd: tensor<?x?x2x16xbf16>, %lsed: tensor<?x?x2xf32>) {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %q, %q, %o, %lse, %o, %lse {
      segment_lengths = array<i64: 16, 32>, dilation_rates = array<i64: 1, 2>, causal,
      scale = 0.25 : f32, offset_mode = #longnet.offset_mode<none>}
    : (tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>,
       tensor<1x64x2xf32>, tensor<1x64x2x16xbf16>, tensor<1x64x2xf32>)
      -> (tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>, tensor<1x64x2x16xbf16>)
  %a, %b, %c = longnet.dilated_attention_backward %qd, %qd, %qd, %qd, %lsed, %qd {
      segment_lengths = array<i64: 8>, dilation_rates = array<i64: 4>}
    : (tensor<?x?x2x16xbf16>, tensor<?x?x2x16xbf16>, tensor<?x?x2x16xbf16>, tensor<?x?x2x16xbf16>,
       tensor<?x?x2xf32>, tensor<?x?x2x16xbf16>)
      -> (tensor<?x?x2x16xbf16>, tensor<?x?x2x16xbf16>, tensor<?x?x2x16xbf16>)
  return
}

// -----

// CHECK-LABEL: func @branch_backward
// CHECK: %{{.*}}:3 = longnet.branch_attention_backward ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2xf32>, tensor<1x64x2xf32>)
// CHECK-SAME: outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>)
// CHECK-SAME: {causal, dilation_rate = 2 : i64, segment_length = 16 : i64}
// CHECK-SAME: -> tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>
// CHECK: longnet.branch_attention_backward ins({{.*}} : memref<1x64x2x16xf16>, {{.*}}) outs({{.*}} : memref<1x64x2x16xf32>, memref<1x64x2x16xf32>, memref<1x64x2x16xf32>) {dilation_rate = 1 : i64, segment_length = 64 : i64}
// CHECK-NOT: ->
// GENERIC-LABEL: sym_name = "branch_backward"
// GENERIC: "longnet.branch_attention_backward"
func.func @branch_backward(%q: tensor<1x64x2x16xf16>, %l: tensor<1x64x2xf32>, %acc: tensor<1x64x2x16xf32>,
                           %qm: memref<1x64x2x16xf16>, %lm: memref<1x64x2xf32>, %accm: memref<1x64x2x16xf32>) {
  %r:3 = longnet.branch_attention_backward ins(%q, %q, %q, %q, %l, %l : tensor<1x64x2x16xf16>,
           tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2xf32>, tensor<1x64x2xf32>)
         outs(%acc, %acc, %acc : tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>)
         {segment_length = 16, dilation_rate = 2, causal}
         -> tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>
  longnet.branch_attention_backward ins(%qm, %qm, %qm, %qm, %lm, %lm : memref<1x64x2x16xf16>,
           memref<1x64x2x16xf16>, memref<1x64x2x16xf16>, memref<1x64x2x16xf16>, memref<1x64x2xf32>, memref<1x64x2xf32>)
         outs(%accm, %accm, %accm : memref<1x64x2x16xf32>, memref<1x64x2x16xf32>, memref<1x64x2x16xf32>)
         {segment_length = 64, dilation_rate = 1}
  return
}
