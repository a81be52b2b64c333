// RUN: longnet-opt %s -split-input-file --longnet-cost-report="devices=1" | FileCheck %s --check-prefix=P1
// RUN: longnet-opt %s -split-input-file --longnet-cost-report="devices=2" | FileCheck %s --check-prefix=P2
// RUN: longnet-opt %s -split-input-file --longnet-cost-report="devices=4" | FileCheck %s --check-prefix=P4
// RUN: longnet-opt %s -split-input-file --longnet-cost-report="devices=8" | FileCheck %s --check-prefix=P8
// RUN: longnet-opt %s -split-input-file --longnet-cost-report="devices=4" | FileCheck %s --check-prefix=IR

// The pass is analysis only: the IR comes out unchanged.
// IR-LABEL: func.func @mix
// IR: longnet.dilated_attention

// B = 1, N = 16, H = 2, D = 4, f32: 4 * B * H * D = 32 FLOPs per (query, key)
// pair, summed over heads. Base activation bytes (l local tokens):
//   4 * B * l * H * D * 4 (Q, K, V, output) + (B * l * H * D + B * l * H) * 4
//   (f32 accumulators): l = 16: 2048 + 640 = 2688; l = 8: 1344; l = 4: 672;
//   l = 2: 336.
// P = 1: (4, 1): 4 segments of 4 pairs^2: 4 * 16 * 32 = 2048;
//        (8, 2): 2 segments selecting 4: 2 * 16 * 32 / 2 = 1024 (16 pairs per
//        head, 2 heads, 4 * B * D = 16): 2 * 16 * 2 * 16 = 1024;
//        (16, 4): 1 segment selecting 4: 16 * 2 * 16 = 512. Total 3584.
// P1-LABEL: longnet-cost-report: longnet.dilated_attention #0 in @mix
// P1-NEXT: B = 1, N = 16, H = 2, D = 4, f32 (4 bytes), non-causal, offset cyclic
// P1-NEXT: P = 1, l = 16 tokens per device, base activation bytes per device: 2688
// P1-NEXT: branch w r flops activation_bytes recv_bytes spec_recv_elems kind
// P1-NEXT: 0 4 1 2048 2688 0 0 local
// P1-NEXT: 1 8 2 1024 2688 0 0 local
// P1-NEXT: 2 16 4 512 2688 0 0 local
// P1-NEXT: total flops per device: 3584
// P1-NEXT: peak activation bytes per device: 2688
// P1-NEXT: total bytes received per device: 0

// P = 2, l = 8: (4, 1) and (8, 2) local, FLOPs / 2. (16, 4) spans 2 devices:
// m = l / r = 2 local rows per head against G * m = 4 gathered keys:
// 2 * 4 * 2 heads * 16 = 256 FLOPs (the two devices sum to P = 1's 512).
// Extra memory: gathered 2 * B * 4 * H * D = 64 and local 2 * B * 2 * H * D
// = 32 elements, * 4 bytes = 384: 1344 + 384 = 1728. Received:
// (G - 1) * 2 * B * m * H * D * 4 = 128 bytes; SPEC: 2 * B * H * D * w / r
// = 64 elements.
// P2-LABEL: longnet-cost-report: longnet.dilated_attention #0 in @mix
// P2: P = 2, l = 8 tokens per device, base activation bytes per device: 1344
// P2: 0 4 1 1024 1344 0 0 local
// P2-NEXT: 1 8 2 512 1344 0 0 local
// P2-NEXT: 2 16 4 256 1728 128 64 spans 2
// P2-NEXT: total flops per device: 1792
// P2-NEXT: peak activation bytes per device: 1728
// P2-NEXT: total bytes received per device: 128

