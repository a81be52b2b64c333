// RUN: longnet-opt %s -split-input-file -one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s

// The flash ops are destination style: they bufferize in place into the
// buffers of their outs operands and lose their results. A mixture
// decomposed by -longnet-decompose-mixture chains both branches through one
// pair of accumulator buffers, with no copy between them.
// CHECK-LABEL: func @two_branches
// CHECK-SAME: (%[[Q:.*]]: memref<1x64x2x16xf16, {{.*}}>, %[[K:.*]]: memref<1x64x2x16xf16, {{.*}}>, %[[V:.*]]: memref<1x64x2x16xf16, {{.*}}>)
// CHECK-NOT: memref.copy
// CHECK: %[[O:.*]] = memref.alloc() {{.*}} : memref<1x64x2x16xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[O]] : memref<1x64x2x16xf32>)
// CHECK: %[[L:.*]] = memref.alloc() {{.*}} : memref<1x64x2xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[L]] : memref<1x64x2xf32>)
// CHECK-NOT: memref.copy
// CHECK: {{^ *}}longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%[[O]], %[[L]] : memref<1x64x2x16xf32>, memref<1x64x2xf32>)
// CHECK-SAME: {causal, dilation_rate = 1 : i64, offset_mode = #longnet.offset_mode<grouped>, scale = 1.250000e-01 : f32, segment_length = 16 : i64}{{$}}
// CHECK-NEXT: {{^ *}}longnet.branch_attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%[[O]], %[[L]] : memref<1x64x2x16xf32>, memref<1x64x2xf32>)
// CHECK-SAME: {causal, dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<grouped>, scale = 1.250000e-01 : f32, segment_length = 32 : i64}{{$}}
// CHECK-NOT: memref.copy
// CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<1x64x2x16xf16>
// CHECK: linalg.map { arith.truncf } ins(%[[O]] : memref<1x64x2x16xf32>) outs(%[[OUT]] : memref<1x64x2x16xf16>)
// CHECK-NOT: memref.copy
// CHECK: return %[[OUT]], %[[L]] : memref<1x64x2x16xf16>, memref<1x64x2xf32>
func.func @two_branches(%q: tensor<1x64x2x16xf16>, %k: tensor<1x64x2x16xf16>, %v: tensor<1x64x2x16xf16>) -> (tensor<1x64x2x16xf16>, tensor<1x64x2xf32>) {
  %o_empty = tensor.empty() : tensor<1x64x2x16xf32>
  %zero = arith.constant 0.000000e+00 : f32
  %o_init = linalg.fill ins(%zero : f32) outs(%o_empty : tensor<1x64x2x16xf32>) -> tensor<1x64x2x16xf32>
  %l_empty = tensor.empty() : tensor<1x64x2xf32>
  %neg_inf = arith.constant 0xFF800000 : f32
  %l_init = linalg.fill ins(%neg_inf : f32) outs(%l_empty : tensor<1x64x2xf32>) -> tensor<1x64x2xf32>
  %o1, %l1 = longnet.branch_attention ins(%q, %k, %v : tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>)
               outs(%o_init, %l_init : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
               {causal, dilation_rate = 1 : i64, offset_mode = #longnet.offset_mode<grouped>, scale = 1.250000e-01 : f32, segment_length = 16 : i64}
               -> tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
  %o2, %l2 = longnet.branch_attention ins(%q, %k, %v : tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>)
               outs(%o1, %l1 : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
               {causal, dilation_rate = 2 : i64, offset_mode = #longnet.offset_mode<grouped>, scale = 1.250000e-01 : f32, segment_length = 32 : i64}
               -> tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
  %out_empty = tensor.empty() : tensor<1x64x2x16xf16>
  %out = linalg.map { arith.truncf } ins(%o2 : tensor<1x64x2x16xf32>) outs(%out_empty : tensor<1x64x2x16xf16>)
  return %out, %l2 : tensor<1x64x2x16xf16>, tensor<1x64x2xf32>
}

// -----

// Dense attention into tensor.empty: fresh buffers, no fill, no copy.
// CHECK-LABEL: func @dense
// CHECK-SAME: (%[[Q:.*]]: memref<1x64x2x16xf32, {{.*}}>, %[[K:.*]]: memref<1x64x2x16xf32, {{.*}}>, %[[V:.*]]: memref<1x64x2x16xf32, {{.*}}>)
// CHECK-NOT: linalg.fill
// CHECK-NOT: memref.copy
// CHECK-DAG: %[[O:.*]] = memref.alloc() {{.*}} : memref<1x64x2x16xf32>
// CHECK-DAG: %[[L:.*]] = memref.alloc() {{.*}} : memref<1x64x2xf32>
// CHECK: {{^ *}}longnet.attention ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%[[O]], %[[L]] : memref<1x64x2x16xf32>, memref<1x64x2xf32>) {causal}{{$}}
// CHECK-NOT: memref.copy
// CHECK: return %[[O]], %[[L]]
func.func @dense(%q: tensor<1x64x2x16xf32>, %k: tensor<1x64x2x16xf32>, %v: tensor<1x64x2x16xf32>) -> (tensor<1x64x2x16xf32>, tensor<1x64x2xf32>) {
  %o0 = tensor.empty() : tensor<1x64x2x16xf32>
  %l0 = tensor.empty() : tensor<1x64x2xf32>
  %o, %l = longnet.attention ins(%q, %k, %v : tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>)
             outs(%o0, %l0 : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>) {causal} -> tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
  return %o, %l : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
}

// -----

// Accumulators passed in as function arguments are written in place: the
// results are the argument buffers themselves. Query, key and value are
// only read.
// CHECK-LABEL: func @accumulators_in_place
// CHECK-SAME: (%[[Q:.*]]: memref<?x?x?x?xf32, {{.*}}>, %[[O:.*]]: memref<?x?x?x?xf32, {{.*}}>, %[[L:.*]]: memref<?x?x?xf32, {{.*}}>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: longnet.branch_attention ins(%[[Q]], %[[Q]], %[[Q]] : {{.*}}) outs(%[[O]], %[[L]] : {{.*}}) {dilation_rate = 2 : i64, segment_length = 8 : i64}{{$}}
// CHECK-NEXT: return %[[O]], %[[L]]
func.func @accumulators_in_place(%q: tensor<?x?x?x?xf32>, %o0: tensor<?x?x?x?xf32>, %l0: tensor<?x?x?xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?xf32>) {
  %o, %l = longnet.branch_attention ins(%q, %q, %q : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>)
             outs(%o0, %l0 : tensor<?x?x?x?xf32>, tensor<?x?x?xf32>) {segment_length = 8, dilation_rate = 2}
             -> tensor<?x?x?x?xf32>, tensor<?x?x?xf32>
  return %o, %l : tensor<?x?x?x?xf32>, tensor<?x?x?xf32>
}

// -----

// An outs value still used after the op is not clobbered: its buffer is
// copied first. The lse accumulator, dead afterwards, is written in place.
// CHECK-LABEL: func @outs_still_live
// CHECK-SAME: (%[[Q:.*]]: memref<4x8x2x4xf32, {{.*}}>, %[[O0:.*]]: memref<4x8x2x4xf32, {{.*}}>, %[[L0:.*]]: memref<4x8x2xf32, {{.*}}>)
// CHECK: %[[O:.*]] = memref.alloc() {{.*}} : memref<4x8x2x4xf32>
// CHECK: memref.copy %[[O0]], %[[O]]
// CHECK: longnet.branch_attention ins(%[[Q]], %[[Q]], %[[Q]] : {{.*}}) outs(%[[O]], %[[L0]] : {{.*}})
// CHECK: return %[[O]], %[[O0]]
func.func @outs_still_live(%q: tensor<4x8x2x4xf32>, %o0: tensor<4x8x2x4xf32>, %l0: tensor<4x8x2xf32>) -> (tensor<4x8x2x4xf32>, tensor<4x8x2x4xf32>) {
  %o, %l = longnet.branch_attention ins(%q, %q, %q : tensor<4x8x2x4xf32>, tensor<4x8x2x4xf32>, tensor<4x8x2x4xf32>)
             outs(%o0, %l0 : tensor<4x8x2x4xf32>, tensor<4x8x2xf32>) {segment_length = 8, dilation_rate = 2}
             -> tensor<4x8x2x4xf32>, tensor<4x8x2xf32>
  return %o, %o0 : tensor<4x8x2x4xf32>, tensor<4x8x2x4xf32>
}

// -----

// A query that is read again after the op needs no copy: the op only reads
// its ins.
// CHECK-LABEL: func @ins_read_only
// CHECK-SAME: (%[[Q:.*]]: memref<4x8x2x4xf32, {{.*}}>, %[[O0:.*]]: memref<4x8x2x4xf32, {{.*}}>, %[[L0:.*]]: memref<4x8x2xf32, {{.*}}>)
// CHECK-NOT: memref.copy
// CHECK: longnet.attention ins(%[[Q]], %[[Q]], %[[Q]] : {{.*}}) outs(%[[O0]], %[[L0]] : {{.*}})
// CHECK-NOT: memref.copy
// CHECK: linalg.add ins(%[[Q]], %[[O0]] : {{.*}}) outs(%[[O0]] : {{.*}})
func.func @ins_read_only(%q: tensor<4x8x2x4xf32>, %o0: tensor<4x8x2x4xf32>, %l0: tensor<4x8x2xf32>) -> tensor<4x8x2x4xf32> {
  %o, %l = longnet.attention ins(%q, %q, %q : tensor<4x8x2x4xf32>, tensor<4x8x2x4xf32>, tensor<4x8x2x4xf32>)
             outs(%o0, %l0 : tensor<4x8x2x4xf32>, tensor<4x8x2xf32>) -> tensor<4x8x2x4xf32>, tensor<4x8x2xf32>
  %r = linalg.add ins(%q, %o : tensor<4x8x2x4xf32>, tensor<4x8x2x4xf32>) outs(%o : tensor<4x8x2x4xf32>) -> tensor<4x8x2x4xf32>
  return %r : tensor<4x8x2x4xf32>
}
