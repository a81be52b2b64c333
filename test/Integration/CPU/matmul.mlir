// linalg.matmul and linalg.batch_matmul through longnet-vectorize-matmuls,
// end to end on random N(0, 1) inputs. --check compiles the module twice
// (both times with the kernel: reference=1 only swaps longnet ops), so each
// entry also computes the same product with a linalg.generic, which the
// kernel does not take (it becomes plain loops), and returns the difference
// as its second result: its min and max must be below 1e-3 in magnitude
// (%g prints those as 0, 0.000ddd or d.ddde-NN; a wrong element is off by
// order 1 to 10, sums of products of N(0, 1) values).
//
// RUN: longnet-run %s --entry=ragged --check | FileCheck %s --check-prefix=RAGGED
// RUN: longnet-run %s --entry=exact --check | FileCheck %s --check-prefix=EXACT
// RUN: longnet-run %s --entry=one --check | FileCheck %s --check-prefix=ONE
// RUN: longnet-run %s --entry=row_blocks --check | FileCheck %s --check-prefix=ROW-BLOCKS
// RUN: longnet-run %s --entry=row_blocks --check --threads=1 | FileCheck %s --check-prefix=ROW-BLOCKS
// RUN: longnet-run %s --entry=long_k --check | FileCheck %s --check-prefix=LONG-K
// RUN: longnet-run %s --entry=accumulate --check | FileCheck %s --check-prefix=ACCUMULATE
// RUN: longnet-run %s --entry=strided --check | FileCheck %s --check-prefix=STRIDED
// RUN: longnet-run %s --entry=collapsed --check | FileCheck %s --check-prefix=COLLAPSED
// RUN: longnet-run %s --entry=dynamic --check --shapes=50x33,33x70 | FileCheck %s --check-prefix=DYNAMIC
// RUN: longnet-run %s --entry=dynamic --check --shapes=0x33,33x70 | FileCheck %s --check-prefix=NO-ROWS
// RUN: longnet-run %s --entry=batch --check | FileCheck %s --check-prefix=BATCH
// RUN: longnet-run %s --entry=f64 --check | FileCheck %s --check-prefix=F64
// RUN: longnet-run %s --entry=f16_inputs --check | FileCheck %s --check-prefix=F16-INPUTS
// RUN: longnet-run %s --entry=transposed_b --check | FileCheck %s --check-prefix=TRANSPOSED-B

#mm_a = affine_map<(i, j, k) -> (i, k)>
#mm_b = affine_map<(i, j, k) -> (k, j)>
#mm_c = affine_map<(i, j, k) -> (i, j)>
#bmm_a = affine_map<(b, i, j, k) -> (b, i, k)>
#bmm_b = affine_map<(b, i, j, k) -> (b, k, j)>
#bmm_c = affine_map<(b, i, j, k) -> (b, i, j)>

// M % 6, N % 16 and K all ragged: every kind of cut register block.
// RAGGED: result 0: tensor<37x45xf32>
// RAGGED-NEXT: result 1: tensor<37x45xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// RAGGED: check result 0: {{.*}}: ok
func.func @ragged(%a: tensor<37x29xf32>, %b: tensor<29x45xf32>)
    -> (tensor<37x45xf32>, tensor<37x45xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x45xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<37x45xf32>) -> tensor<37x45xf32>
  %c = linalg.matmul ins(%a, %b : tensor<37x29xf32>, tensor<29x45xf32>)
                     outs(%init : tensor<37x45xf32>) -> tensor<37x45xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<37x29xf32>, tensor<29x45xf32>) outs(%init : tensor<37x45xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<37x45xf32>
  %de = tensor.empty() : tensor<37x45xf32>
  %d = linalg.sub ins(%c, %r : tensor<37x45xf32>, tensor<37x45xf32>) outs(%de : tensor<37x45xf32>) -> tensor<37x45xf32>
  return %c, %d : tensor<37x45xf32>, tensor<37x45xf32>
}

