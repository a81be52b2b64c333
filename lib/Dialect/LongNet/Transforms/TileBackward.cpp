//===- TileBackward.cpp - The backward tile program on the CPU ------------===//
//
// Part of the longnet-mlir project.
//
// The CPU primitives of the backward tile program (TileProgram.h): local
// row-major tiles of the compute type (f32, f64 for f64), the products as
// the register-blocked vector kernels of the forward (CPUTileEmitter), the
// softmax step vectorised over query rows. One worker (an iteration of an
// scf.parallel over batch, head and segment) owns a segment: it runs the
// query tiles one after the other, keeps dQ of the current query tile in a
// local tile, and adds dK/dV of each key tile to the accumulators in place,
// so no two workers ever write the same row (deterministic, no atomics).
//
// Rows are read and written where they are: selected row i of a segment is
// sequence row rowBase + i * r.
//
//===----------------------------------------------------------------------===//

#include "LoopEmitter.h"

#include "longnet/Dialect/LongNet/Transforms/TileProgram.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <limits>
#include <numeric>

using namespace mlir;
using namespace mlir::longnet;

namespace {

class CPUBackwardTiles : public CPUTileEmitter, public BackwardTiles {
public:
  CPUBackwardTiles(OpBuilder &b, Location loc, const BackwardProblem &p,
                   int64_t queryTile, int64_t keyTile, int64_t lanes)
      : CPUTileEmitter(b, loc,
                       cast<MemRefType>(p.queryGrad.getType()).getElementType(),
                       lanes),
        p(p), queryTile(queryTile), keyTile(keyTile) {
    elementType = cast<MemRefType>(p.query.getType()).getElementType();
  }

  /// Problem-wide values, before the parallel loop.
  void setUp(Value headDimValue);

  void begin() override;
  void end() override { freeLocalBuffers(); }
  void loadQueryTile(const SegmentRows &rows, Value qStart,
                     Value numQ) override;
  void loadKeyTile(const SegmentRows &rows, Value kStart, Value numK) override;
  void products() override;
  void softmaxGrad(Value qIndex, Value kStart, bool mask) override;
  void accumulateValueGrad() override {
    accumulateProduct(dvBuf, doBuf, numKPadded, paddedHeadDim, numQ,
                      [&](Value i, Value j) {
                        return load(pTBuf, {j, i});
                      });
  }
  void accumulateKeyGrad() override {
    accumulateProduct(dkBuf, qBuf, numKPadded, paddedHeadDim, numQ,
                      [&](Value i, Value j) {
                        return load(dsTBuf, {j, i});
                      });
  }
  void accumulateQueryGrad() override {
    accumulateProduct(dqBuf, kBuf, numQPadded, paddedHeadDim, numK,
                      [&](Value j, Value i) {
                        return load(dsTBuf, {j, i});
                      });
  }
  void storeKeyTile(const SegmentRows &rows, Value kStart, Value numK) override;
  void storeQueryTile(const SegmentRows &rows, Value qStart,
                      Value numQ) override;

private:
  Value load(Value buffer, ValueRange indices) {
    return memref::LoadOp::create(b, loc, buffer, indices);
  }
  Value rowOf(const SegmentRows &rows, Value selected) {
    return rows.queryRow(*this, selected);
  }
  Value keyRowOf(const SegmentRows &rows, Value selected) {
    return rows.keyRow(*this, selected);
  }
  /// Row `row` of `source` ([B, N, H, D]) into row `j` of `buffer`, zero
  /// padded to the padded D.
  void stageRow(Value source, const SegmentRows &rows, Value row, Value buffer,
                Value j);
  /// Row `j` of `buffer` written to (or, with `accumulate`, added to) row
  /// `row` of `dest`, the first D elements.
  void writeRow(Value buffer, Value j, Value dest, const SegmentRows &rows,
                Value row, bool accumulate);
  /// The transposed query-side tile: bufferT[d, i] = factor * source[row_i, d].
  void stageTransposed(Value source, const SegmentRows &rows, Value qStart,
                       Value bufferT, Value factor);
  void zeroBuffer(Value buffer, Value numRows, Value width);

