//===- AttentionToNVGPU.cpp - Fused flash kernels for NVIDIA GPUs ---------===//
//
// Part of the longnet-mlir project.
//
// Lowers the bufferized flash ops to a gpu.launch of a fused kernel. One
// thread block owns one query tile of one segment of one (batch, head); the
// dilated gather and scatter are the global row  g*w + o_h + i*r  of every
// load and store, so nothing is materialised.
//
// The tensor-core kernel (f16/bf16, D % 16 == 0) follows FlashAttention-2:
// four warps of 16 query rows on mma.sync m16n8k16 fragments
// (TensorCoreBuilder.h); P never leaves registers.
//
//===----------------------------------------------------------------------===//

#include "BackwardToGPU.h"
#include "TensorCoreBuilder.h"

#include "longnet-runtime/CheckedMath.h"
#include "longnet/Conversion/Passes.h"
#include "longnet/Dialect/LongNet/IR/LongNetOps.h"
#include "longnet/Dialect/LongNet/Transforms/KernelBuilder.h"
#include "longnet/Dialect/LongNet/Transforms/TileProgram.h"
#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>
#include <limits>

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETCONVERTATTENTIONTONVGPU
#include "longnet/Conversion/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;
using namespace mlir::longnet;

namespace {

constexpr int64_t kWarps = TensorCoreBuilder::kWarps;
constexpr llvm::StringLiteral kMinBlocksPerSMAttrName =
    "longnet.min_blocks_per_sm";
constexpr int64_t kTensorCoreQueryTile = 16 * kWarps;
constexpr int64_t kScalarQueryTile = 128;
/// Static shared memory of one block (the limit without opting in to more).
constexpr int64_t kMaxSharedBytes = 48 * 1024;
/// Above this head dimension the register-resident O and Q fragments spill:
/// such heads take the CUDA-core kernel.
constexpr int64_t kMaxTensorCoreHeadDim = 160;

/// Host-side sizes of a flash problem, and the block's place in it.
struct Geometry {
  Value batchSize, seqLen, numHeads, segLen, rate;
  Value numSegments, maxSelected, numQueryTiles;
  Value numGatheredKeys; // gathered branch: rows of K and V
};

class FlashKernelEmitter : public TensorCoreBuilder {
public:
  FlashKernelEmitter(OpBuilder &b, Location loc, const FlashProblem &p,
                     int64_t keyTileOption)
      : TensorCoreBuilder(b, loc,
                          cast<MemRefType>(p.query.getType()).getElementType(),
                          cast<MemRefType>(p.query.getType()).getDimSize(3)),
        p(p) {
    accType = cast<MemRefType>(p.out.getType()).getElementType();
    useTensorCores =
        supports(elementType, headDim, {p.query, p.key, p.value}) &&
        headDim <= kMaxTensorCoreHeadDim;
    // A dynamic D is refused by emit(); no size is computed from it.
    keyTile = keyTileOption > 0                ? keyTileOption
              : ShapedType::isDynamic(headDim) ? 16
                                               : defaultKeyTile();
  }

  LogicalResult emit(Operation *op);

private:
  /// Shared memory of the tensor-core kernel: two stages of K and V tiles.
  /// INT64_MAX when the product overflows (a huge key-tile or D).
  int64_t sharedBytes(int64_t tile) const {
    std::optional<int64_t> paddedRow = ::longnet::checkedAdd(headDim, kRowPad);
    if (!paddedRow)
      return std::numeric_limits<int64_t>::max();
    return ::longnet::checkedProduct(
               {4, tile, *paddedRow,
                int64_t(elementType.getIntOrFloatBitWidth() / 8)})
        .value_or(std::numeric_limits<int64_t>::max());
  }
  /// Blocks per SM the register budget allows: the fragments of O, Q, S and
  /// P grow with D (about 128 registers at D = 64, 165 at D = 128).
  int64_t minBlocksPerSM() const {
    return headDim <= 64 ? 4 : headDim <= 128 ? 3 : 2;
  }
  /// The largest of 64, 32, 16 keys whose stages fit in shared memory.
  int64_t defaultKeyTile() const {
    for (int64_t tile : {64, 32})
      if (headDim <= 64 * 64 / tile && sharedBytes(tile) <= kMaxSharedBytes)
        return tile;
    return 16;
  }

  Geometry emitGeometry();
  SegmentRows emitBlockRows(const Geometry &geo, Value blockId,
                            Value &queryTile);
  Value scaleValue(Type type);

