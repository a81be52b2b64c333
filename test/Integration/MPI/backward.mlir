// The sharded backward under MPI: a training step (forward with lse, then
// longnet.dilated_attention_backward) sharded over P = 2 and 4 CPU ranks by
// longnet-shard-sequence, against the unsharded float64 reference
// (longnet-run --shard-sequence --check, default tolerances). Spanning
// branches recompute against the forward's gathered sparsified K and V and
// reduce-scatter their gradients back within the segment group.
// Traffic: P = 2, f32_mixture_causal_batch's spanning branch (256, 4)
// all-gathers 32768 bytes (once: the backward reuses the forward's gather)
// and reduce-scatters 32768, as the cost report says.
// REQUIRES: mpi
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=f32_mixture_causal_batch 2>&1 | FileCheck %s --check-prefix=TRAFFIC
// TRAFFIC: sharded over 2 ranks: bytes received per rank in segment collectives: 65536 65536
// RUN: longnet-opt %s --longnet-cost-report=devices=2 -o /dev/null | FileCheck %s --check-prefix=REPORT
// REPORT: longnet.dilated_attention #0 in @f32_mixture_causal_batch
// REPORT: total bytes received per device: 32768
// REPORT: longnet.dilated_attention_backward #0 in @f32_mixture_causal_batch
// REPORT: 2 256 4 1986560 528384 32768 16384 spans 2
// REPORT: total bytes received per device: 32768
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=f32_mixture_causal_batch --check 2>&1 | FileCheck %s --check-prefix=F32-MIXTURE-CAUSAL-BATCH --implicit-check-not=error
// RUN: %mpirun -np 4 longnet-run %s --shard-sequence --entry=f32_mixture_causal_batch --check 2>&1 | FileCheck %s --check-prefix=F32-MIXTURE-CAUSAL-BATCH --implicit-check-not=error
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=f32_grouped_dlse --check 2>&1 | FileCheck %s --check-prefix=F32-GROUPED-DLSE --implicit-check-not=error
// RUN: %mpirun -np 4 longnet-run %s --shard-sequence --entry=f32_grouped_dlse --check 2>&1 | FileCheck %s --check-prefix=F32-GROUPED-DLSE --implicit-check-not=error
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=f16_d64_dlse --check 2>&1 | FileCheck %s --check-prefix=F16-D64-DLSE --implicit-check-not=error
// RUN: %mpirun -np 4 longnet-run %s --shard-sequence --entry=f16_d64_dlse --check 2>&1 | FileCheck %s --check-prefix=F16-D64-DLSE --implicit-check-not=error
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=bf16_w_beyond_n --check 2>&1 | FileCheck %s --check-prefix=BF16-W-BEYOND-N --implicit-check-not=error
// RUN: %mpirun -np 4 longnet-run %s --shard-sequence --entry=bf16_w_beyond_n --check 2>&1 | FileCheck %s --check-prefix=BF16-W-BEYOND-N --implicit-check-not=error
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=f32_w_mod_r --check 2>&1 | FileCheck %s --check-prefix=F32-W-MOD-R --implicit-check-not=error
// RUN: %mpirun -np 4 longnet-run %s --shard-sequence --entry=f32_w_mod_r --check 2>&1 | FileCheck %s --check-prefix=F32-W-MOD-R --implicit-check-not=error

// B = 2; P = 2: the 256 branch spans 2 ranks; P = 4: 128 spans 2 and 256 spans 4
// F32-MIXTURE-CAUSAL-BATCH: check result 0: {{.*}}: ok
// F32-MIXTURE-CAUSAL-BATCH: check result 1: {{.*}}: ok
// F32-MIXTURE-CAUSAL-BATCH: check result 2: {{.*}}: ok
func.func @f32_mixture_causal_batch(%q: tensor<2x256x4x16xf32>, %k: tensor<2x256x4x16xf32>, %v: tensor<2x256x4x16xf32>, %do: tensor<2x256x4x16xf32>) -> (tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 32, 128, 256>, dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>) -> (tensor<2x256x4x16xf32>, tensor<2x256x4xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 32, 128, 256>, dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>, tensor<2x256x4xf32>, tensor<2x256x4x16xf32>) -> (tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>)
  return %dq, %dk, %dv : tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>
}

