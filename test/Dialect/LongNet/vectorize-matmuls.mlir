// RUN: longnet-opt %s -split-input-file -longnet-vectorize-matmuls -cse | FileCheck %s
// RUN: longnet-opt %s -split-input-file -longnet-vectorize-matmuls="row-tile=24 vector-width=4" -cse | FileCheck %s --check-prefix=OPTIONS
//
// Invalid options are reported before anything is rewritten.
// RUN: not longnet-opt %s -split-input-file -longnet-vectorize-matmuls="row-tile=10" 2>&1 | FileCheck %s --check-prefix=ROW-TILE
// RUN: not longnet-opt %s -split-input-file -longnet-vectorize-matmuls="row-tile=0" 2>&1 | FileCheck %s --check-prefix=ROW-TILE-ZERO
// RUN: not longnet-opt %s -split-input-file -longnet-vectorize-matmuls="vector-width=3" 2>&1 | FileCheck %s --check-prefix=VECTOR-WIDTH
// ROW-TILE: error: longnet-vectorize-matmuls: row-tile must be a positive multiple of 6, got 10
// ROW-TILE-NOT: scf.parallel
// ROW-TILE-ZERO: error: longnet-vectorize-matmuls: row-tile must be a positive multiple of 6, got 0
// ROW-TILE-ZERO-NOT: scf.parallel
// VECTOR-WIDTH: error: longnet-vectorize-matmuls: vector-width must be an even number >= 2, got 3
// VECTOR-WIDTH-NOT: scf.parallel

