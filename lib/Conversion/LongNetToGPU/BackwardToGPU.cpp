//===- BackwardToGPU.cpp - The backward tile program on NVIDIA GPUs -------===//
//
// Part of the longnet-mlir project.
//
// The GPU primitives of the backward tile program (TileProgram.h):
// FlashAttention-2's deterministic backward as two launches per branch, with
// no atomics. Each block owns a tile of 64 rows and stages the other side's
// tiles in shared memory:
//
//  * dK/dV: one block per (key tile, segment, batch x head) owning K, V, dK
//    and dV of its keys; the program's key-outer order stages every query
//    tile that sees the key tile (Q, dO, lse, delta).
//  * dQ: one block per (query tile, segment, batch x head) owning Q, dO, dQ
//    and the rows' lse and delta; key tiles (K, V) staged in the program's
//    query-outer order.
//
// Two implementations of the tiles:
//  * tensor cores (f16/bf16, D % 16 == 0, D <= 128): four warps of 16 owned
//    rows; the products are mma.sync m16n8k16 (TensorCoreBuilder.h) with f32
//    accumulation: S^T = K Q^T and dP^T = V dO^T for the key side, S = Q K^T
//    and dP = dO V^T for the query side, then dV += P^T dO, dK += dS^T Q and
//    dQ += dS K with P and dS rounded to the element type as A fragments
//    (FlashAttention-2). The accumulators and scores are per-thread arrays
//    with constant indices, which LLVM promotes to registers.
//  * CUDA cores (every other case): one thread per owned row, its rows in
//    local arrays.
//
// Every row is addressed in place (`g*w + o_h + i*r`). Each thread adds its
// finished rows to the accumulators in memory; launches of one stream run in
// order, so branches accumulate one after the other.
//
//===----------------------------------------------------------------------===//

#include "BackwardToGPU.h"
#include "TensorCoreBuilder.h"

#include "longnet/Dialect/LongNet/Transforms/TileProgram.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::longnet;

namespace {

/// Rows of the tile a block owns (keys for dK/dV, queries for dQ).
constexpr int64_t kOwnedRows = 64;
/// CUDA cores: threads per block, one per owned row.
constexpr int64_t kThreads = kOwnedRows;
/// CUDA cores: shared memory budget of the staged tile.
constexpr int64_t kSharedBudget = 40 * 1024;
/// Tensor cores: static shared memory of one block (the limit without
/// opting in to more), and the largest head dimension whose dK and dV
/// fragments stay in registers.
constexpr int64_t kMaxSharedBytes = 48 * 1024;
constexpr int64_t kMaxTensorCoreHeadDim = 128;

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

//===----------------------------------------------------------------------===//
// Tensor cores
//===----------------------------------------------------------------------===//

/// Shared memory rows of the tensor-core kernels: the owned tile's two row
/// sets (K and V, or Q and dO), then the staged tile's two.
constexpr int64_t kOwn0 = 0, kOwn1 = kOwnedRows, kStaged0 = 2 * kOwnedRows;

class TensorCoreBackwardTiles : public TensorCoreBuilder, public BackwardTiles {
public:
  TensorCoreBackwardTiles(OpBuilder &b, Location loc, const BackwardProblem &p,
                          Role role, int64_t headDim, int64_t stagedRows)
      : TensorCoreBuilder(b, loc,
                          cast<MemRefType>(p.query.getType()).getElementType(),
                          headDim),
        p(p), role(role), stagedRows(stagedRows) {
    accType = cast<MemRefType>(p.queryGrad.getType()).getElementType();
  }

  void setUp(gpu::LaunchOp launch, Value tid);

