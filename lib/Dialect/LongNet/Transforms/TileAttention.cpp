//===- TileAttention.cpp - Flash-attention loop nests -----------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Lowers the bufferized flash ops (longnet.branch_attention on memrefs, and
// dense longnet.attention as the branch w = N, r = 1) to an online-softmax
// loop nest. The dilated gather is address arithmetic: query tile row i of
// segment g reads sequence row  g*w + o_h + (qStart + i)*r  in place; only
// one query tile and one key/value tile live in small local buffers.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/IR/LongNetOps.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETTILEATTENTION
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;
using namespace mlir::longnet;

namespace {

/// Query rows per register block of the S and P.V micro-kernels.
constexpr int64_t kRowBlock = 4;

struct TileSizes {
  int64_t query;
  int64_t key;
  int64_t lanes; // vector lanes of the compute type
};

/// What one flash op asks for, independent of which op it is.
struct FlashProblem {
  Value query, key, value, out, lse;
  std::optional<int64_t> segmentLength; // none: dense (w = N)
  int64_t dilationRate = 1;
  OffsetMode offsetMode = OffsetMode::none;
  bool causal = false;
  std::optional<double> scale;
  bool merge = false; // merge into running accumulators
};

/// Emits the loop nest of one FlashProblem at the builder's insertion point.
class FlashEmitter {
public:
  FlashEmitter(OpBuilder &b, Location loc, const FlashProblem &p,
               TileSizes tiles)
      : b(b), loc(loc), p(p), tiles(tiles) {
    elementType = cast<MemRefType>(p.query.getType()).getElementType();
    computeType = cast<MemRefType>(p.out.getType()).getElementType();
    vectorType = VectorType::get({tiles.lanes}, computeType);
  }