// M % 6 == 0, N % 16 == 0, unit-stride C: every register block is whole,
// C is loaded and stored as vectors, with no run-time test.
// B is packed into zero-padded panels of 16 columns by an scf.parallel over
// the panels; then an scf.parallel over blocks of 12 rows of C, and in each
// groups of 6 rows against every panel: 12 accumulators carried over k,
// two vector loads of the panel, six broadcasts of A, 12 FMAs.
// CHECK-LABEL: func @whole
// CHECK-SAME: (%[[A:.*]]: memref<12x8xf32>, %[[B:.*]]: memref<8x32xf32>, %[[C:.*]]: memref<12x32xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[M:.*]] = memref.dim %[[C]], %[[C0]]
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[N:.*]] = memref.dim %[[C]], %[[C1]]
// CHECK: %[[K:.*]] = memref.dim %[[A]], %[[C1]]
// CHECK: %[[C16:.*]] = arith.constant 16 : index
// CHECK: %[[PANELS:.*]] = arith.ceildivui %[[N]], %[[C16]]
// CHECK: %[[PACKED:.*]] = memref.alloc(%[[PANELS]], %[[K]]) {alignment = 64 : i64} : memref<?x?x16xf32>
// CHECK: scf.parallel (%[[P:.*]]) = (%[[C0]]) to (%[[PANELS]]) step (%[[C1]]) {
// CHECK: %[[J0:.*]] = arith.muli %[[P]], %[[C16]]
// CHECK: scf.for %[[KK:.*]] = %[[C0]] to %[[K]] step %[[C1]] {
// CHECK: %[[LO:.*]] = vector.transfer_read %[[B]][%[[KK]], %{{.*}}], %{{.*}} {in_bounds = [true]} : memref<8x32xf32>, vector<8xf32>
// CHECK: vector.store %[[LO]], %[[PACKED]][%[[P]], %[[KK]], %[[C0]]]
// CHECK: %[[C8:.*]] = arith.constant 8 : index
// CHECK: %[[J1:.*]] = arith.addi %[[J0]], %[[C8]]
// CHECK: %[[HI:.*]] = vector.transfer_read %[[B]][%[[KK]], %[[J1]]], %{{.*}} {in_bounds = [true]}
// CHECK: vector.store %[[HI]], %[[PACKED]][%[[P]], %[[KK]], %[[C8]]]
// CHECK: scf.reduce
// CHECK: %[[C12:.*]] = arith.constant 12 : index
// CHECK: %[[BLOCKS:.*]] = arith.ceildivui %[[M]], %[[C12]]
// CHECK: scf.parallel (%[[RB:.*]]) = (%[[C0]]) to (%[[BLOCKS]]) step (%[[C1]]) {
// CHECK: %[[ROW0:.*]] = arith.muli %[[RB]], %[[C12]]
// CHECK: %[[ROWS:.*]] = arith.addi %[[ROW0]], %[[C12]]
// CHECK: %[[ROW1:.*]] = arith.minui %[[M]], %[[ROWS]]
// CHECK-NOT: memref.alloc
// CHECK: %[[C6:.*]] = arith.constant 6 : index
// CHECK-NOT: memref.alloc
// CHECK: scf.for %[[I0:.*]] = %[[ROW0]] to %[[ROW1]] step %[[C6]] {
// CHECK: scf.for %[[PB:.*]] = %[[C0]] to %[[PANELS]] step %[[C1]] {
// CHECK: %[[COL:.*]] = arith.muli %[[PB]], %[[C16]]
// CHECK: %[[R0:.*]] = arith.addi %[[I0]], %[[C0]]
// CHECK: %[[R1:.*]] = arith.addi %[[I0]], %[[C1]]
// CHECK-COUNT-3: arith.addi %[[I0]]
// CHECK: %[[R5:.*]] = arith.addi %[[I0]], %{{.*}}
// CHECK: %[[COL8:.*]] = arith.addi %[[COL]], %[[C8]]
// CHECK-NOT: scf.if
// CHECK: %[[INIT0:.*]] = vector.load %[[C]][%[[R0]], %[[COL]]] : memref<12x32xf32>, vector<8xf32>
// CHECK: %[[INIT1:.*]] = vector.load %[[C]][%[[R0]], %[[COL8]]] : memref<12x32xf32>, vector<8xf32>
// CHECK-COUNT-10: vector.load %[[C]]
// CHECK: %[[SUMS:.*]]:12 = scf.for %[[KI:[^ ]+]] = %[[C0]] to %[[K]] step %[[C1]] iter_args(%[[ACC0:[^ ]+]] = %[[INIT0]], %[[ACC1:[^ ]+]] = %[[INIT1]], %[[ACC2:[^ ]+]] = %{{[^ ]+}}, {{.*}}) -> (vector<8xf32>, {{.*}}) {
// CHECK: %[[B0:.*]] = vector.load %[[PACKED]][%[[PB]], %[[KI]], %[[C0]]] : memref<?x?x16xf32>, vector<8xf32>
// CHECK: %[[B1:.*]] = vector.load %[[PACKED]][%[[PB]], %[[KI]], %[[C8]]] : memref<?x?x16xf32>, vector<8xf32>
// CHECK: %[[A0:.*]] = memref.load %[[A]][%[[R0]], %[[KI]]] : memref<12x8xf32>
// CHECK: %[[A0V:.*]] = vector.broadcast %[[A0]] : f32 to vector<8xf32>
// CHECK: %[[F0:.*]] = vector.fma %[[A0V]], %[[B0]], %[[ACC0]] : vector<8xf32>
// CHECK: %[[F1:.*]] = vector.fma %[[A0V]], %[[B1]], %[[ACC1]] : vector<8xf32>
// CHECK: %[[A1:.*]] = memref.load %[[A]][%[[R1]], %[[KI]]] : memref<12x8xf32>
// CHECK: %[[A1V:.*]] = vector.broadcast %[[A1]] : f32 to vector<8xf32>
// CHECK: %[[F2:.*]] = vector.fma %[[A1V]], %[[B0]], %[[ACC2]] : vector<8xf32>
// CHECK-COUNT-9: vector.fma
// CHECK: scf.yield %[[F0]], %[[F1]], %[[F2]], {{.*}} : vector<8xf32>,
// CHECK: vector.store %[[SUMS]]#0, %[[C]][%[[R0]], %[[COL]]] : memref<12x32xf32>, vector<8xf32>
// CHECK: vector.store %[[SUMS]]#1, %[[C]][%[[R0]], %[[COL8]]] : memref<12x32xf32>, vector<8xf32>
// CHECK-COUNT-9: vector.store %[[SUMS]]
// CHECK: vector.store %[[SUMS]]#11, %[[C]][%[[R5]], %[[COL8]]] : memref<12x32xf32>, vector<8xf32>
// CHECK: scf.reduce
// CHECK: memref.dealloc %[[PACKED]] : memref<?x?x16xf32>
// CHECK-NOT: linalg.matmul

// OPTIONS-LABEL: func @whole
// OPTIONS: memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?x?x8xf32>
// OPTIONS: arith.ceildivui %{{.*}}, %c24
// OPTIONS: scf.for {{.*}} iter_args({{.*}}) -> (vector<4xf32>,
// OPTIONS-COUNT-12: vector.fma {{.*}} : vector<4xf32>
func.func @whole(%a: memref<12x8xf32>, %b: memref<8x32xf32>, %c: memref<12x32xf32>) {
  linalg.matmul ins(%a, %b : memref<12x8xf32>, memref<8x32xf32>) outs(%c : memref<12x32xf32>)
  return
}