// One whole register block, no cut.
// EXACT: result 0: tensor<6x16xf32>
// EXACT-NEXT: result 1: tensor<6x16xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// EXACT: check result 0: {{.*}}: ok
func.func @exact(%a: tensor<6x7xf32>, %b: tensor<7x16xf32>)
    -> (tensor<6x16xf32>, tensor<6x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<6x16xf32>) -> tensor<6x16xf32>
  %c = linalg.matmul ins(%a, %b : tensor<6x7xf32>, tensor<7x16xf32>)
                     outs(%init : tensor<6x16xf32>) -> tensor<6x16xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<6x7xf32>, tensor<7x16xf32>) outs(%init : tensor<6x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<6x16xf32>
  %de = tensor.empty() : tensor<6x16xf32>
  %d = linalg.sub ins(%c, %r : tensor<6x16xf32>, tensor<6x16xf32>) outs(%de : tensor<6x16xf32>) -> tensor<6x16xf32>
  return %c, %d : tensor<6x16xf32>, tensor<6x16xf32>
}

// ONE: result 0: tensor<1x1xf32>
// ONE-NEXT: result 1: tensor<1x1xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// ONE: check result 0: {{.*}}: ok
func.func @one(%a: tensor<1x1xf32>, %b: tensor<1x1xf32>)
    -> (tensor<1x1xf32>, tensor<1x1xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1xf32>) -> tensor<1x1xf32>
  %c = linalg.matmul ins(%a, %b : tensor<1x1xf32>, tensor<1x1xf32>)
                     outs(%init : tensor<1x1xf32>) -> tensor<1x1xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<1x1xf32>, tensor<1x1xf32>) outs(%init : tensor<1x1xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x1xf32>
  %de = tensor.empty() : tensor<1x1xf32>
  %d = linalg.sub ins(%c, %r : tensor<1x1xf32>, tensor<1x1xf32>) outs(%de : tensor<1x1xf32>) -> tensor<1x1xf32>
  return %c, %d : tensor<1x1xf32>, tensor<1x1xf32>
}

// 100 rows: 8 whole row blocks of the default 12 rows and a cut one of 4,
// on one or two threads; N a whole number of panels.
// ROW-BLOCKS: result 0: tensor<100x256xf32>
// ROW-BLOCKS-NEXT: result 1: tensor<100x256xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// ROW-BLOCKS: check result 0: {{.*}}: ok
func.func @row_blocks(%a: tensor<100x256xf32>, %b: tensor<256x256xf32>)
    -> (tensor<100x256xf32>, tensor<100x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<100x256xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<100x256xf32>) -> tensor<100x256xf32>
  %c = linalg.matmul ins(%a, %b : tensor<100x256xf32>, tensor<256x256xf32>)
                     outs(%init : tensor<100x256xf32>) -> tensor<100x256xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<100x256xf32>, tensor<256x256xf32>) outs(%init : tensor<100x256xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<100x256xf32>
  %de = tensor.empty() : tensor<100x256xf32>
  %d = linalg.sub ins(%c, %r : tensor<100x256xf32>, tensor<100x256xf32>) outs(%de : tensor<100x256xf32>) -> tensor<100x256xf32>
  return %c, %d : tensor<100x256xf32>, tensor<100x256xf32>
}

// A long reduction (K = 600) in the registers.
// LONG-K: result 0: tensor<13x40xf32>
// LONG-K-NEXT: result 1: tensor<13x40xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// LONG-K: check result 0: {{.*}}: ok
func.func @long_k(%a: tensor<13x600xf32>, %b: tensor<600x40xf32>)
    -> (tensor<13x40xf32>, tensor<13x40xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<13x40xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<13x40xf32>) -> tensor<13x40xf32>
  %c = linalg.matmul ins(%a, %b : tensor<13x600xf32>, tensor<600x40xf32>)
                     outs(%init : tensor<13x40xf32>) -> tensor<13x40xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<13x600xf32>, tensor<600x40xf32>) outs(%init : tensor<13x40xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<13x40xf32>
  %de = tensor.empty() : tensor<13x40xf32>
  %d = linalg.sub ins(%c, %r : tensor<13x40xf32>, tensor<13x40xf32>) outs(%de : tensor<13x40xf32>) -> tensor<13x40xf32>
  return %c, %d : tensor<13x40xf32>, tensor<13x40xf32>
}