  const BackwardProblem &p;
  int64_t queryTile, keyTile;
  Type elementType;
  bool rowsInBounds = false;
  Value headDim, paddedHeadDim, scale;
  // Per tile.
  Value numQ, numQPadded, numK, numKPadded;
  Value qBuf, qTBuf, doBuf, doTBuf, lseBuf, deltaBuf, dqBuf;
  Value kBuf, vBuf, dkBuf, dvBuf, pTBuf, dsTBuf;
};

void CPUBackwardTiles::setUp(Value headDimValue) {
  headDim = headDimValue;
  paddedHeadDim = roundUp(headDim, 2 * lanes);
  int64_t staticD = cast<MemRefType>(p.query.getType()).getDimSize(3);
  rowsInBounds = !ShapedType::isDynamic(staticD) && staticD % (2 * lanes) == 0;
  if (p.scale) {
    scale = fconst(*p.scale);
  } else {
    Value d = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), headDim);
    Value df = arith::UIToFPOp::create(b, loc, computeType, d);
    scale = fdiv(fconst(1.0), math::SqrtOp::create(b, loc, df));
  }
}

void CPUBackwardTiles::begin() {
  int64_t staticD = cast<MemRefType>(p.query.getType()).getDimSize(3);
  bool dynamicD = ShapedType::isDynamic(staticD);
  int64_t staticPaddedD =
      dynamicD ? ShapedType::kDynamic
               : llvm::divideCeil(staticD, 2 * lanes) * 2 * lanes;
  SmallVector<Value> dDyn, dpDyn;
  if (dynamicD) {
    dDyn.push_back(headDim);
    dpDyn.push_back(paddedHeadDim);
  }
  qBuf = localBuffer({queryTile, staticPaddedD}, dpDyn);
  doBuf = localBuffer({queryTile, staticPaddedD}, dpDyn);
  dqBuf = localBuffer({queryTile, staticPaddedD}, dpDyn);
  qTBuf = localBuffer({staticD, queryTile}, dDyn);
  doTBuf = localBuffer({staticD, queryTile}, dDyn);
  lseBuf = localBuffer({queryTile}, {});
  deltaBuf = localBuffer({queryTile}, {});
  kBuf = localBuffer({keyTile, staticPaddedD}, dpDyn);
  vBuf = localBuffer({keyTile, staticPaddedD}, dpDyn);
  dkBuf = localBuffer({keyTile, staticPaddedD}, dpDyn);
  dvBuf = localBuffer({keyTile, staticPaddedD}, dpDyn);
  pTBuf = localBuffer({keyTile, queryTile}, {});
  dsTBuf = localBuffer({keyTile, queryTile}, {});
  // Rows and columns past a partial tile are computed on but never stored:
  // start them at zero rather than at whatever the allocator returns.
  Value qt = idx(queryTile), kt = idx(keyTile);
  for (Value buffer : {qBuf, doBuf, dqBuf})
    zeroBuffer(buffer, qt, paddedHeadDim);
  for (Value buffer : {qTBuf, doTBuf})
    zeroBuffer(buffer, headDim, qt);
  for (Value buffer : {kBuf, vBuf, dkBuf, dvBuf})
    zeroBuffer(buffer, kt, paddedHeadDim);
  forLoop(idx(0), qt, idx(lanes), {}, [&](Value i, ValueRange) {
    vector::StoreOp::create(b, loc, splat(fconst(0.0)), lseBuf, i);
    vector::StoreOp::create(b, loc, splat(fconst(0.0)), deltaBuf, i);
    return SmallVector<Value>();
  });
}