// -----

// M % 6 and N % 16 ragged: B is read by masked transfers (in_bounds false)
// into the zero-padded panels, rows of A are clamped to the last row of the
// row block, and a block decides at run time between whole vectors of C and
// a local 6 x 16 tile (zeroed once) copied element by element over the rows
// and columns that exist.
// CHECK-LABEL: func @ragged
// CHECK-SAME: (%[[A:.*]]: memref<37x29xf32>, %[[B:.*]]: memref<29x45xf32>, %[[C:.*]]: memref<37x45xf32>)
// CHECK: memref.dim %[[C]]
// CHECK: %[[N:.*]] = memref.dim %[[C]], %{{.*}}
// CHECK: %[[PACKED:.*]] = memref.alloc
// CHECK: vector.transfer_read %[[B]][%{{.*}}, %{{.*}}], %{{[^ ]+}} : memref<29x45xf32>, vector<8xf32>
// CHECK: vector.transfer_read %[[B]][%{{.*}}, %{{.*}}], %{{[^ ]+}} : memref<29x45xf32>, vector<8xf32>
// CHECK: scf.parallel
// CHECK: %[[ROW1:.*]] = arith.minui
// CHECK: %[[TILE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<6x16xf32>
// CHECK-COUNT-12: vector.store %{{.*}}, %[[TILE]]
// CHECK: scf.for %[[I0:.*]] = %{{.*}} to %[[ROW1]] step %{{.*}} {
// CHECK: scf.for
// CHECK: %[[COL:.*]] = arith.muli
// CHECK: %[[R0:.*]] = arith.addi %[[I0]], %{{.*}}
// CHECK: %[[LAST:.*]] = arith.subi %[[ROW1]], %{{.*}}
// CHECK: %[[A_ROW0:.*]] = arith.minui %[[R0]], %[[LAST]]
// CHECK: %[[HEIGHT:.*]] = arith.subi %[[ROW1]], %[[I0]]
// CHECK: %[[NROWS:.*]] = arith.minui %{{.*}}, %[[HEIGHT]]
// CHECK: %[[ROWS_WHOLE:.*]] = arith.cmpi ule, %{{.*}}, %[[ROW1]]
// CHECK: %[[WIDTH:.*]] = arith.subi %[[N]], %[[COL]]
// CHECK: %[[NCOLS:.*]] = arith.minui %{{.*}}, %[[WIDTH]]
// CHECK: %[[COLS_WHOLE:.*]] = arith.cmpi ule, %{{.*}}, %[[N]]
// CHECK: %[[WHOLE:.*]] = arith.andi %[[ROWS_WHOLE]], %[[COLS_WHOLE]]
// CHECK: %[[INITS:.*]]:12 = scf.if %[[WHOLE]] -> (vector<8xf32>,
// CHECK-COUNT-12: vector.load %[[C]]
// CHECK: scf.yield
// CHECK: } else {
// CHECK: scf.for %[[R:.*]] = %{{.*}} to %[[NROWS]]
// CHECK: scf.for %[[CC:.*]] = %{{.*}} to %[[NCOLS]]
// CHECK: %[[X:.*]] = memref.load %[[C]]
// CHECK: memref.store %[[X]], %[[TILE]][%[[R]], %[[CC]]]
// CHECK-COUNT-12: vector.load %[[TILE]]
// CHECK: scf.yield
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[INITS]]#0,
// CHECK: memref.load %[[A]][%[[A_ROW0]], %{{.*}}]
// CHECK: scf.if %[[WHOLE]] {
// CHECK-COUNT-12: vector.store %{{.*}}, %[[C]]
// CHECK: } else {
// CHECK-COUNT-12: vector.store %{{.*}}, %[[TILE]]
// CHECK: scf.for %[[R:.*]] = %{{.*}} to %[[NROWS]]
// CHECK: scf.for %[[CC:.*]] = %{{.*}} to %[[NCOLS]]
// CHECK: %[[Y:.*]] = memref.load %[[TILE]][%[[R]], %[[CC]]]
// CHECK: memref.store %[[Y]], %[[C]]
// CHECK: memref.dealloc %[[TILE]]
// CHECK: scf.reduce
// CHECK: memref.dealloc %[[PACKED]]
func.func @ragged(%a: memref<37x29xf32>, %b: memref<29x45xf32>, %c: memref<37x45xf32>) {
  linalg.matmul ins(%a, %b : memref<37x29xf32>, memref<29x45xf32>) outs(%c : memref<37x45xf32>)
  return
}

