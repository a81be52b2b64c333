//===- MatmulKernel.cpp - Register-blocked matmul kernels -------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Lowers bufferized linalg.matmul and linalg.batch_matmul (C += A * B) to a
// loop nest of vector FMAs for the CPU: B packed once into zero-padded
// panels of two vectors of columns, an scf.parallel over blocks of rows of C,
// and register blocks of 6 rows x 2 vectors accumulated over k in scf.for
// iter_args, the same micro-kernel shape as the flash loop nest's.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/Transforms/Passes.h"
#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "LoopEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETVECTORIZEMATMULS
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;

namespace {

/// Rows of C per register block.
constexpr int64_t kRowBlock = 6;

struct KernelSizes {
  int64_t rowTile; // rows of C per parallel iteration
  int64_t lanes;   // vector lanes of the compute type
};

/// C[b] += A[b] * B[b] for one matmul (no batch) or batch_matmul.
struct MatmulProblem {
  Value lhs, rhs, out;
  bool batched = false;
};

/// Rows and columns of C that one register block covers.
struct RegisterBlock {
  Value i0, j0;               // first row and column
  SmallVector<Value> rows;    // i0 .. i0 + 5
  SmallVector<Value> cols;    // j0 and j0 + lanes: the two vectors
  Value validRows, validCols; // how many of them are in C
};

/// Emits the loop nest of one MatmulProblem at the builder's insertion point.
class MatmulEmitter : public longnet::LoopEmitter {
public:
  MatmulEmitter(OpBuilder &b, Location loc, const MatmulProblem &p,
                KernelSizes sizes)
      : LoopEmitter(b, loc, cast<MemRefType>(p.out.getType()).getElementType(),
                    sizes.lanes),
        p(p), sizes(sizes) {
    auto outType = cast<MemRefType>(p.out.getType());
    panelWidth = 2 * sizes.lanes;
    int64_t rowDim = p.batched ? 1 : 0;
    int64_t staticM = outType.getDimSize(rowDim);
    int64_t staticN = outType.getDimSize(rowDim + 1);
    rowsMayBeRagged =
        ShapedType::isDynamic(staticM) || staticM % kRowBlock != 0;
    colsMayBeRagged =
        ShapedType::isDynamic(staticN) || staticN % panelWidth != 0;
    outUnitStride = outType.isLastDimUnitStride();
    rhsUnitStride = cast<MemRefType>(p.rhs.getType()).isLastDimUnitStride();
  }

  void emit();

private:
  // Scalar and index helpers.
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value ule(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, x, y);
  }

  /// Indices of element (row, col) of A, B or C in the current batch.
  SmallVector<Value> at(Value row, Value col) {
    if (p.batched)
      return {batch, row, col};
    return {row, col};
  }
  /// Indices of element (k, col) of a packed panel in the current batch.
  SmallVector<Value> packedAt(Value panel, Value k, Value col) {
    if (p.batched)
      return {batch, panel, k, col};
    return {panel, k, col};
  }

  /// scf.parallel from 0 to `ubs` by 1 with `body` inside.
  template <typename Fn> void parallelLoop(ValueRange ubs, Fn body) {
    SmallVector<Value> zeros(ubs.size(), idx(0)), ones(ubs.size(), idx(1));
    auto loop = scf::ParallelOp::create(b, loc, zeros, ubs, ones);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    body(loop.getInductionVars());
  }

  /// Runs `whole` for a register block that is whole and can be addressed
  /// with vectors, `viaTile` otherwise: decided statically when possible,
  /// else by an scf.if on `isWhole`. Returns the values of the chosen one.
  template <typename WholeFn, typename TileFn>
  SmallVector<Value> byBlockKind(Value isWhole, TypeRange types, WholeFn whole,
                                 TileFn viaTile);

  void packRhs();
  void emitRowBlock(ValueRange ivs);
  void emitRegisterBlock(Value i0, Value rowEnd, Value panel);
  SmallVector<Value> loadWholeBlock(const RegisterBlock &block);
  void storeWholeBlock(const RegisterBlock &block, ValueRange acc);
  SmallVector<Value> loadBlockViaTile(const RegisterBlock &block);
  void storeBlockViaTile(const RegisterBlock &block, ValueRange acc);

  const MatmulProblem &p;
  KernelSizes sizes;
  int64_t panelWidth;
  bool rowsMayBeRagged, colsMayBeRagged, outUnitStride, rhsUnitStride;

  // Problem-wide values.
  Value numRows, numCols, depth, numPanels, packed;
  SmallVector<Value> batchSizes; // the batch size of a batch_matmul
  // Per parallel iteration values.
  Value batch, tileBuf;
};

