// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-convert-attention-to-nvgpu="key-tile=64"

// 64-key stages for D = 128 need 4 * 64 * 136 * 2 bytes: more than the 48 KiB
// of static shared memory.
func.func @key_tile_too_large(%q: memref<1x64x2x128xf16>, %o: memref<1x64x2x128xf32>, %l: memref<1x64x2xf32>) {
  // expected-error @+1 {{'longnet.attention' op key-tile 64 does not fit the tensor-core kernel for D = 128: it must be a multiple of 16, at least 16, and its double-buffered K/V tiles (69632 bytes) must fit in 49152 bytes of shared memory}}
  longnet.attention ins(%q, %q, %q : memref<1x64x2x128xf16>, memref<1x64x2x128xf16>, memref<1x64x2x128xf16>)
    outs(%o, %l : memref<1x64x2x128xf32>, memref<1x64x2xf32>)
  return
}
