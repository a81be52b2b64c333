// Explicit tile sizes that every version of the option constraints accepts;
// the checks below do not depend on the register block of the FMA loops.
// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-tile-attention="query-tile=48 key-tile=48 vector-width=8" | FileCheck %s
// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-tile-attention="query-tile=48 key-tile=48 vector-width=8" | FileCheck %s --check-prefix=ALLOC
// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-tile-attention="query-tile=24 key-tile=24 vector-width=4" | FileCheck %s --check-prefix=VW4
// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-tile-attention | FileCheck %s --check-prefix=DEFAULT
//
// Invalid options are reported before anything is rewritten.
// RUN: not longnet-opt %s -split-input-file -longnet-tile-attention="query-tile=10" 2>&1 | FileCheck %s --check-prefix=QUERY-TILE
// RUN: not longnet-opt %s -split-input-file -longnet-tile-attention="key-tile=5" 2>&1 | FileCheck %s --check-prefix=KEY-TILE
// RUN: not longnet-opt %s -split-input-file -longnet-tile-attention="vector-width=3" 2>&1 | FileCheck %s --check-prefix=VECTOR-WIDTH
// QUERY-TILE: error: longnet-tile-attention: query-tile must be a positive multiple of lcm(2 * vector-width, 6) = 48, got 10
// QUERY-TILE-NOT: scf.parallel
// KEY-TILE: error: longnet-tile-attention: key-tile must be a positive multiple of 6, got 5
// KEY-TILE-NOT: scf.parallel
// VECTOR-WIDTH: error: longnet-tile-attention: vector-width must be an even number >= 2, got 3
// VECTOR-WIDTH-NOT: scf.parallel