  void emit();

private:
  // Scalar and index helpers.
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value fconst(double v) {
    return arith::ConstantOp::create(b, loc,
                                     b.getFloatAttr(computeType, v));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value minIdx(Value x, Value y) {
    return arith::MinUIOp::create(b, loc, x, y);
  }
  Value ceilDiv(Value x, Value y) {
    return arith::CeilDivUIOp::create(b, loc, x, y);
  }
  Value roundUp(Value x, int64_t m) { return mul(ceilDiv(x, idx(m)), idx(m)); }
  Value fadd(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value fsub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value fmul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value fmax(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }
  Value log(Value x) { return math::LogOp::create(b, loc, x); }
  Value splat(Value scalar) {
    return vector::BroadcastOp::create(b, loc, vectorType, scalar);
  }
  Value negInf() {
    return fconst(-std::numeric_limits<double>::infinity());
  }

  /// Loads an element of a [B, N, H, D] operand, converted to computeType.
  Value loadElement(Value memref, ValueRange indices) {
    Value v = memref::LoadOp::create(b, loc, memref, indices);
    if (v.getType() == computeType)
      return v;
    return arith::ExtFOp::create(b, loc, computeType, v);
  }

  /// scf.for from lb to ub by step, carrying `inits`; `body` returns the
  /// values to yield. Returns the loop results.
  template <typename Fn>
  SmallVector<Value> forLoop(Value lb, Value ub, Value step, ValueRange inits,
                             Fn body) {
    auto loop = scf::ForOp::create(b, loc, lb, ub, step, inits);
    OpBuilder::InsertionGuard guard(b);
    if (inits.empty())
      b.setInsertionPoint(loop.getBody()->getTerminator());
    else
      b.setInsertionPointToStart(loop.getBody());
    SmallVector<Value> yields =
        body(loop.getInductionVar(), loop.getRegionIterArgs());
    if (!inits.empty())
      scf::YieldOp::create(b, loc, yields);
    return SmallVector<Value>(loop.getResults());
  }

  /// A local buffer of the compute type; `dims` are static sizes or
  /// ShapedType::kDynamic with the matching value in `dynamic`. Heap
  /// allocated (64-byte aligned) and freed at the end of the query tile:
  /// a stack allocation inside the parallel loop would grow the stack at
  /// every iteration once lowered, and the tile's work dwarfs a malloc.
  Value localBuffer(ArrayRef<int64_t> dims, ValueRange dynamic) {
    Value buffer = memref::AllocOp::create(
        b, loc, MemRefType::get(dims, computeType), dynamic,
        b.getI64IntegerAttr(64));
    localBuffers.push_back(buffer);
    return buffer;
  }

  Value headOffset(Value head, Value numHeads, Value rate);
  void emitQueryTile(ValueRange ivs);
  void emitKeyTile(Value keyStart);
  void emitScores(Value numQPadded, Value numKPadded);
  void emitSoftmax(Value keyStart, Value numK, Value numQPadded,
                   Value numKPadded);
  void emitProbsTimesValues(Value numK, Value numQPadded);
  void emitEpilogue();

  OpBuilder &b;
  Location loc;
  const FlashProblem &p;
  TileSizes tiles;
  Type elementType, computeType;
  VectorType vectorType;

  // Problem-wide values.
  Value headDim, numHeads, seqLen, segLen, rate, paddedHeadDim, scale;
  // Per query tile values.
  Value batch, head, rowBase, qStart, numQ, keyEnd, numQPadded;
  Value qBuf, kTBuf, vBuf, sBuf, accBuf, mBuf, lBuf, alphaBuf;
  SmallVector<Value> localBuffers;
};

Value FlashEmitter::headOffset(Value head, Value numHeads, Value rate) {
  switch (p.offsetMode) {
  case OffsetMode::cyclic:
    return arith::RemUIOp::create(b, loc, head, rate);
  case OffsetMode::grouped:
    return arith::DivUIOp::create(b, loc, head, ceilDiv(numHeads, rate));
  case OffsetMode::none:
    return idx(0);
  }
  llvm_unreachable("unknown offset mode");
}

void FlashEmitter::emit() {
  Value batchSize = memref::DimOp::create(b, loc, p.query, 0);
  seqLen = memref::DimOp::create(b, loc, p.query, 1);
  numHeads = memref::DimOp::create(b, loc, p.query, 2);
  headDim = memref::DimOp::create(b, loc, p.query, 3);
  segLen = p.segmentLength ? idx(*p.segmentLength) : seqLen;
  rate = idx(p.dilationRate);
  paddedHeadDim = roundUp(headDim, 2 * tiles.lanes);

  if (p.scale) {
    scale = fconst(*p.scale);
  } else {
    Value d = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), headDim);
    Value df = arith::UIToFPOp::create(b, loc, computeType, d);
    scale = arith::DivFOp::create(b, loc, fconst(1.0),
                                  math::SqrtOp::create(b, loc, df));
  }

