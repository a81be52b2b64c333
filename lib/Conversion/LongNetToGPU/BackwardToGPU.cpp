//===- BackwardToGPU.cpp - The backward tile program on NVIDIA GPUs -------===//
//
// Part of the longnet-mlir project.
//
// The GPU primitives of the backward tile program (TileProgram.h), for the
// CUDA cores: FlashAttention-2's deterministic backward as two launches per
// branch, with no atomics.
//
//  * dK/dV: one thread block per (key tile, segment, batch x head), one
//    thread per key row, keeping its K, V, dK and dV rows in local arrays;
//    the program's key-outer order stages every query tile that sees the key
//    tile (Q, dO, lse, delta) in shared memory, and each thread runs the
//    pair's steps against it.
//  * dQ: one block per (query tile, segment, batch x head), one thread per
//    query row with its Q, dO and dQ rows; key tiles (K, V) in shared
//    memory, in the program's query-outer order.
//
// Every row is addressed in place (`g*w + o_h + i*r`). Each thread adds its
// finished row to the accumulator in memory; launches of one stream run in
// order, so branches accumulate one after the other.
//
//===----------------------------------------------------------------------===//

#include "BackwardToGPU.h"

#include "longnet/Dialect/LongNet/Transforms/TileProgram.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::longnet;

namespace {

/// Threads per block: rows of the tile each thread owns one of.
constexpr int64_t kThreads = 64;
/// Shared memory budget of the staged tile (below the 48 KiB static limit).
constexpr int64_t kSharedBudget = 40 * 1024;

enum class Role {
  KeyRows,   // threads own key rows; query tiles are staged (dK, dV)
  QueryRows, // threads own query rows; key tiles are staged (dQ)
};

class GPUBackwardTiles : public KernelBuilder, public BackwardTiles {
public:
  GPUBackwardTiles(OpBuilder &b, Location loc, const BackwardProblem &p,
                   Role role, int64_t headDim, int64_t stagedRows)
      : KernelBuilder(b, loc), p(p), role(role), headDim(headDim),
        stagedRows(stagedRows) {
    accType = cast<MemRefType>(p.queryGrad.getType()).getElementType();
  }

  /// The kernel's shared and local buffers, at the start of its body.
  void setUp(gpu::LaunchOp launch, Value tid);

  void begin() override {}
  void end() override {}
  void loadQueryTile(const SegmentRows &rows, Value qStart,
                     Value numQ) override;
  void loadKeyTile(const SegmentRows &rows, Value kStart, Value numK) override;
  void products() override;
  void softmaxGrad(Value qStart, Value kStart, bool mask) override;
  void accumulateValueGrad() override { accumulateOwn(ownGrad1, prob, 1); }
  void accumulateKeyGrad() override { accumulateOwn(ownGrad0, dScore, 0); }
  void accumulateQueryGrad() override { accumulateOwn(ownGrad0, dScore, 0); }
  void storeKeyTile(const SegmentRows &rows, Value kStart, Value numK) override;
  void storeQueryTile(const SegmentRows &rows, Value qStart,
                      Value numQ) override;

private:
  Value load(Value buffer, ValueRange indices) {
    return memref::LoadOp::create(b, loc, buffer, indices);
  }
  void store(Value value, Value buffer, ValueRange indices) {
    memref::StoreOp::create(b, loc, value, buffer, indices);
  }
  Value rowOf(const SegmentRows &rows, Value selected, bool key) {
    return key ? rows.keyRow(*this, selected) : rows.queryRow(*this, selected);
  }
  Value scaleValue() {
    return fconst(accType, p.scale ? *p.scale : 1.0 / std::sqrt(headDim));
  }
  template <typename Fn> void forEach(Value ub, Fn body) {
    forLoop(idx(0), ub, idx(1), {}, [&](Value i, ValueRange) {
      body(i);
      return SmallVector<Value>();
    });
  }
  /// This thread's row (`selected`, valid when below `limit`) of `source0`
  /// and `source1` into ownRow0/1, zero when invalid; zero gradients.
  void loadOwnRows(const SegmentRows &rows, Value selected, Value limit,
                   Value source0, Value source1, bool key);
  /// Rows [start, start + count) of source0/1 into the shared tiles, by all
  /// threads of the block; barriers before (readers of the previous tile)
  /// and after.
  void stageRows(const SegmentRows &rows, Value start, Value count,
                 Value source0, Value source1, bool key);
  /// ownGrad[d] += sum_{i < numStaged} coefficient[i] * staged_which[i, d].
  void accumulateOwn(Value ownGrad, Value coefficient, int which);
  /// memory[row] += ownGrad for this thread's row when it is valid.
  void addOwnRow(Value ownGrad, Value dest, const SegmentRows &rows);