// C += A * B onto a random C, not zero: the kernel loads C first.
// ACCUMULATE: result 0: tensor<20x40xf32>
// ACCUMULATE-NEXT: result 1: tensor<20x40xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// ACCUMULATE: check result 0: {{.*}}: ok
func.func @accumulate(%a: tensor<20x24xf32>, %b: tensor<24x40xf32>, %c0: tensor<20x40xf32>)
    -> (tensor<20x40xf32>, tensor<20x40xf32>) {
  %c = linalg.matmul ins(%a, %b : tensor<20x24xf32>, tensor<24x40xf32>)
                     outs(%c0 : tensor<20x40xf32>) -> tensor<20x40xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<20x24xf32>, tensor<24x40xf32>) outs(%c0 : tensor<20x40xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<20x40xf32>
  %de = tensor.empty() : tensor<20x40xf32>
  %d = linalg.sub ins(%c, %r : tensor<20x40xf32>, tensor<20x40xf32>) outs(%de : tensor<20x40xf32>) -> tensor<20x40xf32>
  return %c, %d : tensor<20x40xf32>, tensor<20x40xf32>
}

// Strided operands: A is every other row of a larger tensor at an offset,
// B every other column (scalar packing), and C every other column of a
// zero 37x100 tensor, written in place (its blocks all go through the local
// tile); the columns between must stay zero.
// STRIDED: result 0: tensor<37x100xf32>
// STRIDED-NEXT: result 1: tensor<37x100xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// STRIDED: check result 0: {{.*}}: ok
func.func @strided(%x: tensor<80x40xf32>, %y: tensor<29x100xf32>)
    -> (tensor<37x100xf32>, tensor<37x100xf32>) {
  %zero = arith.constant 0.0 : f32
  %a = tensor.extract_slice %x[3, 5] [37, 29] [2, 1]
      : tensor<80x40xf32> to tensor<37x29xf32>
  %b = tensor.extract_slice %y[0, 1] [29, 45] [1, 2]
      : tensor<29x100xf32> to tensor<29x45xf32>
  %e = tensor.empty() : tensor<37x100xf32>
  %big = linalg.fill ins(%zero : f32) outs(%e : tensor<37x100xf32>) -> tensor<37x100xf32>
  %cs = tensor.extract_slice %big[0, 1] [37, 45] [1, 2]
      : tensor<37x100xf32> to tensor<37x45xf32>
  %c = linalg.matmul ins(%a, %b : tensor<37x29xf32>, tensor<29x45xf32>)
                     outs(%cs : tensor<37x45xf32>) -> tensor<37x45xf32>
  %out = tensor.insert_slice %c into %big[0, 1] [37, 45] [1, 2]
      : tensor<37x45xf32> into tensor<37x100xf32>
  %e2 = tensor.empty() : tensor<37x100xf32>
  %big2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<37x100xf32>) -> tensor<37x100xf32>
  %rs = tensor.extract_slice %big2[0, 1] [37, 45] [1, 2]
      : tensor<37x100xf32> to tensor<37x45xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<37x29xf32>, tensor<29x45xf32>) outs(%rs : tensor<37x45xf32>) {
  ^bb0(%p0: f32, %p1: f32, %acc: f32):
    %p = arith.mulf %p0, %p1 : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<37x45xf32>
  %ref = tensor.insert_slice %r into %big2[0, 1] [37, 45] [1, 2]
      : tensor<37x45xf32> into tensor<37x100xf32>
  %de = tensor.empty() : tensor<37x100xf32>
  %d = linalg.sub ins(%out, %ref : tensor<37x100xf32>, tensor<37x100xf32>) outs(%de : tensor<37x100xf32>) -> tensor<37x100xf32>
  return %out, %d : tensor<37x100xf32>, tensor<37x100xf32>
}