// grouped offsets, not causal, with the lse gradient
// F32-GROUPED-DLSE: check result 0: {{.*}}: ok
// F32-GROUPED-DLSE: check result 1: {{.*}}: ok
// F32-GROUPED-DLSE: check result 2: {{.*}}: ok
func.func @f32_grouped_dlse(%q: tensor<1x256x6x16xf32>, %k: tensor<1x256x6x16xf32>, %v: tensor<1x256x6x16xf32>, %do: tensor<1x256x6x16xf32>, %dlse: tensor<1x256x6xf32>) -> (tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64, 256>, dilation_rates = array<i64: 2, 4>, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>) -> (tensor<1x256x6x16xf32>, tensor<1x256x6xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 64, 256>, dilation_rates = array<i64: 2, 4>, offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>, tensor<1x256x6xf32>, tensor<1x256x6x16xf32>, tensor<1x256x6xf32>) -> (tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>)
  return %dq, %dk, %dv : tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>
}

// f16, D = 64, causal, with the lse gradient
// F16-D64-DLSE: check result 0: {{.*}}: ok
// F16-D64-DLSE: check result 1: {{.*}}: ok
// F16-D64-DLSE: check result 2: {{.*}}: ok
func.func @f16_d64_dlse(%q: tensor<1x256x2x64xf16>, %k: tensor<1x256x2x64xf16>, %v: tensor<1x256x2x64xf16>, %do: tensor<1x256x2x64xf16>, %dlse: tensor<1x256x2xf32>) -> (tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 64, 256>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>) -> (tensor<1x256x2x64xf16>, tensor<1x256x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do, %dlse {segment_lengths = array<i64: 64, 256>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>, tensor<1x256x2xf32>, tensor<1x256x2x64xf16>, tensor<1x256x2xf32>) -> (tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>)
  return %dq, %dk, %dv : tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>, tensor<1x256x2x64xf16>
}

// bf16, w > N: one segment of N rows spanning every rank
// BF16-W-BEYOND-N: check result 0: {{.*}}: ok
// BF16-W-BEYOND-N: check result 1: {{.*}}: ok
// BF16-W-BEYOND-N: check result 2: {{.*}}: ok
func.func @bf16_w_beyond_n(%q: tensor<1x256x2x16xbf16>, %k: tensor<1x256x2x16xbf16>, %v: tensor<1x256x2x16xbf16>, %do: tensor<1x256x2x16xbf16>) -> (tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 1024>, dilation_rates = array<i64: 4>, causal}
      : (tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>) -> (tensor<1x256x2x16xbf16>, tensor<1x256x2xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 1024>, dilation_rates = array<i64: 4>, causal}
      : (tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>, tensor<1x256x2xf32>, tensor<1x256x2x16xbf16>) -> (tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>)
  return %dq, %dk, %dv : tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>, tensor<1x256x2x16xbf16>
}

// a local branch with w mod r != 0 beside a spanning one
// F32-W-MOD-R: check result 0: {{.*}}: ok
// F32-W-MOD-R: check result 1: {{.*}}: ok
// F32-W-MOD-R: check result 2: {{.*}}: ok
func.func @f32_w_mod_r(%q: tensor<1x240x3x16xf32>, %k: tensor<1x240x3x16xf32>, %v: tensor<1x240x3x16xf32>, %do: tensor<1x240x3x16xf32>) -> (tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 10, 240>, dilation_rates = array<i64: 3, 2>, causal}
      : (tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>) -> (tensor<1x240x3x16xf32>, tensor<1x240x3xf32>)
  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 10, 240>, dilation_rates = array<i64: 3, 2>, causal}
      : (tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>, tensor<1x240x3xf32>, tensor<1x240x3x16xf32>) -> (tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>)
  return %dq, %dk, %dv : tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>, tensor<1x240x3x16xf32>
}
