// RUN: longnet-opt %s -split-input-file -longnet-convert-attention-to-nvgpu | FileCheck %s --implicit-check-not="memref.alloc("
// RUN: longnet-opt %s -split-input-file -longnet-convert-attention-to-nvgpu="key-tile=16" | FileCheck %s --check-prefix=KT

// Nothing is materialised in global memory (no memref.alloc anywhere): the
// dilated gather and scatter are the addresses of the loads and stores.

// An f16 causal branch (w = 128, r = 2, D = 64) on tensor cores. One block
// of 4 warps per (query tile of 64, segment, batch x head); K and V tiles of
// 64 keys (the default for D <= 64) are double-buffered in a workgroup buffer
// of 4 * 64 rows of D + 8 elements.
// CHECK-LABEL: func @branch_f16_causal
// CHECK-SAME: (%[[Q:[a-z0-9_]+]]: memref<1x256x2x64xf16>, %[[K:[a-z0-9_]+]]: memref<1x256x2x64xf16>, %[[V:[a-z0-9_]+]]: memref<1x256x2x64xf16>, %[[O:[a-z0-9_]+]]: memref<1x256x2x64xf32>, %[[L:[a-z0-9_]+]]: memref<1x256x2xf32>)
// CHECK: %[[NB:.*]] = memref.dim %[[Q]], %{{.*}} : memref<1x256x2x64xf16>
// CHECK: %[[N:.*]] = memref.dim %[[Q]], %{{.*}} : memref<1x256x2x64xf16>
// CHECK: %[[NH:.*]] = memref.dim %[[Q]], %{{.*}} : memref<1x256x2x64xf16>
// CHECK: %[[W:.*]] = arith.constant 128 : index
// CHECK: %[[R:.*]] = arith.constant 2 : index
// CHECK: %[[NSEG:.*]] = arith.ceildivui %[[N]], %{{.*}} : index
// CHECK: %[[SEG_ROWS:.*]] = arith.minui %[[W]], %[[N]] : index
// CHECK: %[[MAX_SEL:.*]] = arith.ceildivui %[[SEG_ROWS]], %[[R]] : index
// CHECK: %[[QT:.*]] = arith.constant 64 : index
// CHECK: %[[GX:.*]] = arith.ceildivui %[[MAX_SEL]], %[[QT]] : index
// CHECK: %[[BH:.*]] = arith.muli %[[NB]], %[[NH]] : index
// One block per (query tile, segment, batch x head), linearised in x.
// CHECK: %[[TILES_SEGS:.*]] = arith.muli %[[GX]], %[[NSEG]] : index
// CHECK: %[[BLOCKS:.*]] = arith.muli %[[TILES_SEGS]], %[[BH]] : index
// Empty grids are not launched.
// CHECK: %[[HAS_WORK:.*]] = arith.cmpi ult, %{{.*}}, %[[BLOCKS]] : index
// CHECK-NEXT: scf.if %[[HAS_WORK]] {
// CHECK: %[[ONE:.*]] = arith.constant 1 : index
// CHECK: %[[THREADS:.*]] = arith.constant 128 : index
// CHECK: gpu.launch blocks(%[[BX:[a-z0-9_]+]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[BLOCKS]], %{{.*}} = %[[ONE]], %{{.*}} = %[[ONE]]) threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %[[THREADS]], %{{.*}} = %[[ONE]], %{{.*}} = %[[ONE]]) workgroup(%[[SMEM:[a-z0-9_]+]] : memref<256x72xf16, #gpu.address_space<workgroup>>) {
// CHECK-NEXT: %[[TILE_ID:.*]] = arith.remui %[[BX]], %[[GX]] : index
// CHECK-NEXT: %[[REST:.*]] = arith.divui %[[BX]], %[[GX]] : index
// CHECK-NEXT: %[[SEG:.*]] = arith.remui %[[REST]], %[[NSEG]] : index
// CHECK-NEXT: %[[BHI:.*]] = arith.divui %[[REST]], %[[NSEG]] : index
// CHECK-NEXT: %[[B:.*]] = arith.divui %[[BHI]], %[[NH]] : index
// CHECK-NEXT: %[[H:.*]] = arith.remui %[[BHI]], %[[NH]] : index
// CHECK-NEXT: %[[OFF:.*]] = arith.remui %[[H]], %[[R]] : index
// CHECK-NEXT: %[[SEG_START:.*]] = arith.muli %[[SEG]], %[[W]] : index
// CHECK: %[[NUM_SEL:.*]] = arith.ceildivui %{{.*}}, %[[R]] : index
// CHECK-NEXT: %[[ROW_BASE:.*]] = arith.addi %[[SEG_START]], %[[OFF]] : index
// CHECK: %[[Q_START:.*]] = arith.muli %[[TILE_ID]], %{{.*}} : index
// CHECK: %[[HAS_ROWS:.*]] = arith.cmpi ult, %[[Q_START]], %[[NUM_SEL]] : index
// CHECK-NEXT: scf.if %[[HAS_ROWS]] {
// Q (64 rows x 8 chunks of 16 bytes: 4 per thread) read in place at row
// g*w + o_h + i*r, zero-filled (src-size 0) past the selected rows, then
// loaded into A fragments.
// CHECK: %[[Q_SEL:.*]] = arith.addi %[[Q_START]], %{{.*}} : index
// CHECK-NEXT: %[[Q_VALID:.*]] = arith.cmpi ult, %[[Q_SEL]], %[[NUM_SEL]] : index
// CHECK: %[[Q_CLAMPED:.*]] = arith.select %[[Q_VALID]], %[[Q_SEL]], %{{.*}} : index
// CHECK-NEXT: %[[Q_OFS:.*]] = arith.muli %[[Q_CLAMPED]], %{{.*}} : index
// CHECK-NEXT: %[[Q_ROW:.*]] = arith.addi %[[ROW_BASE]], %[[Q_OFS]] : index
// CHECK: %[[Q_SRC_ELTS:.*]] = arith.select %[[Q_VALID]], %{{.*}}, %{{.*}} : index
// CHECK: nvgpu.device_async_copy %[[Q]][%[[B]], %[[Q_ROW]], %[[H]], %{{.*}}], %[[SMEM]][%{{.*}}, %{{.*}}], 8, %[[Q_SRC_ELTS]] {bypassL1} : memref<1x256x2x64xf16> to memref<256x72xf16, #gpu.address_space<workgroup>>
// CHECK-COUNT-3: nvgpu.device_async_copy %[[Q]][%[[B]], %{{.*}}, %[[H]], %{{.*}}], %[[SMEM]][%{{.*}}, %{{.*}}], 8, %{{.*}} {bypassL1}
// CHECK-NOT: nvgpu.device_async_copy
// CHECK: %[[Q_GROUP:.*]] = nvgpu.device_async_create_group
// CHECK-NEXT: nvgpu.device_async_wait %[[Q_GROUP]] {numGroups = 0 : i32}
// CHECK-NEXT: gpu.barrier
// CHECK-COUNT-4: nvgpu.ldmatrix %[[SMEM]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<256x72xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK-NEXT: gpu.barrier
// Causal: keys up to the end of the query tile. The first K and V tiles
// (64 rows: 4 copies per thread each) are prefetched.
// CHECK: %[[KEY_END:.*]] = arith.minui %[[NUM_SEL]], %{{.*}} : index
// CHECK: %[[NUM_TILES:.*]] = arith.ceildivui %[[KEY_END]], %{{.*}} : index
// CHECK-COUNT-4: nvgpu.device_async_copy %[[K]][%[[B]], %{{.*}}, %[[H]], %{{.*}}], %[[SMEM]]
// CHECK-COUNT-4: nvgpu.device_async_copy %[[V]][%[[B]], %{{.*}}, %[[H]], %{{.*}}], %[[SMEM]]
// CHECK-NEXT: nvgpu.device_async_create_group
// 8 O fragments (D / 8), then the row max and sum of rows g and g + 8.
// CHECK: %[[FINAL:.*]]:12 = scf.for %[[TILE:.*]] = %{{.*}} to %[[NUM_TILES]] step %{{.*}} iter_args({{.*}}) -> (vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, f32, f32, f32, f32) {
// Prefetch of the next tile, then wait for this one.
// CHECK-COUNT-4: nvgpu.device_async_copy %[[K]]
// CHECK-COUNT-4: nvgpu.device_async_copy %[[V]]
// CHECK-NEXT: %[[NEXT:.*]] = nvgpu.device_async_create_group
// CHECK-NEXT: nvgpu.device_async_wait %[[NEXT]] {numGroups = 1 : i32}
// CHECK-NEXT: gpu.barrier
// S = Q K^T: 4 k-steps x 8 key blocks of m16n8k16.
// CHECK: nvgpu.ldmatrix %[[SMEM]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = false}
// CHECK-COUNT-32: nvgpu.mma.sync(%{{.*}}, %{{.*}}, %{{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// Online softmax: causal mask, row max over the quad, exp2.
// CHECK: arith.cmpi ule
// CHECK: %[[MAX1:.*]], %{{.*}} = gpu.shuffle xor %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK: arith.maximumf %{{.*}}, %[[MAX1]] : f32
// CHECK: gpu.shuffle xor
// CHECK: math.exp2
// O += P V with V fragments from transposed ldmatrix.
// CHECK: nvgpu.ldmatrix %[[SMEM]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = true} : memref<256x72xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK: nvgpu.mma.sync(%{{.*}}, %{{.*}}, %{{.*}}) {mmaShape = [16, 8, 16]}
// CHECK: gpu.barrier
// CHECK-NEXT: scf.yield
// Epilogue: row sums over the quad, merge with the old lse (Eq. 10) and
// scatter into out/lse at the original rows.
// CHECK: gpu.shuffle xor %[[FINAL]]#10
// CHECK: math.log2
// CHECK: %[[OLD_LSE:.*]] = scf.if %{{.*}} -> (f32) {
// CHECK-NEXT: memref.load %[[L]][%[[B]], %[[ROW:.*]], %[[H]]] : memref<1x256x2xf32>
// CHECK: math.log
// CHECK: gpu.barrier
// CHECK-NEXT: scf.if
// CHECK: %[[OLD:.*]] = memref.load %[[O]][%[[B]], %[[ROW]], %[[H]], %{{.*}}] : memref<1x256x2x64xf32>
// CHECK: memref.store %{{.*}}, %[[O]][%[[B]], %[[ROW]], %[[H]], %{{.*}}] : memref<1x256x2x64xf32>
// CHECK: memref.store %{{.*}}, %[[L]][%[[B]], %[[ROW]], %[[H]]] : memref<1x256x2xf32>
// The second half (rows g + 8) likewise.
// CHECK: gpu.shuffle xor %[[FINAL]]#11
// CHECK: memref.store %{{.*}}, %[[L]]
// CHECK: gpu.terminator
// CHECK: return

