// The bytes a rank receives for a spanning branch stay constant when N and
// P grow together (l = N / P = 64 in both runs), and they are what
// longnet-cost-report predicts for the same N and P.
// REQUIRES: mpi
// RUN: split-file %s %t
// RUN: %mpirun -np 2 longnet-run %t/n128.mlir --shard-sequence --check | FileCheck %s --check-prefix=P2
// RUN: %mpirun -np 4 longnet-run %t/n256.mlir --shard-sequence --check | FileCheck %s --check-prefix=P4
// RUN: longnet-opt %t/n128.mlir --longnet-cost-report="devices=2" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: longnet-opt %t/n256.mlir --longnet-cost-report="devices=4" -o /dev/null | FileCheck %s --check-prefix=REPORT

// The branch (128, 2) spans two ranks in both runs: each receives the other's
// 64 / 2 sparsified rows of K and V: 2 * 32 * 4 * 16 * 4 bytes = 16384.
// The local branch (32, 1) sends nothing.
// P2: bytes received per rank in segment collectives: 16384 16384
// P2: check result 0: max abs error {{.*}}: ok
// P4: bytes received per rank in segment collectives: 16384 16384 16384 16384
// P4: check result 0: max abs error {{.*}}: ok
// REPORT: total bytes received per device: 16384

//--- n128.mlir
func.func @main(%q: tensor<1x128x4x16xf32>, %k: tensor<1x128x4x16xf32>,
                %v: tensor<1x128x4x16xf32>) -> tensor<1x128x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 32, 128>,
      dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x128x4x16xf32>, tensor<1x128x4x16xf32>,
         tensor<1x128x4x16xf32>) -> tensor<1x128x4x16xf32>
  return %o : tensor<1x128x4x16xf32>
}

//--- n256.mlir
func.func @main(%q: tensor<1x256x4x16xf32>, %k: tensor<1x256x4x16xf32>,
                %v: tensor<1x256x4x16xf32>) -> tensor<1x256x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 32, 128>,
      dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x256x4x16xf32>, tensor<1x256x4x16xf32>,
         tensor<1x256x4x16xf32>) -> tensor<1x256x4x16xf32>
  return %o : tensor<1x256x4x16xf32>
}