// P = 4, l = 4: (8, 2) spans 2 (m = 2, 4 keys): 2 * 4 * 2 * 16 = 256 FLOPs,
// 672 + (64 + 32) * 4 = 1056 bytes, 128 received. (16, 4) spans 4 (m = 1,
// 4 keys): 1 * 4 * 2 * 16 = 128 FLOPs, 672 + (64 + 16) * 4 = 992 bytes,
// received 3 * 2 * 1 * 2 * 4 * 4 = 192. Total received 320.
// P4-LABEL: longnet-cost-report: longnet.dilated_attention #0 in @mix
// P4: 0 4 1 512 672 0 0 local
// P4-NEXT: 1 8 2 256 1056 128 64 spans 2
// P4-NEXT: 2 16 4 128 992 192 64 spans 4
// P4-NEXT: total flops per device: 896
// P4-NEXT: peak activation bytes per device: 1056
// P4-NEXT: total bytes received per device: 320

// P = 8, l = 2: (4, 1) spans 2, (8, 2) spans 4, but r = 4 does not divide
// l = 2: the chunks of (16, 4) would select different rows.
// P8-LABEL: longnet-cost-report: longnet.dilated_attention #0 in @mix
// P8: 0 4 1 256 720 128 64 spans 2
// P8-NEXT: 1 8 2 128 656 192 64 spans 4
// P8-NEXT: 2 16 4 - - - - unsupported: dilation rate 4 does not divide the 2 local tokens (chunks would select different rows)
// P8-NEXT: total: unsupported (branch (16, 4) cannot be sharded over 8 devices)
// P8-NOT: total bytes received
func.func @mix(%q: tensor<1x16x2x4xf32>, %k: tensor<1x16x2x4xf32>, %v: tensor<1x16x2x4xf32>) -> tensor<1x16x2x4xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 4, 8, 16>, dilation_rates = array<i64: 1, 2, 4>} : (tensor<1x16x2x4xf32>, tensor<1x16x2x4xf32>, tensor<1x16x2x4xf32>) -> tensor<1x16x2x4xf32>
  return %o : tensor<1x16x2x4xf32>
}

// -----

// Causal, f16 (accumulators f32), B = 1, N = 16, H = 1, D = 2: 4 * B * H * D
// = 8 FLOPs per pair. One branch (16, 2): 8 selected rows, causal pairs
// m (m + 1) / 2. P = 1: 8 * 9 / 2 = 36 pairs, 288 FLOPs.
// P = 2 (l = 8, m = 4, G = 2): the last device attends 4 rows to 4 + (1..4)
// keys: (G - 1) m^2 + m (m + 1) / 2 = 16 + 10 = 26 pairs, 208 FLOPs
// (device 0: 10; 10 + 26 = 36). Received: 1 * 2 * 4 * 2 * 2 bytes = 32.
// P = 4 (l = 4, m = 2, G = 4): 3 * 4 + 3 = 15 pairs, 120 FLOPs (devices:
// 3, 7, 11, 15 pairs, sum 36). Received: 3 * 2 * 2 * 2 * 2 = 48 bytes.
// P = 8 (l = 2, m = 1, G = 8): 7 + 1 = 8 pairs, 64 FLOPs; received
// 7 * 2 * 1 * 2 * 2 = 56 bytes. SPEC: 2 * B * H * D * w / r = 32 elements.
// Base bytes: 4 * l * 2 * 2 + (2 l + l) * 4 = 28 l.
// P1-LABEL: longnet.dilated_attention #0 in @causal
// P1-NEXT: B = 1, N = 16, H = 1, D = 2, f16 (2 bytes), causal, offset cyclic
// P1: 0 16 2 288 448 0 0 local
// P1: total bytes received per device: 0
// P2-LABEL: longnet.dilated_attention #0 in @causal
// P2: 0 16 2 208 {{[0-9]+}} 32 32 spans 2
// P2: total bytes received per device: 32
// P4-LABEL: longnet.dilated_attention #0 in @causal
// P4: 0 16 2 120 {{[0-9]+}} 48 32 spans 4
// P4: total bytes received per device: 48
// P8-LABEL: longnet.dilated_attention #0 in @causal
// P8: 0 16 2 64 {{[0-9]+}} 56 32 spans 8
// P8: total bytes received per device: 56
func.func @causal(%q: tensor<1x16x1x2xf16>, %k: tensor<1x16x1x2xf16>, %v: tensor<1x16x1x2xf16>) -> tensor<1x16x1x2xf16> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 16>, dilation_rates = array<i64: 2>, causal} : (tensor<1x16x1x2xf16>, tensor<1x16x1x2xf16>, tensor<1x16x1x2xf16>) -> tensor<1x16x1x2xf16>
  return %o : tensor<1x16x1x2xf16>
}

