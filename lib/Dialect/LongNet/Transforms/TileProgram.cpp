//===- TileProgram.cpp - The backward as one tile program -----------------===//
//
// Part of the longnet-mlir project. See TileProgram.h.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/Transforms/TileProgram.h"

using namespace mlir;
using namespace mlir::longnet;

template <typename OpTy> static BackwardProblem getProblem(OpTy backward) {
  BackwardProblem p;
  p.query = backward.getQuery();
  p.key = backward.getKey();
  p.value = backward.getValue();
  p.outputGrad = backward.getOutputGrad();
  p.lse = backward.getLse();
  p.delta = backward.getDelta();
  p.queryGrad = backward.getQueryGradAcc();
  p.keyGrad = backward.getKeyGradAcc();
  p.valueGrad = backward.getValueGradAcc();
  p.dilationRate = backward.getDilationRate();
  p.offsetMode = backward.getOffsetMode();
  p.causal = backward.getCausal();
  p.scale = backward.getScaleOrDefault();
  return p;
}

std::optional<BackwardProblem> longnet::getBackwardProblem(Operation *op) {
  if (auto backward = dyn_cast<BranchAttentionBackwardOp>(op)) {
    BackwardProblem p = getProblem(backward);
    p.segmentLength = backward.getSegmentLength();
    return p;
  }
  if (auto gathered = dyn_cast<GatheredBranchAttentionBackwardOp>(op)) {
    BackwardProblem p = getProblem(gathered);
    p.queryBase = gathered.getQueryBase();
    return p;
  }
  return std::nullopt;
}

SegmentRows longnet::emitGatheredRows(KernelBuilder &kb, OffsetMode mode,
                                      Value batch, Value head, Value numHeads,
                                      Value localRows, Value rate,
                                      Value numKeys, Value queryBase) {
  SegmentRows rows;
  rows.batch = batch;
  rows.head = head;
  rows.rate = rate;
  rows.rowBase = emitHeadOffset(kb.b, kb.loc, mode, head, numHeads, rate);
  // l is a multiple of r (the verifier): l / r rows whatever the offset.
  rows.numSel = kb.divU(localRows, rate);
  rows.keyRowBase = kb.idx(0);
  rows.keyRate = kb.idx(1);
  rows.numKeys = numKeys;
  rows.queryIndexBase = queryBase;
  return rows;
}

SegmentRows longnet::emitSegmentRows(KernelBuilder &kb, OffsetMode mode,
                                     Value batch, Value head, Value numHeads,
                                     Value segment, Value segLen, Value seqLen,
                                     Value rate) {
  SegmentRows rows;
  rows.batch = batch;
  rows.head = head;
  rows.rate = rate;
  Value offset = emitHeadOffset(kb.b, kb.loc, mode, head, numHeads, rate);
  Value segStart = kb.mul(segment, segLen);
  Value segSize = kb.minU(segLen, kb.sub(seqLen, segStart));
  // max(size, o) - o: zero rows when the offset is beyond the segment.
  Value span = kb.sub(kb.maxU(segSize, offset), offset);
  rows.numSel = kb.ceilDiv(span, rate);
  rows.rowBase = kb.add(segStart, offset);
  rows.keyRowBase = rows.rowBase;
  rows.keyRate = rate;
  rows.numKeys = rows.numSel;
  return rows;
}

void BackwardProgram::emitSegment(const SegmentRows &rows, Order order,
                                  Gradients gradients) {
  Value zero = kb.idx(0);
  kb.ifThen(kb.andI(kb.ult(zero, rows.numSel), kb.ult(zero, rows.numKeys)),
            [&] {
              tiles.begin();
              if (order == Order::QueryOuter)
                kb.forLoop(zero, rows.numSel, kb.idx(queryTile), {},
                           [&](Value qStart, ValueRange) {
                             emitQueryTile(rows, qStart, gradients);
                             return SmallVector<Value>();
                           });
              else
                kb.forLoop(zero, rows.numKeys, kb.idx(keyTile), {},
                           [&](Value kStart, ValueRange) {
                             emitKeyTile(rows, kStart);
                             return SmallVector<Value>();
                           });
              tiles.end();
            });
}

void BackwardProgram::emitQueryTile(const SegmentRows &rows, Value qStart,
                                    Gradients gradients) {
  Value numQ = kb.minU(kb.idx(queryTile), kb.sub(rows.numSel, qStart));
  tiles.loadQueryTile(rows, qStart, numQ);
  // Causal: key tiles past the tile's last query are fully masked.
  Value keyEnd = rows.keyEnd(kb, causal, kb.add(qStart, numQ));
  kb.forLoop(kb.idx(0), keyEnd, kb.idx(keyTile), {},
             [&](Value kStart, ValueRange) {
               Value numK = kb.minU(kb.idx(keyTile), kb.sub(keyEnd, kStart));
               tiles.loadKeyTile(rows, kStart, numK);
               emitPair(rows, qStart, kStart, numK, gradients);
               if (gradients.keyValue)
                 tiles.storeKeyTile(rows, kStart, numK);
               return SmallVector<Value>();
             });
  if (gradients.query)
    tiles.storeQueryTile(rows, qStart, numQ);
}

void BackwardProgram::emitKeyTile(const SegmentRows &rows, Value kStart) {
  Value numK = kb.minU(kb.idx(keyTile), kb.sub(rows.numKeys, kStart));
  tiles.loadKeyTile(rows, kStart, numK);
  // Causal: query tiles before the one holding the query of index kStart
  // (the first that sees the tile's first key) see none of its keys.
  Value qFirst = kb.idx(0);
  if (causal) {
    Value first = kStart;
    if (rows.queryIndexBase)
      first = kb.sub(kb.maxU(kStart, rows.queryIndexBase), rows.queryIndexBase);
    qFirst = kb.mul(kb.divU(first, kb.idx(queryTile)), kb.idx(queryTile));
  }
  Gradients keyValueOnly{/*query=*/false, /*keyValue=*/true};
  kb.forLoop(qFirst, rows.numSel, kb.idx(queryTile), {},
             [&](Value qStart, ValueRange) {
               Value numQ =
                   kb.minU(kb.idx(queryTile), kb.sub(rows.numSel, qStart));
               tiles.loadQueryTile(rows, qStart, numQ);
               emitPair(rows, qStart, kStart, numK, keyValueOnly);
               return SmallVector<Value>();
             });
  tiles.storeKeyTile(rows, kStart, numK);
}

void BackwardProgram::emitPair(const SegmentRows &rows, Value qStart,
                               Value kStart, Value numK, Gradients gradients) {
  tiles.products();
  Value qIndex = rows.queryIndex(kb, qStart);
  if (causal) {
    // Only tiles reaching past the query tile's first row (the diagonal
    // ones) hold masked pairs; the others skip the per-element mask.
    Value lastKey = kb.sub(kb.add(kStart, numK), kb.idx(1));
    Value onDiagonal = kb.ult(qIndex, lastKey);
    auto ifOp = scf::IfOp::create(kb.b, kb.loc, onDiagonal,
                                  /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(kb.b);
    kb.b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    tiles.softmaxGrad(qIndex, kStart, /*mask=*/true);
    kb.b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
    tiles.softmaxGrad(qIndex, kStart, /*mask=*/false);
  } else {
    tiles.softmaxGrad(qIndex, kStart, /*mask=*/false);
  }
  if (gradients.keyValue) {
    tiles.accumulateValueGrad();
    tiles.accumulateKeyGrad();
  }
  if (gradients.query)
    tiles.accumulateQueryGrad();
}