  // Tensor-core kernel.
  void emitTensorCoreBlock(const Geometry &geo, gpu::LaunchOp launch);
  SmallVector<Value> copyRows(Value source, Value rowBase, Value rate,
                              const SegmentRows &rows, Value firstIndex,
                              Value limit, int64_t numRows, Value smemRow0) {
    return TensorCoreBuilder::copyRows(smem, source, rows.batch, rows.head,
                                       rowBase, rate, firstIndex, limit,
                                       numRows, smemRow0);
  }

  // CUDA-core kernel.
  void emitScalarBlock(const Geometry &geo, gpu::LaunchOp launch);

  // Epilogue shared by both kernels: normalise one row (or the part of it a
  // thread owns) and merge it into the accumulators.
  struct RowResult {
    Value active, row, branchLse, invSum; // branchLse in natural log units
  };
  // The row's merge weights, `fresh` times the row's 1 / sum; `keep` is
  // null when nothing is merged.
  MergeWeights emitMergeWeights(const SegmentRows &rows, const RowResult &r);

  const FlashProblem &p;
  Type accType;
  int64_t keyTile;
  bool useTensorCores;
  Value smem; // tensor-core kernel: [4 * keyTile, D + pad] of elementType
};

/// The softmax scale in `type` (1/sqrt(D) unless the op sets one).
Value FlashKernelEmitter::scaleValue(Type type) {
  return fconst(type, p.scale ? *p.scale : 1.0 / std::sqrt(double(headDim)));
}

Geometry FlashKernelEmitter::emitGeometry() {
  Geometry geo;
  geo.batchSize = memref::DimOp::create(b, loc, p.query, 0);
  geo.seqLen = memref::DimOp::create(b, loc, p.query, 1);
  geo.numHeads = memref::DimOp::create(b, loc, p.query, 2);
  geo.segLen = p.segmentLength ? idx(*p.segmentLength) : geo.seqLen;
  geo.rate = idx(p.dilationRate);
  geo.numSegments = ceilDiv(geo.seqLen, maxU(geo.segLen, idx(1)));
  geo.maxSelected = ceilDiv(minU(geo.segLen, geo.seqLen), geo.rate);
  if (p.queryBase)
    geo.numGatheredKeys = memref::DimOp::create(b, loc, p.key, 1);
  return geo;
}

/// Decodes the linear block id into (query tile, segment, batch x head) and
/// the segment's rows (TileProgram.h).
SegmentRows FlashKernelEmitter::emitBlockRows(const Geometry &geo,
                                              Value blockId, Value &queryTile) {
  queryTile = remU(blockId, geo.numQueryTiles);
  Value rest = divU(blockId, geo.numQueryTiles);
  Value segment = remU(rest, geo.numSegments);
  Value batchHead = divU(rest, geo.numSegments);
  Value batch = divU(batchHead, geo.numHeads);
  Value head = remU(batchHead, geo.numHeads);
  if (p.queryBase)
    return emitGatheredRows(*this, p.offsetMode, batch, head, geo.numHeads,
                            geo.seqLen, geo.rate, geo.numGatheredKeys,
                            p.queryBase);
  return mlir::longnet::emitSegmentRows(*this, p.offsetMode, batch, head,
                                        geo.numHeads, segment, geo.segLen,
                                        geo.seqLen, geo.rate);
}

LogicalResult FlashKernelEmitter::emit(Operation *op) {
  if (ShapedType::isDynamic(headDim))
    return op->emitOpError(
        "needs a static head dimension D to be lowered to a GPU kernel");
  if (useTensorCores &&
      (keyTile % 16 != 0 || keyTile < (kTensorCoreQueryTile + 3) / 4 ||
       sharedBytes(keyTile) > kMaxSharedBytes))
    return op->emitOpError("key-tile ")
           << keyTile
           << " does not fit the tensor-core kernel for D = " << headDim
           << ": it must be a multiple of 16, at least 16, and "
           << "its double-buffered K/V tiles (" << sharedBytes(keyTile)
           << " bytes) must fit in " << kMaxSharedBytes
           << " bytes of shared memory";
  Geometry geo = emitGeometry();
  int64_t queryTile = useTensorCores ? kTensorCoreQueryTile : kScalarQueryTile;
  // One block per (query tile, segment, batch x head), linearised in x: the
  // y and z grid limits (65535) are too small for long sequences.
  geo.numQueryTiles = ceilDiv(geo.maxSelected, idx(queryTile));
  // One op per statement: argument evaluation order is unspecified, and
  // the IR must not depend on the host compiler.
  Value batchHeads = mul(geo.batchSize, geo.numHeads);
  Value tilesSegments = mul(geo.numQueryTiles, geo.numSegments);
  Value gridX = mul(tilesSegments, batchHeads);
  // CUDA rejects empty grids: launch only when there is work.
  Value zero = idx(0);
  Value hasWork = ult(zero, gridX);
  ifThen(hasWork, [&] {
    SmallVector<Type> workgroup;
    int64_t threads = useTensorCores ? kWarps * kWarpSize : kScalarQueryTile;
    if (useTensorCores)
      workgroup.push_back(MemRefType::get(
          {4 * keyTile, headDim + kRowPad}, elementType, AffineMap(),
          gpu::AddressSpaceAttr::get(b.getContext(),
                                     gpu::AddressSpace::Workgroup)));
    Value one = idx(1);
    auto launch = gpu::LaunchOp::create(
        b, loc, gridX, one, one, idx(threads), one, one,
        /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
        /*asyncDependencies=*/{}, workgroup);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&launch.getBody().front());
    if (useTensorCores)
      emitTensorCoreBlock(geo, launch);
    else
      emitScalarBlock(geo, launch);
    gpu::TerminatorOp::create(b, loc);
  });
  return success();
}