// -----

// Unsupported layouts: N = 24, H = 1, D = 1, f64 (accumulators f64).
// w = 3 does not divide l; w = 5 > l = 3 (P = 8) is not a multiple of it;
// w = 48 >= N acts as w_eff = 24 (one segment); w = 9 leaves a partial
// last segment.
// P = 1 is always local, partial segments included: (3, 1): 8 segments of
// 3: 72 pairs * 4 = 288 FLOPs; (5, 1): 4 * 25 + 16 = 116 pairs, 464 FLOPs;
// (48, 1): 24^2 * 4 = 2304 FLOPs; (9, 1): 81 + 81 + 36 pairs, 792 FLOPs.
// Spanning (48, 1), f64: received (G - 1) * 2 * l * 8 bytes: P = 2: 192,
// P = 8: 7 * 2 * 3 * 8 = 336; FLOPs l * 24 * 4: 1152 and 288.
// (9, 1) at P = 8 (l = 3): 9 is a multiple of 3 but the last segment
// [18, 24) is partial and would span devices.
// P1-LABEL: longnet.dilated_attention #0 in @layouts
// P1: 0 3 1 288 {{[0-9]+}} 0 0 local
// P1-NEXT: 1 5 1 464 {{[0-9]+}} 0 0 local
// P1-NEXT: 2 48 1 2304 {{[0-9]+}} 0 0 local
// P1-NEXT: 3 9 1 792 {{[0-9]+}} 0 0 local
// P1-NEXT: total flops per device: 3848
// P = 2, l = 12: 3 divides 12 (local); 5 does not; 48 -> 24 spans 2.
// P2-LABEL: longnet.dilated_attention #0 in @layouts
// P2: 0 3 1 144 {{[0-9]+}} 0 0 local
// P2-NEXT: 1 5 1 - - - - unsupported: segment length 5 does not divide the 12 local tokens (a segment is cut by a chunk boundary)
// P2-NEXT: 2 48 1 1152 {{[0-9]+}} 192 48 spans 2
// P2-NEXT: 3 9 1 - - - - unsupported: segment length 9 does not divide the 12 local tokens (a segment is cut by a chunk boundary)
// P2-NEXT: total: unsupported (branch (5, 1) cannot be sharded over 2 devices)
// P = 8, l = 3: 3 local; 5 > 3 is not a multiple of 3.
// P8-LABEL: longnet.dilated_attention #0 in @layouts
// P8: 0 3 1 36 {{[0-9]+}} 0 0 local
// P8-NEXT: 1 5 1 - - - - unsupported: segment length 5 is not a multiple of the 3 local tokens (a segment is cut by a chunk boundary)
// P8-NEXT: 2 48 1 288 {{[0-9]+}} 336 48 spans 8
// P8-NEXT: 3 9 1 - - - - unsupported: the last segment is partial (N = 24 is not a multiple of 9) and spans devices
func.func @layouts(%q: tensor<1x24x1x1xf64>, %k: tensor<1x24x1x1xf64>, %v: tensor<1x24x1x1xf64>) -> tensor<1x24x1x1xf64> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 3, 5, 48, 9>, dilation_rates = array<i64: 1, 1, 1, 1>} : (tensor<1x24x1x1xf64>, tensor<1x24x1x1xf64>, tensor<1x24x1x1xf64>) -> tensor<1x24x1x1xf64>
  return %o : tensor<1x24x1x1xf64>
}