void CPUBackwardTiles::zeroBuffer(Value buffer, Value numRows, Value width) {
  Value zeroVec = splat(fconst(0.0));
  forLoop(idx(0), numRows, idx(1), {}, [&](Value i, ValueRange) {
    forLoop(idx(0), width, idx(lanes), {}, [&](Value d, ValueRange) {
      vector::StoreOp::create(b, loc, zeroVec, buffer, ValueRange{i, d});
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
}

void CPUBackwardTiles::stageRow(Value source, const SegmentRows &rows,
                                Value row, Value buffer, Value j) {
  Type sourceElt = cast<MemRefType>(source.getType()).getElementType();
  auto loadType = VectorType::get({lanes}, sourceElt);
  Value padding =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(sourceElt, 0.0));
  forLoop(idx(0), paddedHeadDim, idx(lanes), {}, [&](Value d, ValueRange) {
    Value v = vector::TransferReadOp::create(
        b, loc, loadType, source, ValueRange{rows.batch, row, rows.head, d},
        padding, ArrayRef<bool>{rowsInBounds});
    if (loadType != vectorType)
      v = arith::ExtFOp::create(b, loc, vectorType, v);
    vector::StoreOp::create(b, loc, v, buffer, ValueRange{j, d});
    return SmallVector<Value>();
  });
}

void CPUBackwardTiles::writeRow(Value buffer, Value j, Value dest,
                                const SegmentRows &rows, Value row,
                                bool accumulate) {
  Value padding = fconst(0.0);
  forLoop(idx(0), paddedHeadDim, idx(lanes), {}, [&](Value d, ValueRange) {
    SmallVector<Value> index = {rows.batch, row, rows.head, d};
    Value v =
        vector::LoadOp::create(b, loc, vectorType, buffer, ValueRange{j, d});
    if (accumulate)
      v = fadd(vector::TransferReadOp::create(b, loc, vectorType, dest, index,
                                              padding,
                                              ArrayRef<bool>{rowsInBounds}),
               v);
    vector::TransferWriteOp::create(b, loc, v, dest, index,
                                    ArrayRef<bool>{rowsInBounds});
    return SmallVector<Value>();
  });
}

void CPUBackwardTiles::stageTransposed(Value source, const SegmentRows &rows,
                                       Value qStart, Value bufferT,
                                       Value factor) {
  forLoop(idx(0), numQ, idx(1), {}, [&](Value i, ValueRange) {
    Value row = rowOf(rows, add(qStart, i));
    forLoop(idx(0), headDim, idx(1), {}, [&](Value d, ValueRange) {
      Value x = loadElement(source, {rows.batch, row, rows.head, d});
      if (factor)
        x = fmul(x, factor);
      memref::StoreOp::create(b, loc, x, bufferT, ValueRange{d, i});
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
}

void CPUBackwardTiles::loadQueryTile(const SegmentRows &rows, Value qStart,
                                     Value numQValue) {
  numQ = numQValue;
  numQPadded = roundUp(numQ, std::lcm(2 * lanes, kRowBlock));
  forLoop(idx(0), numQ, idx(1), {}, [&](Value i, ValueRange) {
    Value row = rowOf(rows, add(qStart, i));
    stageRow(p.query, rows, row, qBuf, i);
    stageRow(p.outputGrad, rows, row, doBuf, i);
    SmallVector<Value> rowIndex = {rows.batch, row, rows.head};
    memref::StoreOp::create(b, loc, load(p.lse, rowIndex), lseBuf, i);
    memref::StoreOp::create(b, loc, load(p.delta, rowIndex), deltaBuf, i);
    return SmallVector<Value>();
  });
  stageTransposed(p.query, rows, qStart, qTBuf, scale);
  stageTransposed(p.outputGrad, rows, qStart, doTBuf, Value());
  zeroBuffer(dqBuf, idx(queryTile), paddedHeadDim);
}

void CPUBackwardTiles::loadKeyTile(const SegmentRows &rows, Value kStart,
                                   Value numKValue) {
  numK = numKValue;
  numKPadded = roundUp(numK, kRowBlock);
  forLoop(idx(0), numK, idx(1), {}, [&](Value j, ValueRange) {
    Value row = keyRowOf(rows, add(kStart, j));
    stageRow(p.key, rows, row, kBuf, j);
    stageRow(p.value, rows, row, vBuf, j);
    stageRow(p.keyGrad, rows, row, dkBuf, j);
    stageRow(p.valueGrad, rows, row, dvBuf, j);
    return SmallVector<Value>();
  });
}

void CPUBackwardTiles::products() {
  transposedProduct(pTBuf, kBuf, qTBuf, numKPadded, numQPadded, headDim);
  transposedProduct(dsTBuf, vBuf, doTBuf, numKPadded, numQPadded, headDim);
}

void CPUBackwardTiles::softmaxGrad(Value qIndex, Value kStart, bool mask) {
  auto indexVec = VectorType::get({lanes}, b.getIndexType());
  Value negInfVec = splat(fconst(-std::numeric_limits<double>::infinity()));
  Value scaleVec = splat(scale);
  forLoop(idx(0), numK, idx(1), {}, [&](Value j, ValueRange) {
    Value key;
    if (mask)
      key = vector::BroadcastOp::create(b, loc, indexVec, add(kStart, j));
    forLoop(idx(0), numQPadded, idx(lanes), {}, [&](Value i, ValueRange) {
      SmallVector<Value> at = {j, i};
      Value s = vector::LoadOp::create(b, loc, vectorType, pTBuf, at);
      if (mask) {
        // One op per statement: the IR must not depend on the host
        // compiler's order of evaluating arguments.
        Value steps = vector::StepOp::create(b, loc, indexVec);
        Value first =
            vector::BroadcastOp::create(b, loc, indexVec, add(qIndex, i));
        Value queries = add(first, steps);
        Value visible = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule,
                                              key, queries);
        s = arith::SelectOp::create(b, loc, visible, s, negInfVec);
      }
      Value lse = vector::LoadOp::create(b, loc, vectorType, lseBuf, i);
      Value prob = exp(fsub(s, lse));
      Value dp = vector::LoadOp::create(b, loc, vectorType, dsTBuf, at);
      Value delta = vector::LoadOp::create(b, loc, vectorType, deltaBuf, i);
      Value weighted = fmul(prob, scaleVec);
      Value ds = fmul(weighted, fsub(dp, delta));
      vector::StoreOp::create(b, loc, prob, pTBuf, at);
      vector::StoreOp::create(b, loc, ds, dsTBuf, at);
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
}

void CPUBackwardTiles::storeKeyTile(const SegmentRows &rows, Value kStart,
                                    Value numKValue) {
  forLoop(idx(0), numKValue, idx(1), {}, [&](Value j, ValueRange) {
    Value row = keyRowOf(rows, add(kStart, j));
    writeRow(dkBuf, j, p.keyGrad, rows, row, /*accumulate=*/false);
    writeRow(dvBuf, j, p.valueGrad, rows, row, /*accumulate=*/false);
    return SmallVector<Value>();
  });
}

void CPUBackwardTiles::storeQueryTile(const SegmentRows &rows, Value qStart,
                                      Value numQValue) {
  forLoop(idx(0), numQValue, idx(1), {}, [&](Value i, ValueRange) {
    writeRow(dqBuf, i, p.queryGrad, rows, rowOf(rows, add(qStart, i)),
             /*accumulate=*/true);
    return SmallVector<Value>();
  });
}

} // namespace

void mlir::longnet::emitCPUBackward(OpBuilder &b, Location loc,
                                    const BackwardProblem &p, int64_t queryTile,
                                    int64_t keyTile, int64_t lanes) {
  KernelBuilder kb(b, loc);
  Value batchSize = memref::DimOp::create(b, loc, p.query, 0);
  Value seqLen = memref::DimOp::create(b, loc, p.query, 1);
  Value numHeads = memref::DimOp::create(b, loc, p.query, 2);
  Value headDim = memref::DimOp::create(b, loc, p.query, 3);
  Value rate = kb.idx(p.dilationRate);
  // A gathered problem has one "segment": the local queries.
  Value segLen = p.queryBase ? seqLen : kb.idx(p.segmentLength);
  Value numSegments = p.queryBase ? kb.idx(1) : kb.ceilDiv(seqLen, segLen);

  CPUBackwardTiles tiles(b, loc, p, queryTile, keyTile, lanes);
  tiles.setUp(headDim);
  Value zero = kb.idx(0), one = kb.idx(1);
  auto parallel = scf::ParallelOp::create(
      b, loc, ValueRange{zero, zero, zero},
      ValueRange{batchSize, numHeads, numSegments}, ValueRange{one, one, one});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(parallel.getBody()->getTerminator());
  SmallVector<Value> ivs(parallel.getInductionVars());
  SegmentRows rows =
      p.queryBase
          ? emitGatheredRows(kb, p.offsetMode, ivs[0], ivs[1], numHeads, seqLen,
                             rate, memref::DimOp::create(b, loc, p.key, 1),
                             p.queryBase)
          : emitSegmentRows(kb, p.offsetMode, ivs[0], ivs[1], numHeads, ivs[2],
                            segLen, seqLen, rate);
  BackwardProgram program(kb, tiles, p.causal, queryTile, keyTile);
  program.emitSegment(rows, BackwardProgram::Order::QueryOuter,
                      BackwardProgram::Gradients{});
}