// Operands through reshapes: A collapsed from 2x25x33, B expanded from a
// row-major 33*70 vector, C expanded into 2x25x70.
// COLLAPSED: result 0: tensor<2x25x70xf32>
// COLLAPSED-NEXT: result 1: tensor<2x25x70xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// COLLAPSED: check result 0: {{.*}}: ok
func.func @collapsed(%x: tensor<2x25x33xf32>, %y: tensor<2310xf32>)
    -> (tensor<2x25x70xf32>, tensor<2x25x70xf32>) {
  %zero = arith.constant 0.0 : f32
  %a = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x25x33xf32> into tensor<50x33xf32>
  %b = tensor.expand_shape %y [[0, 1]] output_shape [33, 70] : tensor<2310xf32> into tensor<33x70xf32>
  %e = tensor.empty() : tensor<50x70xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<50x70xf32>) -> tensor<50x70xf32>
  %c = linalg.matmul ins(%a, %b : tensor<50x33xf32>, tensor<33x70xf32>)
                     outs(%init : tensor<50x70xf32>) -> tensor<50x70xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<50x33xf32>, tensor<33x70xf32>) outs(%init : tensor<50x70xf32>) {
  ^bb0(%p0: f32, %p1: f32, %acc: f32):
    %p = arith.mulf %p0, %p1 : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<50x70xf32>
  %de = tensor.empty() : tensor<50x70xf32>
  %d = linalg.sub ins(%c, %r : tensor<50x70xf32>, tensor<50x70xf32>) outs(%de : tensor<50x70xf32>) -> tensor<50x70xf32>
  %c3 = tensor.expand_shape %c [[0, 1], [2]] output_shape [2, 25, 70] : tensor<50x70xf32> into tensor<2x25x70xf32>
  %d3 = tensor.expand_shape %d [[0, 1], [2]] output_shape [2, 25, 70] : tensor<50x70xf32> into tensor<2x25x70xf32>
  return %c3, %d3 : tensor<2x25x70xf32>, tensor<2x25x70xf32>
}

// Dynamic M, N, K (given by --shapes), including M = 0.
// DYNAMIC: result 0: tensor<50x70xf32>
// DYNAMIC-NEXT: result 1: tensor<50x70xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// DYNAMIC: check result 0: {{.*}}: ok
// NO-ROWS: result 0: tensor<0x70xf32> no values
// NO-ROWS: check result 0: {{.*}}: ok
func.func @dynamic(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>)
    -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %zero = arith.constant 0.0 : f32
  %i0 = arith.constant 0 : index
  %i1 = arith.constant 1 : index
  %m = tensor.dim %a, %i0 : tensor<?x?xf32>
  %n = tensor.dim %b, %i1 : tensor<?x?xf32>
  %e = tensor.empty(%m, %n) : tensor<?x?xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %c = linalg.matmul ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>)
                     outs(%init : tensor<?x?xf32>) -> tensor<?x?xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>) outs(%init : tensor<?x?xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x?xf32>
  %de = tensor.empty(%m, %n) : tensor<?x?xf32>
  %d = linalg.sub ins(%c, %r : tensor<?x?xf32>, tensor<?x?xf32>) outs(%de : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %c, %d : tensor<?x?xf32>, tensor<?x?xf32>
}

// BATCH: result 0: tensor<3x13x35xf32>
// BATCH-NEXT: result 1: tensor<3x13x35xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// BATCH: check result 0: {{.*}}: ok
func.func @batch(%a: tensor<3x13x20xf32>, %b: tensor<3x20x35xf32>)
    -> (tensor<3x13x35xf32>, tensor<3x13x35xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x13x35xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<3x13x35xf32>) -> tensor<3x13x35xf32>
  %c = linalg.batch_matmul ins(%a, %b : tensor<3x13x20xf32>, tensor<3x20x35xf32>)
                           outs(%init : tensor<3x13x35xf32>) -> tensor<3x13x35xf32>
  %r = linalg.generic {indexing_maps = [#bmm_a, #bmm_b, #bmm_c],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<3x13x20xf32>, tensor<3x20x35xf32>) outs(%init : tensor<3x13x35xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<3x13x35xf32>
  %de = tensor.empty() : tensor<3x13x35xf32>
  %d = linalg.sub ins(%c, %r : tensor<3x13x35xf32>, tensor<3x13x35xf32>) outs(%de : tensor<3x13x35xf32>) -> tensor<3x13x35xf32>
  return %c, %d : tensor<3x13x35xf32>, tensor<3x13x35xf32>
}

// f64: register blocks of 6 rows x 2 vectors of 4 lanes.
// F64: result 0: tensor<37x45xf64>
// F64-NEXT: result 1: tensor<37x45xf64> min {{-?(0|[0-9.]+e-1[0-9])}} max {{-?(0|[0-9.]+e-1[0-9])}} mean
// F64: check result 0: {{.*}}: ok
func.func @f64(%a: tensor<37x29xf64>, %b: tensor<29x45xf64>)
    -> (tensor<37x45xf64>, tensor<37x45xf64>) {
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<37x45xf64>
  %init = linalg.fill ins(%zero : f64) outs(%e : tensor<37x45xf64>) -> tensor<37x45xf64>
  %c = linalg.matmul ins(%a, %b : tensor<37x29xf64>, tensor<29x45xf64>)
                     outs(%init : tensor<37x45xf64>) -> tensor<37x45xf64>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<37x29xf64>, tensor<29x45xf64>) outs(%init : tensor<37x45xf64>) {
  ^bb0(%x: f64, %y: f64, %acc: f64):
    %p = arith.mulf %x, %y : f64
    %s = arith.addf %acc, %p : f64
    linalg.yield %s : f64
  } -> tensor<37x45xf64>
  %de = tensor.empty() : tensor<37x45xf64>
  %d = linalg.sub ins(%c, %r : tensor<37x45xf64>, tensor<37x45xf64>) outs(%de : tensor<37x45xf64>) -> tensor<37x45xf64>
  return %c, %d : tensor<37x45xf64>, tensor<37x45xf64>
}

// f16 inputs accumulated in f32 (linalg extends them to the output type).
// F16-INPUTS: result 0: tensor<37x45xf32>
// F16-INPUTS-NEXT: result 1: tensor<37x45xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// F16-INPUTS: check result 0: {{.*}}: ok
func.func @f16_inputs(%a: tensor<37x29xf16>, %b: tensor<29x45xf16>)
    -> (tensor<37x45xf32>, tensor<37x45xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x45xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<37x45xf32>) -> tensor<37x45xf32>
  %c = linalg.matmul ins(%a, %b : tensor<37x29xf16>, tensor<29x45xf16>)
                     outs(%init : tensor<37x45xf32>) -> tensor<37x45xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, #mm_b, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<37x29xf16>, tensor<29x45xf16>) outs(%init : tensor<37x45xf32>) {
  ^bb0(%x: f16, %y: f16, %acc: f32):
    %xf = arith.extf %x : f16 to f32
    %yf = arith.extf %y : f16 to f32
    %p = arith.mulf %xf, %yf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<37x45xf32>
  %de = tensor.empty() : tensor<37x45xf32>
  %d = linalg.sub ins(%c, %r : tensor<37x45xf32>, tensor<37x45xf32>) outs(%de : tensor<37x45xf32>) -> tensor<37x45xf32>
  return %c, %d : tensor<37x45xf32>, tensor<37x45xf32>
}

