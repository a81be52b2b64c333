// The merge is exact on MPI ranks too: with N = 16 over P = 2 ranks
// (l = 8) the w = 8 branch is local and the w = 16 branch spans both ranks
// (segment all-gather, gathered branch merged into the local accumulators).
// Constant inputs q = k = v = c give c exactly; random inputs scaled so that
// |lse| passes 1e4 stay within 1e-4 of the float64 reference.
// REQUIRES: mpi
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/c1e3.npy '<f4' 1x16x2x16 fill=1000
// RUN: %python %longnet_src_root/test/tools/longnet-run/Inputs/npy_tool.py write %t/c1e4.npy '<f4' 1x16x2x16 fill=10000
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=mixture --inputs=%t/c1e3.npy,%t/c1e3.npy,%t/c1e3.npy | FileCheck %s --check-prefix=C1E3
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=mixture --inputs=%t/c1e4.npy,%t/c1e4.npy,%t/c1e4.npy | FileCheck %s --check-prefix=C1E4
// RUN: %mpirun -np 2 longnet-run %s --shard-sequence --entry=causal_lse --init-scale=100 --seed=5 --check | FileCheck %s --check-prefix=LARGE-LSE

// C1E3: result 0: tensor<1x16x2x16xf32> min 1000 max 1000 mean 1000
// C1E4: result 0: tensor<1x16x2x16xf32> min 10000 max 10000 mean 10000
// LARGE-LSE: result 1: tensor<1x16x2xf32> min {{.*}} max {{[1-9][0-9][0-9][0-9][0-9]\.}}
// LARGE-LSE: check result 0: {{.*}}: ok
// LARGE-LSE: check result 1: {{.*}}: ok

func.func @mixture(%q: tensor<1x16x2x16xf32>, %k: tensor<1x16x2x16xf32>, %v: tensor<1x16x2x16xf32>) -> tensor<1x16x2x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16>, dilation_rates = array<i64: 1, 2>}
      : (tensor<1x16x2x16xf32>, tensor<1x16x2x16xf32>, tensor<1x16x2x16xf32>) -> tensor<1x16x2x16xf32>
  return %o : tensor<1x16x2x16xf32>
}

func.func @causal_lse(%q: tensor<1x16x2x16xf32>, %k: tensor<1x16x2x16xf32>, %v: tensor<1x16x2x16xf32>) -> (tensor<1x16x2x16xf32>, tensor<1x16x2xf32>) {
  %o, %l = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 4, 16>, dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x16x2x16xf32>, tensor<1x16x2x16xf32>, tensor<1x16x2x16xf32>) -> (tensor<1x16x2x16xf32>, tensor<1x16x2xf32>)
  return %o, %l : tensor<1x16x2x16xf32>, tensor<1x16x2xf32>
}
