// A layout the sharding cannot do exactly is rejected on every rank with one
// error line, and the run exits non-zero instead of computing wrongly or
// hanging.
// REQUIRES: mpi
// RUN: not %mpirun -np 4 longnet-run %s --shard-sequence 2>&1 | FileCheck %s
// RUN: %if !cuda %{ not longnet-run %s --shard-sequence --backend=cuda 2>&1 | FileCheck %s --check-prefix=CUDA %}

// With P = 4, l = 24: segments of 16 tokens are cut by chunk boundaries.
// CHECK: longnet-run: error: rank {{[0-3]}}: --shard-sequence over 4 ranks: {{.*}}branch 0 (w = 16, r = 1) cannot be sharded exactly over 4 devices (l = N / P = 24): its segments of 16 tokens are cut by chunk boundaries
// Without a GPU, --backend=cuda fails on the device query, before NCCL.
// CUDA: longnet-run: error: rank 0: --backend=cuda: no CUDA driver

func.func @main(%q: tensor<1x96x2x8xf32>, %k: tensor<1x96x2x8xf32>,
                %v: tensor<1x96x2x8xf32>) -> tensor<1x96x2x8xf32> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 16>, dilation_rates = array<i64: 1>}
      : (tensor<1x96x2x8xf32>, tensor<1x96x2x8xf32>, tensor<1x96x2x8xf32>)
      -> tensor<1x96x2x8xf32>
  return %o : tensor<1x96x2x8xf32>
}
