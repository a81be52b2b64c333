// RUN: longnet-opt %s -split-input-file -longnet-convert-to-reference-calls | FileCheck %s

// f16 operands with every attribute and the lse result: operands widened to
// f64 and passed as dynamically shaped memrefs, output and lse written into
// f64 buffers sized from the query, the branches stored into i64 buffers,
// causal / scale / offset mode passed as scalars (grouped = 1), and the
// results converted back to f16 and f32.
// CHECK-LABEL: func.func private @longnet_reference_dilated_attention
// CHECK-SAME: (memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?xf64>, memref<?xi64>, memref<?xi64>, i64, f64, i64)
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @full
// CHECK-SAME: (%[[Q:.*]]: tensor<1x64x2x16xf16>, %[[K:.*]]: tensor<1x64x2x16xf16>, %[[V:.*]]: tensor<1x64x2x16xf16>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[B:.*]] = tensor.dim %[[Q]], %[[C0]]
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[N:.*]] = tensor.dim %[[Q]], %[[C1]]
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[H:.*]] = tensor.dim %[[Q]], %[[C2]]
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK-NEXT: %[[D:.*]] = tensor.dim %[[Q]], %[[C3]]
// CHECK: %[[OUT:.*]] = memref.alloc(%[[B]], %[[N]], %[[H]], %[[D]]) : memref<?x?x?x?xf64>
// CHECK: %[[LSE:.*]] = memref.alloc(%[[B]], %[[N]], %[[H]]) : memref<?x?x?xf64>
// CHECK: %[[Q64:.*]] = linalg.map { arith.extf } ins(%[[Q]] : tensor<1x64x2x16xf16>) outs(%{{.*}} : tensor<1x64x2x16xf64>)
// CHECK: %[[QB:.*]] = bufferization.to_buffer %[[Q64]] read_only : tensor<1x64x2x16xf64> to memref<1x64x2x16xf64>
// CHECK: %[[QM:.*]] = memref.cast %[[QB]] : memref<1x64x2x16xf64> to memref<?x?x?x?xf64>
// CHECK: %[[K64:.*]] = linalg.map { arith.extf } ins(%[[K]] : tensor<1x64x2x16xf16>)
// CHECK: %[[KB:.*]] = bufferization.to_buffer %[[K64]] read_only
// CHECK: %[[KM:.*]] = memref.cast %[[KB]] : memref<1x64x2x16xf64> to memref<?x?x?x?xf64>
// CHECK: %[[V64:.*]] = linalg.map { arith.extf } ins(%[[V]] : tensor<1x64x2x16xf16>)
// CHECK: %[[VB:.*]] = bufferization.to_buffer %[[V64]] read_only
// CHECK: %[[VM:.*]] = memref.cast %[[VB]] : memref<1x64x2x16xf64> to memref<?x?x?x?xf64>
// CHECK: %[[W_BUF:.*]] = memref.alloca() : memref<2xi64>
// CHECK: %[[W0:.*]] = arith.constant 16 : i64
// CHECK-NEXT: memref.store %[[W0]], %[[W_BUF]][%{{.*}}] : memref<2xi64>
// CHECK: %[[W1:.*]] = arith.constant 32 : i64
// CHECK-NEXT: memref.store %[[W1]], %[[W_BUF]][%{{.*}}] : memref<2xi64>
// CHECK: %[[W:.*]] = memref.cast %[[W_BUF]] : memref<2xi64> to memref<?xi64>
// CHECK: %[[R_BUF:.*]] = memref.alloca() : memref<2xi64>
// CHECK: %[[R0:.*]] = arith.constant 1 : i64
// CHECK-NEXT: memref.store %[[R0]], %[[R_BUF]][%{{.*}}] : memref<2xi64>
// CHECK: %[[R1:.*]] = arith.constant 2 : i64
// CHECK-NEXT: memref.store %[[R1]], %[[R_BUF]][%{{.*}}] : memref<2xi64>
// CHECK: %[[R:.*]] = memref.cast %[[R_BUF]] : memref<2xi64> to memref<?xi64>
// CHECK: %[[CAUSAL:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 1.250000e-01 : f64
// CHECK-NEXT: %[[MODE:.*]] = arith.constant 1 : i64
// CHECK-NEXT: call @longnet_reference_dilated_attention(%[[QM]], %[[KM]], %[[VM]], %[[OUT]], %[[LSE]], %[[W]], %[[R]], %[[CAUSAL]], %[[SCALE]], %[[MODE]])
// CHECK: %[[OUT_S:.*]] = memref.cast %[[OUT]] : memref<?x?x?x?xf64> to memref<1x64x2x16xf64>
// CHECK-NEXT: %[[OUT_T:.*]] = bufferization.to_tensor %[[OUT_S]] restrict writable : memref<1x64x2x16xf64> to tensor<1x64x2x16xf64>
// CHECK: %[[O16:.*]] = linalg.map { arith.truncf } ins(%[[OUT_T]] : tensor<1x64x2x16xf64>) outs(%{{.*}} : tensor<1x64x2x16xf16>)
// CHECK: %[[LSE_S:.*]] = memref.cast %[[LSE]] : memref<?x?x?xf64> to memref<1x64x2xf64>
// CHECK-NEXT: %[[LSE_T:.*]] = bufferization.to_tensor %[[LSE_S]] restrict writable : memref<1x64x2xf64> to tensor<1x64x2xf64>
// CHECK: %[[L32:.*]] = linalg.map { arith.truncf } ins(%[[LSE_T]] : tensor<1x64x2xf64>) outs(%{{.*}} : tensor<1x64x2xf32>)
// CHECK: return %[[O16]], %[[L32]] : tensor<1x64x2x16xf16>, tensor<1x64x2xf32>
// CHECK-NOT: longnet.dilated_attention
func.func @full(%q: tensor<1x64x2x16xf16>, %k: tensor<1x64x2x16xf16>, %v: tensor<1x64x2x16xf16>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16, 32>, dilation_rates = array<i64: 1, 2>,
             causal, scale = 0.125 : f32, offset_mode = #longnet.offset_mode<grouped>}
         : (tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2xf32>)
  return %o, %l : tensor<1x64x2x16xf16>, tensor<1x64x2xf32>
}

