// The shipped examples parse, verify and survive a generic-form round trip.
// RUN: longnet-opt %longnet_src_root/examples/dilated_attention.mlir | FileCheck %s --check-prefix=OP
// RUN: longnet-opt %longnet_src_root/examples/dilated_attention.mlir -mlir-print-op-generic | longnet-opt | FileCheck %s --check-prefix=OP
// RUN: longnet-opt %longnet_src_root/examples/longnet_layer.mlir | FileCheck %s --check-prefix=LAYER

// OP-LABEL: func @main
// OP: %{{.*}}, %{{.*}} = longnet.dilated_attention
// OP-SAME: causal, dilation_rates = array<i64: 1, 2>, offset_mode = #longnet.offset_mode<grouped>, scale = 1.250000e-01 : f32, segment_lengths = array<i64: 2048, 4096>
// OP-SAME: -> (tensor<1x8192x12x64xf16>, tensor<1x8192x12xf32>)

// LAYER-LABEL: func @main
// LAYER-COUNT-3: linalg.matmul
// LAYER: longnet.dilated_attention
// LAYER-SAME: dilation_rates = array<i64: 1, 2, 4, 6, 12>
// LAYER-SAME: segment_lengths = array<i64: 2048, 4096, 8192, 16384, 32768>
// LAYER: linalg.matmul