//===----------------------------------------------------------------------===//
// Tensor-core kernel
//===----------------------------------------------------------------------===//

void FlashKernelEmitter::emitTensorCoreBlock(const Geometry &geo,
                                             gpu::LaunchOp launch) {
  smem = launch.getWorkgroupAttributions().front();
  gpu::KernelDim3 blockIds = launch.getBlockIds();
  Value tid = launch.getThreadIds().x;
  Value queryTile;
  SegmentRows rows = emitBlockRows(geo, blockIds.x, queryTile);
  Value qStart = mul(queryTile, idx(kTensorCoreQueryTile));
  int64_t numDBlocks = headDim / 8, numKSteps = headDim / 16;
  int64_t numNBlocks = keyTile / 8;

  ifThen(ult(qStart, rows.numSel), [&] {
    setUpLanes(tid);

    // Q: staged once through shared memory into A fragments in registers.
    waitGroups(
        commitGroup(copyRows(p.query, rows.rowBase, rows.rate, rows, qStart,
                             rows.numSel, kTensorCoreQueryTile, idx(0))),
        /*pending=*/0);
    // The occupancy this kernel is tiled for: ptxas left alone may cap the
    // registers at 128 and spill (longnet-merge-gpu-modules moves the hint
    // onto the outlined kernel as nvvm.minctasm).
    gpu::BarrierOp::create(b, loc)->setAttr(
        kMinBlocksPerSMAttrName, b.getI32IntegerAttr(minBlocksPerSM()));
    SmallVector<Value> qFrag;
    Value qRow0 = mul(warp, idx(16));
    for (int64_t kk = 0; kk < numKSteps; ++kk)
      qFrag.push_back(loadA(smem, qRow0, idx(kk * 16)));
    gpu::BarrierOp::create(b, loc);

    Value keyEnd =
        rows.keyEnd(*this, p.causal, add(qStart, idx(kTensorCoreQueryTile)));
    Value numKeyTiles = ceilDiv(keyEnd, idx(keyTile));
    auto stageRow = [&](Value tile, int64_t which) { // which: 0 K, 1 V
      Value stage = remU(tile, idx(2));
      return add(mul(stage, idx(2 * keyTile)), idx(which * keyTile));
    };
    auto prefetch = [&](Value tile) {
      Value first = mul(tile, idx(keyTile));
      Value limit = select(ult(tile, numKeyTiles), keyEnd, idx(0));
      SmallVector<Value> tokens =
          copyRows(p.key, rows.keyRowBase, rows.keyRate, rows, first, limit,
                   keyTile, stageRow(tile, 0));
      SmallVector<Value> vTokens =
          copyRows(p.value, rows.keyRowBase, rows.keyRate, rows, first, limit,
                   keyTile, stageRow(tile, 1));
      tokens.append(vTokens.begin(), vTokens.end());
      return commitGroup(tokens);
    };
    prefetch(idx(0));

    // Loop state: O fragments, then per row half (g, g+8) the running max
    // (log2 units) and this thread's partial sum.
    Type f32Type = b.getF32Type();
    auto cType = VectorType::get({2, 2}, f32Type);
    Value zero = zeroC();
    Value negInf = f32(-std::numeric_limits<double>::infinity());
    SmallVector<Value> inits(numDBlocks, zero);
    inits.append({negInf, negInf, f32(0.0), f32(0.0)});
    Value scaleLog2 = fmul(scaleValue(b.getF32Type()), f32(M_LOG2E));
    Value warpQuery0 = add(qStart, add(mul(warp, idx(16)), groupRow));

    SmallVector<Value> final = forLoop(
        idx(0), numKeyTiles, idx(1), inits, [&](Value tile, ValueRange state) {
          // Prefetch the next tile (an all-zero-fill group past the last),
          // then wait for this one: at most the prefetch stays in flight.
          waitGroups(prefetch(add(tile, idx(1))), /*pending=*/1);
          gpu::BarrierOp::create(b, loc);

          // S = Q K^T for this warp's 16 rows and the tile's keys.
          Value kRow0 = stageRow(tile, 0);
          SmallVector<Value> s(numNBlocks, zero);
          for (int64_t nb = 0; nb < numNBlocks; nb += 2) {
            Value row = add(kRow0, idx(nb * 8));
            for (int64_t kk = 0; kk < numKSteps; ++kk) {
              auto [b0, b1] = loadRowsAsB(smem, row, idx(kk * 16));
              s[nb] = mma(qFrag[kk], b0, s[nb]);
              s[nb + 1] = mma(qFrag[kk], b1, s[nb + 1]);
            }
          }

          // Online softmax in registers (log2 units).
          Value keyBase = add(mul(tile, idx(keyTile)), groupCol);
          SmallVector<Value> newState;
          SmallVector<SmallVector<Value>> probs(2); // [half][nb * 2 + c]
          SmallVector<Value> alpha(2);
          for (int64_t half = 0; half < 2; ++half) {
            Value query = add(warpQuery0, idx(8 * half));
            Value rowMax = negInf;
            SmallVector<Value> x;
            for (int64_t nb = 0; nb < numNBlocks; ++nb)
              for (int64_t c = 0; c < 2; ++c) {
                Value key = add(keyBase, idx(nb * 8 + c));
                Value visible = ult(key, rows.numKeys);
                if (p.causal)
                  visible =
                      andI(visible, ule(key, rows.queryIndex(*this, query)));
                Value score = vector::ExtractOp::create(
                    b, loc, s[nb], ArrayRef<int64_t>{half, c});
                Value v = select(visible, fmul(score, scaleLog2), negInf);
                x.push_back(v);
                rowMax = fmax(rowMax, v);
              }
            rowMax = quadReduce(rowMax, /*isMax=*/true);
            Value mOld = state[numDBlocks + half];
            Value mNew = fmax(mOld, rowMax);
            Value mSafe = select(isNegInf(mNew), f32(0.0), mNew);
            alpha[half] = exp2(fsub(mOld, mSafe));
            Value sum = f32(0.0);
            for (Value v : x) {
              Value prob = exp2(fsub(v, mSafe));
              probs[half].push_back(prob);
              sum = fadd(sum, prob);
            }
            newState.push_back(mNew);
            newState.push_back(
                fadd(fmul(state[numDBlocks + 2 + half], alpha[half]), sum));
          }

          // O = O * alpha + P V.
          SmallVector<Value> o;
          for (int64_t db = 0; db < numDBlocks; ++db) {
            Value acc = state[db];
            Value scaled = ub::PoisonOp::create(b, loc, cType);
            for (int64_t half = 0; half < 2; ++half)
              for (int64_t c = 0; c < 2; ++c) {
                Value e = vector::ExtractOp::create(b, loc, acc,
                                                    ArrayRef<int64_t>{half, c});
                scaled = vector::InsertOp::create(b, loc, fmul(e, alpha[half]),
                                                  scaled,
                                                  ArrayRef<int64_t>{half, c});
              }
            o.push_back(scaled);
          }
          Value vRow0 = stageRow(tile, 1);
          for (int64_t ks = 0; ks < keyTile / 16; ++ks) {
            Value pA =
                packColumns(ks, [&](int64_t nb, int64_t half, int64_t c) {
                  return probs[half][nb * 2 + c];
                });
            Value row = add(vRow0, idx(ks * 16));
            for (int64_t db = 0; db < numDBlocks; db += 2) {
              auto [b0, b1] = loadColumnsAsB(smem, row, idx(db * 8));
              o[db] = mma(pA, b0, o[db]);
              o[db + 1] = mma(pA, b1, o[db + 1]);
            }
          }
          // Every warp is done with this stage before it is refilled.
          gpu::BarrierOp::create(b, loc);
          o.append(newState.begin(), newState.end());
          // newState is (m0, l0, m1, l1): reorder to (m0, m1, l0, l1).
          std::swap(o[numDBlocks + 1], o[numDBlocks + 2]);
          return o;
        });

    // The prefetch past the last tile only zero-fills; drain it anyway.
    waitGroups(commitGroup({}), /*pending=*/0);

    // Epilogue: full row sums, natural-log lse, merge and scatter.
    for (int64_t half = 0; half < 2; ++half) {
      Value m = final[numDBlocks + half];
      Value l = quadReduce(final[numDBlocks + 2 + half], /*isMax=*/false);
      Value mSafe = select(isNegInf(m), f32(0.0), m);
      RowResult r;
      Value query = add(warpQuery0, idx(8 * half));
      r.active = ult(query, rows.numSel);
      r.row = rows.queryRow(*this, query);
      r.branchLse = fmul(fadd(mSafe, log2(l)), f32(M_LN2));
      r.invSum = fdiv(f32(1.0), l);
      MergeWeights w = emitMergeWeights(rows, r);
      // All four lanes of the quad read lse_acc before lane 0 rewrites it.
      gpu::BarrierOp::create(b, loc);
      ifThen(r.active, [&] {
        for (int64_t db = 0; db < numDBlocks; ++db)
          for (int64_t c = 0; c < 2; ++c) {
            Value d = add(groupCol, idx(db * 8 + c));
            SmallVector<Value> index = {rows.batch, r.row, rows.head, d};
            Value acc = vector::ExtractOp::create(b, loc, final[db],
                                                  ArrayRef<int64_t>{half, c});
            Value result = fmul(extTo(accType, acc), w.fresh);
            if (w.keep) {
              Value old = memref::LoadOp::create(b, loc, p.out, index);
              result = fadd(fmul(old, w.keep), result);
            }
            memref::StoreOp::create(b, loc, result, p.out, index);
          }
        ifThen(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, groupCol,
                                     idx(0)),
               [&] {
                 memref::StoreOp::create(
                     b, loc, w.lse, p.lse,
                     ValueRange{rows.batch, r.row, rows.head});
               });
      });
    }
  });
}

