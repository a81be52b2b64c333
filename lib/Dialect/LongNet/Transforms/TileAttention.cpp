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
#include "longnet/Dialect/LongNet/Transforms/TileProgram.h"
#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "LoopEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>
#include <numeric>

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETTILEATTENTION
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;
using namespace mlir::longnet;

namespace {

/// Keys (for S^T) and query rows (for P.V) per register block.
constexpr int64_t kRowBlock = CPUTileEmitter::kRowBlock;

struct TileSizes {
  int64_t query;
  int64_t key;
  int64_t lanes; // vector lanes of the compute type
};

/// Emits the loop nest of one FlashProblem at the builder's insertion point.
class FlashEmitter : public CPUTileEmitter {
public:
  FlashEmitter(OpBuilder &b, Location loc, const FlashProblem &p,
               TileSizes tiles)
      : CPUTileEmitter(b, loc,
                       cast<MemRefType>(p.out.getType()).getElementType(),
                       tiles.lanes),
        p(p), tiles(tiles) {
    elementType = cast<MemRefType>(p.query.getType()).getElementType();
  }

  void emit();

private:
  Value negInf() { return fconst(-std::numeric_limits<double>::infinity()); }

  void emitQueryTile(ValueRange ivs);
  void copyRow(Value source, Value row, Value buffer, Value j);
  void emitKeyTile(Value keyStart);
  void emitScores(Value numK);
  void emitSoftmax(Value keyStart, Value numK);
  void emitSoftmaxRows(Value keyStart, Value numK, bool mask);
  void emitProbsTimesValues(Value numK);

  void emitEpilogue();

  const FlashProblem &p;
  TileSizes tiles;
  Type elementType;

  // Problem-wide values.
  Value headDim, numHeads, seqLen, segLen, rate, paddedHeadDim, scale;
  // Per query tile values.
  // The rows of the segment (TileProgram.h), and the query tile's.
  SegmentRows rows;
  Value qStart, numQ, keyEnd, numQPadded;
  /// A query's index among the keys (the query index itself unless the keys
  /// are a gathered segment).
  Value inKeySpace(Value query) { return rows.queryIndex(*this, query); }
  Value qTBuf, kBuf, vBuf, sTBuf, accBuf, mBuf, lBuf, alphaBuf;
  bool rowsInBounds = false;
};

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
  Value effectiveSeg = minU(segLen, seqLen);
  // max(w, 1): an empty dense sequence (w = N = 0) has no segment.
  Value numSegments =
      ceilDiv(seqLen, arith::MaxUIOp::create(b, loc, segLen, idx(1)));
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
  Value batch = ivs[0], head = ivs[1];
  Value segment = ivs[2], queryTile = ivs[3];

  // Rows of segment g selected for this head: g*w + o + i*r, i < numSel;
  // a gathered problem's keys are the dense rows of `key`.
  if (p.queryBase) {
    Value numGathered = memref::DimOp::create(b, loc, p.key, 1);
    rows = emitGatheredRows(*this, p.offsetMode, batch, head, numHeads, seqLen,
                            rate, numGathered, p.queryBase);
  } else {
    rows = emitSegmentRows(*this, p.offsetMode, batch, head, numHeads, segment,
                           segLen, seqLen, rate);
  }
  qStart = mul(queryTile, idx(tiles.query));
  Value active = ult(qStart, rows.numSel);
  auto ifOp = scf::IfOp::create(b, loc, active, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.thenBlock()->getTerminator());

  numQ = minU(idx(tiles.query), sub(rows.numSel, qStart));
  numQPadded = roundUp(numQ, std::lcm(2 * tiles.lanes, kRowBlock));
  // Causal: keys beyond the tile's last query are fully masked; skip them.
  keyEnd = rows.keyEnd(*this, p.causal, add(qStart, numQ));