  void begin() override {}
  void end() override {}
  void loadQueryTile(const SegmentRows &rows, Value qStart,
                     Value numQ) override;
  void loadKeyTile(const SegmentRows &rows, Value kStart, Value numK) override;
  void products() override;
  void softmaxGrad(Value qIndex, Value kStart, bool mask) override;
  // Key side: dV += P^T dO, dK += dS^T Q; query side: dQ += dS K.
  void accumulateValueGrad() override {
    accumulate(grad1, scores, kStaged0 + stagedRows);
  }
  void accumulateKeyGrad() override { accumulate(grad0, dScores, kStaged0); }
  void accumulateQueryGrad() override { accumulate(grad0, dScores, kStaged0); }
  void storeKeyTile(const SegmentRows &rows, Value, Value) override {
    addOwnRows(grad0, p.keyGrad, rows);
    addOwnRows(grad1, p.valueGrad, rows);
  }
  void storeQueryTile(const SegmentRows &rows, Value, Value) override {
    addOwnRows(grad0, p.queryGrad, rows);
  }

private:
  Value load(Value buffer, ValueRange indices) {
    return memref::LoadOp::create(b, loc, buffer, indices);
  }
  void store(Value value, Value buffer, ValueRange indices) {
    memref::StoreOp::create(b, loc, value, buffer, indices);
  }
  /// Element (half, c) of C fragment `block` in a per-thread array.
  Value slot(int64_t block, int64_t half, int64_t c) {
    return idx(block * 4 + half * 2 + c);
  }
  SmallVector<Value> loadFragments(Value buffer, int64_t blocks);
  void storeFragments(ArrayRef<Value> fragments, Value buffer);
  /// Rows [start, end) of source0 and source1 (queries or keys) into shared
  /// rows smemRow0 and smemRow1 by cp.async, zero-filled past `end`; returns
  /// the copies' tokens.
  SmallVector<Value> copyRowPair(const SegmentRows &rows, Value start,
                                 Value end, int64_t numRows, Value source0,
                                 Value source1, int64_t smemRow0,
                                 int64_t smemRow1, bool key);
  /// The lse and delta of selected query `selected`: lse = +inf (P = 0 in
  /// every pair) and delta = 0 when it is not below `end`.
  std::pair<Value, Value> rowTerms(const SegmentRows &rows, Value selected,
                                   Value end);
  /// The owned rows [start, start + count) of source0/1 into shared memory,
  /// zero gradients; the query side loads the rows' lse and delta too.
  void loadOwnRows(const SegmentRows &rows, Value start, Value count,
                   Value source0, Value source1, bool key);
  /// Rows [start, start + count) of source0/1 into the staged tile, the key
  /// side with the queries' lse and delta; barriers before (readers of the
  /// previous tile) and after.
  void stageRows(const SegmentRows &rows, Value start, Value count,
                 Value source0, Value source1, bool key);
  /// This warp's 16 owned rows of shared row set `own` times the staged row
  /// set `staged` transposed: T / 8 C fragments.
  SmallVector<Value> ownTimesStaged(int64_t own, int64_t staged);
  /// grad += coefficients . staged rows (from shared row `staged`).
  void accumulate(Value grad, Value coefficients, int64_t staged);
  /// dest[row] += grad for this thread's valid owned rows.
  void addOwnRows(Value grad, Value dest, const SegmentRows &rows);
  /// The owned row local index of this thread's fragment row half.
  Value ownLocal(int64_t half) {
    return add(mul(warp, idx(16)), add(groupRow, idx(8 * half)));
  }