  const BackwardProblem &p;
  Role role;
  int64_t headDim, stagedRows;
  Type accType;
  Value tid;
  // Shared: the staged tile's two row sets [stagedRows, D], and for staged
  // query tiles their lse and delta [stagedRows].
  Value staged0, staged1, stagedLse, stagedDelta;
  // Local (per thread): own rows and gradients [D], scores [stagedRows].
  Value ownRow0, ownRow1, ownGrad0, ownGrad1, score, dProb, prob, dScore;
  // The thread's own row: valid, sequence row, and for query rows lse and
  // delta.
  Value ownValid, ownRow, ownLse, ownDelta;
  Value numStaged;
};

void GPUBackwardTiles::setUp(gpu::LaunchOp launch, Value threadId) {
  tid = threadId;
  ValueRange workgroup = launch.getWorkgroupAttributions();
  staged0 = workgroup[0];
  staged1 = workgroup[1];
  if (role == Role::KeyRows) {
    stagedLse = workgroup[2];
    stagedDelta = workgroup[3];
  }
  auto rowType = MemRefType::get({headDim}, accType);
  auto tileType = MemRefType::get({stagedRows}, accType);
  for (Value *buffer : {&ownRow0, &ownRow1, &ownGrad0, &ownGrad1})
    *buffer = memref::AllocaOp::create(b, loc, rowType);
  for (Value *buffer : {&score, &dProb, &prob, &dScore})
    *buffer = memref::AllocaOp::create(b, loc, tileType);
}

void GPUBackwardTiles::loadOwnRows(const SegmentRows &rows, Value selected,
                                   Value limit, Value source0, Value source1,
                                   bool key) {
  ownValid = ult(selected, limit);
  // Invalid threads read row 0 of the segment's selection (in bounds).
  ownRow = rowOf(rows, select(ownValid, selected, idx(0)), key);
  Value zero = fconst(accType, 0.0);
  forEach(idx(headDim), [&](Value d) {
    SmallVector<Value> index = {rows.batch, ownRow, rows.head, d};
    Value x0 = extTo(accType, load(source0, index));
    Value x1 = extTo(accType, load(source1, index));
    store(select(ownValid, x0, zero), ownRow0, d);
    store(select(ownValid, x1, zero), ownRow1, d);
    store(zero, ownGrad0, d);
    store(zero, ownGrad1, d);
  });
}

void GPUBackwardTiles::stageRows(const SegmentRows &rows, Value start,
                                 Value count, Value source0, Value source1,
                                 bool key) {
  // Staged query tiles carry their lse and delta too.
  bool withRowTerms = !key;
  numStaged = count;
  gpu::BarrierOp::create(b, loc);
  // Thread t copies rows t, t + kThreads, ...
  forLoop(tid, count, idx(kThreads), {}, [&](Value r, ValueRange) {
    Value row = rowOf(rows, add(start, r), key);
    forEach(idx(headDim), [&](Value d) {
      SmallVector<Value> index = {rows.batch, row, rows.head, d};
      store(extTo(accType, load(source0, index)), staged0, {r, d});
      store(extTo(accType, load(source1, index)), staged1, {r, d});
    });
    if (withRowTerms) {
      SmallVector<Value> index = {rows.batch, row, rows.head};
      store(load(p.lse, index), stagedLse, r);
      store(load(p.delta, index), stagedDelta, r);
    }
    return SmallVector<Value>();
  });
  gpu::BarrierOp::create(b, loc);
}

void GPUBackwardTiles::loadQueryTile(const SegmentRows &rows, Value qStart,
                                     Value numQ) {
  if (role == Role::KeyRows)
    return stageRows(rows, qStart, numQ, p.query, p.outputGrad, /*key=*/false);
  loadOwnRows(rows, add(qStart, tid), add(qStart, numQ), p.query, p.outputGrad,
              /*key=*/false);
  SmallVector<Value> index = {rows.batch, ownRow, rows.head};
  ownLse = load(p.lse, index);
  ownDelta = load(p.delta, index);
}

void GPUBackwardTiles::loadKeyTile(const SegmentRows &rows, Value kStart,
                                   Value numK) {
  if (role == Role::QueryRows)
    return stageRows(rows, kStart, numK, p.key, p.value, /*key=*/true);
  loadOwnRows(rows, add(kStart, tid), add(kStart, numK), p.key, p.value,
              /*key=*/true);
}

/// Key rows: s[i] = scale k_own . q_i, dP[i] = v_own . dO_i; query rows:
/// s[j] = scale q_own . k_j, dP[j] = dO_own . v_j. staged0 pairs with
/// ownRow0 (q with k), staged1 with ownRow1 (dO with v).
void GPUBackwardTiles::products() {
  Value zero = fconst(accType, 0.0);
  Value scale = scaleValue();
  forEach(numStaged, [&](Value i) {
    SmallVector<Value> sums =
        forLoop(idx(0), idx(headDim), idx(1), ValueRange{zero, zero},
                [&](Value d, ValueRange acc) {
                  Value s = fmul(load(ownRow0, d), load(staged0, {i, d}));
                  Value t = fmul(load(ownRow1, d), load(staged1, {i, d}));
                  return SmallVector<Value>{fadd(acc[0], s), fadd(acc[1], t)};
                });
    store(fmul(sums[0], scale), score, i);
    store(sums[1], dProb, i);
  });
}

void GPUBackwardTiles::softmaxGrad(Value qIndex, Value kStart, bool mask) {
  Value zero = fconst(accType, 0.0);
  Value scale = scaleValue();
  forEach(numStaged, [&](Value i) {
    Value lse = role == Role::KeyRows ? load(stagedLse, i) : ownLse;
    Value delta = role == Role::KeyRows ? load(stagedDelta, i) : ownDelta;
    Value p0 = exp(fsub(load(score, i), lse));
    if (mask) {
      Value key = role == Role::KeyRows ? add(kStart, tid) : add(kStart, i);
      Value query = role == Role::KeyRows ? add(qIndex, i) : add(qIndex, tid);
      p0 = select(ule(key, query), p0, zero);
    }
    Value weighted = fmul(p0, scale);
    Value ds = fmul(weighted, fsub(load(dProb, i), delta));
    store(p0, prob, i);
    store(ds, dScore, i);
  });
}

void GPUBackwardTiles::accumulateOwn(Value ownGrad, Value coefficient,
                                     int which) {
  // Key rows: dK += dS q_i (staged0), dV += P dO_i (staged1); query rows:
  // dQ += dS k_j (staged0).
  Value stagedRows = which == 0 ? staged0 : staged1;
  forEach(numStaged, [&](Value i) {
    Value c = load(coefficient, i);
    forEach(idx(headDim), [&](Value d) {
      Value updated = fadd(load(ownGrad, d), fmul(c, load(stagedRows, {i, d})));
      store(updated, ownGrad, d);
    });
  });
}

void GPUBackwardTiles::addOwnRow(Value ownGrad, Value dest,
                                 const SegmentRows &rows) {
  ifThen(ownValid, [&] {
    forEach(idx(headDim), [&](Value d) {
      SmallVector<Value> index = {rows.batch, ownRow, rows.head, d};
      store(fadd(load(dest, index), load(ownGrad, d)), dest, index);
    });
  });
}

void GPUBackwardTiles::storeKeyTile(const SegmentRows &rows, Value, Value) {
  addOwnRow(ownGrad0, p.keyGrad, rows);
  addOwnRow(ownGrad1, p.valueGrad, rows);
}

void GPUBackwardTiles::storeQueryTile(const SegmentRows &rows, Value, Value) {
  addOwnRow(ownGrad0, p.queryGrad, rows);
}

/// Rows of the staged tile: the largest of 64, 32, 16, 8 whose two [rows, D]
/// tiles (and two [rows] vectors) fit the shared budget; 0 when none does.
int64_t chooseStagedRows(int64_t headDim, Type accType) {
  int64_t bytes = accType.getIntOrFloatBitWidth() / 8;
  for (int64_t rows : {64, 32, 16, 8})
    if (2 * rows * (headDim + 1) * bytes <= kSharedBudget)
      return rows;
  return 0;
}

/// One launch of `role`'s kernel over every (tile, segment, batch x head).
void emitLaunch(OpBuilder &b, Location loc, const BackwardProblem &p, Role role,
                int64_t headDim, int64_t stagedRows) {
  KernelBuilder kb(b, loc);
  Value batchSize = memref::DimOp::create(b, loc, p.query, 0);
  Value seqLen = memref::DimOp::create(b, loc, p.query, 1);
  Value numHeads = memref::DimOp::create(b, loc, p.query, 2);
  Value rate = kb.idx(p.dilationRate);
  // A gathered problem has one "segment": the local queries l / r against
  // the M gathered keys.
  Value segLen = p.queryBase ? seqLen : kb.idx(p.segmentLength);
  Value numSegments = p.queryBase ? kb.idx(1) : kb.ceilDiv(seqLen, segLen);
  Value numGathered = p.queryBase
                          ? memref::DimOp::create(b, loc, p.key, 1).getResult()
                          : Value();
  Value maxSelected = kb.ceilDiv(kb.minU(segLen, seqLen), rate);
  if (p.queryBase && role == Role::KeyRows)
    maxSelected = numGathered;
  Value numTiles = kb.ceilDiv(maxSelected, kb.idx(kThreads));
  // One op per statement: the IR must not depend on the host compiler.
  Value batchHeads = kb.mul(batchSize, numHeads);
  Value tilesSegments = kb.mul(numTiles, numSegments);
  Value gridX = kb.mul(tilesSegments, batchHeads);
  Type accType = cast<MemRefType>(p.queryGrad.getType()).getElementType();
  kb.ifThen(kb.ult(kb.idx(0), gridX), [&] {
    auto workgroup = gpu::AddressSpaceAttr::get(b.getContext(),
                                                gpu::AddressSpace::Workgroup);
    auto tileType =
        MemRefType::get({stagedRows, headDim}, accType, AffineMap(), workgroup);
    auto rowsType =
        MemRefType::get({stagedRows}, accType, AffineMap(), workgroup);
    SmallVector<Type> attributions = {tileType, tileType};
    if (role == Role::KeyRows)
      attributions.append({rowsType, rowsType});
    Value one = kb.idx(1);
    auto launch = gpu::LaunchOp::create(
        b, loc, gridX, one, one, kb.idx(kThreads), one, one,
        /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
        /*asyncDependencies=*/{}, attributions);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&launch.getBody().front());
    Value blockId = launch.getBlockIds().x;
    Value tile = kb.remU(blockId, numTiles);
    Value rest = kb.divU(blockId, numTiles);
    Value segment = kb.remU(rest, numSegments);
    Value batchHead = kb.divU(rest, numSegments);
    Value batch = kb.divU(batchHead, numHeads);
    Value head = kb.remU(batchHead, numHeads);
    SegmentRows rows =
        p.queryBase ? emitGatheredRows(kb, p.offsetMode, batch, head, numHeads,
                                       seqLen, rate, numGathered, p.queryBase)
                    : emitSegmentRows(kb, p.offsetMode, batch, head, numHeads,
                                      segment, segLen, seqLen, rate);
    GPUBackwardTiles tiles(b, loc, p, role, headDim, stagedRows);
    tiles.setUp(launch, launch.getThreadIds().x);
    Value start = kb.mul(tile, kb.idx(kThreads));
    // Uniform in the block: every thread takes the same branch (barriers).
    Value owned = role == Role::KeyRows ? rows.numKeys : rows.numSel;
    kb.ifThen(kb.ult(start, owned), [&] {
      if (role == Role::KeyRows) {
        BackwardProgram program(kb, tiles, p.causal, stagedRows, kThreads);
        program.emitKeyTile(rows, start);
      } else {
        BackwardProgram program(kb, tiles, p.causal, kThreads, stagedRows);
        program.emitQueryTile(rows, start,
                              BackwardProgram::Gradients{true, false});
      }
    });
    gpu::TerminatorOp::create(b, loc);
  });
}

} // namespace

LogicalResult mlir::longnet::emitGPUBackward(Operation *op,
                                             const BackwardProblem &p) {
  auto queryType = cast<MemRefType>(p.query.getType());
  int64_t headDim = queryType.getDimSize(3);
  if (ShapedType::isDynamic(headDim))
    return op->emitOpError(
        "needs a static head dimension D to be lowered to a GPU kernel");
  Type accType = cast<MemRefType>(p.queryGrad.getType()).getElementType();
  int64_t stagedRows = chooseStagedRows(headDim, accType);
  if (stagedRows == 0)
    return op->emitOpError("head dimension D = ")
           << headDim << " is too large for the GPU backward: 8 staged "
           << accType << " rows of it exceed " << kSharedBudget
           << " bytes of shared memory";
  OpBuilder b(op);
  emitLaunch(b, op->getLoc(), p, Role::KeyRows, headDim, stagedRows);
  emitLaunch(b, op->getLoc(), p, Role::QueryRows, headDim, stagedRows);
  return success();
}