void MatmulEmitter::emit() {
  int64_t rowDim = p.batched ? 1 : 0;
  numRows = memref::DimOp::create(b, loc, p.out, rowDim);
  numCols = memref::DimOp::create(b, loc, p.out, rowDim + 1);
  depth = memref::DimOp::create(b, loc, p.lhs, rowDim + 1);
  numPanels = ceilDiv(numCols, idx(panelWidth));

  SmallVector<int64_t> packedShape = {ShapedType::kDynamic,
                                      ShapedType::kDynamic, panelWidth};
  SmallVector<Value> packedSizes = {numPanels, depth};
  if (p.batched) {
    batchSizes.push_back(memref::DimOp::create(b, loc, p.out, 0));
    packedShape.insert(packedShape.begin(), ShapedType::kDynamic);
    packedSizes.insert(packedSizes.begin(), batchSizes[0]);
  }
  packed =
      memref::AllocOp::create(b, loc, MemRefType::get(packedShape, computeType),
                              packedSizes, b.getI64IntegerAttr(64));
  packRhs();

  SmallVector<Value> ubs = batchSizes;
  ubs.push_back(ceilDiv(numRows, idx(sizes.rowTile)));
  parallelLoop(ubs, [&](ValueRange ivs) { emitRowBlock(ivs); });
  memref::DeallocOp::create(b, loc, packed);
}

/// packed[batch, panel, k, c] = B[batch, k, panel * panelWidth + c], zero
/// beyond the last column: the kernel loads whole, aligned vectors whatever
/// B's layout and N, and a panel's rows are contiguous for the k loop (no
/// cache set conflicts between rows of B a power of two apart: measured
/// ~25% faster than loading B in place at K = N = 1024, ~5% at 256).
void MatmulEmitter::packRhs() {
  SmallVector<Value> ubs = batchSizes;
  ubs.push_back(numPanels);
  parallelLoop(ubs, [&](ValueRange ivs) {
    batch = p.batched ? ivs[0] : Value();
    Value panel = ivs.back();
    Value j0 = mul(panel, idx(panelWidth));
    Value lastCol = rhsUnitStride ? Value() : sub(numCols, idx(1));
    forLoop(idx(0), depth, idx(1), {}, [&](Value k, ValueRange) {
      if (rhsUnitStride) {
        Type elementType = cast<MemRefType>(p.rhs.getType()).getElementType();
        auto loadType = VectorType::get({sizes.lanes}, elementType);
        Value padding =
            arith::ConstantOp::create(b, loc, b.getFloatAttr(elementType, 0));
        for (int64_t h = 0; h < 2; ++h) {
          Value col = idx(h * sizes.lanes);
          Value v = vector::TransferReadOp::create(
              b, loc, loadType, p.rhs, at(k, add(j0, col)), padding,
              ArrayRef<bool>{!colsMayBeRagged});
          if (loadType != vectorType)
            v = arith::ExtFOp::create(b, loc, vectorType, v);
          vector::StoreOp::create(b, loc, v, packed, packedAt(panel, k, col));
        }
        return SmallVector<Value>();
      }
      // Strided columns: element by element, the column clamped so that the
      // load stays in bounds and the padding selected after it.
      forLoop(idx(0), idx(panelWidth), idx(1), {}, [&](Value c, ValueRange) {
        Value col = add(j0, c);
        Value v = loadElement(p.rhs, at(k, minU(col, lastCol)));
        v = arith::SelectOp::create(b, loc, ult(col, numCols), v, fconst(0));
        memref::StoreOp::create(b, loc, v, packed, packedAt(panel, k, c));
        return SmallVector<Value>();
      });
      return SmallVector<Value>();
    });
  });
}