// With 16-key tiles: 4 * 16 rows, and one copy per thread for each K or V
// tile.
// KT-LABEL: func @branch_f16_causal
// KT: workgroup(%[[SMEM:.*]] : memref<64x72xf16, #gpu.address_space<workgroup>>)
// KT: scf.for
// KT-COUNT-2: nvgpu.device_async_copy %{{.*}}, %[[SMEM]]
// KT-NOT: nvgpu.device_async_copy
// KT: nvgpu.device_async_create_group
// KT-COUNT-8: nvgpu.mma.sync
// KT-NOT: nvgpu.mma.sync
// KT: arith.cmpi ule
func.func @branch_f16_causal(%q: memref<1x256x2x64xf16>, %k: memref<1x256x2x64xf16>, %v: memref<1x256x2x64xf16>,
                             %o: memref<1x256x2x64xf32>, %l: memref<1x256x2xf32>) {
  longnet.branch_attention ins(%q, %k, %v : memref<1x256x2x64xf16>, memref<1x256x2x64xf16>, memref<1x256x2x64xf16>)
    outs(%o, %l : memref<1x256x2x64xf32>, memref<1x256x2xf32>) {segment_length = 128, dilation_rate = 2, causal}
  return
}

// -----

// bf16: the same kernel, with nvvm.mma.sync on bf16 fragments packed into
// i32 registers (no nvgpu.mma.sync).
// CHECK-LABEL: func @branch_bf16
// CHECK-NOT: nvgpu.mma.sync
// CHECK: workgroup(%[[SMEM:.*]] : memref<256x72xbf16, #gpu.address_space<workgroup>>)
// CHECK: nvgpu.device_async_copy {{.*}} {bypassL1} : memref<1x256x2x64xbf16> to memref<256x72xbf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.ldmatrix %[[SMEM]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<256x72xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// CHECK: scf.for
// CHECK: vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK: %[[D:.*]] = nvvm.mma.sync A[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] B[%{{.*}}, %{{.*}}] C[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK: llvm.extractvalue %[[D]][0] : !llvm.struct<(f32, f32, f32, f32)>
// CHECK: nvgpu.ldmatrix %[[SMEM]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = true} : memref<256x72xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: nvvm.mma.sync
// CHECK-NOT: nvgpu.mma.sync
// CHECK: return
// KT-LABEL: func @branch_bf16
// KT: workgroup(%{{.*}} : memref<64x72xbf16, #gpu.address_space<workgroup>>)
func.func @branch_bf16(%q: memref<1x256x2x64xbf16>, %k: memref<1x256x2x64xbf16>, %v: memref<1x256x2x64xbf16>,
                       %o: memref<1x256x2x64xf32>, %l: memref<1x256x2xf32>) {
  longnet.branch_attention ins(%q, %k, %v : memref<1x256x2x64xbf16>, memref<1x256x2x64xbf16>, memref<1x256x2x64xbf16>)
    outs(%o, %l : memref<1x256x2x64xf32>, memref<1x256x2xf32>) {segment_length = 128, dilation_rate = 2}
  return
}

