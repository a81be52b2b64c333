// The op alone, in the form of the LongNet paper's mixture for N = 8192:
// two branches (w = 2048, r = 1) and (w = 4096, r = 2), causal, f16, with
// the torchscale head layout and the combined log-sum-exp as a second result.
func.func @main(%q: tensor<1x8192x12x64xf16>, %k: tensor<1x8192x12x64xf16>,
                %v: tensor<1x8192x12x64xf16>)
    -> (tensor<1x8192x12x64xf16>, tensor<1x8192x12xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 2048, 4096>,
      dilation_rates = array<i64: 1, 2>, causal, scale = 0.125 : f32,
      offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x8192x12x64xf16>, tensor<1x8192x12x64xf16>,
         tensor<1x8192x12x64xf16>)
      -> (tensor<1x8192x12x64xf16>, tensor<1x8192x12xf32>)
  return %o, %lse : tensor<1x8192x12x64xf16>, tensor<1x8192x12xf32>
}
