// A LongNet attention layer at N = 32K tokens, model width 256 (H = 4 heads
// of D = 64): Q/K/V projections, dilated attention with the paper's mixture
// (w = 2048 .. 32768, r = 1, 2, 4, 6, 12), causal, and the output projection.
// Upstream linalg/tensor ops and the longnet op live in one function.
func.func @main(%x: tensor<32768x256xf32>, %wq: tensor<256x256xf32>,
                %wk: tensor<256x256xf32>, %wv: tensor<256x256xf32>,
                %wo: tensor<256x256xf32>) -> tensor<32768x256xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<32768x256xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<32768x256xf32>)
      -> tensor<32768x256xf32>

  %q2 = linalg.matmul ins(%x, %wq : tensor<32768x256xf32>, tensor<256x256xf32>)
                      outs(%acc : tensor<32768x256xf32>) -> tensor<32768x256xf32>
  %k2 = linalg.matmul ins(%x, %wk : tensor<32768x256xf32>, tensor<256x256xf32>)
                      outs(%acc : tensor<32768x256xf32>) -> tensor<32768x256xf32>
  %v2 = linalg.matmul ins(%x, %wv : tensor<32768x256xf32>, tensor<256x256xf32>)
                      outs(%acc : tensor<32768x256xf32>) -> tensor<32768x256xf32>

  %q = tensor.expand_shape %q2 [[0, 1], [2, 3]] output_shape [1, 32768, 4, 64]
      : tensor<32768x256xf32> into tensor<1x32768x4x64xf32>
  %k = tensor.expand_shape %k2 [[0, 1], [2, 3]] output_shape [1, 32768, 4, 64]
      : tensor<32768x256xf32> into tensor<1x32768x4x64xf32>
  %v = tensor.expand_shape %v2 [[0, 1], [2, 3]] output_shape [1, 32768, 4, 64]
      : tensor<32768x256xf32> into tensor<1x32768x4x64xf32>

  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 2048, 4096, 8192, 16384, 32768>,
      dilation_rates = array<i64: 1, 2, 4, 6, 12>, causal}
      : (tensor<1x32768x4x64xf32>, tensor<1x32768x4x64xf32>,
         tensor<1x32768x4x64xf32>) -> tensor<1x32768x4x64xf32>

  %o2 = tensor.collapse_shape %o [[0, 1], [2, 3]]
      : tensor<1x32768x4x64xf32> into tensor<32768x256xf32>
  %y = linalg.matmul ins(%o2, %wo : tensor<32768x256xf32>, tensor<256x256xf32>)
                     outs(%acc : tensor<32768x256xf32>) -> tensor<32768x256xf32>
  return %y : tensor<32768x256xf32>
}