// -----

// f32: the CUDA-core kernel, one thread per query row (blocks of 128), the
// scaled query and the accumulator in per-thread memref.alloca; no shared
// memory, no nvgpu op, no barrier.
// CHECK-LABEL: func @branch_f32_causal
// CHECK-SAME: (%[[Q:[a-z0-9_]+]]: memref<1x64x2x16xf32>, %[[O:[a-z0-9_]+]]: memref<1x64x2x16xf32>, %[[L:[a-z0-9_]+]]: memref<1x64x2xf32>)
// CHECK-NOT: nvgpu.
// CHECK: %[[QT:.*]] = arith.constant 128 : index
// CHECK: %[[GX:.*]] = arith.ceildivui %{{.*}}, %[[QT]] : index
// CHECK: gpu.launch blocks(%[[BX:[a-z0-9_]+]], %{{.*}}, %{{.*}}) in ({{.*}}) threads(%[[TX:[a-z0-9_]+]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[THREADS:[a-z0-9_]+]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) {
// CHECK-NEXT: %[[F32_TILE:.*]] = arith.remui %[[BX]], %[[GX]] : index
// CHECK: %[[QUERY:.*]] = arith.addi %{{.*}}, %[[TX]] : index
// CHECK: %[[Q_BUF:.*]] = memref.alloca() : memref<16xf32>
// CHECK-NEXT: %[[ACC:.*]] = memref.alloca() : memref<16xf32>
// Causal: keys 0 .. query (clamped to the number of keys).
// CHECK: %[[PAST_QUERY:.*]] = arith.addi %[[QUERY]], %{{.*}} : index
// CHECK: %[[KEY_END:.*]] = arith.minui %{{.*}}, %[[PAST_QUERY]] : index
// CHECK: %{{.*}}:2 = scf.for %{{.*}} = %{{.*}} to %[[KEY_END]] step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (f32, f32) {
// CHECK: memref.load %[[Q_BUF]]
// CHECK: math.exp
// CHECK: memref.store %{{.*}}, %[[ACC]]
// CHECK: math.log
// CHECK: memref.load %[[L]]
// CHECK: memref.store %{{.*}}, %[[O]]
// CHECK: memref.store %{{.*}}, %[[L]]
// CHECK-NOT: nvgpu.
// CHECK-NOT: gpu.barrier
// CHECK-NOT: gpu.shuffle
// CHECK-NOT: workgroup
// CHECK: return
// The key-tile option only concerns the tensor-core kernel.
// KT-LABEL: func @branch_f32_causal
// KT: memref.alloca() : memref<16xf32>
func.func @branch_f32_causal(%q: memref<1x64x2x16xf32>, %o: memref<1x64x2x16xf32>, %l: memref<1x64x2xf32>) {
  longnet.branch_attention ins(%q, %q, %q : memref<1x64x2x16xf32>, memref<1x64x2x16xf32>, memref<1x64x2x16xf32>)
    outs(%o, %l : memref<1x64x2x16xf32>, memref<1x64x2xf32>) {segment_length = 32, dilation_rate = 2, causal}
  return
}