// -----

// Dynamic strides everywhere: B is packed element by element (column
// clamped, padding selected), and every block of C goes through the tile,
// with no vector access to C and no run-time test.
// CHECK-LABEL: func @strided
// CHECK-SAME: (%[[A:.*]]: memref<?x?xf32, strided<[?, ?], offset: ?>>, %[[B:.*]]: memref<?x?xf32, strided<[?, ?], offset: ?>>, %[[C:.*]]: memref<?x?xf32, strided<[?, ?], offset: ?>>)
// CHECK: memref.dim %[[C]]
// CHECK: %[[N:.*]] = memref.dim %[[C]]
// CHECK: %[[PACKED:.*]] = memref.alloc
// CHECK: scf.parallel
// CHECK: %[[LASTCOL:.*]] = arith.subi %[[N]], %{{.*}}
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[COL:.*]] = arith.addi
// CHECK: %[[CLAMPED:.*]] = arith.minui %[[COL]], %[[LASTCOL]]
// CHECK: %[[X:.*]] = memref.load %[[B]][%{{.*}}, %[[CLAMPED]]]
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[COL]], %[[N]]
// CHECK: %[[V:.*]] = arith.select %[[IN]], %[[X]], %{{.*}} : f32
// CHECK: memref.store %[[V]], %[[PACKED]]
// CHECK-NOT: vector.transfer_read
// CHECK: scf.parallel
// CHECK: %[[TILE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<6x16xf32>
// CHECK-NOT: scf.if
// CHECK-NOT: vector.load %[[C]]
// CHECK-NOT: vector.store %{{.*}}, %[[C]]
// CHECK: memref.load %[[C]]
// CHECK: vector.fma
// CHECK: memref.store %{{.*}}, %[[C]]
// CHECK-NOT: scf.if
// CHECK-NOT: vector.store %{{.*}}, %[[C]]
// CHECK: memref.dealloc %[[TILE]]
func.func @strided(%a: memref<?x?xf32, strided<[?, ?], offset: ?>>,
                   %b: memref<?x?xf32, strided<[?, ?], offset: ?>>,
                   %c: memref<?x?xf32, strided<[?, ?], offset: ?>>) {
  linalg.matmul ins(%a, %b : memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>)
                outs(%c : memref<?x?xf32, strided<[?, ?], offset: ?>>)
  return
}

// -----

// batch_matmul with f16 inputs and an f32 output: the packing and the row
// blocks are parallel over the batch too; B is extended to f32 as it is
// packed, A element by element in the k loop.
// CHECK-LABEL: func @batch_f16_inputs
// CHECK-SAME: (%[[A:.*]]: memref<2x12x8xf16>, %[[B:.*]]: memref<2x8x32xf16>, %[[C:.*]]: memref<2x12x32xf32>)
// CHECK: memref.dim %[[C]]
// CHECK: memref.dim %[[C]]
// CHECK: memref.dim %[[A]]
// CHECK: %[[BATCH:.*]] = memref.dim %[[C]], %{{.*}}
// CHECK: %[[PACKED:.*]] = memref.alloc(%[[BATCH]], %{{.*}}, %{{.*}}) {alignment = 64 : i64} : memref<?x?x?x16xf32>
// CHECK: scf.parallel (%[[PB:.*]], %[[P:.*]]) =
// CHECK: %[[H:.*]] = vector.transfer_read %[[B]][%[[PB]], %{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true]} : memref<2x8x32xf16>, vector<8xf16>
// CHECK: %[[HF:.*]] = arith.extf %[[H]] : vector<8xf16> to vector<8xf32>
// CHECK: vector.store %[[HF]], %[[PACKED]][%[[PB]], %[[P]], %{{.*}}, %{{.*}}]
// CHECK: scf.parallel (%[[CB:.*]], %{{.*}}) = (%{{.*}}, %{{.*}}) to (%[[BATCH]], %{{.*}})
// CHECK: vector.load %[[C]][%[[CB]], %{{.*}}, %{{.*}}] : memref<2x12x32xf32>, vector<8xf32>
// CHECK: scf.for %[[K:[^ ]+]] =
// CHECK: vector.load %[[PACKED]][%[[CB]], %{{.*}}, %[[K]], %{{.*}}] : memref<?x?x?x16xf32>, vector<8xf32>
// CHECK: %[[X:.*]] = memref.load %[[A]][%[[CB]], %{{.*}}, %[[K]]] : memref<2x12x8xf16>
// CHECK: %[[XF:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK: vector.broadcast %[[XF]] : f32 to vector<8xf32>
// CHECK: vector.store %{{.*}}, %[[C]][%[[CB]], %{{.*}}, %{{.*}}] : memref<2x12x32xf32>, vector<8xf32>
// CHECK-NOT: linalg.batch_matmul
func.func @batch_f16_inputs(%a: memref<2x12x8xf16>, %b: memref<2x8x32xf16>, %c: memref<2x12x32xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<2x12x8xf16>, memref<2x8x32xf16>) outs(%c : memref<2x12x32xf32>)
  return
}

