//===- Utils.cpp - Helpers shared by the LongNet passes ---------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

Type longnet::getAccumulatorType(Type elementType) {
  MLIRContext *ctx = elementType.getContext();
  return elementType.isF64() ? Type(Float64Type::get(ctx))
                             : Type(Float32Type::get(ctx));
}

/// Elementwise float conversion of `value` to `elementType`.
static Value convertElements(OpBuilder &b, Location loc, Value value,
                             Type elementType) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getElementType() == elementType)
    return value;
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, value);
  Value init = tensor::EmptyOp::create(b, loc, sizes, elementType);
  bool widen = elementType.getIntOrFloatBitWidth() >
               type.getElementType().getIntOrFloatBitWidth();
  auto map = linalg::MapOp::create(
      b, loc, ValueRange{value}, init,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value source = args[0];
        // f64 -> bf16 through f32: LLVM would call __truncdfbf2, which the
        // C runtime (libgcc 12) lacks; f32 -> bf16 expands inline. The double
        // rounding is off by one bf16 ulp in rare ties at most.
        if (!widen && elementType.isBF16() && source.getType().isF64())
          source = arith::TruncFOp::create(nested, nestedLoc,
                                           nested.getF32Type(), source);
        Value converted = widen ? arith::ExtFOp::create(nested, nestedLoc,
                                                        elementType, source)
                                      .getResult()
                                : arith::TruncFOp::create(nested, nestedLoc,
                                                          elementType, source)
                                      .getResult();
        linalg::YieldOp::create(nested, nestedLoc, converted);
      });
  return map.getResult().front();
}

Value longnet::convertTensor(OpBuilder &b, Location loc, Value value,
                             Type targetType) {
  auto target = cast<RankedTensorType>(targetType);
  Value converted = convertElements(b, loc, value, target.getElementType());
  if (converted.getType() == targetType)
    return converted;
  return tensor::CastOp::create(b, loc, targetType, converted);
}

void longnet::interchangeMatmulLoops(RewriterBase &rewriter,
                                     linalg::LinalgOp op) {
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::GenericOp> generic =
      linalg::generalizeNamedOp(rewriter, op);
  if (failed(generic))
    return;
  unsigned n = generic->getNumLoops();
  SmallVector<unsigned> order = llvm::to_vector(llvm::seq<unsigned>(0, n));
  std::swap(order[n - 1], order[n - 2]);
  (void)linalg::interchangeGenericOp(rewriter, *generic, order);
}

std::optional<longnet::FlashProblem> longnet::getFlashProblem(Operation *op) {
  FlashProblem p;
  if (auto branch = dyn_cast<BranchAttentionOp>(op)) {
    p.query = branch.getQuery();
    p.key = branch.getKey();
    p.value = branch.getValue();
    p.out = branch.getOutAcc();
    p.lse = branch.getLseAcc();
    p.segmentLength = branch.getSegmentLength();
    p.dilationRate = branch.getDilationRate();
    p.offsetMode = branch.getOffsetMode();
    p.causal = branch.getCausal();
    p.scale = branch.getScaleOrDefault();
    p.merge = true;
    return p;
  }
  if (auto gathered = dyn_cast<GatheredBranchAttentionOp>(op)) {
    p.query = gathered.getQuery();
    p.key = gathered.getKey();
    p.value = gathered.getValue();
    p.out = gathered.getOutAcc();
    p.lse = gathered.getLseAcc();
    p.dilationRate = gathered.getDilationRate();
    p.offsetMode = gathered.getOffsetMode();
    p.causal = gathered.getCausal();
    p.scale = gathered.getScaleOrDefault();
    p.merge = true;
    p.queryBase = gathered.getQueryBase();
    return p;
  }
  if (auto dense = dyn_cast<AttentionOp>(op)) {
    p.query = dense.getQuery();
    p.key = dense.getKey();
    p.value = dense.getValue();
    p.out = dense.getOut();
    p.lse = dense.getLse();
    p.causal = dense.getCausal();
    p.scale = dense.getScaleOrDefault();
    return p;
  }
  return std::nullopt;
}

Value longnet::emitHeadOffset(OpBuilder &b, Location loc, OffsetMode mode,
                              Value head, Value numHeads, Value rate) {
  switch (mode) {
  case OffsetMode::cyclic:
    return arith::RemUIOp::create(b, loc, head, rate);
  case OffsetMode::grouped:
    return arith::DivUIOp::create(
        b, loc, head, arith::CeilDivUIOp::create(b, loc, numHeads, rate));
  case OffsetMode::none:
    return arith::ConstantIndexOp::create(b, loc, 0);
  }
  llvm_unreachable("unknown offset mode");
}

/// Casts a float `value` to `type` inside a linalg body.
static Value castFloat(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  if (value.getType().getIntOrFloatBitWidth() < type.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, type, value);
  return arith::TruncFOp::create(b, loc, type, value);
}

Value longnet::emitBackwardDelta(OpBuilder &b, Location loc, Value outputGrad,
                                 Value output, Value lseGrad,
                                 ArrayRef<OpFoldResult> rowSizes,
                                 Type accType) {
  MLIRContext *ctx = b.getContext();
  Value empty = tensor::EmptyOp::create(b, loc, rowSizes, accType);
  Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(accType, 0.0));
  Value init = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
  AffineMap rows = AffineMap::get(
      4, 0,
      {b.getAffineDimExpr(0), b.getAffineDimExpr(1), b.getAffineDimExpr(2)},
      ctx);
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Value delta =
      linalg::GenericOp::create(
          b, loc, init.getType(), ValueRange{outputGrad, output}, init,
          ArrayRef<AffineMap>{identity, identity, rows}, iterators,
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            Value dout = castFloat(nb, nloc, args[0], accType);
            Value out = castFloat(nb, nloc, args[1], accType);
            Value product = arith::MulFOp::create(nb, nloc, dout, out);
            Value sum = arith::AddFOp::create(nb, nloc, args[2], product);
            linalg::YieldOp::create(nb, nloc, sum);
          })
          .getResult(0);
  if (!lseGrad)
    return delta;
  AffineMap identity3 = AffineMap::getMultiDimIdentityMap(3, ctx);
  SmallVector<utils::IteratorType> parallel(3, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, delta.getType(), ValueRange{lseGrad}, delta,
             ArrayRef<AffineMap>{identity3, identity3}, parallel,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value dlse = castFloat(nb, nloc, args[0], accType);
               Value diff = arith::SubFOp::create(nb, nloc, args[1], dlse);
               linalg::YieldOp::create(nb, nloc, diff);
             })
      .getResult(0);
}