// -----

// Dense attention, f16, D = 128, dynamic N: key tiles of 32 (the default
// above D = 64), so 4 * 32 rows of 128 + 8; not causal (no key bound but
// the number of rows) and nothing merged (out and lse are only written).
// CHECK-LABEL: func @attention_f16_d128
// CHECK-SAME: (%[[Q:[a-z0-9_]+]]: memref<2x?x4x128xf16>, %[[K:[a-z0-9_]+]]: memref<2x?x4x128xf16>, %[[V:[a-z0-9_]+]]: memref<2x?x4x128xf16>, %[[O:[a-z0-9_]+]]: memref<2x?x4x128xf32>, %[[L:[a-z0-9_]+]]: memref<2x?x4xf32>)
// CHECK-NOT: memref.load %[[O]]
// CHECK-NOT: memref.load %[[L]]
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%[[SMEM:.*]] : memref<128x136xf16, #gpu.address_space<workgroup>>)
// 64 rows x 16 chunks: 8 copies per thread for Q.
// CHECK-COUNT-8: nvgpu.device_async_copy %[[Q]]
// CHECK-NOT: nvgpu.device_async_copy
// CHECK: nvgpu.device_async_create_group
// CHECK-COUNT-8: nvgpu.ldmatrix %[[SMEM]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<128x136xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// 32 rows x 16 chunks: 4 copies per thread for K and V.
// CHECK: %[[NUM_TILES:.*]] = arith.ceildivui %[[NUM_SEL:.*]], %{{.*}} : index
// CHECK-COUNT-4: nvgpu.device_async_copy %[[K]]
// CHECK-COUNT-4: nvgpu.device_async_copy %[[V]]
// CHECK: %{{.*}}:20 = scf.for %{{.*}} = %{{.*}} to %[[NUM_TILES]]
// CHECK-NOT: arith.cmpi ule
// CHECK: nvgpu.mma.sync
// CHECK-NOT: arith.cmpi ule
// CHECK: nvgpu.ldmatrix %[[SMEM]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = true}
// CHECK: scf.yield
// CHECK-NOT: memref.load %[[O]]
// CHECK-NOT: memref.load %[[L]]
// CHECK: memref.store %{{.*}}, %[[O]]
// CHECK-NOT: memref.load %[[O]]
// CHECK-NOT: memref.load %[[L]]
// CHECK: memref.store %{{.*}}, %[[L]]
// CHECK-NOT: memref.load %[[O]]
// CHECK-NOT: memref.load %[[L]]
// CHECK: return
// KT-LABEL: func @attention_f16_d128
// KT: workgroup(%{{.*}} : memref<64x136xf16, #gpu.address_space<workgroup>>)
func.func @attention_f16_d128(%q: memref<2x?x4x128xf16>, %k: memref<2x?x4x128xf16>, %v: memref<2x?x4x128xf16>,
                              %o: memref<2x?x4x128xf32>, %l: memref<2x?x4xf32>) {
  longnet.attention ins(%q, %k, %v : memref<2x?x4x128xf16>, memref<2x?x4x128xf16>, memref<2x?x4x128xf16>)
    outs(%o, %l : memref<2x?x4x128xf32>, memref<2x?x4xf32>)
  return
}

// -----

// A head dimension that is not a multiple of 16 takes the CUDA-core kernel
// even for f16 (f16 loads extended to the f32 accumulator).
// CHECK-LABEL: func @attention_f16_d24
// CHECK-NOT: nvgpu.
// CHECK: gpu.launch
// CHECK-NOT: workgroup
// CHECK: memref.alloca() : memref<24xf32>
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK-NOT: nvgpu.
// CHECK: return
func.func @attention_f16_d24(%q: memref<1x32x1x24xf16>, %o: memref<1x32x1x24xf32>, %l: memref<1x32x1xf32>) {
  longnet.attention ins(%q, %q, %q : memref<1x32x1x24xf16>, memref<1x32x1x24xf16>, memref<1x32x1x24xf16>)
    outs(%o, %l : memref<1x32x1x24xf32>, memref<1x32x1xf32>) {causal}
  return
}
