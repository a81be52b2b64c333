// Zero-length sequences and empty batches shard over several ranks and run
// (mpirun ... --shard-sequence once died of SIGFPE in the shard pass): every
// branch is local to an empty chunk; the result is empty and equals the
// unsharded reference.
// REQUIRES: mpi
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=empty_sequence --check 2>&1 | FileCheck %s --check-prefix=SEQ --implicit-check-not=error
// RUN: %mpirun -np 4 longnet-run %s --shard-sequence --entry=empty_batch --check 2>&1 | FileCheck %s --check-prefix=BATCH --implicit-check-not=error

// SEQ: sharded over 2 ranks: bytes received per rank in segment collectives: 0 0
// SEQ: result 0: tensor<1x0x4x16xf32> no values
// SEQ: check result 0: {{.*}}: ok
// BATCH: sharded over 4 ranks: bytes received per rank in segment collectives: 0 0 0 0
// BATCH: result 0: tensor<0x64x4x16xf32> no values
// BATCH: check result 0: {{.*}}: ok

func.func @empty_sequence(%q: tensor<1x0x4x16xf32>, %k: tensor<1x0x4x16xf32>, %v: tensor<1x0x4x16xf32>) -> tensor<1x0x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 32>, dilation_rates = array<i64: 1, 2>}
      : (tensor<1x0x4x16xf32>, tensor<1x0x4x16xf32>, tensor<1x0x4x16xf32>) -> tensor<1x0x4x16xf32>
  return %o : tensor<1x0x4x16xf32>
}

func.func @empty_batch(%q: tensor<0x64x4x16xf32>, %k: tensor<0x64x4x16xf32>, %v: tensor<0x64x4x16xf32>) -> tensor<0x64x4x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 32>, dilation_rates = array<i64: 1, 2>}
      : (tensor<0x64x4x16xf32>, tensor<0x64x4x16xf32>, tensor<0x64x4x16xf32>) -> tensor<0x64x4x16xf32>
  return %o : tensor<0x64x4x16xf32>
}