// -----

// f64 operands need no conversion; defaults: not causal (0), scale 0 (the
// reference's "1/sqrt(D)"), cyclic offsets (0); one branch.
// CHECK-LABEL: func.func private @longnet_reference_dilated_attention
// CHECK-LABEL: func.func @defaults_f64
// CHECK-SAME: (%[[Q:.*]]: tensor<?x?x?x?xf64>)
// CHECK-NOT: linalg.map
// CHECK: %[[OUT:.*]] = memref.alloc(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : memref<?x?x?x?xf64>
// CHECK: %[[QB:.*]] = bufferization.to_buffer %[[Q]] read_only : tensor<?x?x?x?xf64> to memref<?x?x?x?xf64>
// CHECK: %[[W_BUF:.*]] = memref.alloca() : memref<1xi64>
// CHECK: %[[W0:.*]] = arith.constant 8 : i64
// CHECK-NEXT: memref.store %[[W0]], %[[W_BUF]][%{{.*}}] : memref<1xi64>
// CHECK: %[[R_BUF:.*]] = memref.alloca() : memref<1xi64>
// CHECK: %[[R0:.*]] = arith.constant 1 : i64
// CHECK-NEXT: memref.store %[[R0]], %[[R_BUF]][%{{.*}}] : memref<1xi64>
// CHECK: %[[CAUSAL:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[MODE:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @longnet_reference_dilated_attention(%{{.*}}, %{{.*}}, %{{.*}}, %[[OUT]], %{{.*}}, %{{.*}}, %{{.*}}, %[[CAUSAL]], %[[SCALE]], %[[MODE]])
// CHECK-NOT: linalg.map
// CHECK: %[[OUT_T:.*]] = bufferization.to_tensor %{{.*}} restrict writable : memref<?x?x?x?xf64> to tensor<?x?x?x?xf64>
// CHECK-NEXT: return %[[OUT_T]] : tensor<?x?x?x?xf64>
func.func @defaults_f64(%q: tensor<?x?x?x?xf64>) -> tensor<?x?x?x?xf64> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 1>}
         : (tensor<?x?x?x?xf64>, tensor<?x?x?x?xf64>, tensor<?x?x?x?xf64>) -> tensor<?x?x?x?xf64>
  return %o : tensor<?x?x?x?xf64>
}

