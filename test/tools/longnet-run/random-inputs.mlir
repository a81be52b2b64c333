// Random inputs: normal by default, uniform on request, scaled per argument,
// reproducible from --seed, one stream per argument; --shapes gives the
// dynamic dimensions.

// RUN: rm -rf %t && mkdir %t
// RUN: longnet-run %s --shapes=1000x4,1000x4 --output=%t/a0.npy,%t/a1.npy \
// RUN:   | FileCheck %s --check-prefix=NORMAL
// NORMAL: result 0: tensor<1000x4xf32> min -{{[34]}}.{{[0-9]+}} max {{[34]}}.{{[0-9]+}} mean {{-?}}0.0{{[0-9]+}}
// NORMAL: result 1: tensor<1000x4xf32> min -{{[34]}}.{{[0-9]+}} max {{[34]}}.{{[0-9]+}} mean {{-?}}0.0{{[0-9]+}}

// Same seed (0 is the default), same values; each argument its own stream.
// RUN: longnet-run %s --shapes=1000x4,1000x4 --seed=0 --output=%t/b0.npy
// RUN: cmp %t/a0.npy %t/b0.npy
// RUN: not cmp %t/a0.npy %t/a1.npy
// RUN: longnet-run %s --shapes=1000x4,1000x4 --seed=1 --output=%t/c0.npy
// RUN: not cmp %t/a0.npy %t/c0.npy

// RUN: longnet-run %s --shapes=1000x4,1000x4 --init=uniform --init-scale=4 \
// RUN:   | FileCheck %s --check-prefix=UNIFORM
// UNIFORM: result 0: tensor<1000x4xf32> min -3.9{{[0-9]*}} max 3.9{{[0-9]*}}
// UNIFORM: result 1: tensor<1000x4xf32> min -3.9{{[0-9]*}} max 3.9{{[0-9]*}}

// RUN: longnet-run %s --shapes=1000x4,10x4 --init=uniform --init-scale=1,100 \
// RUN:   | FileCheck %s --check-prefix=SCALES
// SCALES: result 0: tensor<1000x4xf32> min -0.9{{[0-9]*}} max 0.9{{[0-9]*}}
// SCALES: result 1: tensor<10x4xf32> min -{{[0-9][0-9]}}.{{[0-9]*}} max {{[0-9][0-9]}}.{{[0-9]*}}

// Returns copies of its arguments.
func.func @main(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>)
    -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %a, %c0 : tensor<?x4xf32>
  %n = tensor.dim %b, %c0 : tensor<?x4xf32>
  %ea = tensor.empty(%m) : tensor<?x4xf32>
  %ca = linalg.copy ins(%a : tensor<?x4xf32>) outs(%ea : tensor<?x4xf32>)
      -> tensor<?x4xf32>
  %eb = tensor.empty(%n) : tensor<?x4xf32>
  %cb = linalg.copy ins(%b : tensor<?x4xf32>) outs(%eb : tensor<?x4xf32>)
      -> tensor<?x4xf32>
  return %ca, %cb : tensor<?x4xf32>, tensor<?x4xf32>
}