void MatmulEmitter::emitRowBlock(ValueRange ivs) {
  batch = p.batched ? ivs[0] : Value();
  Value rowStart = mul(ivs.back(), idx(sizes.rowTile));
  Value rowEnd = minU(numRows, add(rowStart, idx(sizes.rowTile)));
  // Heap allocated, as the flash loop nest's buffers: a stack allocation in
  // the parallel loop would grow the stack at every iteration once lowered.
  // Zeroed once so that no lane ever reads uninitialised memory.
  bool needsTile = rowsMayBeRagged || colsMayBeRagged || !outUnitStride;
  if (needsTile) {
    tileBuf = memref::AllocOp::create(
        b, loc, MemRefType::get({kRowBlock, panelWidth}, computeType),
        b.getI64IntegerAttr(64));
    Value zeros = splat(fconst(0));
    for (int64_t r = 0; r < kRowBlock; ++r)
      for (int64_t h = 0; h < 2; ++h)
        vector::StoreOp::create(b, loc, zeros, tileBuf,
                                ValueRange{idx(r), idx(h * sizes.lanes)});
  }
  // Six rows of A at a time against every panel: the rows stay in L1 and
  // the panels stream in order (measured faster than a panel against every
  // row, or than blocking k, for K = 256 and 1024).
  forLoop(rowStart, rowEnd, idx(kRowBlock), {}, [&](Value i0, ValueRange) {
    forLoop(idx(0), numPanels, idx(1), {}, [&](Value panel, ValueRange) {
      emitRegisterBlock(i0, rowEnd, panel);
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
  if (needsTile)
    memref::DeallocOp::create(b, loc, tileBuf);
}

template <typename WholeFn, typename TileFn>
SmallVector<Value> MatmulEmitter::byBlockKind(Value isWhole, TypeRange types,
                                              WholeFn whole, TileFn viaTile) {
  if (!outUnitStride)
    return viaTile();
  if (!isWhole)
    return whole();
  auto ifOp = scf::IfOp::create(b, loc, types, isWhole,
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  auto fill = [&](Block *block, auto fn) {
    if (types.empty()) {
      b.setInsertionPoint(block->getTerminator());
      fn();
    } else {
      b.setInsertionPointToEnd(block);
      scf::YieldOp::create(b, loc, fn());
    }
  };
  fill(ifOp.thenBlock(), whole);
  fill(ifOp.elseBlock(), viaTile);
  return SmallVector<Value>(ifOp.getResults());
}

/// C[i0 .. i0+6, j0 .. j0+panelWidth) += A[i0 .. i0+6, :] * B[:, same
/// columns], in 12 vector accumulators.
void MatmulEmitter::emitRegisterBlock(Value i0, Value rowEnd, Value panel) {
  RegisterBlock block;
  block.i0 = i0;
  block.j0 = mul(panel, idx(panelWidth));
  for (int64_t r = 0; r < kRowBlock; ++r)
    block.rows.push_back(add(i0, idx(r)));
  block.cols = {block.j0, add(block.j0, idx(sizes.lanes))};
  // A block cut by the last rows reads A's last row in their place (the
  // results are dropped), so that every load stays in bounds.
  SmallVector<Value> lhsRows = block.rows;
  Value height = idx(kRowBlock), width = idx(panelWidth);
  block.validRows = height;
  block.validCols = width;
  Value isWhole; // none: whole
  if (rowsMayBeRagged) {
    Value lastRow = sub(rowEnd, idx(1));
    for (Value &row : lhsRows)
      row = minU(row, lastRow);
    block.validRows = minU(height, sub(rowEnd, i0));
    if (outUnitStride)
      isWhole = ule(add(i0, height), rowEnd);
  }
  if (colsMayBeRagged) {
    block.validCols = minU(width, sub(numCols, block.j0));
    if (outUnitStride) {
      Value colsWhole = ule(add(block.j0, width), numCols);
      isWhole = isWhole ? arith::AndIOp::create(b, loc, isWhole, colsWhole)
                        : colsWhole;
    }
  }

  SmallVector<Type> accTypes(2 * kRowBlock, vectorType);
  SmallVector<Value> inits = byBlockKind(
      isWhole, accTypes, [&] { return loadWholeBlock(block); },
      [&] { return loadBlockViaTile(block); });
  Value zero = idx(0), lanes = idx(sizes.lanes);
  SmallVector<Value> sums =
      forLoop(zero, depth, idx(1), inits, [&](Value k, ValueRange acc) {
        Value b0 = vector::LoadOp::create(b, loc, vectorType, packed,
                                          packedAt(panel, k, zero));
        Value b1 = vector::LoadOp::create(b, loc, vectorType, packed,
                                          packedAt(panel, k, lanes));
        SmallVector<Value> next;
        for (int64_t r = 0; r < kRowBlock; ++r) {
          Value a = splat(loadElement(p.lhs, at(lhsRows[r], k)));
          next.push_back(vector::FMAOp::create(b, loc, a, b0, acc[2 * r]));
          next.push_back(vector::FMAOp::create(b, loc, a, b1, acc[2 * r + 1]));
        }
        return next;
      });
  byBlockKind(
      isWhole, {},
      [&] {
        storeWholeBlock(block, sums);
        return SmallVector<Value>();
      },
      [&] {
        storeBlockViaTile(block, sums);
        return SmallVector<Value>();
      });
}

SmallVector<Value> MatmulEmitter::loadWholeBlock(const RegisterBlock &block) {
  SmallVector<Value> acc;
  for (Value row : block.rows)
    for (Value col : block.cols)
      acc.push_back(
          vector::LoadOp::create(b, loc, vectorType, p.out, at(row, col)));
  return acc;
}

void MatmulEmitter::storeWholeBlock(const RegisterBlock &block,
                                    ValueRange acc) {
  for (auto [r, row] : llvm::enumerate(block.rows))
    for (auto [h, col] : llvm::enumerate(block.cols))
      vector::StoreOp::create(b, loc, acc[2 * r + h], p.out, at(row, col));
}

SmallVector<Value> MatmulEmitter::loadBlockViaTile(const RegisterBlock &block) {
  Value zero = idx(0), one = idx(1);
  forLoop(zero, block.validRows, one, {}, [&](Value r, ValueRange) {
    forLoop(zero, block.validCols, one, {}, [&](Value c, ValueRange) {
      Value v = memref::LoadOp::create(b, loc, p.out,
                                       at(add(block.i0, r), add(block.j0, c)));
      memref::StoreOp::create(b, loc, v, tileBuf, ValueRange{r, c});
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
  SmallVector<Value> acc;
  for (int64_t r = 0; r < kRowBlock; ++r)
    for (int64_t h = 0; h < 2; ++h)
      acc.push_back(
          vector::LoadOp::create(b, loc, vectorType, tileBuf,
                                 ValueRange{idx(r), idx(h * sizes.lanes)}));
  return acc;
}

void MatmulEmitter::storeBlockViaTile(const RegisterBlock &block,
                                      ValueRange acc) {
  for (int64_t r = 0; r < kRowBlock; ++r)
    for (int64_t h = 0; h < 2; ++h)
      vector::StoreOp::create(b, loc, acc[2 * r + h], tileBuf,
                              ValueRange{idx(r), idx(h * sizes.lanes)});
  Value zero = idx(0), one = idx(1);
  forLoop(zero, block.validRows, one, {}, [&](Value r, ValueRange) {
    forLoop(zero, block.validCols, one, {}, [&](Value c, ValueRange) {
      Value v = memref::LoadOp::create(b, loc, tileBuf, ValueRange{r, c});
      memref::StoreOp::create(b, loc, v, p.out,
                              at(add(block.i0, r), add(block.j0, c)));
      return SmallVector<Value>();
    });
    return SmallVector<Value>();
  });
}

/// The kernel's matmuls: default indexing maps, f32 or f64 output, float
/// inputs no wider than the output (linalg extends them to it).
std::optional<MatmulProblem> getKernelProblem(linalg::LinalgOp op) {
  bool userMaps = TypeSwitch<Operation *, bool>(op)
                      .Case<linalg::MatmulOp, linalg::BatchMatmulOp>(
                          [](auto typed) { return typed.hasUserDefinedMaps(); })
                      .Default([](Operation *) { return true; });
  if (userMaps)
    return std::nullopt;
  MatmulProblem p;
  p.lhs = op.getDpsInputs()[0];
  p.rhs = op.getDpsInputs()[1];
  p.out = op.getDpsInits()[0];
  p.batched = isa<linalg::BatchMatmulOp>(op);
  auto outType = dyn_cast<MemRefType>(p.out.getType());
  if (!outType ||
      !(outType.getElementType().isF32() || outType.getElementType().isF64()))
    return std::nullopt;
  unsigned width = outType.getElementType().getIntOrFloatBitWidth();
  for (Value input : {p.lhs, p.rhs}) {
    auto type = dyn_cast<MemRefType>(input.getType());
    if (!type || !isa<FloatType>(type.getElementType()) ||
        type.getElementType().getIntOrFloatBitWidth() > width)
      return std::nullopt;
  }
  return p;
}

struct VectorizeMatmulsPass
    : public longnet::impl::LongNetVectorizeMatmulsBase<VectorizeMatmulsPass> {
  using Base::Base;

  LogicalResult checkOptions() {
    if (vectorWidth < 2 || vectorWidth % 2 != 0)
      return emitError(getOperation()->getLoc(),
                       "longnet-vectorize-matmuls: vector-width must be an "
                       "even number >= 2, got ")
             << static_cast<int64_t>(vectorWidth);
    if (rowTile < kRowBlock || rowTile % kRowBlock != 0)
      return emitError(getOperation()->getLoc(),
                       "longnet-vectorize-matmuls: row-tile must be a "
                       "positive multiple of ")
             << kRowBlock << ", got " << static_cast<int64_t>(rowTile);
    return success();
  }

  void runOnOperation() override {
    if (failed(checkOptions()))
      return signalPassFailure();
    SmallVector<linalg::LinalgOp> ops;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) &&
          op.hasPureBufferSemantics())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      std::optional<MatmulProblem> problem = getKernelProblem(op);
      if (!problem) {
        longnet::interchangeMatmulLoops(rewriter, op);
        continue;
      }
      Type computeType =
          cast<MemRefType>(problem->out.getType()).getElementType();
      int64_t lanes = computeType.isF64() ? vectorWidth / 2 : vectorWidth;
      OpBuilder b(op);
      MatmulEmitter(b, op.getLoc(), *problem, {rowTile, lanes}).emit();
      rewriter.eraseOp(op);
    }
  }
};

} // namespace