// -----

// f64: 2 vectors of 4 lanes per row, panels of 8 columns.
// CHECK-LABEL: func @f64
// CHECK: memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?x?x8xf64>
// CHECK: vector.transfer_read {{.*}} : memref<8x16xf64>, vector<4xf64>
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<4xf64>,
// CHECK-COUNT-12: vector.fma {{.*}} : vector<4xf64>
func.func @f64(%a: memref<12x8xf64>, %b: memref<8x16xf64>, %c: memref<12x16xf64>) {
  linalg.matmul ins(%a, %b : memref<12x8xf64>, memref<8x16xf64>) outs(%c : memref<12x16xf64>)
  return
}

// -----

// Matmuls the kernel does not take become generics with their loops
// interchanged to (i, k, j): user-defined indexing maps (B transposed) and
// an output narrower than f32.
// CHECK-DAG: #[[A_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[BT_MAP:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[B_MAP:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func @not_the_kernels
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic {indexing_maps = [#[[A_MAP]], #[[BT_MAP]], #[[C_MAP]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : memref<12x8xf32>, memref<16x8xf32>) outs(%{{.*}} : memref<12x16xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[A_MAP]], #[[B_MAP]], #[[C_MAP]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : memref<12x8xf16>, memref<8x16xf16>) outs(%{{.*}} : memref<12x16xf16>)
// CHECK-NOT: linalg.matmul
// CHECK-NOT: scf.parallel
func.func @not_the_kernels(%a: memref<12x8xf32>, %bt: memref<16x8xf32>, %c: memref<12x16xf32>,
                           %h: memref<12x8xf16>, %hb: memref<8x16xf16>, %hc: memref<12x16xf16>) {
  linalg.matmul indexing_maps = [affine_map<(i, j, k) -> (i, k)>,
                                 affine_map<(i, j, k) -> (j, k)>,
                                 affine_map<(i, j, k) -> (i, j)>]
      ins(%a, %bt : memref<12x8xf32>, memref<16x8xf32>) outs(%c : memref<12x16xf32>)
  linalg.matmul ins(%h, %hb : memref<12x8xf16>, memref<8x16xf16>) outs(%hc : memref<12x16xf16>)
  return
}

// -----

// Left alone: a matmul on tensors (not bufferized), a generic computing a
// matmul, and other linalg ops.
// CHECK-LABEL: func @untouched
// CHECK-NOT: scf.parallel
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<12x8xf32>, tensor<8x32xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: linalg.matvec
// CHECK: linalg.add
// CHECK-NOT: scf.parallel
func.func @untouched(%ta: tensor<12x8xf32>, %tb: tensor<8x32xf32>, %tc: tensor<12x32xf32>,
                     %a: memref<12x8xf32>, %b: memref<8x32xf32>, %c: memref<12x32xf32>,
                     %x: memref<8xf32>, %y: memref<12xf32>) -> tensor<12x32xf32> {
  %r = linalg.matmul ins(%ta, %tb : tensor<12x8xf32>, tensor<8x32xf32>) outs(%tc : tensor<12x32xf32>) -> tensor<12x32xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>,
                                   affine_map<(i, j, k) -> (k, j)>,
                                   affine_map<(i, j, k) -> (i, j)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<12x8xf32>, memref<8x32xf32>) outs(%c : memref<12x32xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  linalg.matvec ins(%a, %x : memref<12x8xf32>, memref<8xf32>) outs(%y : memref<12xf32>)
  linalg.add ins(%c, %c : memref<12x32xf32>, memref<12x32xf32>) outs(%c : memref<12x32xf32>)
  return %r : tensor<12x32xf32>
}
