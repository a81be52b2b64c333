// Sequence parallelism on MPI ranks: every rank runs the sharded function on
// its chunk of N = 256 tokens, rank 0 assembles the output and compares it
// with the unsharded float64 reference (--check). With P = 2 (l = 128) the
// branches are local, local and spanning 2 ranks; with P = 4 (l = 64) local,
// spanning 2 and spanning 4.
// REQUIRES: mpi
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=causal --seed=1 --check | FileCheck %s --check-prefix=P2
// RUN: %mpirun -np 4 longnet-run %s --shard-sequence --entry=causal --seed=1 --check | FileCheck %s --check-prefix=P4
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=full --seed=2 --check | FileCheck %s --check-prefix=CHECK
// RUN: %mpirun -np 4 longnet-run %s --shard-sequence --entry=full --seed=2 --check | FileCheck %s --check-prefix=CHECK
// RUN: %mpirun -np 4 longnet-run %s --shard-sequence --entry=half_lse --seed=3 --check | FileCheck %s --check-prefix=LSE
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=grouped --seed=4 --check | FileCheck %s --check-prefix=CHECK
// RUN: %mpirun -np 4 longnet-run %s --shard-sequence --entry=grouped --seed=4 --check | FileCheck %s --check-prefix=CHECK

// Bytes each rank receives: f32, H = 4, D = 16, B = 1.
// P = 2: only (256, 4) spans 2 ranks: 1 * 2 * (128 / 4) * 4 * 16 * 4 = 16384.
// P2: sharded over 2 ranks: bytes received per rank in segment collectives: 16384 16384
// P2: check result 0: max abs error {{.*}}: ok
// P = 4: (128, 2) spans 2: 1 * 2 * 32 * 256 = 16384; (256, 4) spans 4:
// 3 * 2 * 16 * 256 = 24576; in all 40960.
// P4: sharded over 4 ranks: bytes received per rank in segment collectives: 40960 40960 40960 40960
// P4: check result 0: max abs error {{.*}}: ok

// CHECK: check result 0: max abs error {{.*}}: ok

// LSE: check result 0: max abs error {{.*}}: ok
// LSE: check result 1: max abs error {{.*}}: ok

func.func @causal(%q: tensor<1x256x4x16xf32>, %k: tensor<1x256x4x16xf32>,
                  %v: tensor<1x256x4x16xf32>) -> tensor<1x256x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 32, 128, 256>,
      dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>,
         tensor<1x256x4x16xf32>) -> tensor<1x256x4x16xf32>
  return %o : tensor<1x256x4x16xf32>
}

func.func @full(%q: tensor<2x256x4x16xf32>, %k: tensor<2x256x4x16xf32>,
                %v: tensor<2x256x4x16xf32>) -> tensor<2x256x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 64, 128, 512>,
      dilation_rates = array<i64: 1, 2, 4>}
      : (tensor<2x256x4x16xf32>, tensor<2x256x4x16xf32>,
         tensor<2x256x4x16xf32>) -> tensor<2x256x4x16xf32>
  return %o : tensor<2x256x4x16xf32>
}

func.func @half_lse(%q: tensor<1x256x4x32xf16>, %k: tensor<1x256x4x32xf16>,
                    %v: tensor<1x256x4x32xf16>)
    -> (tensor<1x256x4x32xf16>, tensor<1x256x4xf32>) {
  %o, %lse = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 64, 256>,
      dilation_rates = array<i64: 1, 4>, causal}
      : (tensor<1x256x4x32xf16>, tensor<1x256x4x32xf16>,
         tensor<1x256x4x32xf16>)
      -> (tensor<1x256x4x32xf16>, tensor<1x256x4xf32>)
  return %o, %lse : tensor<1x256x4x32xf16>, tensor<1x256x4xf32>
}

func.func @grouped(%q: tensor<1x256x6x16xf32>, %k: tensor<1x256x6x16xf32>,
                   %v: tensor<1x256x6x16xf32>) -> tensor<1x256x6x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 64, 256>,
      dilation_rates = array<i64: 2, 4>, causal,
      offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<1x256x6x16xf32>, tensor<1x256x6x16xf32>,
         tensor<1x256x6x16xf32>) -> tensor<1x256x6x16xf32>
  return %o : tensor<1x256x6x16xf32>
}
