//===- TileProgram.cpp - The backward as one tile program -----------------===//
//
// Part of the longnet-mlir project. See TileProgram.h.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/Transforms/TileProgram.h"

using namespace mlir;
using namespace mlir::longnet;

std::optional<BackwardProblem> longnet::getBackwardProblem(Operation *op) {
  auto backward = dyn_cast<BranchAttentionBackwardOp>(op);
  if (!backward)
    return std::nullopt;
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
  p.segmentLength = backward.getSegmentLength();
  p.dilationRate = backward.getDilationRate();
  p.offsetMode = backward.getOffsetMode();
  p.causal = backward.getCausal();
  p.scale = backward.getScaleOrDefault();
  return p;
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
  return rows;
}

void BackwardProgram::emitSegment(const SegmentRows &rows, Order order,
                                  Gradients gradients) {
  Value zero = kb.idx(0);
  kb.ifThen(kb.ult(zero, rows.numSel), [&] {
    tiles.begin();
    if (order == Order::QueryOuter)
      kb.forLoop(zero, rows.numSel, kb.idx(queryTile), {},
                 [&](Value qStart, ValueRange) {
                   emitQueryTile(rows, qStart, gradients);
                   return SmallVector<Value>();
                 });
    else
      kb.forLoop(zero, rows.numSel, kb.idx(keyTile), {},
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
  Value keyEnd =
      causal ? kb.minU(rows.numSel, kb.add(qStart, numQ)) : rows.numSel;
  kb.forLoop(kb.idx(0), keyEnd, kb.idx(keyTile), {},
             [&](Value kStart, ValueRange) {
               Value numK = kb.minU(kb.idx(keyTile), kb.sub(keyEnd, kStart));
               tiles.loadKeyTile(rows, kStart, numK);
               emitPair(qStart, kStart, numK, gradients);
               if (gradients.keyValue)
                 tiles.storeKeyTile(rows, kStart, numK);
               return SmallVector<Value>();
             });
  if (gradients.query)
    tiles.storeQueryTile(rows, qStart, numQ);
}

void BackwardProgram::emitKeyTile(const SegmentRows &rows, Value kStart) {
  Value numK = kb.minU(kb.idx(keyTile), kb.sub(rows.numSel, kStart));
  tiles.loadKeyTile(rows, kStart, numK);
  // Causal: query tiles before the one holding the tile's first key see
  // none of its keys.
  Value qFirst = causal ? kb.mul(kb.divU(kStart, kb.idx(queryTile)),
                                 kb.idx(queryTile))
                        : kb.idx(0);
  Gradients keyValueOnly{/*query=*/false, /*keyValue=*/true};
  kb.forLoop(qFirst, rows.numSel, kb.idx(queryTile), {},
             [&](Value qStart, ValueRange) {
               Value numQ =
                   kb.minU(kb.idx(queryTile), kb.sub(rows.numSel, qStart));
               tiles.loadQueryTile(rows, qStart, numQ);
               emitPair(qStart, kStart, numK, keyValueOnly);
               return SmallVector<Value>();
             });
  tiles.storeKeyTile(rows, kStart, numK);
}

void BackwardProgram::emitPair(Value qStart, Value kStart, Value numK,
                               Gradients gradients) {
  tiles.products();
  if (causal) {
    // Only tiles reaching past the query tile's first row (the diagonal
    // ones) hold masked pairs; the others skip the per-element mask.
    Value lastKey = kb.sub(kb.add(kStart, numK), kb.idx(1));
    Value onDiagonal = kb.ult(qStart, lastKey);
    auto ifOp = scf::IfOp::create(kb.b, kb.loc, onDiagonal,
                                  /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(kb.b);
    kb.b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    tiles.softmaxGrad(qStart, kStart, /*mask=*/true);
    kb.b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
    tiles.softmaxGrad(qStart, kStart, /*mask=*/false);
  } else {
    tiles.softmaxGrad(qStart, kStart, /*mask=*/false);
  }
  if (gradients.keyValue) {
    tiles.accumulateValueGrad();
    tiles.accumulateKeyGrad();
  }
  if (gradients.query)
    tiles.accumulateQueryGrad();
}