  const BackwardProblem &p;
  Role role;
  int64_t stagedRows;
  Type accType;
  Value smem, stagedLse, stagedDelta;
  // Per-thread arrays of C fragments: the owned gradients (D / 8 each), the
  // tile's scores (S, then P) and dP, then dS (T / 8 each).
  Value grad0, grad1, scores, dScores;
  Value ownStart, ownEnd, numStaged;
  Value ownLse[2], ownDelta[2]; // query side: rows g and g + 8
};

void TensorCoreBackwardTiles::setUp(gpu::LaunchOp launch, Value tid) {
  ValueRange workgroup = launch.getWorkgroupAttributions();
  smem = workgroup[0];
  if (role == Role::KeyRows) {
    stagedLse = workgroup[1];
    stagedDelta = workgroup[2];
  }
  setUpLanes(tid);
  Type f32Type = b.getF32Type();
  auto gradType = MemRefType::get({headDim / 2}, f32Type);
  auto tileType = MemRefType::get({stagedRows / 2}, f32Type);
  grad0 = memref::AllocaOp::create(b, loc, gradType);
  grad1 = memref::AllocaOp::create(b, loc, gradType);
  scores = memref::AllocaOp::create(b, loc, tileType);
  dScores = memref::AllocaOp::create(b, loc, tileType);
}

SmallVector<Value> TensorCoreBackwardTiles::loadFragments(Value buffer,
                                                          int64_t blocks) {
  SmallVector<Value> fragments;
  for (int64_t block = 0; block < blocks; ++block) {
    Value c = zeroC();
    for (int64_t half = 0; half < 2; ++half)
      for (int64_t col = 0; col < 2; ++col)
        c = withElement(c, load(buffer, slot(block, half, col)), half, col);
    fragments.push_back(c);
  }
  return fragments;
}

void TensorCoreBackwardTiles::storeFragments(ArrayRef<Value> fragments,
                                             Value buffer) {
  for (auto [block, c] : llvm::enumerate(fragments))
    for (int64_t half = 0; half < 2; ++half)
      for (int64_t col = 0; col < 2; ++col)
        store(elementOf(c, half, col), buffer, slot(block, half, col));
}

void TensorCoreBackwardTiles::loadOwnRows(const SegmentRows &rows, Value start,
                                          Value count, Value source0,
                                          Value source1, bool key) {
  ownStart = start;
  ownEnd = add(start, count);
  gpu::BarrierOp::create(b, loc);
  waitGroups(commitGroup(copyRowPair(rows, start, ownEnd, kOwnedRows, source0,
                                     source1, kOwn0, kOwn1, key)),
             /*pending=*/0);
  gpu::BarrierOp::create(b, loc);
  Value zero = f32(0.0);
  for (int64_t i = 0; i < headDim / 2; ++i) {
    store(zero, grad0, idx(i));
    store(zero, grad1, idx(i));
  }
  if (key)
    return;
  for (int64_t half = 0; half < 2; ++half)
    std::tie(ownLse[half], ownDelta[half]) =
        rowTerms(rows, add(start, ownLocal(half)), ownEnd);
}

SmallVector<Value>
TensorCoreBackwardTiles::copyRowPair(const SegmentRows &rows, Value start,
                                     Value end, int64_t numRows, Value source0,
                                     Value source1, int64_t smemRow0,
                                     int64_t smemRow1, bool key) {
  Value rowBase = key ? rows.keyRowBase : rows.rowBase;
  Value rate = key ? rows.keyRate : rows.rate;
  SmallVector<Value> tokens =
      copyRows(smem, source0, rows.batch, rows.head, rowBase, rate, start, end,
               numRows, idx(smemRow0));
  SmallVector<Value> more =
      copyRows(smem, source1, rows.batch, rows.head, rowBase, rate, start, end,
               numRows, idx(smemRow1));
  tokens.append(more.begin(), more.end());
  return tokens;
}

std::pair<Value, Value>
TensorCoreBackwardTiles::rowTerms(const SegmentRows &rows, Value selected,
                                  Value end) {
  Value valid = ult(selected, end);
  // Invalid rows read row 0 of the selection (in bounds).
  Value row = rows.queryRow(*this, select(valid, selected, idx(0)));
  SmallVector<Value> index = {rows.batch, row, rows.head};
  Type f32Type = b.getF32Type();
  Value lse = select(valid, extTo(f32Type, load(p.lse, index)),
                     f32(std::numeric_limits<double>::infinity()));
  Value delta = select(valid, extTo(f32Type, load(p.delta, index)), f32(0.0));
  return {lse, delta};
}

void TensorCoreBackwardTiles::stageRows(const SegmentRows &rows, Value start,
                                        Value count, Value source0,
                                        Value source1, bool key) {
  numStaged = count;
  Value end = add(start, count);
  gpu::BarrierOp::create(b, loc);
  SmallVector<Value> tokens =
      copyRowPair(rows, start, end, stagedRows, source0, source1, kStaged0,
                  kStaged0 + stagedRows, key);
  if (!key) {
    // The staged queries' lse and delta, one thread per row.
    Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
    ifThen(ult(tid, idx(stagedRows)), [&] {
      auto [lse, delta] = rowTerms(rows, add(start, tid), end);
      store(lse, stagedLse, tid);
      store(delta, stagedDelta, tid);
    });
  }
  waitGroups(commitGroup(tokens), /*pending=*/0);
  gpu::BarrierOp::create(b, loc);
}

void TensorCoreBackwardTiles::loadQueryTile(const SegmentRows &rows,
                                            Value qStart, Value numQ) {
  if (role == Role::KeyRows)
    return stageRows(rows, qStart, numQ, p.query, p.outputGrad, /*key=*/false);
  loadOwnRows(rows, qStart, numQ, p.query, p.outputGrad, /*key=*/false);
}

void TensorCoreBackwardTiles::loadKeyTile(const SegmentRows &rows, Value kStart,
                                          Value numK) {
  if (role == Role::QueryRows)
    return stageRows(rows, kStart, numK, p.key, p.value, /*key=*/true);
  loadOwnRows(rows, kStart, numK, p.key, p.value, /*key=*/true);
}

SmallVector<Value> TensorCoreBackwardTiles::ownTimesStaged(int64_t own,
                                                           int64_t staged) {
  SmallVector<Value> c(stagedRows / 8, zeroC());
  Value ownRow0 = add(idx(own), mul(warp, idx(16)));
  for (int64_t kk = 0; kk < headDim / 16; ++kk) {
    Value a = loadA(smem, ownRow0, idx(kk * 16));
    for (int64_t nb = 0; nb < stagedRows / 8; nb += 2) {
      auto [b0, b1] = loadRowsAsB(smem, idx(staged + nb * 8), idx(kk * 16));
      c[nb] = mma(a, b0, c[nb]);
      c[nb + 1] = mma(a, b1, c[nb + 1]);
    }
  }
  return c;
}

/// Key side: S^T = K Q^T, dP^T = V dO^T; query side: S = Q K^T, dP = dO V^T.
void TensorCoreBackwardTiles::products() {
  storeFragments(ownTimesStaged(kOwn0, kStaged0), scores);
  storeFragments(ownTimesStaged(kOwn1, kStaged0 + stagedRows), dScores);
}

void TensorCoreBackwardTiles::softmaxGrad(Value qIndex, Value kStart,
                                          bool mask) {
  Value zero = f32(0.0);
  Value scale = f32(p.scale ? *p.scale : 1.0 / std::sqrt(headDim));
  for (int64_t nb = 0; nb < stagedRows / 8; ++nb)
    for (int64_t c = 0; c < 2; ++c) {
      // The staged row of this element's column, and for staged queries
      // their lse and delta (the same for both halves).
      Value col = add(groupCol, idx(nb * 8 + c));
      Value colValid = ult(col, numStaged);
      Value colLse, colDelta;
      if (role == Role::KeyRows) {
        colLse = load(stagedLse, col);
        colDelta = load(stagedDelta, col);
      }
      for (int64_t half = 0; half < 2; ++half) {
        Value lse = role == Role::KeyRows ? colLse : ownLse[half];
        Value delta = role == Role::KeyRows ? colDelta : ownDelta[half];
        Value s = load(scores, slot(nb, half, c));
        Value dp = load(dScores, slot(nb, half, c));
        Value prob = exp(fsub(fmul(s, scale), lse));
        Value visible = colValid;
        if (mask) {
          Value own = add(ownStart, ownLocal(half));
          Value key = role == Role::KeyRows ? own : add(kStart, col);
          Value query = role == Role::KeyRows ? add(qIndex, col)
                                              : add(qIndex, ownLocal(half));
          visible = andI(visible, ule(key, query));
        }
        prob = select(visible, prob, zero);
        Value ds = fmul(fmul(prob, scale), fsub(dp, delta));
        store(prob, scores, slot(nb, half, c));
        store(ds, dScores, slot(nb, half, c));
      }
    }
}

void TensorCoreBackwardTiles::accumulate(Value grad, Value coefficients,
                                         int64_t staged) {
  SmallVector<Value> acc = loadFragments(grad, headDim / 8);
  for (int64_t ks = 0; ks < stagedRows / 16; ++ks) {
    Value a = packColumns(ks, [&](int64_t nb, int64_t half, int64_t c) {
      return load(coefficients, slot(nb, half, c));
    });
    for (int64_t db = 0; db < headDim / 8; db += 2) {
      auto [b0, b1] = loadColumnsAsB(smem, idx(staged + ks * 16), idx(db * 8));
      acc[db] = mma(a, b0, acc[db]);
      acc[db + 1] = mma(a, b1, acc[db + 1]);
    }
  }
  storeFragments(acc, grad);
}

void TensorCoreBackwardTiles::addOwnRows(Value grad, Value dest,
                                         const SegmentRows &rows) {
  bool key = role == Role::KeyRows;
  for (int64_t half = 0; half < 2; ++half) {
    Value selected = add(ownStart, ownLocal(half));
    ifThen(ult(selected, ownEnd), [&] {
      Value row =
          key ? rows.keyRow(*this, selected) : rows.queryRow(*this, selected);
      for (int64_t db = 0; db < headDim / 8; ++db)
        for (int64_t c = 0; c < 2; ++c) {
          Value d = add(groupCol, idx(db * 8 + c));
          SmallVector<Value> index = {rows.batch, row, rows.head, d};
          Value sum = extTo(accType, load(grad, slot(db, half, c)));
          store(fadd(load(dest, index), sum), dest, index);
        }
    });
  }
}

/// How a backward launch is laid out.
struct LaunchShape {
  bool tensorCores = false;
  int64_t threads = kThreads;
  int64_t stagedRows = 0; // 0: the head dimension fits no staged tile
};

/// Shared memory of the tensor-core kernels: the owned and staged row sets
/// (padded) and the staged lse and delta.
int64_t tensorCoreSharedBytes(int64_t headDim, int64_t stagedRows,
                              Type elementType) {
  int64_t bytes = elementType.getIntOrFloatBitWidth() / 8;
  return (2 * kOwnedRows + 2 * stagedRows) *
             (headDim + TensorCoreBuilder::kRowPad) * bytes +
         2 * stagedRows * 4;
}

/// Tensor cores take f16/bf16 with D % 16 == 0 and D <= 128 from
/// contiguous rows; the staged tile is the largest of 64, 32, 16 rows whose
/// scores (T / 2 registers each for S and dP) stay within the budget of the
/// forward (T * D <= 4096) and whose shared memory fits. Otherwise the CUDA
/// cores stage the largest of 64, 32, 16, 8 rows that fit their budget.
LaunchShape chooseShape(const BackwardProblem &p, int64_t headDim) {
  LaunchShape shape;
  Type elementType = cast<MemRefType>(p.query.getType()).getElementType();
  Type accType = cast<MemRefType>(p.queryGrad.getType()).getElementType();
  if (TensorCoreBuilder::supports(elementType, headDim,
                                  {p.query, p.key, p.value, p.outputGrad}) &&
      headDim <= kMaxTensorCoreHeadDim) {
    for (int64_t rows : {64, 32, 16})
      if (rows * headDim <= 64 * 64 &&
          tensorCoreSharedBytes(headDim, rows, elementType) <=
              kMaxSharedBytes) {
        shape.tensorCores = true;
        shape.threads = TensorCoreBuilder::kThreads;
        shape.stagedRows = rows;
        return shape;
      }
  }
  int64_t bytes = accType.getIntOrFloatBitWidth() / 8;
  for (int64_t rows : {64, 32, 16, 8})
    if (2 * rows * (headDim + 1) * bytes <= kSharedBudget) {
      shape.stagedRows = rows;
      return shape;
    }
  return shape;
}

/// The launch's workgroup buffers: shared row sets, and for the key side
/// the staged queries' lse and delta.
SmallVector<Type> workgroupBuffers(MLIRContext *context,
                                   const BackwardProblem &p, Role role,
                                   int64_t headDim, const LaunchShape &shape) {
  auto workgroup =
      gpu::AddressSpaceAttr::get(context, gpu::AddressSpace::Workgroup);
  Type accType = cast<MemRefType>(p.queryGrad.getType()).getElementType();
  int64_t rows = shape.stagedRows;
  SmallVector<Type> buffers;
  Type rowTermType = accType;
  if (shape.tensorCores) {
    Type elementType = cast<MemRefType>(p.query.getType()).getElementType();
    buffers.push_back(MemRefType::get(
        {2 * kOwnedRows + 2 * rows, headDim + TensorCoreBuilder::kRowPad},
        elementType, AffineMap(), workgroup));
    rowTermType = Float32Type::get(context);
  } else {
    auto tileType =
        MemRefType::get({rows, headDim}, accType, AffineMap(), workgroup);
    buffers.append({tileType, tileType});
  }
  if (role == Role::KeyRows) {
    auto rowsType =
        MemRefType::get({rows}, rowTermType, AffineMap(), workgroup);
    buffers.append({rowsType, rowsType});
  }
  return buffers;
}

/// One launch of `role`'s kernel over every (tile, segment, batch x head).
void emitLaunch(OpBuilder &b, Location loc, const BackwardProblem &p, Role role,
                int64_t headDim, const LaunchShape &shape) {
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
  Value numTiles = kb.ceilDiv(maxSelected, kb.idx(kOwnedRows));
  // One op per statement: the IR must not depend on the host compiler.
  Value batchHeads = kb.mul(batchSize, numHeads);
  Value tilesSegments = kb.mul(numTiles, numSegments);
  Value gridX = kb.mul(tilesSegments, batchHeads);
  kb.ifThen(kb.ult(kb.idx(0), gridX), [&] {
    SmallVector<Type> attributions =
        workgroupBuffers(b.getContext(), p, role, headDim, shape);
    Value one = kb.idx(1);
    auto launch = gpu::LaunchOp::create(
        b, loc, gridX, one, one, kb.idx(shape.threads), one, one,
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
    Value start = kb.mul(tile, kb.idx(kOwnedRows));
    Value owned = role == Role::KeyRows ? rows.numKeys : rows.numSel;
    auto runProgram = [&](BackwardTiles &tiles) {
      // Uniform in the block: every thread takes the same branch (barriers).
      kb.ifThen(kb.ult(start, owned), [&] {
        if (role == Role::KeyRows) {
          BackwardProgram program(kb, tiles, p.causal, shape.stagedRows,
                                  kOwnedRows);
          program.emitKeyTile(rows, start);
        } else {
          BackwardProgram program(kb, tiles, p.causal, kOwnedRows,
                                  shape.stagedRows);
          program.emitQueryTile(rows, start,
                                BackwardProgram::Gradients{true, false});
        }
      });
    };
    Value tid = launch.getThreadIds().x;
    if (shape.tensorCores) {
      TensorCoreBackwardTiles tiles(b, loc, p, role, headDim, shape.stagedRows);
      tiles.setUp(launch, tid);
      runProgram(tiles);
    } else {
      GPUBackwardTiles tiles(b, loc, p, role, headDim, shape.stagedRows);
      tiles.setUp(launch, tid);
      runProgram(tiles);
    }
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
  LaunchShape shape = chooseShape(p, headDim);
  if (shape.stagedRows == 0) {
    Type accType = cast<MemRefType>(p.queryGrad.getType()).getElementType();
    return op->emitOpError("head dimension D = ")
           << headDim << " is too large for the GPU backward: 8 staged "
           << accType << " rows of it exceed " << kSharedBudget
           << " bytes of shared memory";
  }
  OpBuilder b(op);
  emitLaunch(b, op->getLoc(), p, Role::KeyRows, headDim, shape);
  emitLaunch(b, op->getLoc(), p, Role::QueryRows, headDim, shape);
  return success();
}