  int64_t staticD = cast<MemRefType>(p.query.getType()).getDimSize(3);
  bool dynamicD = ShapedType::isDynamic(staticD);
  int64_t staticPaddedD =
      dynamicD ? ShapedType::kDynamic
               : llvm::divideCeil(staticD, 2 * tiles.lanes) * 2 * tiles.lanes;
  // Row copies run to the padded D: in bounds only when nothing is padded.
  rowsInBounds = !dynamicD && staticD % (2 * tiles.lanes) == 0;
  SmallVector<Value> dDyn, dpDyn;
  if (dynamicD) {
    dDyn.push_back(headDim);
    dpDyn.push_back(paddedHeadDim);
  }
  qTBuf = localBuffer({staticD, tiles.query}, dDyn);
  kBuf = localBuffer({tiles.key, staticPaddedD}, dpDyn);
  vBuf = localBuffer({tiles.key, staticPaddedD}, dpDyn);
  sTBuf = localBuffer({tiles.key, tiles.query}, {});
  accBuf = localBuffer({tiles.query, staticPaddedD}, dpDyn);
  mBuf = localBuffer({tiles.query}, {});
  lBuf = localBuffer({tiles.query}, {});
  alphaBuf = localBuffer({tiles.query}, {});

  Value zero = idx(0), one = idx(1), lanes = idx(tiles.lanes);
  // Stage the scaled query tile transposed (fused gather: rows read in
  // place); it is reused by every key tile.
  forLoop(zero, numQ, one, {}, [&](Value i, ValueRange) {
    Value row = rows.queryRow(*this, add(qStart, i));
    forLoop(zero, headDim, one, {}, [&](Value d, ValueRange) {
      Value q = loadElement(p.query, {rows.batch, row, rows.head, d});
      memref::StoreOp::create(b, loc, fmul(q, scale), qTBuf, ValueRange{d, i});
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
  // Running max, sum and output of every row of the tile.
  Value zeroVec = splat(fconst(0.0));
  forLoop(zero, idx(tiles.query), lanes, {}, [&](Value i, ValueRange) {
    vector::StoreOp::create(b, loc, splat(negInf()), mBuf, i);
    vector::StoreOp::create(b, loc, zeroVec, lBuf, i);
    return SmallVector<Value>();
  });
  forLoop(zero, idx(tiles.query), one, {}, [&](Value i, ValueRange) {
    forLoop(zero, paddedHeadDim, lanes, {}, [&](Value d, ValueRange) {
      vector::StoreOp::create(b, loc, zeroVec, accBuf, ValueRange{i, d});
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });

  forLoop(zero, keyEnd, idx(tiles.key), {}, [&](Value keyStart, ValueRange) {
    emitKeyTile(keyStart);
    return SmallVector<Value>();
  });
  emitEpilogue();
  freeLocalBuffers();
}

void FlashEmitter::copyRow(Value source, Value row, Value buffer, Value j) {
  auto loadType = VectorType::get({tiles.lanes}, elementType);
  Value padding =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(elementType, 0.0));
  forLoop(
      idx(0), paddedHeadDim, idx(tiles.lanes), {}, [&](Value d, ValueRange) {
        Value v = vector::TransferReadOp::create(
            b, loc, loadType, source, ValueRange{rows.batch, row, rows.head, d},
            padding, ArrayRef<bool>{rowsInBounds});
        if (loadType != vectorType)
          v = arith::ExtFOp::create(b, loc, vectorType, v);
        vector::StoreOp::create(b, loc, v, buffer, ValueRange{j, d});
        return SmallVector<Value>();
      });
}

void FlashEmitter::emitKeyTile(Value keyStart) {
  Value zero = idx(0), one = idx(1);
  Value numK = minU(idx(tiles.key), sub(keyEnd, keyStart));
  // Stage the K and V rows of the tile (fused gather), zero padded in D.
  forLoop(zero, numK, one, {}, [&](Value j, ValueRange) {
    Value row = rows.keyRow(*this, add(keyStart, j));
    copyRow(p.key, row, kBuf, j);
    copyRow(p.value, row, vBuf, j);
    return SmallVector<Value>();
  });
  emitScores(numK);
  emitSoftmax(keyStart, numK);
  emitProbsTimesValues(numK);
}

/// S^T[j, i] = sum_d k[j, d] q[i, d]: blocks of kRowBlock keys by two
/// vectors of queries, accumulated in registers over d.
void FlashEmitter::emitScores(Value numK) {
  transposedProduct(sTBuf, kBuf, qTBuf, roundUp(numK, kRowBlock), numQPadded,
                    headDim);
}

/// Online softmax, vectorised over the query rows of the tile: mask, new
/// running max, rescale factor, probabilities (in place in S^T) and sums.
void FlashEmitter::emitSoftmax(Value keyStart, Value numK) {
  if (!p.causal)
    return emitSoftmaxRows(keyStart, numK, /*mask=*/false);
  // Only tiles that reach past the first query of the tile (the diagonal
  // ones) hold masked pairs: the others skip the per-element mask.
  Value lastKey = sub(add(keyStart, numK), idx(1));
  Value onDiagonal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt,
                                           lastKey, inKeySpace(qStart));
  auto ifOp = scf::IfOp::create(b, loc, onDiagonal, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  emitSoftmaxRows(keyStart, numK, /*mask=*/true);
  b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
  emitSoftmaxRows(keyStart, numK, /*mask=*/false);
}

void FlashEmitter::emitSoftmaxRows(Value keyStart, Value numK, bool mask) {
  Value zero = idx(0), one = idx(1);
  auto indexVec = VectorType::get({tiles.lanes}, b.getIndexType());
  Value negInfVec = splat(negInf());
  forLoop(zero, numQPadded, idx(tiles.lanes), {}, [&](Value i, ValueRange) {
    // Sequence-independent selected indices of these queries.
    // One op per statement: the IR must not depend on the host compiler's
    // order of evaluating arguments.
    Value lanes = vector::StepOp::create(b, loc, indexVec);
    Value first = inKeySpace(add(qStart, i));
    Value queries =
        add(vector::BroadcastOp::create(b, loc, indexVec, first), lanes);
    auto masked = [&](Value j, Value s) -> Value {
      if (!mask)
        return s;
      Value key =
          vector::BroadcastOp::create(b, loc, indexVec, add(keyStart, j));
      Value visible = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule,
                                            key, queries);
      return arith::SelectOp::create(b, loc, visible, s, negInfVec);
    };
    SmallVector<Value> tileMax =
        forLoop(zero, numK, one, {negInfVec}, [&](Value j, ValueRange acc) {
          Value s = vector::LoadOp::create(b, loc, vectorType, sTBuf,
                                           ValueRange{j, i});
          return SmallVector<Value>{fmax(acc[0], masked(j, s))};
        });
    Value mOld = vector::LoadOp::create(b, loc, vectorType, mBuf, i);
    Value mNew = fmax(mOld, tileMax[0]);
    // Rows with nothing visible yet keep max -inf; use 0 to avoid inf-inf.
    Value isEmpty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                          mNew, negInfVec);
    Value mSafe =
        arith::SelectOp::create(b, loc, isEmpty, splat(fconst(0.0)), mNew);
    Value alpha = exp(fsub(mOld, mSafe));
    SmallVector<Value> sum = forLoop(
        zero, numK, one, {splat(fconst(0.0))}, [&](Value j, ValueRange acc) {
          Value s = vector::LoadOp::create(b, loc, vectorType, sTBuf,
                                           ValueRange{j, i});
          Value prob = exp(fsub(masked(j, s), mSafe));
          vector::StoreOp::create(b, loc, prob, sTBuf, ValueRange{j, i});
          return SmallVector<Value>{fadd(acc[0], prob)};
        });
    Value lOld = vector::LoadOp::create(b, loc, vectorType, lBuf, i);
    vector::StoreOp::create(b, loc, fadd(fmul(lOld, alpha), sum[0]), lBuf, i);
    vector::StoreOp::create(b, loc, mNew, mBuf, i);
    vector::StoreOp::create(b, loc, alpha, alphaBuf, i);
    return SmallVector<Value>();
  });
}

/// acc[i, :] = alpha[i] * acc[i, :] + sum_j P[i, j] v[j, :]: blocks of
/// kRowBlock rows by two vectors of the head dimension.
void FlashEmitter::emitProbsTimesValues(Value numK) {
  Value zero = idx(0);
  int64_t lanes = tiles.lanes;
  forLoop(zero, numQPadded, idx(kRowBlock), {}, [&](Value i0, ValueRange) {
    forLoop(zero, paddedHeadDim, idx(2 * lanes), {}, [&](Value d0, ValueRange) {
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
      SmallVector<Value> sums = blockedOuterProducts(
          numK, inits, vBuf, d0, d1, [&](Value j, int64_t r) -> Value {
            return memref::LoadOp::create(b, loc, sTBuf,
                                          ValueRange{j, add(i0, idx(r))});
          });
      storeBlock(sums, accBuf, i0, d0, d1);
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
    Value row = rows.queryRow(*this, add(qStart, i));
    Value m = memref::LoadOp::create(b, loc, mBuf, i);
    Value l = memref::LoadOp::create(b, loc, lBuf, i);
    Value branchLse = fadd(m, log(l));
    Value inv = arith::DivFOp::create(b, loc, fconst(1.0), l);
    SmallVector<Value> lseIndex = {rows.batch, row, rows.head};
    Value keepWeight, newWeight, newLse;
    if (p.merge) {
      Value oldLse = memref::LoadOp::create(b, loc, p.lse, lseIndex);
      MergeWeights w = mergeWeights(oldLse, branchLse);
      newLse = w.lse;
      keepWeight = w.keep;
      newWeight = fmul(w.fresh, inv);
    } else {
      newLse = branchLse;
      newWeight = inv;
    }
    forLoop(zero, headDim, one, {}, [&](Value d, ValueRange) {
      SmallVector<Value> outIndex = {rows.batch, row, rows.head, d};
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

struct TileAttentionPass
    : public longnet::impl::LongNetTileAttentionBase<TileAttentionPass> {
  using Base::Base;

  LogicalResult checkOptions() {
    if (vectorWidth < 2 || vectorWidth % 2 != 0)
      return emitError(getOperation()->getLoc(),
                       "longnet-tile-attention: vector-width must be an even "
                       "number >= 2, got ")
             << static_cast<int64_t>(vectorWidth);
    int64_t queryMultiple = std::lcm(2 * vectorWidth, kRowBlock);
    if (queryTile < queryMultiple || queryTile % queryMultiple != 0)
      return emitError(getOperation()->getLoc(),
                       "longnet-tile-attention: query-tile must be a positive "
                       "multiple of lcm(2 * vector-width, ")
             << kRowBlock << ") = " << queryMultiple << ", got "
             << static_cast<int64_t>(queryTile);
    if (keyTile < kRowBlock || keyTile % kRowBlock != 0)
      return emitError(getOperation()->getLoc(),
                       "longnet-tile-attention: key-tile must be a positive "
                       "multiple of ")
             << kRowBlock << ", got " << static_cast<int64_t>(keyTile);
    return success();
  }

  template <typename OpTy> LogicalResult lower(OpTy op) {
    if (!op.getResults().empty())
      return op.emitOpError("must be bufferized before longnet-tile-attention");
    FlashProblem problem = *getFlashProblem(op);
    Type computeType = cast<MemRefType>(problem.out.getType()).getElementType();
    int64_t lanes = computeType.isF64() ? vectorWidth / 2 : vectorWidth;
    // Keep the key tile a multiple of two vectors of the compute type.
    TileSizes tiles{queryTile, keyTile, lanes};
    OpBuilder b(op);
    FlashEmitter(b, op.getLoc(), problem, tiles).emit();
    op.erase();
    return success();
  }

  LogicalResult lowerBackward(Operation *op) {
    if (op->getNumResults() != 0)
      return op->emitOpError(
          "must be bufferized before longnet-tile-attention");
    BackwardProblem problem = *getBackwardProblem(op);
    Type computeType =
        cast<MemRefType>(problem.queryGrad.getType()).getElementType();
    int64_t lanes = computeType.isF64() ? vectorWidth / 2 : vectorWidth;
    OpBuilder b(op);
    emitCPUBackward(b, op->getLoc(), problem, queryTile, keyTile, lanes);
    op->erase();
    return success();
  }
  LogicalResult lower(BranchAttentionBackwardOp op) {
    return lowerBackward(op);
  }
  LogicalResult lower(GatheredBranchAttentionBackwardOp op) {
    return lowerBackward(op);
  }

  void runOnOperation() override {
    if (failed(checkOptions()))
      return signalPassFailure();
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<BranchAttentionOp, AttentionOp, GatheredBranchAttentionOp,
              BranchAttentionBackwardOp, GatheredBranchAttentionBackwardOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      LogicalResult result =
          TypeSwitch<Operation *, LogicalResult>(op)
              .Case<BranchAttentionOp, AttentionOp, GatheredBranchAttentionOp,
                    BranchAttentionBackwardOp,
                    GatheredBranchAttentionBackwardOp>(
                  [&](auto typed) { return lower(typed); });
      if (failed(result))
        return signalPassFailure();
    }
  }
};

} // namespace