// -----

// Two ops in one module share one declaration; offset mode none is 2.
// CHECK: func.func private @longnet_reference_dilated_attention
// CHECK-NOT: func.func private @longnet_reference_dilated_attention
// CHECK-LABEL: func.func @two_ops
// CHECK: arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[MODE0:.*]] = arith.constant 2 : i64
// CHECK-NEXT: call @longnet_reference_dilated_attention({{.*}}, %[[MODE0]])
// CHECK-LABEL: func.func @other
// CHECK: arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %[[MODE1:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @longnet_reference_dilated_attention({{.*}}, %[[MODE1]])
// CHECK-NOT: longnet.dilated_attention
func.func @two_ops(%q: tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 2>,
         offset_mode = #longnet.offset_mode<none>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return %o : tensor<1x16x2x8xf32>
}
func.func @other(%q: tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 4>, dilation_rates = array<i64: 1>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return %o : tensor<1x16x2x8xf32>
}

// -----

// A declaration already in the module is reused, not duplicated.
// CHECK: func.func private @longnet_reference_dilated_attention
// CHECK-NOT: func.func private @longnet_reference_dilated_attention
// CHECK-LABEL: func.func @declared
// CHECK: call @longnet_reference_dilated_attention
func.func private @longnet_reference_dilated_attention(memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?x?xf64>,
    memref<?x?x?x?xf64>, memref<?x?x?xf64>, memref<?xi64>, memref<?xi64>, i64, f64, i64) attributes {llvm.emit_c_interface}
func.func @declared(%q: tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 2>}
         : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32>
  return %o : tensor<1x16x2x8xf32>
}

// -----

// Nothing to convert: no declaration is added.
// CHECK-NOT: longnet_reference_dilated_attention
// CHECK-LABEL: func.func @no_attention
// CHECK-NOT: longnet_reference_dilated_attention
func.func @no_attention(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// The backward: every operand widened to f64, the lse passed twice when
// there is no lse gradient (flag 0: not read), three f64 gradient buffers,
// the configuration as for the forward, gradients converted back.
// CHECK-LABEL: func.func private @longnet_reference_dilated_attention_backward
// CHECK-SAME: (memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?xf64>, i64, memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?x?x?x?xf64>, memref<?xi64>, memref<?xi64>, i64, f64, i64)
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @backward
// CHECK-DAG: %[[DQ:.*]] = memref.alloc(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : memref<?x?x?x?xf64>
// CHECK-DAG: %[[DK:.*]] = memref.alloc(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : memref<?x?x?x?xf64>
// CHECK-DAG: %[[DV:.*]] = memref.alloc(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : memref<?x?x?x?xf64>
// CHECK-DAG: %[[LSE:.*]] = memref.cast %{{.*}} : memref<1x8x2xf64> to memref<?x?x?xf64>
// CHECK-DAG: %[[NO_DLSE:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[CAUSAL:.*]] = arith.constant 1 : i64
// CHECK: call @longnet_reference_dilated_attention_backward(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[LSE]], %{{.*}}, %[[LSE]], %[[NO_DLSE]], %[[DQ]], %[[DK]], %[[DV]], %{{.*}}, %{{.*}}, %[[CAUSAL]], %{{.*}}, %{{.*}})
// CHECK: bufferization.to_tensor %{{.*}} restrict writable : memref<1x8x2x4xf64>
// CHECK: linalg.map { arith.truncf }
// CHECK-NOT: longnet.dilated_attention_backward
func.func @backward(%q: tensor<1x8x2x4xf32>, %lse: tensor<1x8x2xf32>) -> (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>) {
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %q, %q, %q, %lse, %q {segment_lengths = array<i64: 8>, dilation_rates = array<i64: 2>, causal}
    : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<1x8x2x4xf32>) -> (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
  return %dq, %dk, %dv : tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>
}