// A branch (w = 128, r = 2, cyclic offsets) on f32. One scf.parallel over
// (batch, head, segment, query tile); K and V rows are read in place from
// the original memrefs at g*w + (h mod r) + (keyStart + j)*r; the result is
// merged into the accumulators (old lse and old output read first).
// CHECK-LABEL: func @branch_cyclic
// CHECK-SAME: (%[[Q:.*]]: memref<2x256x4x64xf32>, %[[K:.*]]: memref<2x256x4x64xf32>, %[[V:.*]]: memref<2x256x4x64xf32>, %[[O:.*]]: memref<2x256x4x64xf32>, %[[L:.*]]: memref<2x256x4xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[NB:.*]] = memref.dim %[[Q]], %[[C0]]
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[N:.*]] = memref.dim %[[Q]], %[[C1]]
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[NH:.*]] = memref.dim %[[Q]], %[[C2]]
// CHECK: %[[W:.*]] = arith.constant 128 : index
// CHECK: %[[R:.*]] = arith.constant 2 : index
// CHECK: arith.constant 1.250000e-01 : f32
// CHECK: %[[SEG_ROWS:.*]] = arith.minui %[[W]], %[[N]] : index
// CHECK: %[[WPOS:.*]] = arith.maxui %[[W]], %{{.*}} : index
// CHECK: %[[NSEG:.*]] = arith.ceildivui %[[N]], %[[WPOS]] : index
// CHECK: %[[MAX_SEL:.*]] = arith.ceildivui %[[SEG_ROWS]], %[[R]] : index
// CHECK: %[[QT:.*]] = arith.constant 48 : index
// CHECK: %[[NQT:.*]] = arith.ceildivui %[[MAX_SEL]], %[[QT]] : index
// CHECK: scf.parallel (%[[BI:.*]], %[[HI:.*]], %[[SI:.*]], %[[TI:.*]]) = (%[[Z:.*]], %[[Z]], %[[Z]], %[[Z]]) to (%[[NB]], %[[NH]], %[[NSEG]], %[[NQT]])
// CHECK-NEXT: %[[OFF:.*]] = arith.remui %[[HI]], %[[R]] : index
// CHECK-NEXT: %[[SEG_START:.*]] = arith.muli %[[SI]], %[[W]] : index
// CHECK: %[[SPAN:.*]] = arith.subi %{{.*}}, %[[OFF]] : index
// CHECK-NEXT: %[[NUM_SEL:.*]] = arith.ceildivui %[[SPAN]], %[[R]] : index
// CHECK-NEXT: %[[ROW_BASE:.*]] = arith.addi %[[SEG_START]], %[[OFF]] : index
// CHECK: %[[Q_START:.*]] = arith.muli %[[TI]], %{{.*}} : index
// CHECK: scf.if
// CHECK: %[[NUM_Q:.*]] = arith.minui %{{.*}}, %{{.*}} : index
// CHECK-DAG: %[[QT_BUF:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x48xf32>
// CHECK-DAG: %[[S_BUF:.*]] = memref.alloc() {alignment = 64 : i64} : memref<48x48xf32>
// CHECK-DAG: %[[M_BUF:.*]] = memref.alloc() {alignment = 64 : i64} : memref<48xf32>
// Query rows staged (scaled, transposed) from the original query.
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[NUM_Q]] step
// CHECK-NEXT: %[[Q_IDX:.*]] = arith.addi %[[Q_START]], %[[I]] : index
// CHECK-NEXT: %[[Q_OFS:.*]] = arith.muli %[[Q_IDX]], %[[R]] : index
// CHECK-NEXT: %[[Q_ROW:.*]] = arith.addi %[[ROW_BASE]], %[[Q_OFS]] : index
// CHECK-NEXT: scf.for %[[QD:.*]] =
// CHECK-NEXT: %[[QV:.*]] = memref.load %[[Q]][%[[BI]], %[[Q_ROW]], %[[HI]], %[[QD]]] : memref<2x256x4x64xf32>
// CHECK-NEXT: %[[QS:.*]] = arith.mulf %[[QV]], %{{.*}} : f32
// CHECK-NEXT: memref.store %[[QS]], %[[QT_BUF]][%[[QD]], %[[I]]] : memref<64x48xf32>
// Key tiles up to the number of selected rows (no causal bound).
// CHECK: scf.for %[[K_START:.*]] = %{{.*}} to %[[NUM_SEL]] step %{{.*}} {
// CHECK: scf.for %[[J:.*]] =
// CHECK-NEXT: %[[K_IDX:.*]] = arith.addi %[[K_START]], %[[J]] : index
// CHECK-NEXT: %[[K_OFS:.*]] = arith.muli %[[K_IDX]], %[[R]] : index
// CHECK-NEXT: %[[K_ROW:.*]] = arith.addi %[[ROW_BASE]], %[[K_OFS]] : index
// CHECK: vector.transfer_read %[[K]][%[[BI]], %[[K_ROW]], %[[HI]], %{{.*}}], %{{.*}} {in_bounds = [true]} : memref<2x256x4x64xf32>, vector<8xf32>
// CHECK: vector.transfer_read %[[V]][%[[BI]], %[[K_ROW]], %[[HI]], %{{.*}}], %{{.*}} {in_bounds = [true]} : memref<2x256x4x64xf32>, vector<8xf32>
// CHECK: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK: memref<48x48xf32>, vector<8xf32>
// CHECK-NOT: arith.cmpi ule
// CHECK: math.exp %{{.*}} : vector<8xf32>
// CHECK-NOT: arith.cmpi ule
// CHECK: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>
// Epilogue: Eq. 10 merge into the accumulators at the original rows.
// CHECK: scf.for %[[I2:.*]] = %{{.*}} to %[[NUM_Q]] step
// CHECK-NEXT: %[[E_IDX:.*]] = arith.addi %[[Q_START]], %[[I2]] : index
// CHECK-NEXT: %[[E_OFS:.*]] = arith.muli %[[E_IDX]], %[[R]] : index
// CHECK-NEXT: %[[ROW:.*]] = arith.addi %[[ROW_BASE]], %[[E_OFS]] : index
// CHECK: %[[M:.*]] = memref.load %[[M_BUF]][%[[I2]]] : memref<48xf32>
// CHECK: %[[LOG_SUM:.*]] = math.log %{{.*}} : f32
// CHECK-NEXT: %[[BRANCH_LSE:.*]] = arith.addf %[[M]], %[[LOG_SUM]] : f32
// The weights are sigmoid(+-d) of one difference d = lse_acc - lse_b, so
// they sum to one whatever |lse| is: e = exp(-|d|), 1 / (1 + e) for the
// larger lse, e / (1 + e) for the smaller.
// CHECK: %[[OLD_LSE:.*]] = memref.load %[[L]][%[[BI]], %[[ROW]], %[[HI]]] : memref<2x256x4xf32>
// CHECK-NEXT: %[[DIFF:.*]] = arith.subf %[[OLD_LSE]], %[[BRANCH_LSE]] : f32
// CHECK-NEXT: %[[ABS:.*]] = math.absf %[[DIFF]] : f32
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[ABS]] : f32
// CHECK-NEXT: %[[E:.*]] = math.exp %[[NEG]] : f32
// CHECK: %[[ONE_E:.*]] = arith.addf %{{.*}}, %[[E]] : f32
// CHECK: %[[LARGE:.*]] = arith.divf %{{.*}}, %[[ONE_E]] : f32
// CHECK-NEXT: %[[SMALL:.*]] = arith.mulf %[[E]], %[[LARGE]] : f32
// CHECK: %[[OLD_WINS:.*]] = arith.cmpf oge, %[[DIFF]], %{{.*}} : f32
// CHECK-NEXT: %[[KEEP:.*]] = arith.select %[[OLD_WINS]], %[[LARGE]], %[[SMALL]] : f32
// CHECK-NEXT: %[[FRESH:.*]] = arith.select %[[OLD_WINS]], %[[SMALL]], %[[LARGE]] : f32
// CHECK-NEXT: %[[LOG1PE:.*]] = math.log %[[ONE_E]] : f32
// CHECK-NEXT: %[[TOP:.*]] = arith.maximumf %[[OLD_LSE]], %[[BRANCH_LSE]] : f32
// CHECK-NEXT: %[[NEW_LSE:.*]] = arith.addf %[[TOP]], %[[LOG1PE]] : f32
// CHECK-NEXT: %[[FRESH_INV:.*]] = arith.mulf %[[FRESH]], %{{.*}} : f32
// CHECK: scf.for %[[DI:.*]] =
// CHECK: %[[ACC:.*]] = memref.load %{{.*}}[%{{.*}}, %[[DI]]] : memref<48x64xf32>
// CHECK-NEXT: %[[NEW:.*]] = arith.mulf %[[ACC]], %[[FRESH_INV]] : f32
// CHECK-NEXT: %[[OLD:.*]] = memref.load %[[O]][%[[BI]], %[[ROW]], %[[HI]], %[[DI]]] : memref<2x256x4x64xf32>
// CHECK-NEXT: %[[KEPT:.*]] = arith.mulf %[[OLD]], %[[KEEP]] : f32
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[KEPT]], %[[NEW]] : f32
// CHECK-NEXT: memref.store %[[SUM]], %[[O]][%[[BI]], %[[ROW]], %[[HI]], %[[DI]]] : memref<2x256x4x64xf32>
// CHECK: memref.store %[[NEW_LSE]], %[[L]][%[[BI]], %[[ROW]], %[[HI]]] : memref<2x256x4xf32>
// CHECK: memref.dealloc %[[QT_BUF]]
// CHECK: scf.reduce
// CHECK-NOT: longnet.
// CHECK: return
//
// Only tile-sized local buffers: eight of them, none of N (256) rows.
// ALLOC-LABEL: func @branch_cyclic
// ALLOC-COUNT-8: memref.alloc() {alignment = 64 : i64} : memref<{{(64x48|48x64|48x48|48)}}xf32>
// ALLOC-NOT: memref.alloc
// ALLOC-COUNT-8: memref.dealloc
// ALLOC-NOT: memref.alloc
// ALLOC: return
//
// VW4-LABEL: func @branch_cyclic
// VW4-NOT: vector<8x
// VW4: memref.alloc() {alignment = 64 : i64} : memref<64x24xf32>
// VW4: vector.transfer_read %{{.*}} : memref<2x256x4x64xf32>, vector<4xf32>
// VW4: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<4xf32>
// VW4: math.exp %{{.*}} : vector<4xf32>
// VW4-NOT: vector<8x
// VW4: return
//
// The default tile sizes give the same form.
// DEFAULT-LABEL: func @branch_cyclic
// DEFAULT: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) to
// DEFAULT-NOT: memref.alloc() {{.*}}256
// DEFAULT: vector.transfer_read %{{.*}} : memref<2x256x4x64xf32>, vector<8xf32>
// DEFAULT-NOT: memref.alloc() {{.*}}256
// DEFAULT: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>
// DEFAULT: math.exp %{{.*}} : vector<8xf32>
// DEFAULT: scf.reduce
// DEFAULT-NOT: longnet.
func.func @branch_cyclic(%q: memref<2x256x4x64xf32>, %k: memref<2x256x4x64xf32>, %v: memref<2x256x4x64xf32>,
                         %o: memref<2x256x4x64xf32>, %l: memref<2x256x4xf32>) {
  longnet.branch_attention ins(%q, %k, %v : memref<2x256x4x64xf32>, memref<2x256x4x64xf32>, memref<2x256x4x64xf32>)
    outs(%o, %l : memref<2x256x4x64xf32>, memref<2x256x4xf32>) {segment_length = 128, dilation_rate = 2}
  return
}

