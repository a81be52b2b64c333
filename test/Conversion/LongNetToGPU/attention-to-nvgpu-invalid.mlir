// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-convert-attention-to-nvgpu="key-tile=24"
// RUN: not longnet-opt %s -split-input-file -longnet-convert-attention-to-nvgpu="key-tile=-1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: error: longnet-convert-attention-to-nvgpu: key-tile must be >= 0, got -1
// NEGATIVE-NOT: gpu.launch

func.func @dynamic_head_dim(%q: memref<1x64x2x?xf16>, %o: memref<1x64x2x?xf32>, %l: memref<1x64x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op needs a static head dimension D to be lowered to a GPU kernel}}
  longnet.attention ins(%q, %q, %q : memref<1x64x2x?xf16>, memref<1x64x2x?xf16>, memref<1x64x2x?xf16>)
    outs(%o, %l : memref<1x64x2x?xf32>, memref<1x64x2xf32>)
  return
}

// -----

func.func @tensor_form(%q: tensor<1x16x1x16xf16>, %o: tensor<1x16x1x16xf32>, %l: tensor<1x16x1xf32>)
    -> (tensor<1x16x1x16xf32>, tensor<1x16x1xf32>) {
  // expected-error @+1 {{'longnet.attention' op must be bufferized before longnet-convert-attention-to-nvgpu}}
  %r:2 = longnet.attention ins(%q, %q, %q : tensor<1x16x1x16xf16>, tensor<1x16x1x16xf16>, tensor<1x16x1x16xf16>)
    outs(%o, %l : tensor<1x16x1x16xf32>, tensor<1x16x1xf32>) -> tensor<1x16x1x16xf32>, tensor<1x16x1xf32>
  return %r#0, %r#1 : tensor<1x16x1x16xf32>, tensor<1x16x1xf32>
}

// -----

// 24 keys is not a multiple of 16.
func.func @key_tile_not_multiple_of_16(%q: memref<1x64x2x64xf16>, %o: memref<1x64x2x64xf32>, %l: memref<1x64x2xf32>) {
  // expected-error @+1 {{'longnet.branch_attention' op key-tile 24 does not fit the tensor-core kernel for D = 64: it must be a multiple of 16}}
  longnet.branch_attention ins(%q, %q, %q : memref<1x64x2x64xf16>, memref<1x64x2x64xf16>, memref<1x64x2x64xf16>)
    outs(%o, %l : memref<1x64x2x64xf32>, memref<1x64x2xf32>) {segment_length = 32, dilation_rate = 2}
  return
}

// -----

// The key tile only constrains the tensor-core kernel: f32 is accepted.
func.func @key_tile_ignored_for_f32(%q: memref<1x64x2x64xf32>, %o: memref<1x64x2x64xf32>, %l: memref<1x64x2xf32>) {
  longnet.attention ins(%q, %q, %q : memref<1x64x2x64xf32>, memref<1x64x2x64xf32>, memref<1x64x2x64xf32>)
    outs(%o, %l : memref<1x64x2x64xf32>, memref<1x64x2xf32>)
  return
}