FlashKernelEmitter::MergeWeights
FlashKernelEmitter::emitMergeWeights(const SegmentRows &rows,
                                     const RowResult &r) {
  MergeWeights w;
  Value branchLse = extTo(accType, r.branchLse);
  Value invSum = extTo(accType, r.invSum);
  if (!p.merge) {
    w.lse = branchLse;
    w.fresh = invSum;
    return w;
  }
  Value negInf = fconst(accType, -std::numeric_limits<double>::infinity());
  Value oldLse = ifElse(
      r.active,
      [&] {
        return memref::LoadOp::create(b, loc, p.lse,
                                      ValueRange{rows.batch, r.row, rows.head})
            .getResult();
      },
      negInf);
  w = mergeWeights(oldLse, branchLse);
  w.fresh = fmul(w.fresh, invSum);
  return w;
}

//===----------------------------------------------------------------------===//
// CUDA-core kernel
//===----------------------------------------------------------------------===//

void FlashKernelEmitter::emitScalarBlock(const Geometry &geo,
                                         gpu::LaunchOp launch) {
  gpu::KernelDim3 blockIds = launch.getBlockIds();
  Value tid = launch.getThreadIds().x;
  Value queryTile;
  SegmentRows rows = emitBlockRows(geo, blockIds.x, queryTile);
  Value query = add(mul(queryTile, idx(kScalarQueryTile)), tid);
  Value zero = idx(0), one = idx(1), dim = idx(headDim);
  ifThen(ult(query, rows.numSel), [&] {
    Value row = rows.queryRow(*this, query);
    auto bufferType = MemRefType::get({headDim}, accType);
    Value q = memref::AllocaOp::create(b, loc, bufferType);
    Value acc = memref::AllocaOp::create(b, loc, bufferType);
    Value scale = scaleValue(accType);
    Value zeroAcc = fconst(accType, 0.0);
    forLoop(zero, dim, one, {}, [&](Value d, ValueRange) {
      Value x = memref::LoadOp::create(
          b, loc, p.query, ValueRange{rows.batch, row, rows.head, d});
      memref::StoreOp::create(b, loc, fmul(extTo(accType, x), scale), q, d);
      memref::StoreOp::create(b, loc, zeroAcc, acc, d);
      return SmallVector<Value>();
    });
    // Clamped like the tensor-core kernel: query_base is a runtime value.
    Value keyEnd = rows.keyEnd(*this, p.causal, add(query, one));
    Value negInf = fconst(accType, -std::numeric_limits<double>::infinity());
    SmallVector<Value> ml = forLoop(
        zero, keyEnd, one, ValueRange{negInf, zeroAcc},
        [&](Value j, ValueRange state) {
          Value keyRow = rows.keyRow(*this, j);
          SmallVector<Value> dot = forLoop(
              zero, dim, one, ValueRange{zeroAcc}, [&](Value d, ValueRange s) {
                Value k = memref::LoadOp::create(
                    b, loc, p.key,
                    ValueRange{rows.batch, keyRow, rows.head, d});
                Value qd = memref::LoadOp::create(b, loc, q, d);
                return SmallVector<Value>{
                    fadd(s[0], fmul(qd, extTo(accType, k)))};
              });
          Value mNew = fmax(state[0], dot[0]);
          Value alpha = exp(fsub(state[0], mNew));
          Value prob = exp(fsub(dot[0], mNew));
          forLoop(zero, dim, one, {}, [&](Value d, ValueRange) {
            Value v = memref::LoadOp::create(
                b, loc, p.value, ValueRange{rows.batch, keyRow, rows.head, d});
            Value a = memref::LoadOp::create(b, loc, acc, d);
            memref::StoreOp::create(
                b, loc, fadd(fmul(a, alpha), fmul(prob, extTo(accType, v))),
                acc, d);
            return SmallVector<Value>();
          });
          return SmallVector<Value>{mNew, fadd(fmul(state[1], alpha), prob)};
        });
    RowResult r;
    r.active = ult(query, rows.numSel);
    r.row = row;
    r.branchLse = fadd(ml[0], log(ml[1]));
    r.invSum = fdiv(fconst(accType, 1.0), ml[1]);
    // One thread owns the whole row: no other thread reads its lse.
    MergeWeights w = emitMergeWeights(rows, r);
    forLoop(zero, dim, one, {}, [&](Value d, ValueRange) {
      SmallVector<Value> index = {rows.batch, row, rows.head, d};
      Value result = fmul(memref::LoadOp::create(b, loc, acc, d), w.fresh);
      if (w.keep)
        result = fadd(
            fmul(memref::LoadOp::create(b, loc, p.out, index), w.keep), result);
      memref::StoreOp::create(b, loc, result, p.out, index);
      return SmallVector<Value>();
    });
    memref::StoreOp::create(b, loc, w.lse, p.lse,
                            ValueRange{rows.batch, row, rows.head});
  });
}

struct ConvertAttentionToNVGPUPass
    : public mlir::longnet::impl::LongNetConvertAttentionToNVGPUBase<
          ConvertAttentionToNVGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (keyTile < 0) {
      emitError(getOperation().getLoc(),
                "longnet-convert-attention-to-nvgpu: key-tile must be >= 0, "
                "got ")
          << static_cast<int64_t>(keyTile);
      return signalPassFailure();
    }
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<BranchAttentionOp, AttentionOp, GatheredBranchAttentionOp,
              BranchAttentionBackwardOp, GatheredBranchAttentionBackwardOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (op->getNumResults() != 0) {
        op->emitOpError(
            "must be bufferized before longnet-convert-attention-to-nvgpu");
        return signalPassFailure();
      }
      if (std::optional<BackwardProblem> backward = getBackwardProblem(op)) {
        if (failed(emitGPUBackward(op, *backward)))
          return signalPassFailure();
        op->erase();
        continue;
      }
      FlashProblem problem = *getFlashProblem(op);
      OpBuilder b(op);
      FlashKernelEmitter emitter(b, op->getLoc(), problem, keyTile);
      if (failed(emitter.emit(op)))
        return signalPassFailure();
      op->erase();
    }
  }
};

} // namespace