// -----

// Grouped offsets: o_h = h / ceil(H / r).
// CHECK-LABEL: func @branch_grouped
// CHECK-SAME: (%[[Q:.*]]: memref<1x64x6x16xf32>, %[[K:.*]]: memref<1x64x6x16xf32>, %{{.*}}: memref<1x64x6x16xf32>, %{{.*}}: memref<1x64x6x16xf32>, %{{.*}}: memref<1x64x6xf32>)
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[NH:.*]] = memref.dim %[[Q]], %[[C2]]
// CHECK: %[[R:.*]] = arith.constant 4 : index
// CHECK: scf.parallel (%[[BI:.*]], %[[HI:.*]], %{{.*}}, %{{.*}}) =
// CHECK-NOT: arith.remui
// CHECK: %[[GROUP:.*]] = arith.ceildivui %[[NH]], %[[R]] : index
// CHECK-NEXT: %[[OFF:.*]] = arith.divui %[[HI]], %[[GROUP]] : index
// CHECK-NOT: arith.remui
// CHECK: %[[ROW_BASE:.*]] = arith.addi %{{.*}}, %[[OFF]] : index
// CHECK: memref.load %[[Q]]
// CHECK: %[[K_OFS:.*]] = arith.muli %{{.*}}, %[[R]] : index
// CHECK-NEXT: %[[K_ROW:.*]] = arith.addi %[[ROW_BASE]], %[[K_OFS]] : index
// CHECK: vector.transfer_read %[[K]][%[[BI]], %[[K_ROW]], %[[HI]], %{{.*}}]
// CHECK-NOT: arith.remui
// CHECK: return
func.func @branch_grouped(%q: memref<1x64x6x16xf32>, %k: memref<1x64x6x16xf32>, %v: memref<1x64x6x16xf32>,
                          %o: memref<1x64x6x16xf32>, %l: memref<1x64x6xf32>) {
  longnet.branch_attention ins(%q, %k, %v : memref<1x64x6x16xf32>, memref<1x64x6x16xf32>, memref<1x64x6x16xf32>)
    outs(%o, %l : memref<1x64x6x16xf32>, memref<1x64x6xf32>)
    {segment_length = 32, dilation_rate = 4, offset_mode = #longnet.offset_mode<grouped>}
  return
}

// -----

// Offset mode none: every head starts at row 0 of the segment.
// CHECK-LABEL: func @branch_no_offset
// CHECK-NOT: arith.remui
// CHECK-NOT: arith.divui
// CHECK: scf.parallel
// CHECK-NEXT: %[[OFF:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[SEG_START:.*]] = arith.muli
// CHECK-NOT: arith.remui
// CHECK-NOT: arith.divui
// CHECK: arith.addi %[[SEG_START]], %[[OFF]] : index
// CHECK-NOT: arith.remui
// CHECK-NOT: arith.divui
// CHECK: return
func.func @branch_no_offset(%q: memref<1x64x2x16xf32>, %o: memref<1x64x2x16xf32>, %l: memref<1x64x2xf32>) {
  longnet.branch_attention ins(%q, %q, %q : memref<1x64x2x16xf32>, memref<1x64x2x16xf32>, memref<1x64x2x16xf32>)
    outs(%o, %l : memref<1x64x2x16xf32>, memref<1x64x2xf32>)
    {segment_length = 32, dilation_rate = 2, offset_mode = #longnet.offset_mode<none>}
  return
}

// -----

// Causal: the key loop stops at the tile's last query (min(numSel, qStart +
// numQ)) and the diagonal tile is masked per element (key <= query).
// CHECK-LABEL: func @branch_causal
// CHECK: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}, %[[TI:.*]]) =
// CHECK: %[[NUM_SEL:.*]] = arith.ceildivui %{{.*}}, %{{.*}} : index
// CHECK: %[[Q_START:.*]] = arith.muli %[[TI]], %{{.*}} : index
// CHECK: scf.if
// CHECK: %[[NUM_Q:.*]] = arith.minui %{{.*}}, %{{.*}} : index
// CHECK: %[[Q_END:.*]] = arith.addi %[[Q_START]], %[[NUM_Q]] : index
// CHECK-NEXT: %[[K_END:.*]] = arith.minui %[[NUM_SEL]], %[[Q_END]] : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[K_END]] step %{{.*}} {
// Only a tile whose last key lies past the first query is masked.
// CHECK: %[[DIAGONAL:.*]] = arith.cmpi ugt, %{{.*}}, %[[Q_START]] : index
// CHECK-NEXT: scf.if %[[DIAGONAL]] {
// CHECK: %[[VISIBLE:.*]] = arith.cmpi ule, %{{.*}}, %{{.*}} : vector<8xindex>
// CHECK-NEXT: arith.select %[[VISIBLE]], %{{.*}}, %{{.*}} : vector<8xi1>, vector<8xf32>
// CHECK: } else {
// CHECK-NOT: arith.cmpi ule
// CHECK: math.exp
// CHECK: }
// CHECK: return
func.func @branch_causal(%q: memref<1x64x2x16xf32>, %o: memref<1x64x2x16xf32>, %l: memref<1x64x2xf32>) {
  longnet.branch_attention ins(%q, %q, %q : memref<1x64x2x16xf32>, memref<1x64x2x16xf32>, memref<1x64x2x16xf32>)
    outs(%o, %l : memref<1x64x2x16xf32>, memref<1x64x2xf32>) {segment_length = 32, dilation_rate = 2, causal}
  return
}

// -----

// Dense attention, f16 in and f32 out, dynamic N: one segment of length N,
// no head offset, elements widened after the loads, and a plain write of
// output and lse (no merge, so neither accumulator is read).
// CHECK-LABEL: func @attention_f16
// CHECK-SAME: (%[[Q:.*]]: memref<1x?x2x64xf16>, %[[K:.*]]: memref<1x?x2x64xf16>, %[[V:.*]]: memref<1x?x2x64xf16>, %[[O:.*]]: memref<1x?x2x64xf32>, %[[L:.*]]: memref<1x?x2xf32>)
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[N:.*]] = memref.dim %[[Q]], %[[C1]]
// CHECK: %[[NPOS:.*]] = arith.maxui %[[N]], %{{.*}} : index
// CHECK: %[[NSEG:.*]] = arith.ceildivui %[[N]], %[[NPOS]] : index
// CHECK: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) to (%{{.*}}, %{{.*}}, %[[NSEG]], %{{.*}})
// CHECK-NOT: arith.remui
// CHECK-NOT: arith.divui
// CHECK-NOT: memref.alloc(%
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<64x48xf32>
// CHECK: %[[QV:.*]] = memref.load %[[Q]][{{.*}}] : memref<1x?x2x64xf16>
// CHECK-NEXT: arith.extf %[[QV]] : f16 to f32
// CHECK: %[[KV:.*]] = vector.transfer_read %[[K]][{{.*}}], %{{.*}} {in_bounds = [true]} : memref<1x?x2x64xf16>, vector<8xf16>
// CHECK-NEXT: arith.extf %[[KV]] : vector<8xf16> to vector<8xf32>
// CHECK: %[[VV:.*]] = vector.transfer_read %[[V]][{{.*}}], %{{.*}} {in_bounds = [true]} : memref<1x?x2x64xf16>, vector<8xf16>
// CHECK-NEXT: arith.extf %[[VV]] : vector<8xf16> to vector<8xf32>
// CHECK-NOT: memref.load %[[L]]
// CHECK-NOT: memref.load %[[O]]
// CHECK: memref.store %{{.*}}, %[[O]][{{.*}}] : memref<1x?x2x64xf32>
// CHECK-NOT: memref.load %[[L]]
// CHECK: memref.store %{{.*}}, %[[L]][{{.*}}] : memref<1x?x2xf32>
// CHECK-NOT: longnet.
// CHECK: return
// A dynamic N never sizes a buffer.
// ALLOC-LABEL: func @attention_f16
// ALLOC-NOT: memref.alloc(%
// ALLOC: return
func.func @attention_f16(%q: memref<1x?x2x64xf16>, %k: memref<1x?x2x64xf16>, %v: memref<1x?x2x64xf16>,
                         %o: memref<1x?x2x64xf32>, %l: memref<1x?x2xf32>) {
  longnet.attention ins(%q, %k, %v : memref<1x?x2x64xf16>, memref<1x?x2x64xf16>, memref<1x?x2x64xf16>)
    outs(%o, %l : memref<1x?x2x64xf32>, memref<1x?x2xf32>)
  return
}

// -----

// Dynamic D: the local buffers are sized by D (padded to two vectors), never
// by N; the row reads may run past D so they are not in bounds; without a
// scale attribute the scale is 1/sqrt(D) computed at run time.
// CHECK-LABEL: func @attention_dynamic
// CHECK-SAME: (%[[Q:.*]]: memref<?x?x?x?xf32>, %[[K:.*]]: memref<?x?x?x?xf32>, %{{.*}}: memref<?x?x?x?xf32>, %{{.*}}: memref<?x?x?x?xf32>, %{{.*}}: memref<?x?x?xf32>)
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK: %[[D:.*]] = memref.dim %[[Q]], %[[C3]]
// CHECK: %[[D_PAD:.*]] = arith.muli %{{.*}}, %{{.*}} : index
// CHECK: math.sqrt %{{.*}} : f32
// CHECK: scf.parallel
// CHECK-DAG: memref.alloc(%[[D]]) {alignment = 64 : i64} : memref<?x48xf32>
// CHECK-DAG: memref.alloc(%[[D_PAD]]) {alignment = 64 : i64} : memref<48x?xf32>
// CHECK-DAG: memref.alloc() {alignment = 64 : i64} : memref<48x48xf32>
// CHECK: vector.transfer_read %[[K]][{{.*}}], %{{.*}} : memref<?x?x?x?xf32>, vector<8xf32>
// ALLOC-LABEL: func @attention_dynamic
// ALLOC-COUNT-8: memref.alloc({{[%a-z0-9_]*}}) {alignment = 64 : i64} : memref<{{(\?x48|48x\?|48x48|48)}}xf32>
// ALLOC-NOT: memref.alloc
// ALLOC: return
func.func @attention_dynamic(%q: memref<?x?x?x?xf32>, %k: memref<?x?x?x?xf32>, %v: memref<?x?x?x?xf32>,
                             %o: memref<?x?x?x?xf32>, %l: memref<?x?x?xf32>) {
  longnet.attention ins(%q, %k, %v : memref<?x?x?x?xf32>, memref<?x?x?x?xf32>, memref<?x?x?x?xf32>)
    outs(%o, %l : memref<?x?x?x?xf32>, memref<?x?x?xf32>) {causal}
  return
}

// -----

// f64 computes in f64 with half as many lanes: vector<4xf64>.
// CHECK-LABEL: func @branch_f64
// CHECK-NOT: vector<8x
// CHECK-NOT: f32
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<32x48xf64>
// CHECK: vector.transfer_read %{{.*}} : memref<1x64x2x32xf64>, vector<4xf64>
// CHECK: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<4xf64>
// CHECK: math.exp %{{.*}} : vector<4xf64>
// CHECK: math.log %{{.*}} : f64
// CHECK-NOT: vector<8x
// CHECK-NOT: f32
// CHECK: return
// VW4-LABEL: func @branch_f64
// VW4-NOT: vector<4x
// VW4: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<2xf64>
// VW4-NOT: vector<4x
// VW4: return
func.func @branch_f64(%q: memref<1x64x2x32xf64>, %o: memref<1x64x2x32xf64>, %l: memref<1x64x2xf64>) {
  longnet.branch_attention ins(%q, %q, %q : memref<1x64x2x32xf64>, memref<1x64x2x32xf64>, memref<1x64x2x32xf64>)
    outs(%o, %l : memref<1x64x2x32xf64>, memref<1x64x2xf64>) {segment_length = 64, dilation_rate = 2, scale = 0.5 : f32}
  return
}

// -----

// The flash ops are lowered from memrefs only.
func.func @attention_on_tensors(%q: tensor<1x16x1x16xf32>, %o0: tensor<1x16x1x16xf32>, %l0: tensor<1x16x1xf32>) -> tensor<1x16x1x16xf32> {
  // expected-error @+1 {{'longnet.attention' op must be bufferized before longnet-tile-attention}}
  %o, %l = longnet.attention ins(%q, %q, %q : tensor<1x16x1x16xf32>, tensor<1x16x1x16xf32>, tensor<1x16x1x16xf32>)
             outs(%o0, %l0 : tensor<1x16x1x16xf32>, tensor<1x16x1xf32>) -> tensor<1x16x1x16xf32>, tensor<1x16x1xf32>
  return %o : tensor<1x16x1x16xf32>
}

// -----

func.func @branch_on_tensors(%q: tensor<1x16x1x16xf32>, %o0: tensor<1x16x1x16xf32>, %l0: tensor<1x16x1xf32>) -> tensor<1x16x1xf32> {
  // expected-error @+1 {{'longnet.branch_attention' op must be bufferized before longnet-tile-attention}}
  %o, %l = longnet.branch_attention ins(%q, %q, %q : tensor<1x16x1x16xf32>, tensor<1x16x1x16xf32>, tensor<1x16x1x16xf32>)
             outs(%o0, %l0 : tensor<1x16x1x16xf32>, tensor<1x16x1xf32>) {segment_length = 8, dilation_rate = 2}
             -> tensor<1x16x1x16xf32>, tensor<1x16x1xf32>
  return %l : tensor<1x16x1xf32>
}

// -----

// A static D that is a multiple of the vector width but not of twice the
// width: K and V rows are copied up to D rounded up to two vectors, so the
// reads must not be marked in bounds.
// CHECK-LABEL: func @half_padded_head_dim
// CHECK-NOT: in_bounds
// CHECK: vector.transfer_read %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}], %{{.*}} : memref<1x16x1x8xf32>, vector<8xf32>
// CHECK-NOT: in_bounds
// CHECK: return
func.func @half_padded_head_dim(%q: memref<1x16x1x8xf32>, %o: memref<1x16x1x8xf32>, %l: memref<1x16x1xf32>) {
  longnet.attention ins(%q, %q, %q : memref<1x16x1x8xf32>, memref<1x16x1x8xf32>, memref<1x16x1x8xf32>)
      outs(%o, %l : memref<1x16x1x8xf32>, memref<1x16x1xf32>)
  return
}