  // Parallel over (batch, head, segment, query tile of the segment).
  Value effectiveSeg = minIdx(segLen, seqLen);
  Value numSegments = ceilDiv(seqLen, segLen);
  Value maxSelected = ceilDiv(effectiveSeg, rate);
  Value numQueryTiles = ceilDiv(maxSelected, idx(tiles.query));
  Value zero = idx(0), one = idx(1);
  auto parallel = scf::ParallelOp::create(
      b, loc, ValueRange{zero, zero, zero, zero},
      ValueRange{batchSize, numHeads, numSegments, numQueryTiles},
      ValueRange{one, one, one, one});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(parallel.getBody()->getTerminator());
  emitQueryTile(parallel.getInductionVars());
}

void FlashEmitter::emitQueryTile(ValueRange ivs) {
  batch = ivs[0];
  head = ivs[1];
  Value segment = ivs[2], queryTile = ivs[3];

  // Rows of segment g selected for this head: g*w + o + i*r, i < numSel.
  Value offset = headOffset(head, numHeads, rate);
  Value segStart = mul(segment, segLen);
  Value segSize = minIdx(segLen, sub(seqLen, segStart));
  Value hasRows = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt,
                                        segSize, offset);
  Value span = sub(arith::MaxUIOp::create(b, loc, segSize, offset), offset);
  Value numSel =
      arith::SelectOp::create(b, loc, hasRows, ceilDiv(span, rate), idx(0));
  rowBase = add(segStart, offset);
  qStart = mul(queryTile, idx(tiles.query));
  Value active = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                       qStart, numSel);
  auto ifOp = scf::IfOp::create(b, loc, active, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.thenBlock()->getTerminator());

  numQ = minIdx(idx(tiles.query), sub(numSel, qStart));
  numQPadded = roundUp(numQ, kRowBlock);
  // Causal: keys beyond the tile's last query are fully masked; skip them.
  keyEnd = p.causal ? minIdx(numSel, add(qStart, numQ)) : numSel;

  int64_t staticD = cast<MemRefType>(p.query.getType()).getDimSize(3);
  bool dynamicD = ShapedType::isDynamic(staticD);
  int64_t staticPaddedD =
      dynamicD ? ShapedType::kDynamic
               : llvm::divideCeil(staticD, 2 * tiles.lanes) * 2 * tiles.lanes;
  SmallVector<Value> dDyn, dpDyn;
  if (dynamicD) {
    dDyn.push_back(headDim);
    dpDyn.push_back(paddedHeadDim);
  }
  qBuf = localBuffer({tiles.query, staticD}, dDyn);
  kTBuf = localBuffer({staticD, tiles.key}, dDyn);
  vBuf = localBuffer({tiles.key, staticPaddedD}, dpDyn);
  sBuf = localBuffer({tiles.query, tiles.key}, {});
  accBuf = localBuffer({tiles.query, staticPaddedD}, dpDyn);
  mBuf = localBuffer({tiles.query}, {});
  lBuf = localBuffer({tiles.query}, {});
  alphaBuf = localBuffer({tiles.query}, {});

  Value zero = idx(0), one = idx(1);
  // Stage the scaled query tile (fused gather: rows read in place).
  forLoop(zero, numQ, one, {}, [&](Value i, ValueRange) {
    Value row = add(rowBase, mul(add(qStart, i), rate));
    forLoop(zero, headDim, one, {}, [&](Value d, ValueRange) {
      Value q = loadElement(p.query, {batch, row, head, d});
      memref::StoreOp::create(b, loc, fmul(q, scale), qBuf, ValueRange{i, d});
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
  // Running max, sum and output of every row of the tile.
  Value zeroVec = splat(fconst(0.0));
  forLoop(zero, idx(tiles.query), one, {}, [&](Value i, ValueRange) {
    memref::StoreOp::create(b, loc, negInf(), mBuf, i);
    memref::StoreOp::create(b, loc, fconst(0.0), lBuf, i);
    forLoop(zero, paddedHeadDim, idx(tiles.lanes), {},
            [&](Value d, ValueRange) {
              vector::StoreOp::create(b, loc, zeroVec, accBuf,
                                      ValueRange{i, d});
              return SmallVector<Value>();
            });
    return SmallVector<Value>();
  });

  forLoop(zero, keyEnd, idx(tiles.key), {}, [&](Value keyStart, ValueRange) {
    emitKeyTile(keyStart);
    return SmallVector<Value>();
  });
  emitEpilogue();
  for (Value buffer : localBuffers)
    memref::DeallocOp::create(b, loc, buffer);
}

void FlashEmitter::emitKeyTile(Value keyStart) {
  Value zero = idx(0), one = idx(1);
  Value numK = minIdx(idx(tiles.key), sub(keyEnd, keyStart));
  // Stage K transposed and V (fused gather).
  forLoop(zero, numK, one, {}, [&](Value j, ValueRange) {
    Value row = add(rowBase, mul(add(keyStart, j), rate));
    forLoop(zero, headDim, one, {}, [&](Value d, ValueRange) {
      memref::StoreOp::create(b, loc,
                              loadElement(p.key, {batch, row, head, d}), kTBuf,
                              ValueRange{d, j});
      memref::StoreOp::create(b, loc,
                              loadElement(p.value, {batch, row, head, d}),
                              vBuf, ValueRange{j, d});
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
  Value numKPadded = roundUp(numK, 2 * tiles.lanes);
  emitScores(numQPadded, numKPadded);
  emitSoftmax(keyStart, numK, numQPadded, numKPadded);
  emitProbsTimesValues(numK, numQPadded);
}

/// S[i, j] = sum_d q[i, d] k[j, d]: blocks of kRowBlock rows by two vectors
/// of keys, accumulated in registers over d.
void FlashEmitter::emitScores(Value numQPadded, Value numKPadded) {
  Value zero = idx(0), one = idx(1);
  int64_t lanes = tiles.lanes;
  forLoop(zero, numQPadded, idx(kRowBlock), {}, [&](Value i0, ValueRange) {
    forLoop(zero, numKPadded, idx(2 * lanes), {}, [&](Value j0, ValueRange) {
      Value j1 = add(j0, idx(lanes));
      SmallVector<Value> inits(2 * kRowBlock, splat(fconst(0.0)));
      SmallVector<Value> sums = forLoop(
          zero, headDim, one, inits, [&](Value d, ValueRange acc) {
            Value k0 = vector::LoadOp::create(b, loc, vectorType, kTBuf,
                                              ValueRange{d, j0});
            Value k1 = vector::LoadOp::create(b, loc, vectorType, kTBuf,
                                              ValueRange{d, j1});
            SmallVector<Value> next;
            for (int64_t r = 0; r < kRowBlock; ++r) {
              Value q = memref::LoadOp::create(
                  b, loc, qBuf, ValueRange{add(i0, idx(r)), d});
              Value qv = splat(q);
              next.push_back(vector::FMAOp::create(b, loc, qv, k0, acc[2 * r]));
              next.push_back(
                  vector::FMAOp::create(b, loc, qv, k1, acc[2 * r + 1]));
            }
            return next;
          });
      for (int64_t r = 0; r < kRowBlock; ++r) {
        Value row = add(i0, idx(r));
        vector::StoreOp::create(b, loc, sums[2 * r], sBuf,
                                ValueRange{row, j0});
        vector::StoreOp::create(b, loc, sums[2 * r + 1], sBuf,
                                ValueRange{row, j1});
      }
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
}

/// Online softmax of each row of the tile: mask, new max, rescale factor,
/// probabilities (in place in sBuf) and running sum.
void FlashEmitter::emitSoftmax(Value keyStart, Value numK, Value numQPadded,
                               Value numKPadded) {
  Value zero = idx(0), one = idx(1), lanes = idx(tiles.lanes);
  auto indexVec = VectorType::get({tiles.lanes}, b.getIndexType());
  Value negInfVec = splat(negInf());
  forLoop(zero, numQPadded, one, {}, [&](Value i, ValueRange) {
    Value queryIndex = add(qStart, i);
    // Masked scores and their maximum.
    SmallVector<Value> maxv = forLoop(
        zero, numKPadded, lanes, {negInfVec}, [&](Value j, ValueRange acc) {
          Value s = vector::LoadOp::create(b, loc, vectorType, sBuf,
                                           ValueRange{i, j});
          Value cols = add(vector::BroadcastOp::create(b, loc, indexVec, j),
                           vector::StepOp::create(b, loc, indexVec));
          Value valid = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::ult, cols,
              vector::BroadcastOp::create(b, loc, indexVec, numK));
          if (p.causal) {
            Value keyIndex = add(
                vector::BroadcastOp::create(b, loc, indexVec, keyStart), cols);
            Value visible = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::ule, keyIndex,
                vector::BroadcastOp::create(b, loc, indexVec, queryIndex));
            valid = arith::AndIOp::create(b, loc, valid, visible);
          }
          s = arith::SelectOp::create(b, loc, valid, s, negInfVec);
          vector::StoreOp::create(b, loc, s, sBuf, ValueRange{i, j});
          return SmallVector<Value>{fmax(acc[0], s)};
        });
    Value tileMax = vector::ReductionOp::create(
        b, loc, vector::CombiningKind::MAXIMUMF, maxv[0]);
    Value mOld = memref::LoadOp::create(b, loc, mBuf, i);
    Value mNew = fmax(mOld, tileMax);
    // A row with nothing visible yet keeps max -inf; use 0 to avoid inf-inf.
    Value isEmpty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                          mNew, negInf());
    Value mSafe = arith::SelectOp::create(b, loc, isEmpty, fconst(0.0), mNew);
    Value alpha = exp(fsub(mOld, mSafe));
    Value mSafeVec = splat(mSafe);
    SmallVector<Value> sum = forLoop(
        zero, numKPadded, lanes, {splat(fconst(0.0))},
        [&](Value j, ValueRange acc) {
          Value s = vector::LoadOp::create(b, loc, vectorType, sBuf,
                                           ValueRange{i, j});
          Value prob = exp(fsub(s, mSafeVec));
          vector::StoreOp::create(b, loc, prob, sBuf, ValueRange{i, j});
          return SmallVector<Value>{fadd(acc[0], prob)};
        });
    Value tileSum = vector::ReductionOp::create(
        b, loc, vector::CombiningKind::ADD, sum[0]);
    Value lOld = memref::LoadOp::create(b, loc, lBuf, i);
    memref::StoreOp::create(b, loc, fadd(fmul(lOld, alpha), tileSum), lBuf, i);
    memref::StoreOp::create(b, loc, mNew, mBuf, i);
    memref::StoreOp::create(b, loc, alpha, alphaBuf, i);
    return SmallVector<Value>();
  });
}

/// acc[i, :] = alpha[i] * acc[i, :] + sum_j P[i, j] v[j, :]: blocks of
/// kRowBlock rows by two vectors of the head dimension.
void FlashEmitter::emitProbsTimesValues(Value numK, Value numQPadded) {
  Value zero = idx(0), one = idx(1);
  int64_t lanes = tiles.lanes;
  forLoop(zero, numQPadded, idx(kRowBlock), {}, [&](Value i0, ValueRange) {
    forLoop(zero, paddedHeadDim, idx(2 * lanes), {}, [&](Value d0,
                                                         ValueRange) {
      Value d1 = add(d0, idx(lanes));
      SmallVector<Value> inits;
      for (int64_t r = 0; r < kRowBlock; ++r) {
        Value row = add(i0, idx(r));
        Value alpha = splat(memref::LoadOp::create(b, loc, alphaBuf, row));
        for (Value d : {d0, d1}) {
          Value acc = vector::LoadOp::create(b, loc, vectorType, accBuf,
                                             ValueRange{row, d});
          inits.push_back(fmul(acc, alpha));
        }
      }
      SmallVector<Value> sums =
          forLoop(zero, numK, one, inits, [&](Value j, ValueRange acc) {
            Value v0 = vector::LoadOp::create(b, loc, vectorType, vBuf,
                                              ValueRange{j, d0});
            Value v1 = vector::LoadOp::create(b, loc, vectorType, vBuf,
                                              ValueRange{j, d1});
            SmallVector<Value> next;
            for (int64_t r = 0; r < kRowBlock; ++r) {
              Value prob = splat(memref::LoadOp::create(
                  b, loc, sBuf, ValueRange{add(i0, idx(r)), j}));
              next.push_back(
                  vector::FMAOp::create(b, loc, prob, v0, acc[2 * r]));
              next.push_back(
                  vector::FMAOp::create(b, loc, prob, v1, acc[2 * r + 1]));
            }
            return next;
          });
      for (int64_t r = 0; r < kRowBlock; ++r) {
        Value row = add(i0, idx(r));
        vector::StoreOp::create(b, loc, sums[2 * r], accBuf,
                                ValueRange{row, d0});
        vector::StoreOp::create(b, loc, sums[2 * r + 1], accBuf,
                                ValueRange{row, d1});
      }
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
}

/// Normalises each row and writes it at its original position (fused
/// scatter), merging into the running accumulators when asked (Eq. 10).
void FlashEmitter::emitEpilogue() {
  Value zero = idx(0), one = idx(1);
  forLoop(zero, numQ, one, {}, [&](Value i, ValueRange) {
    Value row = add(rowBase, mul(add(qStart, i), rate));
    Value m = memref::LoadOp::create(b, loc, mBuf, i);
    Value l = memref::LoadOp::create(b, loc, lBuf, i);
    Value branchLse = fadd(m, log(l));
    Value inv = arith::DivFOp::create(b, loc, fconst(1.0), l);
    SmallVector<Value> lseIndex = {batch, row, head};
    Value keepWeight, newWeight, newLse;
    if (p.merge) {
      Value oldLse = memref::LoadOp::create(b, loc, p.lse, lseIndex);
      Value top = fmax(oldLse, branchLse);
      newLse = fadd(top, log(fadd(exp(fsub(oldLse, top)),
                                  exp(fsub(branchLse, top)))));
      keepWeight = exp(fsub(oldLse, newLse));
      newWeight = fmul(exp(fsub(branchLse, newLse)), inv);
    } else {
      newLse = branchLse;
      newWeight = inv;
    }
    forLoop(zero, headDim, one, {}, [&](Value d, ValueRange) {
      SmallVector<Value> outIndex = {batch, row, head, d};
      Value acc = memref::LoadOp::create(b, loc, accBuf, ValueRange{i, d});
      Value result = fmul(acc, newWeight);
      if (keepWeight) {
        Value old = memref::LoadOp::create(b, loc, p.out, outIndex);
        result = fadd(fmul(old, keepWeight), result);
      }
      memref::StoreOp::create(b, loc, result, p.out, outIndex);
      return SmallVector<Value>();
    });
    memref::StoreOp::create(b, loc, newLse, p.lse, lseIndex);
    return SmallVector<Value>();
  });
}

FlashProblem getProblem(BranchAttentionOp op) {
  FlashProblem p;
  p.query = op.getQuery();
  p.key = op.getKey();
  p.value = op.getValue();
  p.out = op.getOutAcc();
  p.lse = op.getLseAcc();
  p.segmentLength = op.getSegmentLength();
  p.dilationRate = op.getDilationRate();
  p.offsetMode = op.getOffsetMode();
  p.causal = op.getCausal();
  p.scale = op.getScaleOrDefault();
  p.merge = true;
  return p;
}

FlashProblem getProblem(AttentionOp op) {
  FlashProblem p;
  p.query = op.getQuery();
  p.key = op.getKey();
  p.value = op.getValue();
  p.out = op.getOut();
  p.lse = op.getLse();
  p.causal = op.getCausal();
  p.scale = op.getScaleOrDefault();
  return p;
}

struct TileAttentionPass
    : public longnet::impl::LongNetTileAttentionBase<TileAttentionPass> {
  using Base::Base;

  LogicalResult checkOptions() {
    if (vectorWidth < 2 || vectorWidth % 2 != 0)
      return emitError(getOperation()->getLoc(),
                       "longnet-tile-attention: vector-width must be an even "
                       "number >= 2, got ")
             << vectorWidth;
    if (queryTile < kRowBlock || queryTile % kRowBlock != 0)
      return emitError(getOperation()->getLoc(),
                       "longnet-tile-attention: query-tile must be a positive "
                       "multiple of ")
             << kRowBlock << ", got " << queryTile;
    if (keyTile < 2 * vectorWidth || keyTile % (2 * vectorWidth) != 0)
      return emitError(getOperation()->getLoc(),
                       "longnet-tile-attention: key-tile must be a positive "
                       "multiple of 2 * vector-width = ")
             << 2 * vectorWidth << ", got " << keyTile;
    return success();
  }

  template <typename OpTy> LogicalResult lower(OpTy op) {
    if (!op.getResults().empty())
      return op.emitOpError(
          "must be bufferized before longnet-tile-attention");
    FlashProblem problem = getProblem(op);
    Type computeType =
        cast<MemRefType>(problem.out.getType()).getElementType();
    int64_t lanes = computeType.isF64() ? vectorWidth / 2 : vectorWidth;
    // Keep the key tile a multiple of two vectors of the compute type.
    TileSizes tiles{queryTile, keyTile, lanes};
    OpBuilder b(op);
    FlashEmitter(b, op.getLoc(), problem, tiles).emit();
    op.erase();
    return success();
  }

  void runOnOperation() override {
    if (failed(checkOptions()))
      return signalPassFailure();
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<BranchAttentionOp, AttentionOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      LogicalResult result =
          TypeSwitch<Operation *, LogicalResult>(op)
              .Case<BranchAttentionOp, AttentionOp>(
                  [&](auto typed) { return lower(typed); });
      if (failed(result))
        return signalPassFailure();
    }
  }
};

} // namespace