// A matmul with user-defined indexing maps (B transposed) is not the
// kernel's: it takes the generalised, interchanged path.
// TRANSPOSED-B: result 0: tensor<37x45xf32>
// TRANSPOSED-B-NEXT: result 1: tensor<37x45xf32> min {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} max {{-?(0|0\.000[0-9]*|[0-9.]+e-[0-9]+)}} mean
// TRANSPOSED-B: check result 0: {{.*}}: ok
func.func @transposed_b(%a: tensor<37x29xf32>, %bt: tensor<45x29xf32>)
    -> (tensor<37x45xf32>, tensor<37x45xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x45xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<37x45xf32>) -> tensor<37x45xf32>
  %c = linalg.matmul indexing_maps = [affine_map<(i, j, k) -> (i, k)>,
                                      affine_map<(i, j, k) -> (j, k)>,
                                      affine_map<(i, j, k) -> (i, j)>]
      ins(%a, %bt : tensor<37x29xf32>, tensor<45x29xf32>)
      outs(%init : tensor<37x45xf32>) -> tensor<37x45xf32>
  %r = linalg.generic {indexing_maps = [#mm_a, affine_map<(i, j, k) -> (j, k)>, #mm_c],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %bt : tensor<37x29xf32>, tensor<45x29xf32>) outs(%init : tensor<37x45xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<37x45xf32>
  %de = tensor.empty() : tensor<37x45xf32>
  %d = linalg.sub ins(%c, %r : tensor<37x45xf32>, tensor<37x45xf32>) outs(%de : tensor<37x45xf32>) -> tensor<37x45xf32>
  return %c, %d : tensor<37x45xf32>, tensor<37x45xf32>
}
